"""The read side of the workflow: triage queues, commitments and their figures. Bounded."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from ..auth.models import User
from ..core.clock import today as clock_today
from ..core.extensions import db
from ..core.inputs import bounded_int
from ..ideas.models import Idea, IdeaStatus, publicly_visible
from ..org.models import Department
from ..org.queries import has_acting_head, org_settings
from .breadth import guaranteed_clause
from .clocks import overdue_clause
from .models import Commitment, CommitmentState, CommitmentUpdate

QUEUE_PAGE_SIZE = 50
COMMITMENTS_PAGE_SIZE = 30
DUE_SOON_DAYS = 14
UPDATES_SHOWN = 20


def leadership_decides():
    """SQL over ideas: leadership decides (handed on, or no acting head of the department).
    The SQL form of ``lifecycle.authority``, for the queues."""
    return Idea.escalated_at.is_not(None) | ~has_acting_head(Idea.owning_department_id)


def open_commitment(idea: Idea) -> Commitment | None:
    query = select(Commitment).where(
        Commitment.idea_id == idea.id, Commitment.state == CommitmentState.OPEN
    )
    return db.session.scalar(query.order_by(Commitment.id.desc()).limit(1))


def commitments_of(idea: Idea) -> list[Commitment]:
    """Every promise made for the idea, newest first, with its owner and latest updates."""
    query = (
        select(Commitment)
        .where(Commitment.idea_id == idea.id)
        .options(joinedload(Commitment.owner), joinedload(Commitment.accountable))
        .order_by(Commitment.id.desc())
        .limit(10)
    )
    return list(db.session.scalars(query))


def updates_of(commitment_ids: list[int]) -> dict[int, list[CommitmentUpdate]]:
    if not commitment_ids:
        return {}
    query = (
        select(CommitmentUpdate)
        .where(CommitmentUpdate.commitment_id.in_(commitment_ids))
        .options(joinedload(CommitmentUpdate.author))
        .order_by(CommitmentUpdate.id.desc())
        .limit(UPDATES_SHOWN * len(commitment_ids))
    )
    grouped: dict[int, list[CommitmentUpdate]] = {i: [] for i in commitment_ids}
    for row in db.session.scalars(query):
        grouped[row.commitment_id].append(row)
    return grouped


# -- triage queues ------------------------------------------------------------------------------


@dataclass
class QueuePage:
    items: list[Idea]
    page: int
    has_next: bool
    overdue_count: int  # overdue ideas in the whole queue, capped
    capped: bool


def _queue(query: Select, page: int, sort: str = "due") -> QueuePage:
    settings = org_settings()
    overdue = overdue_clause(settings)
    cap = 1000
    overdue_count = db.session.scalar(
        select(func.count()).select_from(
            query.where(overdue).with_only_columns(Idea.id).limit(cap + 1).subquery()
        )
    )
    if sort == "score":  # the scorecards' average, best first; unscored last
        from .scorecards import summary_subquery

        scores = summary_subquery()
        query = query.outerjoin(scores, scores.c.idea_id == Idea.id).order_by(
            scores.c.average.desc().nulls_last()
        )
    # Overdue first, then new ones waiting for a first response, each oldest first.
    ordered = query.order_by(
        case((overdue, 0), else_=1), case((Idea.status == "new", 0), else_=1), Idea.created_at,
        Idea.id,
    )  # fmt: skip
    rows = list(
        db.session.scalars(
            ordered.options(joinedload(Idea.owning_department), joinedload(Idea.category))
            .limit(QUEUE_PAGE_SIZE + 1)
            .offset((page - 1) * QUEUE_PAGE_SIZE)
        )
    )
    return QueuePage(
        items=rows[:QUEUE_PAGE_SIZE],
        page=page,
        has_next=len(rows) > QUEUE_PAGE_SIZE,
        overdue_count=min(overdue_count, cap),
        capped=overdue_count > cap,
    )


def department_queue(department_ids: list[int], page: int = 1, sort: str = "due") -> QueuePage:
    """Ideas of these departments that wait for the department: not handed to leadership."""
    query = select(Idea).where(
        Idea.owning_department_id.in_(department_ids or [-1]),
        Idea.status.in_(IdeaStatus.UNDECIDED),
        Idea.escalated_at.is_(None),
        publicly_visible(),  # held for approval or hidden: nobody's to answer yet
    )
    return _queue(query, page, sort)


def leadership_queue(page: int = 1, sort: str = "due") -> QueuePage:
    """Ideas waiting for a leadership decision: handed on, their department has no head, or
    supported across enough departments (the breadth guarantee)."""
    # And those whose support is broad enough that leadership owes them an answer.
    query = select(Idea).where(
        Idea.status.in_(IdeaStatus.UNDECIDED),
        leadership_decides() | guaranteed_clause(),
        publicly_visible(),
    )
    return _queue(query, page)


def overdue_everywhere(page: int = 1, sort: str = "due") -> QueuePage:
    """Everything overdue across departments, for leadership."""
    query = select(Idea).where(overdue_clause(org_settings()), publicly_visible())
    return _queue(query, page, sort)


def delivery_queue(department_ids: list[int] | None, owner: User | None) -> list[Commitment]:
    """Open commitments to deliver: the department's, or the person's, earliest due first."""
    query = (
        select(Commitment)
        .where(Commitment.state == CommitmentState.OPEN)
        .options(joinedload(Commitment.idea), joinedload(Commitment.owner))
        .order_by(Commitment.due_on, Commitment.id)
        .limit(QUEUE_PAGE_SIZE)
    )
    if department_ids is not None:
        query = query.where(
            (Commitment.department_id.in_(department_ids or [-1]))
            | (Commitment.owner_id == (owner.id if owner else -1))
        )
    return list(db.session.scalars(query))


# -- the public commitments page ----------------------------------------------------------------

VIEWS = ("all", "open", "due_soon", "overdue", "kept", "kept_late", "broken")


@dataclass
class CommitmentFilter:
    view: str = "all"
    department_id: int | None = None
    owner_id: int | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> CommitmentFilter:
        view = args.get("view")
        return cls(
            view=view if view in VIEWS else "all",
            department_id=args.get("department", type=bounded_int),
            owner_id=args.get("owner", type=bounded_int),
            page=max(1, min(args.get("page", 1, type=bounded_int) or 1, 100_000)),
        )

    def query_args(self, **changes) -> dict:
        values = {
            "view": self.view if self.view != "all" else None,
            "department": self.department_id,
            "owner": self.owner_id,
            "page": self.page if self.page != 1 else None,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v is not None and (k, v) != ("page", 1)}


@dataclass
class CommitmentSummary:
    open: int
    due_soon: int
    overdue: int
    kept: int
    kept_late: int
    broken: int

    @property
    def due_so_far(self) -> int:
        """Promises whose day has come: ended ones, and open ones already late."""
        return self.kept + self.kept_late + self.broken + self.overdue

    @property
    def kept_on_time_rate(self) -> float | None:
        return self.kept / self.due_so_far if self.due_so_far else None


def _scoped(query: Select, f: CommitmentFilter) -> Select:
    if f.department_id:
        query = query.where(Commitment.department_id == f.department_id)
    if f.owner_id:
        query = query.where(Commitment.owner_id == f.owner_id)
    return query


def commitment_summary(f: CommitmentFilter, today: date | None = None) -> CommitmentSummary:
    """All the page's figures in one grouped query over the (state, due_on) index."""
    today = today or clock_today()
    soon = today + timedelta(days=DUE_SOON_DAYS)
    is_open = Commitment.state == CommitmentState.OPEN
    query = _scoped(
        select(
            func.count().filter(is_open),
            func.count().filter(is_open, Commitment.due_on >= today, Commitment.due_on <= soon),
            func.count().filter(is_open, Commitment.due_on < today),
            func.count().filter(Commitment.state == CommitmentState.KEPT),
            func.count().filter(Commitment.state == CommitmentState.KEPT_LATE),
            func.count().filter(Commitment.state == CommitmentState.BROKEN),
        ).select_from(Commitment),
        f,
    )
    return CommitmentSummary(*db.session.execute(query).one())


@dataclass
class CommitmentPage:
    items: list[Commitment]
    page: int
    pages: int
    total: int


def list_commitments(f: CommitmentFilter, summary: CommitmentSummary) -> CommitmentPage:
    today = clock_today()
    query = _scoped(select(Commitment), f)
    if f.view in ("open", "due_soon", "overdue"):
        query = query.where(Commitment.state == CommitmentState.OPEN)
    if f.view == "due_soon":
        query = query.where(
            Commitment.due_on >= today, Commitment.due_on <= today + timedelta(days=DUE_SOON_DAYS)
        )
    elif f.view == "overdue":
        query = query.where(Commitment.due_on < today)
    elif f.view in ("kept", "kept_late", "broken"):
        query = query.where(Commitment.state == f.view)
    totals = {
        "all": summary.open + summary.kept + summary.kept_late + summary.broken,
        "open": summary.open, "due_soon": summary.due_soon, "overdue": summary.overdue,
        "kept": summary.kept, "kept_late": summary.kept_late, "broken": summary.broken,
    }  # fmt: skip
    total = totals[f.view]
    pages = max(1, math.ceil(total / COMMITMENTS_PAGE_SIZE))
    page = min(f.page, pages)
    # Open promises by due date (the most urgent first), closed ones by when they ended.
    order = (
        (Commitment.due_on, Commitment.id)
        if f.view in ("open", "due_soon", "overdue")
        else (Commitment.id.desc(),)
    )
    items = list(
        db.session.scalars(
            query.options(
                joinedload(Commitment.owner),
                joinedload(Commitment.accountable),
                joinedload(Commitment.idea).joinedload(Idea.owning_department),
            )
            .order_by(*order)
            .limit(COMMITMENTS_PAGE_SIZE)
            .offset((page - 1) * COMMITMENTS_PAGE_SIZE)
        )
    )
    return CommitmentPage(items=items, page=page, pages=pages, total=total)


def owner_choices() -> list[tuple[int, str]]:
    """People who own at least one commitment (bounded), for the filter."""
    owners = (
        select(User)
        .where(User.id.in_(select(Commitment.owner_id).distinct()))
        .order_by(User.display_name)
        .limit(500)
    )
    return [(u.id, u.display_name) for u in db.session.scalars(owners)]


def departments_by_id(ids: list[int]) -> list[Department]:
    query = select(Department).where(Department.id.in_(ids)).options(selectinload(Department.heads))
    return list(db.session.scalars(query))
