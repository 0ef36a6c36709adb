"""Reasoned declines: a decline names its reason (from a list admins keep), says in public why,
may say what would change the decision, and may set a revisit date. On that date the worker
puts the idea back into its department's queue, once, with a line on the timeline and a
message to its followers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.clock import now
from ..core.errors import DomainError
from ..core.extensions import db
from ..ideas.models import Idea, IdeaStatus
from ..ideas.rules import record_event
from ..org.models import Department

# The timeline's kind for "the revisit date has come" (no person acted).
REVISITED = "revisited"
DEFAULT_REASONS = (
    ("Legal requirement", "Gesetzliche Vorgabe", 10),
    ("Cost out of proportion", "Kosten unverhältnismäßig", 20),
    ("Already planned", "Bereits geplant", 30),
    ("Conflicts with another change", "Widerspricht einer anderen Änderung", 40),
    ("Other reason", "Anderer Grund", 90),
)


class DeclineReason(db.Model):
    """A reason code for declines, named in both UI languages; retired ones stay on old
    declines."""

    __tablename__ = "decline_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(80), unique=True)
    name_de: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def label(self, locale: str) -> str:
        return self.name_de if locale == "de" else self.name_en


class Decline(db.Model):
    __tablename__ = "declines"
    __table_args__ = (
        Index("ix_declines_idea", "idea_id", "id"),
        Index("ix_declines_revisit", "revisited_at", "revisit_on"),
        Index("ix_declines_department_reason", "department_id", "reason_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    reason_id: Mapped[int | None] = mapped_column(
        ForeignKey("decline_reasons.id", ondelete="SET NULL")
    )
    # The department that owned the idea when it was declined (for per-department figures).
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL")
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    change_our_mind: Mapped[str | None] = mapped_column(Text)
    revisit_on: Mapped[date | None] = mapped_column(Date)
    revisited_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    reason: Mapped[DeclineReason | None] = relationship()
    idea: Mapped[Idea] = relationship()


# -- reasons -----------------------------------------------------------------------------------


def reasons(*, include_retired: bool = False) -> list[DeclineReason]:
    query = select(DeclineReason).order_by(DeclineReason.position, DeclineReason.name_en)
    if not include_retired:
        query = query.where(DeclineReason.active.is_(True))
    return list(db.session.scalars(query))


def reason_choices(locale: str) -> list[tuple[int, str]]:
    return [(r.id, r.label(locale)) for r in reasons()]


def add_default_reasons() -> None:
    """The starting list (the migration adds it; demo and tests after emptying tables)."""
    if db.session.scalar(select(func.count()).select_from(DeclineReason)):
        return
    for name_en, name_de, position in DEFAULT_REASONS:
        db.session.add(DeclineReason(name_en=name_en, name_de=name_de, position=position))
    db.session.flush()


def save_reason(
    reason: DeclineReason | None, *, name_en: str, name_de: str, position: int, active: bool
) -> DeclineReason:
    name_en, name_de = name_en.strip(), name_de.strip()
    taken = select(DeclineReason.id).where(
        (DeclineReason.name_en == name_en) | (DeclineReason.name_de == name_de)
    )
    if reason is not None:
        taken = taken.where(DeclineReason.id != reason.id)
    if db.session.scalar(taken.limit(1)) is not None:
        raise DomainError(_("A reason with this name exists already."))
    if reason is None:
        reason = DeclineReason()
        db.session.add(reason)
    reason.name_en, reason.name_de = name_en, name_de
    reason.position, reason.active = position, active
    db.session.flush()
    return reason


# -- declining ---------------------------------------------------------------------------------


def decline(
    idea: Idea,
    actor: User,
    *,
    reason_id: int | None,
    note: str | None,
    change_our_mind: str | None = None,
    revisit_on: date | None = None,
    revision: int | None = None,
) -> Decline:
    """Decline with a reason: the lifecycle's decline, plus its reason, what would change the
    decision, and the day it comes back (if any)."""
    from . import lifecycle

    reason = db.session.get(DeclineReason, reason_id) if reason_id else None
    if reason_id and (reason is None or not reason.active):
        raise DomainError(_("Please choose one of the reasons offered."))
    if revisit_on is not None and revisit_on <= now().date():
        raise DomainError(_("The revisit date must be in the future."))
    department_id = idea.owning_department_id
    lifecycle.transition(idea, "decline", actor, note, revision=revision)
    row = Decline(
        idea_id=idea.id,
        reason_id=reason.id if reason else None,
        department_id=department_id,
        decided_by_id=actor.id,
        change_our_mind=(change_our_mind or "").strip() or None,
        revisit_on=revisit_on,
        created_at=now(),
    )
    db.session.add(row)
    db.session.flush()
    return row


def latest_decline(idea: Idea) -> Decline | None:
    if idea.status != IdeaStatus.DECLINED:
        return None
    query = select(Decline).where(Decline.idea_id == idea.id).order_by(Decline.id.desc())
    return db.session.scalars(query.limit(1)).first()


# -- revisit dates (a worker job) --------------------------------------------------------------

REVISIT_BATCH = 200


def revisit_due(moment: datetime) -> dict[str, int]:
    """Put every declined idea whose revisit date has come back into its department's queue.
    Each decline is claimed with one conditional UPDATE, so it comes back once however many
    workers run this at the same time."""
    today = moment.date()
    due = select(Decline.id, Decline.idea_id).join(Idea, Idea.id == Decline.idea_id)
    due = due.where(
        Decline.revisited_at.is_(None),
        Decline.revisit_on.is_not(None),
        Decline.revisit_on <= today,
    )
    returned = skipped = 0
    for decline_id, idea_id in db.session.execute(due.order_by(Decline.id).limit(REVISIT_BATCH)):
        claimed = db.session.execute(
            update(Decline)
            .where(Decline.id == decline_id, Decline.revisited_at.is_(None))
            .values(revisited_at=moment)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            continue
        idea = db.session.get(Idea, idea_id)
        latest = db.session.scalar(select(func.max(Decline.id)).where(Decline.idea_id == idea_id))
        if idea.status != IdeaStatus.DECLINED or latest != decline_id:  # reopened meanwhile
            skipped += 1
        else:
            _bring_back(idea, moment)
            returned += 1
        db.session.commit()
    return {"returned": returned, "skipped": skipped}


def _bring_back(idea: Idea, moment: datetime) -> None:
    previous = idea.status
    idea.status = IdeaStatus.IN_REVIEW
    idea.status_changed_at = moment
    idea.decided_at = None
    idea.updated_at = moment
    db.session.flush()
    record_event(idea, None, REVISITED, from_status=previous, to_status=IdeaStatus.IN_REVIEW,
                 department_id=idea.owning_department_id)  # fmt: skip


# -- the dashboard -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeclineCount:
    department: str
    reason: str
    count: int


def declines_by_reason(locale: str, department_ids: list[int] | None = None) -> list[DeclineCount]:
    """How many declines per department and reason (one grouped query)."""
    label = DeclineReason.name_de if locale == "de" else DeclineReason.name_en
    query = (
        select(Department.name, label, func.count(Decline.id))
        .select_from(Decline)
        .join(Department, Department.id == Decline.department_id)
        .outerjoin(DeclineReason, DeclineReason.id == Decline.reason_id)
        .group_by(Department.name, label)
        .order_by(Department.name, func.count(Decline.id).desc())
    )
    if department_ids is not None:
        query = query.where(Decline.department_id.in_(department_ids))
    return [
        DeclineCount(department, reason or str(_("No reason given")), count)
        for department, reason, count in db.session.execute(query)
    ]
