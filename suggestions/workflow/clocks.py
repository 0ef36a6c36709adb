"""Clocks: when a first response and a decision are due, and whether they are late.

Deadlines are computed from the submission time, the idea's events and the organisation's
settings, never stored: changing the settings changes every clock at once. ``now`` comes from
``core.clock`` so tests control time.

Fair clocks:

- The decision clock stops while the idea waits for its author (``needs_info``) and runs on
  when the author answers: the due date moves by the time it waited. The pause is computed
  from the timeline (the events entering and leaving ``needs_info``).
- A declined idea that comes back on its revisit date starts its clocks again from that
  return (the ``revisited`` event): it is owed a fresh decision, not a late one, and pauses
  from before the return no longer count.
- The first response is the department's first step (a review, a question, a decision) or an
  official answer from a head or leader (``first_response_at``). An organisation that wants
  only decisions to count sets ``only_decisions_respond``: then the first-response clock runs
  until the idea is decided.

``overdue_clause`` is the SQL twin of ``clock(...).overdue``; tests keep them in step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import g, has_app_context
from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased

from ..core.clock import now
from ..core.extensions import db
from ..ideas.models import Idea, IdeaEvent, IdeaStatus
from ..org.models import OrgSettings

WAITING_FOR_AUTHOR = IdeaStatus.NEEDS_INFO
# The timeline's kind for "back in the queue on its revisit date" (workflow.declines).
RETURNED = "revisited"
EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True)
class Clock:
    waiting_for: str | None  # "first_response", "decision" or None (nothing is due)
    due: datetime | None
    days_waiting: int
    overdue: bool
    paused: timedelta = timedelta(0)  # time the decision clock stood still for the author
    paused_now: bool = False  # it stands still right now


def _only_decisions() -> bool:
    from .decision_settings import decision_settings

    return decision_settings().only_decisions_respond


def clock(
    idea: Idea,
    settings: OrgSettings,
    at: datetime | None = None,
    *,
    only_decisions: bool | None = None,
) -> Clock:
    at = at or now()
    only_decisions = _only_decisions() if only_decisions is None else only_decisions
    days = (at - idea.created_at).days
    if only_decisions:
        waits_for_response = idea.status in IdeaStatus.UNDECIDED and idea.decided_at is None
    else:
        waits_for_response = idea.status == IdeaStatus.NEW and idea.first_response_at is None
    if waits_for_response:
        # A new idea has never come back to the queue: no need to read its timeline.
        fresh = idea.status == IdeaStatus.NEW
        start = idea.created_at if fresh else _running(idea, at).start
        due = start + timedelta(days=settings.first_response_days)
        return Clock("first_response", due, (at - start).days, at > due)
    if idea.status in IdeaStatus.UNDECIDED:
        running = _running(idea, at)
        start, paused = running.start, running.paused
        due = start + timedelta(days=settings.decision_days) + paused
        return Clock("decision", due, (at - start - paused).days, at > due, paused,
                     idea.status == WAITING_FOR_AUTHOR)  # fmt: skip
    return Clock(None, None, days, False)


def page_clock():
    """``clock`` for the ideas of one page: the settings and the moment read once, not once
    per idea (a list page asks for twenty clocks)."""
    from ..org.queries import org_settings

    settings, at, only_decisions = org_settings(), now(), _only_decisions()
    return lambda idea: clock(idea, settings, at, only_decisions=only_decisions)


# -- the pause ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Running:
    start: datetime  # submission, or the latest return to the queue on a revisit date
    paused: timedelta  # time stood still for the author since then


def _pause_events(idea_ids: list[int]):
    """The events that start the clock again or pause it, in timeline order."""
    return (
        select(
            IdeaEvent.idea_id,
            IdeaEvent.from_status,
            IdeaEvent.to_status,
            IdeaEvent.created_at,
            IdeaEvent.kind,
        )  # fmt: skip
        .where(
            IdeaEvent.idea_id.in_(idea_ids),
            or_(
                IdeaEvent.to_status == WAITING_FOR_AUTHOR,
                IdeaEvent.from_status == WAITING_FOR_AUTHOR,
                IdeaEvent.kind == RETURNED,
            ),
        )
        .order_by(IdeaEvent.idea_id, IdeaEvent.id)
    )


def _sum_pauses(rows, status: str, at: datetime, start: datetime) -> Running:
    paused, entered = timedelta(0), None
    for _idea_id, from_status, to_status, created_at, kind in rows:
        if kind == RETURNED:  # a fresh clock: earlier pauses no longer count
            start, paused, entered = created_at, timedelta(0), None
        elif to_status == WAITING_FOR_AUTHOR and from_status != WAITING_FOR_AUTHOR:
            entered = created_at
        elif from_status == WAITING_FOR_AUTHOR and entered is not None:
            paused += created_at - entered
            entered = None
    if entered is not None and status == WAITING_FOR_AUTHOR:
        paused += at - entered
    return Running(start, paused)


def preload_pauses(ideas: Iterable[Idea]) -> None:
    """Read the pause events of a page of ideas in one query (a queue), for ``clock``."""
    ids = [idea.id for idea in ideas if idea.status in IdeaStatus.UNDECIDED]
    if not has_app_context():
        return
    # Asked even for a page without undecided ideas: a page costs the same queries always.
    cache = g.setdefault("_clock_pause_events", {})
    for idea_id in ids:
        cache.setdefault(idea_id, [])
    for row in db.session.execute(_pause_events(ids)):
        cache[row[0]].append(tuple(row))


def _running(idea: Idea, at: datetime) -> Running:
    cache = g.setdefault("_clock_pause_events", {}) if has_app_context() else {}
    rows = cache.get(idea.id)
    if rows is None:
        rows = [tuple(row) for row in db.session.execute(_pause_events([idea.id]))]
    return _sum_pauses(rows, idea.status, at, idea.created_at)


def decision_due_dates(
    ideas: Iterable[tuple[int, datetime, str]], decision_days: int, at: datetime
) -> dict[int, datetime]:
    """When each decision is or was due, for (id, submitted, status) rows: from the clock's
    start plus the decision days plus the pauses (as of ``at`` for an idea still waiting for
    its author). One query for all of them; a report's twin of ``clock(...).due``."""
    ideas = list(ideas)
    events: dict[int, list] = {idea_id: [] for idea_id, _created, _status in ideas}
    for start in range(0, len(ideas), 500):
        part = [idea_id for idea_id, _created, _status in ideas[start : start + 500]]
        for row in db.session.execute(_pause_events(part)):
            events[row[0]].append(tuple(row))
    dues = {}
    for idea_id, created_at, status in ideas:
        running = _sum_pauses(events[idea_id], status, at, created_at)
        dues[idea_id] = running.start + timedelta(days=decision_days) + running.paused
    return dues


def paused_time(idea: Idea, at: datetime | None = None) -> timedelta:
    return _running(idea, at or now()).paused


def clock_start(idea: Idea) -> datetime:
    """When the idea's clocks started: its submission, or its latest return to the queue."""
    return _running(idea, now()).start


# -- the SQL twin ------------------------------------------------------------------------------


def _epoch_seconds(column):
    """Seconds since 1970 of a stored (naive UTC) time, in the session's dialect."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", column)
    return (func.julianday(column) - 2440587.5) * 86400.0


def start_seconds_sql():
    """Seconds since 1970 of when the idea's clocks started: its submission, or its latest
    return to the queue (the SQL twin of ``clock_start``)."""
    return func.coalesce(_latest_return_seconds(), _epoch_seconds(Idea.created_at))


def _latest_return_seconds():
    returned = aliased(IdeaEvent)
    return (
        select(_epoch_seconds(returned.created_at))
        .where(returned.idea_id == Idea.id, returned.kind == RETURNED)
        .correlate(Idea)
        .order_by(returned.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _latest_return_id():
    returned = aliased(IdeaEvent)
    return (
        select(func.max(returned.id))
        .where(returned.idea_id == Idea.id, returned.kind == RETURNED)
        .correlate(Idea)
        .scalar_subquery()
    )


def paused_seconds_sql(at: datetime):
    """Correlated subquery over an idea's events: the seconds its decision clock stood still
    since it started. Entering and leaving ``needs_info`` alternate, so the pause is the sum of
    the leaving times minus the sum of the entering times, plus ``at`` while it still waits."""
    moment = (at - EPOCH).total_seconds()
    stamp = _epoch_seconds(IdeaEvent.created_at)
    enter = and_(
        IdeaEvent.to_status == WAITING_FOR_AUTHOR, IdeaEvent.from_status != WAITING_FOR_AUTHOR
    )
    leave = IdeaEvent.from_status == WAITING_FOR_AUTHOR
    signed = case((leave, stamp), (enter, -stamp), else_=0)
    total = (
        select(func.coalesce(func.sum(signed), 0))
        .where(IdeaEvent.idea_id == Idea.id, IdeaEvent.id > func.coalesce(_latest_return_id(), 0))
        .correlate(Idea)
        .scalar_subquery()
    )
    return total + case((Idea.status == WAITING_FOR_AUTHOR, literal(moment)), else_=0)


def overdue_clause(
    settings: OrgSettings, at: datetime | None = None, *, only_decisions: bool | None = None
) -> ColumnElement[bool]:
    """The SQL twin of ``clock(...).overdue``, for queues and list filters."""
    at = at or now()
    only_decisions = _only_decisions() if only_decisions is None else only_decisions
    first_response_cutoff = at - timedelta(days=settings.first_response_days)
    decision_cutoff = at - timedelta(days=settings.decision_days)
    if only_decisions:
        waits_for_response = and_(Idea.status.in_(IdeaStatus.UNDECIDED), Idea.decided_at.is_(None))
    else:
        waits_for_response = and_(Idea.status == IdeaStatus.NEW, Idea.first_response_at.is_(None))
    response_seconds = (first_response_cutoff - EPOCH).total_seconds()
    cutoff_seconds = (decision_cutoff - EPOCH).total_seconds()
    # The index on the submission time narrows to ideas old enough (a clock never starts
    # before the submission); the timeline is read for those alone.
    started = start_seconds_sql()
    return or_(
        and_(
            waits_for_response,
            Idea.created_at < first_response_cutoff,
            or_(Idea.status == IdeaStatus.NEW, started < response_seconds),
        ),
        and_(
            ~waits_for_response,
            Idea.status.in_(IdeaStatus.UNDECIDED),
            Idea.created_at < decision_cutoff,
            started + paused_seconds_sql(at) < cutoff_seconds,
        ),
    )
