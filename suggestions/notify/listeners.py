"""Where notify hears about changes: the signals of suggestions/signals.py, sent inside the
transaction of the change. Listeners add rows to the same session and never commit: the
notifications and mails exist exactly when the change does.

A failure here must not cost a person their vote or comment: outside testing, the work of a
listener runs in a savepoint, and an error is logged and rolled back to it (the vote's follow,
a single insert, needs none: see ``on_vote_added``).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from sqlalchemy.exc import DBAPIError

from ..core.extensions import db
from ..core.signals import (
    comment_posted,
    idea_event_recorded,
    measurement_requested,
    moderation_decided,
    note_mentioned,
    official_answer_marked,
    password_reset_requested,
    vote_added,
)
from ..ideas.models import EventKind, IdeaStatus
from ..workflow.queries import open_commitment
from . import outbox, rules, webhooks
from .mail_content import absolute_url, render_password_reset_mail
from .rules import Audience, Occurrence, Rule


def connect() -> None:
    """Idempotent: blinker keeps one connection per receiver."""
    idea_event_recorded.connect(on_idea_event)
    comment_posted.connect(on_comment_posted)
    official_answer_marked.connect(on_official_answer_marked)
    vote_added.connect(on_vote_added)
    password_reset_requested.connect(on_password_reset_requested)
    measurement_requested.connect(on_measurement_requested)
    moderation_decided.connect(on_moderation_decided)
    note_mentioned.connect(on_note_mentioned)


def _guarded(work: Callable[[], None], what: str) -> None:
    if current_app.config["NOTIFY_STRICT"]:
        work()
        return
    try:
        with db.session.begin_nested():
            work()
    except Exception:
        # The id of the idea only: a log line must never name an anonymous author.
        current_app.logger.exception(
            "Notifications for %s failed; the change itself is kept.", what
        )


def _notify(occurrence: Occurrence) -> None:
    rules.deliver(occurrence)
    webhooks.enqueue_for(occurrence)


def on_idea_event(sender, event, idea, **_extra) -> None:
    def work() -> None:
        if event.kind == EventKind.SUBMITTED and idea.author_id:
            rules.follow_automatically(idea.id, idea.author_id)
        # A merge: the followers of the duplicate follow the surviving idea.
        survivor = getattr(event, "related_idea_id", None) or getattr(idea, "duplicate_of_id", None)
        if event.to_status == IdeaStatus.DUPLICATE and survivor:
            rules.move_follows(idea.id, survivor)
        # The person who delivers an accepted idea follows it and is told it is theirs.
        owner_id = None
        if event.to_status == IdeaStatus.ACCEPTED:
            commitment = open_commitment(idea)
            owner_id = commitment.owner_id if commitment else None
            if owner_id:
                rules.follow_automatically(idea.id, owner_id)
        if idea.hidden_reason is not None:
            return  # held for approval or hidden by moderation: nobody may hear of it
        _notify(
            Occurrence(
                kind=str(event.kind),
                idea=idea,
                actor_id=event.actor_id,
                from_status=event.from_status,
                to_status=event.to_status,
                detail=event.written_note,
                detail_key=event.note_key,
                event_id=event.id,
                by_anonymous_author=bool(getattr(event, "by_anonymous_author", False)),
                # A transfer names the department it went to; otherwise the owning one.
                department_id=getattr(event, "department_id", None),
                owner_id=owner_id,
            )
        )

    _guarded(work, f"idea {idea.id} ({event.kind})")


def on_comment_posted(sender, comment, idea, **_extra) -> None:
    if idea.hidden_reason is not None:
        return
    kind = "official_answer" if comment.is_official else "comment"
    occurrence = Occurrence(
        kind=kind, idea=idea, actor_id=comment.author_id, comment_id=comment.id,
        by_anonymous_author=comment.by_anonymous_author,
    )  # fmt: skip
    _guarded(lambda: _notify(occurrence), f"idea {idea.id} ({kind})")


def on_official_answer_marked(sender, comment, idea, actor, **_extra) -> None:
    if not comment.is_official:
        return  # taking the mark away is not news
    occurrence = Occurrence(
        kind="official_answer", idea=idea, actor_id=actor.id if actor else None,
        comment_id=comment.id,
    )  # fmt: skip
    _guarded(lambda: _notify(occurrence), f"idea {idea.id} (official answer)")


def on_vote_added(sender, idea, user, **_extra) -> None:
    """The voter follows the idea. No savepoint (two statements more in the write lock's
    time): the follow is one insert that ignores duplicates, on the idea and person the vote's
    own insert has just used, so what can still fail in the database fails the vote as well.
    A failure before it reaches the database is logged and the vote stands, as with the rest."""
    if current_app.config["NOTIFY_STRICT"]:
        rules.follow_automatically(idea.id, user.id)
        return
    try:
        rules.follow_automatically(idea.id, user.id)
    except DBAPIError:
        raise  # the vote's transaction cannot go on (PostgreSQL): nothing is kept, not half
    except Exception:
        current_app.logger.exception(
            "Notifications for %s failed; the change itself is kept.", f"idea {idea.id} (vote)"
        )


def on_password_reset_requested(sender, user, token, language, valid_minutes, **_extra) -> None:
    # Not a preference: whoever asks for the link must get it, by mail, through the outbox.
    def work() -> None:
        link = absolute_url("auth.reset_password", token=token)
        outbox.enqueue_mails([render_password_reset_mail(user, link, language, valid_minutes)])

    # Guarded like the others: a failure must not change the page's answer (which would tell
    # that the address has an account).
    _guarded(work, f"user {user.id} (password reset)")


def on_measurement_requested(sender, idea, owner_id, after_days, **_extra) -> None:
    occurrence = Occurrence(kind="measurement_due", idea=idea, owner_id=owner_id)
    _guarded(lambda: _notify(occurrence), f"idea {idea.id} (measurement after {after_days} days)")


_MODERATION_RULES = {
    "hidden": Rule("moderation_hidden", "status", (Audience.AUTHOR,), respect_unfollow=False),
    "shown": Rule("moderation_shown", "status", (Audience.AUTHOR,), respect_unfollow=False),
    "approved": Rule("moderation_approved", "status", (Audience.AUTHOR,), respect_unfollow=False),
}
_MENTION_RULE = Rule("note_mention", "mention", (Audience.MENTIONED,), respect_unfollow=False)


def on_moderation_decided(sender, idea, comment, author_id, step, reason, actor, **_extra) -> None:
    """The author of the item hears of it; moderators are not named."""
    rule = _MODERATION_RULES.get(step)
    if rule is None or not author_id:
        return
    occurrence = Occurrence(
        kind=rule.message, idea=idea, comment_id=comment.id if comment is not None else None,
    )  # fmt: skip
    _guarded(
        lambda: rules.deliver_to_person(occurrence, author_id, rule, Audience.AUTHOR),
        f"idea {idea.id} (moderation)",
    )


def on_note_mentioned(sender, note, idea, person, actor, **_extra) -> None:
    """The note's words stay on the page: the mail only says where to look."""
    occurrence = Occurrence(kind="note_mention", idea=idea, actor_id=actor.id if actor else None)
    _guarded(
        lambda: rules.deliver_to_person(occurrence, person.id, _MENTION_RULE, Audience.MENTIONED),
        f"idea {idea.id} (mention)",
    )
