"""The one clock of the application. Tests replace ``now`` to control time."""

from datetime import UTC, datetime


def now() -> datetime:
    """Current time in UTC, naive (stored as such on every database)."""
    return datetime.now(UTC).replace(tzinfo=None)
