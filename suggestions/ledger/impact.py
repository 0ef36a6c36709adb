"""Measured impact: the baseline and target recorded at acceptance, the hours saved per year
they project, and the figures measured 30 and 90 days after go-live.

Hours per year = (minutes per case x cases per month, before minus after) x 12 / 60.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _
from sqlalchemy import exists, func, select

from ..auth.models import User
from ..core.clock import now
from ..core.database import insert_ignoring_duplicates
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.signals import measurement_requested
from ..ideas.models import Idea, IdeaStatus
from ..org.models import Department
from ..policy import require
from ..workflow.models import Commitment
from .models import ImpactPlan, LedgerItem, Measurement
from .rules import linked_item_ids

MEASURE_AFTER_DAYS = (30, 90)
FIGURE_MAX = 10_000_000  # a sane ceiling for minutes and cases


def hours_per_year(
    minutes_before: int, cases_before: int, minutes_after: int, cases_after: int
) -> float:
    return (minutes_before * cases_before - minutes_after * cases_after) * 12 / 60


def projected_hours(plan: ImpactPlan) -> float:
    return hours_per_year(
        plan.baseline_minutes, plan.baseline_cases, plan.target_minutes, plan.target_cases
    )


def measured_hours(plan: ImpactPlan, measurement: Measurement) -> float:
    return hours_per_year(
        plan.baseline_minutes, plan.baseline_cases,
        measurement.minutes_per_case, measurement.cases_per_month,
    )  # fmt: skip


@dataclass
class Figures:
    minutes_per_case: int
    cases_per_month: int
    handoffs: int = 0
    signatures: int = 0


def _check_figures(figures: Figures) -> None:
    for value in (figures.minutes_per_case, figures.cases_per_month, figures.handoffs,
                  figures.signatures):  # fmt: skip
        if value is None or value < 0 or value > FIGURE_MAX:
            raise DomainError(_("Please enter whole numbers of zero or more."))


def record_plan(
    idea: Idea, actor: User, baseline: Figures, target: Figures, item: LedgerItem | None = None
) -> ImpactPlan:
    """Baseline and target for one touched item (or the idea as a whole). Recording again for
    the same item replaces the figures: the head corrects an estimate."""
    require(actor, "impact.plan", idea)
    _check_figures(baseline)
    _check_figures(target)
    if item is not None and item.id not in linked_item_ids(idea):
        raise DomainError(_("This idea does not name that ledger item."))
    query = select(ImpactPlan).where(ImpactPlan.idea_id == idea.id)
    query = query.where(
        ImpactPlan.item_id == item.id if item is not None else ImpactPlan.item_id.is_(None)
    )
    plan = db.session.scalar(query.limit(1))
    if plan is None:
        plan = ImpactPlan(idea_id=idea.id, item_id=item.id if item else None, created_at=now())
        db.session.add(plan)
    plan.baseline_minutes, plan.baseline_cases = baseline.minutes_per_case, baseline.cases_per_month
    plan.baseline_handoffs, plan.baseline_signatures = baseline.handoffs, baseline.signatures
    plan.target_minutes, plan.target_cases = target.minutes_per_case, target.cases_per_month
    plan.target_handoffs, plan.target_signatures = target.handoffs, target.signatures
    plan.recorded_by_id = actor.id
    return plan


def record_measurement(measurement: Measurement, actor: User, figures: Figures) -> None:
    require(actor, "impact.measure", measurement)
    _check_figures(figures)
    measurement.minutes_per_case = figures.minutes_per_case
    measurement.cases_per_month = figures.cases_per_month
    measurement.handoffs = figures.handoffs
    measurement.signatures = figures.signatures
    measurement.recorded_at = now()
    measurement.recorded_by_id = actor.id


def commitment_owner_id(idea: Idea) -> int | None:
    """Who promised the change: the owner of the idea's latest commitment."""
    query = select(Commitment.owner_id).where(Commitment.idea_id == idea.id)
    return db.session.scalar(query.order_by(Commitment.id.desc()).limit(1))


def ask_for_measurements(at: datetime | None = None, batch: int = 500) -> int:
    """Ask the commitment owners of implemented ideas for the actual figures, 30 and 90 days
    after go-live: one queue entry per plan and day count, one notification per idea and day
    count. Idempotent: run it as often as you like. Returns the number of entries made."""
    today = (at or now()).date()
    made = 0
    for days in MEASURE_AFTER_DAYS:
        cutoff = today - timedelta(days=days)
        while True:
            asked = exists().where(
                Measurement.plan_id == ImpactPlan.id, Measurement.after_days == days
            )
            rows = db.session.execute(
                select(
                    ImpactPlan.id,
                    ImpactPlan.idea_id,
                    Idea.implemented_on,
                    ImpactPlan.recorded_by_id,
                )
                .join(Idea, Idea.id == ImpactPlan.idea_id)
                .where(
                    Idea.status == IdeaStatus.IMPLEMENTED,
                    Idea.implemented_on.is_not(None),
                    Idea.implemented_on <= cutoff,
                    ~asked,
                )
                .order_by(ImpactPlan.id)
                .limit(batch)
            ).all()
            if not rows:
                break
            told: set[int] = set()
            for plan_id, idea_id, implemented_on, recorded_by in rows:
                idea = db.session.get(Idea, idea_id)
                owner = commitment_owner_id(idea) or recorded_by
                result = db.session.execute(
                    insert_ignoring_duplicates(Measurement).values(
                        plan_id=plan_id, idea_id=idea_id, after_days=days, owner_id=owner,
                        due_on=implemented_on + timedelta(days=days), requested_at=now(),
                    )
                )  # fmt: skip
                if result.rowcount:
                    made += 1
                    if owner and idea_id not in told:
                        told.add(idea_id)
                        measurement_requested.send(idea=idea, owner_id=owner, after_days=days)
            if len(rows) < batch:
                break
    return made


def open_measurements(user: User, limit: int = 100) -> list[Measurement]:
    """The person's queue: figures they were asked for and have not recorded yet."""
    from sqlalchemy.orm import joinedload

    query = (
        select(Measurement)
        .where(Measurement.owner_id == user.id, Measurement.recorded_at.is_(None))
        .options(
            joinedload(Measurement.idea), joinedload(Measurement.plan).joinedload(ImpactPlan.item)
        )
        .order_by(Measurement.due_on, Measurement.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


@dataclass
class PlanView:
    plan: ImpactPlan
    projected: float
    measurements: list[Measurement]

    @property
    def latest(self) -> Measurement | None:
        done = [m for m in self.measurements if m.recorded_at is not None]
        return max(done, key=lambda m: m.after_days) if done else None

    @property
    def measured(self) -> float | None:
        latest = self.latest
        return measured_hours(self.plan, latest) if latest else None


def plans_of(idea: Idea) -> list[PlanView]:
    from sqlalchemy.orm import joinedload

    plans = list(
        db.session.scalars(
            select(ImpactPlan).where(ImpactPlan.idea_id == idea.id)
            .options(joinedload(ImpactPlan.item)).order_by(ImpactPlan.id).limit(50)
        )
    )  # fmt: skip
    by_plan: dict[int, list[Measurement]] = {p.id: [] for p in plans}
    if plans:
        query = (
            select(Measurement)
            .where(Measurement.plan_id.in_(by_plan))
            .order_by(Measurement.after_days)
        )
        for m in db.session.scalars(query):
            by_plan[m.plan_id].append(m)
    return [PlanView(p, projected_hours(p), by_plan[p.id]) for p in plans]


def idea_totals(views: Sequence[PlanView]) -> tuple[float, float | None]:
    """Projected and measured hours per year of an idea (measured: None until any is)."""
    projected = sum(v.projected for v in views)
    measured = [v.measured for v in views if v.measured is not None]
    return projected, (sum(measured) if measured else None)


def _latest_measurement():
    """Per plan, the latest recorded measurement (90 days over 30)."""
    ranked = (
        select(
            Measurement.plan_id,
            Measurement.minutes_per_case,
            Measurement.cases_per_month,
            func.row_number()
            .over(partition_by=Measurement.plan_id, order_by=Measurement.after_days.desc())
            .label("rank"),
        )
        .where(Measurement.recorded_at.is_not(None))
        .subquery()
    )
    return select(ranked).where(ranked.c.rank == 1).subquery()


def hours_by_department(
    departments: Sequence[int] | None = None,
    *,
    until: date | None = None,
    since: date | None = None,
) -> list[tuple[str, float, float]]:
    """(department name, projected, measured) hours per year of implemented ideas, by the idea's
    owning department; measured counts only plans with a recorded figure. One query,
    grouped in the database."""
    latest = _latest_measurement()
    base = ImpactPlan.baseline_minutes * ImpactPlan.baseline_cases
    projected = func.sum(base - ImpactPlan.target_minutes * ImpactPlan.target_cases)
    measured = func.sum(base - latest.c.minutes_per_case * latest.c.cases_per_month)
    query = (
        select(Department.name, projected, measured)
        .join(Idea, Idea.id == ImpactPlan.idea_id)
        .join(Department, Department.id == Idea.owning_department_id)
        .outerjoin(latest, latest.c.plan_id == ImpactPlan.id)
        .where(Idea.status == IdeaStatus.IMPLEMENTED)
        .group_by(Department.id, Department.name)
        .order_by(Department.name)
    )
    if departments is not None:
        query = query.where(Idea.owning_department_id.in_(tuple(departments) or (-1,)))
    if until is not None:
        query = query.where(Idea.implemented_on <= until)
    if since is not None:
        query = query.where(Idea.implemented_on >= since)
    return [
        (dept, (p or 0) * 12 / 60, (m or 0) * 12 / 60) for dept, p, m in db.session.execute(query)
    ]
