"""Reminders that no person's action triggers: commitments due in three days or overdue,
ideas waiting longer than their department's SLA (``flask --app suggestions send-reminders``,
run hourly or daily from cron or a systemd timer).

Extension point: a *reminder source* is a function ``(moment) -> Iterable[Reminder]``
registered with ``@reminder_source``. Each reminder carries a key that names what it is about
and which step it is ("commitment:12:due-soon", "idea:40:sla:first-response",
"idea:40:sla:first-response:escalated"); a key is sent once, ever, so the command may run as
often as wanted. The recipients and wording come from the same table as everything else
(rules.RULES: "commitment_due", "commitment_overdue", "sla_overdue",
"sla_overdue_escalated"; messages.MESSAGES).

The sources for commitments and SLA clocks are added with the workflow's commitments and
clocks (they read those models); until then no source is registered and the command reports
that nothing is due.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from .. import timeutil
from ..extensions import db
from .models import ReminderLog
from .rules import Occurrence, deliver


@dataclass
class Reminder:
    key: str
    occurrence: Occurrence


ReminderSource = Callable[[datetime], Iterable[Reminder]]
SOURCES: list[ReminderSource] = []


def reminder_source(source: ReminderSource) -> ReminderSource:
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def send_reminders(moment: datetime | None = None) -> int:
    """Deliver every reminder not sent before. The caller commits."""
    moment = moment or timeutil.now()
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
