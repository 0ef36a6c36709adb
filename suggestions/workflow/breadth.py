"""The breadth guarantee: an idea supported by at least N people from at least K departments
(decision settings) is owed an answer from leadership within the decision clock. Departments
are counted as they were when each vote was cast (``votes.department_id``).

The vote that crosses the threshold records the guarantee (one row per idea, once): from then
on the idea waits in the leadership queue with its date, and a date missed without a decision
is a breach on the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..core.clock import now
from ..core.database import insert_ignoring_duplicates, prepared
from ..core.extensions import db
from ..ideas.models import Idea, IdeaStatus, Vote, publicly_visible
from ..org.models import Department
from ..org.queries import org_settings
from .decision_settings import decision_settings


class BreadthGuarantee(db.Model):
    __tablename__ = "breadth_guarantees"
    __table_args__ = (Index("ix_breadth_guarantees_due", "due_at", "idea_id"),)

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    reached_at: Mapped[datetime] = mapped_column(DateTime)
    due_at: Mapped[datetime] = mapped_column(DateTime)  # leadership answers by then
    supporters: Mapped[int] = mapped_column(Integer)  # when it was reached
    departments: Mapped[int] = mapped_column(Integer)


@dataclass(frozen=True)
class Support:
    supporters: int
    departments: int


def support_of(idea_id: int) -> Support:
    """How many people support the idea, from how many departments (one query)."""
    row = db.session.execute(
        select(func.count(), func.count(func.distinct(Vote.department_id))).where(
            Vote.idea_id == idea_id
        )
    ).one()
    return Support(row[0], row[1])


def on_vote_added(sender, idea: Idea, user, **_extra) -> None:
    """Inside the vote's transaction: does this vote make the support broad enough?

    One statement, in the write lock's time, that reads no vote once a guarantee is recorded
    (the NOT EXISTS depends on no vote: SQLite and PostgreSQL test it once, first). Before,
    it looks for K departments among the voters' (an index range that stops at the K-th) and
    counts them all only when there are K, at the vote that crosses. The supporters are the
    idea's count, moved in this transaction with the vote. Two votes crossing at once record
    the guarantee once (its key)."""
    settings = decision_settings()
    if idea.status not in IdeaStatus.UNDECIDED or idea.vote_count < settings.breadth_supporters:
        return
    moment = now()
    db.session.connection().execute(
        _guarantee_on_broad_support(),
        {
            "idea_id": idea.id,
            "reached_at": moment,
            "due_at": moment + timedelta(days=org_settings().decision_days),
            "supporters": idea.vote_count,
            "departments_wanted": settings.breadth_departments,
        },
    )


def _guarantee_statement(dialect: str):
    votes, guarantees = Vote.__table__, BreadthGuarantee.__table__
    idea_id, wanted = bindparam("idea_id", type_=Integer), bindparam("departments_wanted")
    of_idea = votes.c.idea_id == idea_id
    first_departments = (
        select(votes.c.department_id)
        .where(of_idea, votes.c.department_id.is_not(None))
        .distinct()
        .limit(wanted)
        .subquery()
    )
    departments = select(func.count(func.distinct(votes.c.department_id))).where(of_idea)
    broad_support = select(
        idea_id,
        bindparam("reached_at", type_=DateTime),
        bindparam("due_at", type_=DateTime),
        bindparam("supporters", type_=Integer),
        departments.scalar_subquery(),
    ).where(
        ~exists().where(guarantees.c.idea_id == idea_id),
        select(func.count()).select_from(first_departments).scalar_subquery() >= wanted,
    )
    return insert_ignoring_duplicates(guarantees, dialect).from_select(
        ["idea_id", "reached_at", "due_at", "supporters", "departments"], broad_support
    )


_guarantee_on_broad_support = prepared(_guarantee_statement)


def guarantee_of(idea: Idea) -> BreadthGuarantee | None:
    return db.session.get(BreadthGuarantee, idea.id)


def guarantees_for(idea_ids: list[int]) -> dict[int, BreadthGuarantee]:
    """The guarantees of a page of ideas, in one query."""
    if not idea_ids:
        return {}
    query = select(BreadthGuarantee).where(BreadthGuarantee.idea_id.in_(idea_ids))
    return {g.idea_id: g for g in db.session.scalars(query)}


def guaranteed_clause():
    """SQL over ideas: the support is broad enough that leadership owes an answer."""
    return Idea.id.in_(select(BreadthGuarantee.idea_id))


def _breached(at: datetime):
    still_open = and_(Idea.status.in_(IdeaStatus.UNDECIDED), BreadthGuarantee.due_at < at)
    answered_late = Idea.decided_at > BreadthGuarantee.due_at
    return or_(still_open, answered_late)


def is_breached(guarantee: BreadthGuarantee, idea: Idea, at: datetime | None = None) -> bool:
    at = at or now()
    if idea.status in IdeaStatus.UNDECIDED:
        return guarantee.due_at < at
    return idea.decided_at is not None and idea.decided_at > guarantee.due_at


@dataclass(frozen=True)
class BreachCount:
    department: str
    guaranteed: int
    breached: int


def breaches_by_department(
    department_ids: list[int] | None = None, at: datetime | None = None
) -> list[BreachCount]:
    """Per owning department: ideas owed a leadership answer, and dates missed (one query)."""
    at = at or now()
    breached = func.sum(db.case((_breached(at), 1), else_=0))
    query = (
        select(Department.name, func.count(BreadthGuarantee.idea_id), breached)
        .select_from(BreadthGuarantee)
        .join(Idea, Idea.id == BreadthGuarantee.idea_id)
        .join(Department, Department.id == Idea.owning_department_id)
        .group_by(Department.name)
        .order_by(Department.name)
    )
    if department_ids is not None:
        query = query.where(Idea.owning_department_id.in_(department_ids))
    return [
        BreachCount(name, total, int(missed or 0))
        for name, total, missed in db.session.execute(query)
    ]


@dataclass(frozen=True)
class Breach:
    idea_id: int
    title: str
    department_id: int
    supporters: int
    departments: int
    due_at: datetime
    decided_at: datetime | None  # answered late, or (None) not answered


def breaches_due_between(
    start: datetime, end: datetime, at: datetime | None = None
) -> list[Breach]:
    """The guarantees whose date fell in [start, end) and were missed: the idea was decided
    after its date, or is still waiting at ``at`` (one query, oldest date first)."""
    at = at or now()
    query = (
        select(
            Idea.id,
            Idea.title,
            Idea.owning_department_id,
            BreadthGuarantee.supporters,
            BreadthGuarantee.departments,
            BreadthGuarantee.due_at,
            Idea.decided_at,
        )  # fmt: skip
        .join(Idea, Idea.id == BreadthGuarantee.idea_id)
        .where(
            BreadthGuarantee.due_at >= start,
            BreadthGuarantee.due_at < end,
            _breached(at),
            publicly_visible(),
        )  # fmt: skip
        .order_by(BreadthGuarantee.due_at, Idea.id)
        .limit(500)
    )
    return [
        Breach(
            row.id,
            row.title,
            row.owning_department_id,
            row.supporters,
            row.departments,
            row.due_at,
            row.decided_at if row.decided_at and row.decided_at > row.due_at else None,
        )  # fmt: skip
        for row in db.session.execute(query)
    ]
