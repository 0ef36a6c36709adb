"""Moderation: reports, hiding and showing again, the author's request for review, and the
hold of new ideas for approval. Every step is on the item's record (ModerationStep) and in the
audit log; the author hears of a decision through notify (signal ``moderation_decided``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _
from sqlalchemy import func, select, update

from ..auth.accounts import end_sessions
from ..auth.models import User
from ..core.clock import now
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.signals import moderation_decided
from ..ideas.authorship import acts_as_anonymous_author
from ..ideas.models import Comment, Idea
from ..policy import require
from . import audit
from .models import ModerationStep, Moderator, Report

REASONS = ("offensive", "personal_data", "confidential", "other")
HELD = "awaiting_approval"
QUEUE_LIMIT = 100
RECORD_LIMIT = 100


def target_key(idea: Idea, comment: Comment | None) -> str:
    return f"comment:{comment.id}" if comment is not None else f"idea:{idea.id}"


def _item(idea: Idea, comment: Comment | None) -> Idea | Comment:
    return comment if comment is not None else idea


def _author_id(idea: Idea, comment: Comment | None) -> int | None:
    return comment.author_id if comment is not None else idea.author_id


def _anonymous(idea: Idea, comment: Comment | None, person: User) -> bool:
    """The item's anonymous author acting on it: never named (record and audit log)."""
    if comment is not None:
        return comment.by_anonymous_author and comment.author_id == person.id
    return acts_as_anonymous_author(idea, person)


def _step(idea, comment, kind, actor: User | None, *, reason=None, note=None, by_author=False):
    actor_id = None if by_author else getattr(actor, "id", None)
    db.session.add(
        ModerationStep(
            target_key=target_key(idea, comment), idea_id=idea.id,
            comment_id=comment.id if comment is not None else None, kind=kind, reason=reason,
            note=(note or "").strip() or None, actor_id=actor_id, by_author=by_author,
            created_at=now(),
        )
    )  # fmt: skip


def _check_reason(reason: str) -> None:
    if reason not in REASONS:
        raise DomainError(_("Please choose a reason."))


def report(reporter: User, idea: Idea, comment: Comment | None, reason: str, text: str) -> Report:
    item = _item(idea, comment)
    require(reporter, "moderation.report", item)
    _check_reason(reason)
    text = (text or "").strip()
    if reason == "other" and not text:
        raise DomainError(_("Please say what is wrong."))
    key = target_key(idea, comment)
    already = select(func.count()).where(
        Report.reporter_id == reporter.id, Report.target_key == key
    )
    if db.session.scalar(already):
        raise DomainError(_("You have reported this already. Moderation will look at it."))
    found = Report(
        target_key=key, idea_id=idea.id, comment_id=comment.id if comment is not None else None,
        reporter_id=reporter.id, reason=reason, text=text[:2000] or None, created_at=now(),
    )  # fmt: skip
    db.session.add(found)
    _step(idea, comment, "reported", None, reason=reason)  # reporters are never named
    audit.record("moderation.reported", reporter, item, after={"reason": reason})
    db.session.flush()
    return found


def _resolve_reports(key: str) -> None:
    db.session.execute(
        update(Report)
        .where(Report.target_key == key, Report.resolved_at.is_(None))
        .values(resolved_at=now())
        .execution_options(synchronize_session=False)
    )


def hide(moderator: User, idea: Idea, comment: Comment | None, reason: str, note: str = "") -> None:
    require(moderator, "moderation.decide")
    _check_reason(reason)
    item = _item(idea, comment)
    if item.hidden_reason is not None:
        raise DomainError(_("This is hidden already."))
    item.hidden_reason = reason
    _resolve_reports(target_key(idea, comment))
    _step(idea, comment, "hidden", moderator, reason=reason, note=note)
    audit.record("moderation.hidden", moderator, item, after={"reason": reason})
    db.session.flush()
    moderation_decided.send(
        Idea, idea=idea, comment=comment, author_id=_author_id(idea, comment), step="hidden",
        reason=reason, actor=moderator,
    )  # fmt: skip


def show(moderator: User, idea: Idea, comment: Comment | None, note: str = "") -> None:
    require(moderator, "moderation.decide")
    item = _item(idea, comment)
    if item.hidden_reason is None:
        raise DomainError(_("This is not hidden."))
    approving = item.hidden_reason == HELD
    before = item.hidden_reason
    item.hidden_reason = None
    if approving:
        # The clocks start at approval: the idea was nobody's to answer while it waited.
        idea.created_at = idea.status_changed_at = now()
    _resolve_reports(target_key(idea, comment))
    step = "approved" if approving else "shown"
    _step(idea, comment, step, moderator, note=note)
    audit.record(f"moderation.{step}", moderator, item, before={"reason": before})
    db.session.flush()
    moderation_decided.send(
        Idea, idea=idea, comment=comment, author_id=_author_id(idea, comment), step=step,
        reason=None, actor=moderator,
    )  # fmt: skip


def dismiss(moderator: User, idea: Idea, comment: Comment | None, note: str = "") -> int:
    """The reports are unfounded: close them, the item stays as it is."""
    require(moderator, "moderation.decide")
    key = target_key(idea, comment)
    open_count = db.session.scalar(
        select(func.count()).where(Report.target_key == key, Report.resolved_at.is_(None))
    )
    if not open_count:
        raise DomainError(_("There is no open report on this."))
    _resolve_reports(key)
    _step(idea, comment, "dismissed", moderator, note=note)
    audit.record("moderation.dismissed", moderator, _item(idea, comment),
                 after={"reports": open_count})  # fmt: skip
    return open_count


def ask_review(author: User, idea: Idea, comment: Comment | None, note: str = "") -> None:
    item = _item(idea, comment)
    require(author, "moderation.ask_review", item)
    anonymous = _anonymous(idea, comment, author)
    _step(idea, comment, "review_requested", author, note=note, by_author=anonymous)
    audit.record("moderation.review_requested", author, item, anonymous_author=anonymous)


def edit_hidden_comment(author: User, idea: Idea, comment: Comment, body: str) -> None:
    """The author of a hidden comment puts it right before asking for review."""
    require(author, "moderation.ask_review", comment)
    body = (body or "").strip()
    if not body:
        raise DomainError(_("A comment cannot be empty."))
    comment.body = body
    anonymous = _anonymous(idea, comment, author)
    _step(idea, comment, "edited", author, by_author=anonymous)
    audit.record("moderation.edited", author, comment, anonymous_author=anonymous)


# -- moderators ----------------------------------------------------------------------------------


def grant(admin: User, user: User) -> None:
    require(admin, "moderation.grant")
    db.session.add(Moderator(user_id=user.id))
    end_sessions(user)  # the flag is read at sign-in: it takes effect at the next one
    audit.record("moderator.granted", admin, user)


def revoke(admin: User, user: User, flag: Moderator) -> None:
    require(admin, "moderation.grant")
    db.session.delete(flag)
    end_sessions(user)  # signed out: no page keeps offering what is no longer theirs
    audit.record("moderator.revoked", admin, user)


# -- holding new ideas for approval ------------------------------------------------------------


def holds(idea: Idea) -> bool:
    """Whether the organisation holds this new idea until moderation approves it. Setting
    ``HOLD_NEW_IDEAS``: empty (off), ``"*"`` (every department) or department names."""
    setting = current_app.config.get("HOLD_NEW_IDEAS") or ()
    if setting == "*":
        return True
    return idea.owning_department is not None and idea.owning_department.name in set(setting)


def hold_if_required(idea: Idea) -> None:
    if idea.hidden_reason is None and holds(idea):
        idea.hidden_reason = HELD
        _step(idea, None, "held", None, reason=HELD)


# -- reading -----------------------------------------------------------------------------------


@dataclass
class QueueItem:
    key: str
    idea: Idea
    comment: Comment | None
    reports: int  # open ones
    reasons: list[str]
    first_at: datetime | None
    review_requested: bool = False

    @property
    def item(self):
        return self.comment if self.comment is not None else self.idea


def queue() -> list[QueueItem]:
    """Items with open reports (oldest first), then hidden and held items whose author asked
    for a look again or that wait for approval. Bounded."""
    reported = db.session.execute(
        select(Report.target_key, func.count(), func.min(Report.created_at),
               func.min(Report.idea_id), func.min(Report.comment_id))
        .where(Report.resolved_at.is_(None))
        .group_by(Report.target_key)
        .order_by(func.min(Report.id))
        .limit(QUEUE_LIMIT)
    ).all()  # fmt: skip
    reasons: dict[str, list[str]] = {}
    if reported:
        rows = db.session.execute(
            select(Report.target_key, Report.reason)
            .where(Report.resolved_at.is_(None), Report.target_key.in_([r[0] for r in reported]))
            .distinct()
        )
        for key, reason in rows:
            reasons.setdefault(key, []).append(reason)
    waiting = db.session.execute(
        select(ModerationStep.target_key, func.max(ModerationStep.id), ModerationStep.idea_id,
               ModerationStep.comment_id)
        .join(Idea, Idea.id == ModerationStep.idea_id)
        .outerjoin(Comment, Comment.id == ModerationStep.comment_id)
        .where(
            ModerationStep.kind.in_(["review_requested", "held"]),
            ((ModerationStep.comment_id.is_(None)) & Idea.hidden_reason.is_not(None))
            | Comment.hidden_reason.is_not(None),
        )
        .group_by(ModerationStep.target_key, ModerationStep.idea_id, ModerationStep.comment_id)
        .order_by(func.max(ModerationStep.id))
        .limit(QUEUE_LIMIT)
    ).all()  # fmt: skip
    idea_ids = {r[3] for r in reported} | {w[2] for w in waiting}
    comment_ids = {r[4] for r in reported if r[4]} | {w[3] for w in waiting if w[3]}
    ideas = {i.id: i for i in db.session.scalars(select(Idea).where(Idea.id.in_(idea_ids)))}
    comments = {
        c.id: c for c in db.session.scalars(select(Comment).where(Comment.id.in_(comment_ids)))
    }
    items = [
        QueueItem(key, ideas[idea_id], comments.get(comment_id), count, reasons.get(key, []), first)
        for key, count, first, idea_id, comment_id in reported
    ]
    seen = {i.key for i in items}
    items += [
        QueueItem(key, ideas[idea_id], comments.get(comment_id), 0, [], None, True)
        for key, _last, idea_id, comment_id in waiting
        if key not in seen
    ]
    return items


def record_of(key: str) -> list[ModerationStep]:
    query = (
        select(ModerationStep)
        .where(ModerationStep.target_key == key)
        .order_by(ModerationStep.id)
        .limit(RECORD_LIMIT)
    )
    return list(db.session.scalars(query))


def has_reported(user: User, idea: Idea, comment: Comment | None) -> bool:
    key = target_key(idea, comment)
    query = select(func.count()).where(Report.reporter_id == user.id, Report.target_key == key)
    return bool(db.session.scalar(query))
