"""Clocks: when a first response and a decision are due, and whether they are late.

Deadlines are computed from the submission time and the organisation's settings, never stored:
changing the settings changes every clock at once. ``now`` comes from ``core.clock`` so tests
control time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_

from ..core.clock import now
from ..ideas.models import Idea, IdeaStatus
from ..org.models import OrgSettings


@dataclass(frozen=True)
class Clock:
    waiting_for: str | None  # "first_response", "decision" or None (nothing is due)
    due: datetime | None
    days_waiting: int
    overdue: bool


def clock(idea: Idea, settings: OrgSettings, at: datetime | None = None) -> Clock:
    at = at or now()
    days = (at - idea.created_at).days
    if idea.status == IdeaStatus.NEW and idea.first_response_at is None:
        due = idea.created_at + timedelta(days=settings.first_response_days)
        return Clock("first_response", due, days, at > due)
    if idea.status in IdeaStatus.UNDECIDED:
        due = idea.created_at + timedelta(days=settings.decision_days)
        return Clock("decision", due, days, at > due)
    return Clock(None, None, days, False)


def overdue_clause(settings: OrgSettings, at: datetime | None = None) -> ColumnElement[bool]:
    """The SQL twin of ``clock(...).overdue``, for queues and list filters."""
    at = at or now()
    first_response_cutoff = at - timedelta(days=settings.first_response_days)
    decision_cutoff = at - timedelta(days=settings.decision_days)
    return or_(
        and_(
            Idea.status == IdeaStatus.NEW,
            Idea.first_response_at.is_(None),
            Idea.created_at < first_response_cutoff,
        ),
        and_(Idea.status.in_(IdeaStatus.UNDECIDED), Idea.created_at < decision_cutoff),
    )
