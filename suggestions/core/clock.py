"""The one clock of the application. Demo data and tests move it with ``travel_to``.

Moments are UTC, naive (stored as such on every database). Calendar rules (a due date, a
commitment kept or kept late, "due soon", the reminders, "this quarter") go by the day in the
organisation's time zone (``ORG_TIMEZONE``), not by the UTC date: between midnight and
01:00/02:00 in Berlin the UTC date is still yesterday. Ask ``today()`` for it, or
``local_date(moment)`` for the day of another moment.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

# Per thread (and per asyncio task): a block that travels moves its own clock only, so two
# threads travelling at once neither see nor undo each other's moment.
_offset: ContextVar[timedelta] = ContextVar("clock_offset", default=timedelta(0))


def _real_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def now() -> datetime:
    """Current time in UTC, naive (stored as such on every database)."""
    return _real_now() + _offset.get()


def zone() -> ZoneInfo:
    """The organisation's time zone (setting ``ORG_TIMEZONE``)."""
    return ZoneInfo(current_app.config["ORG_TIMEZONE"])


def local_date(moment: datetime) -> date:
    """The organisation's calendar day at ``moment`` (UTC, naive)."""
    return moment.replace(tzinfo=UTC).astimezone(zone()).date()


def today() -> date:
    """Today in the organisation's time zone: the day every calendar rule goes by."""
    return local_date(now())


@contextmanager
def travel_to(moment: datetime) -> Iterator[None]:
    """Run the block as if it were ``moment``: every rule that asks ``now()`` in this thread
    sees it (other threads keep their own clock)."""
    token = _offset.set(moment - _real_now())
    try:
        yield
    finally:
        _offset.reset(token)
