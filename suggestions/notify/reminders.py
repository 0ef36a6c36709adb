"""Reminders that no person's action triggers (``flask --app suggestions send-reminders``,
run hourly or daily from cron or a systemd timer):

- a commitment due within three days (its owner), and overdue (its owner and leadership);
- an idea waiting longer than the organisation's clock allows, for a first response or for a
  decision (the heads of its department), and after twice that time (leadership too).

Extension point: a *reminder source* is a function ``(moment) -> Iterable[Reminder]``
registered with ``@reminder_source``. Each reminder carries a key that names what it is about
and which step it is ("commitment:12:due-soon:2027-03-01", "idea:40:sla:first_response");
a key is sent once, ever, so the command may run as often as wanted, and a changed due date
reminds again. Recipients and wording come from the same tables as everything else
(rules.RULES, messages.MESSAGES).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..core import clock
from ..core.extensions import db
from ..ideas.models import Idea
from ..org.queries import org_settings
from ..workflow.clocks import clock as idea_clock
from ..workflow.clocks import overdue_clause
from ..workflow.models import Commitment, CommitmentState
from .models import ReminderLog
from .rules import Occurrence, deliver


@dataclass
class Reminder:
    key: str
    occurrence: Occurrence


DUE_SOON_DAYS = 3

ReminderSource = Callable[[datetime], Iterable[Reminder]]
SOURCES: list[ReminderSource] = []


def reminder_source(source: ReminderSource) -> ReminderSource:
    if source not in SOURCES:
        SOURCES.append(source)
    return source


PAGE = 500


def _not_sent(reminders: list[Reminder]) -> list[Reminder]:
    keys = [r.key for r in reminders]
    if not keys:
        return []
    sent = set(db.session.scalars(select(ReminderLog.key).where(ReminderLog.key.in_(keys))))
    return [r for r in reminders if r.key not in sent]


def _pages(query, id_column):
    """Rows of ``query`` in pages of PAGE by id: bounded memory at any size."""
    last = 0
    while True:
        rows = list(
            db.session.scalars(query.where(id_column > last).order_by(id_column).limit(PAGE))
        )
        if not rows:
            return
        yield rows
        last = rows[-1].id


@reminder_source
def commitments_due(moment: datetime) -> Iterable[Reminder]:
    today = clock.local_date(moment)
    query = (
        select(Commitment)
        .options(joinedload(Commitment.idea))
        .where(
            Commitment.state == CommitmentState.OPEN,
            Commitment.owner_id.is_not(None),
            Commitment.due_on <= today + timedelta(days=DUE_SOON_DAYS),
        )
    )
    for page in _pages(query, Commitment.id):
        batch = []
        for commitment in page:
            overdue = commitment.due_on < today
            step = "overdue" if overdue else "due-soon"
            batch.append(
                Reminder(
                    f"commitment:{commitment.id}:{step}:{commitment.due_on.isoformat()}",
                    Occurrence(
                        kind="commitment_overdue" if overdue else "commitment_due",
                        idea=commitment.idea,
                        owner_id=commitment.owner_id,
                        detail=commitment.promise,
                        department_id=commitment.department_id,
                    ),
                )
            )
        yield from _not_sent(batch)


@reminder_source
def ideas_waiting_too_long(moment: datetime) -> Iterable[Reminder]:
    """The heads hear once an idea's clock runs out; leadership too at twice the time."""
    settings = org_settings()
    twice = SimpleNamespace(
        first_response_days=2 * settings.first_response_days,
        decision_days=2 * settings.decision_days,
    )
    for stage, rules_settings, kind in (
        ("sla", settings, "sla_overdue"),
        ("sla-escalated", twice, "sla_overdue_escalated"),
    ):
        query = select(Idea).where(overdue_clause(rules_settings, moment))
        for page in _pages(query, Idea.id):
            batch = []
            for idea in page:
                waiting_for = idea_clock(idea, settings, moment).waiting_for or "decision"
                batch.append(
                    Reminder(
                        f"idea:{idea.id}:{stage}:{waiting_for}",
                        Occurrence(kind=kind, idea=idea),
                    )
                )
            yield from _not_sent(batch)


def send_reminders(moment: datetime | None = None) -> int:
    """Deliver every reminder not sent before. The caller commits."""
    moment = moment or clock.now()
    sent = 0
    for source in list(SOURCES):
        for reminder in source(moment):
            if db.session.scalar(select(ReminderLog.key).where(ReminderLog.key == reminder.key)):
                continue
            deliver(reminder.occurrence)
            db.session.add(ReminderLog(key=reminder.key[:120], sent_at=moment))
            db.session.flush()
            sent += 1
    return sent
