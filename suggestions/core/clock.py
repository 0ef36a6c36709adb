"""The one clock of the application. Demo data and tests move it with ``travel_to``."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

_offset = timedelta(0)


def _real_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def now() -> datetime:
    """Current time in UTC, naive (stored as such on every database)."""
    return _real_now() + _offset


@contextmanager
def travel_to(moment: datetime) -> Iterator[None]:
    """Run the block as if it were ``moment``: every rule that asks ``now()`` sees it."""
    global _offset
    previous = _offset
    _offset = moment - _real_now()
    try:
        yield
    finally:
        _offset = previous
