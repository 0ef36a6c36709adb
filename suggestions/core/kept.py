"""Rows every request reads (the signed-in person, the organisation's settings; org/queries.py
keeps the department and category choices the same way), kept per process and checked against
one stamp per request.

The database holds one stamp (``stamps``, row 1). Triggers (migration 0013_stamp) raise it in
the same transaction as any change to the tables whose rows are kept here, whoever writes:
this app, a command, another worker or host, or SQL typed by hand. A request reads the stamp
once, and again after it wrote (a flush) or ended a transaction; a kept row is used while its
stamp is the stamp of now, else loaded again. So a person deactivated or given another role
in one worker is refused or re-ruled by every worker at their next request, and a settings
change applies everywhere at once.

A kept row is a detached copy that no session holds; each request gets its own copy of it,
attached to its session (``merge`` without a query), so a request may change the row as
before, and nothing a request does reaches another's. Without the stamp row (a database
emptied by hand) nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, g, has_request_context
from sqlalchemy import BigInteger, event, inspect
from sqlalchemy.orm import Mapped, make_transient_to_detached, mapped_column
from sqlalchemy.orm.attributes import set_committed_value

from .cache import fragments
from .extensions import db

T = TypeVar("T")

_MISSING = object()


class Stamp(db.Model):
    """Raised by triggers on every change to a table whose rows are kept per process."""

    __tablename__ = "stamps"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Set to a random number by each change: a change rolled back never comes back as the
    # stamp of another one (a counter would).
    version: Mapped[int] = mapped_column(BigInteger, default=0)


# The tables whose rows are kept: migration 0013_stamp puts its triggers on these.
STAMPED_TABLES = ("users", "departments", "categories", "org_settings", "decision_settings")


def stamp() -> int | None:
    """The stamp as this request sees it, read once per request and again after its own
    writes (outside a request, at every call: a worker's app context lasts for hours). None:
    there is no stamp row."""
    if has_request_context():
        seen = g.get("_stamp", _MISSING)
        if seen is not _MISSING:
            return seen
    version = _read_stamp()
    if has_request_context():
        g._stamp = version
    return version


def forget_stamp(*_args) -> None:
    """After a flush or at a transaction's end: what this request wrote (or what it may now
    see of others' commits) may have moved the stamp, so the next look reads it again."""
    if has_request_context():
        g.pop("_stamp", None)


def init_app(app: Flask) -> None:
    """The session tells the stamp when to be read again (one listener per process)."""
    for name in ("after_flush", "after_transaction_end"):
        if not event.contains(db.session, name, forget_stamp):
            event.listen(db.session, name, forget_stamp)


def _read_stamp() -> int | None:
    # A constant statement on the session's connection: its transaction, its snapshot.
    statement = "SELECT version FROM stamps WHERE id = 1"
    return db.session.connection().exec_driver_sql(statement).scalar()


class _Moved(Exception):
    """The stamp moved while a row was loaded: this request changed a stamped table."""


def kept_row(
    model: type[T], ident: int, load: Callable[[], T | None], related: tuple[str, ...] = ()
) -> T | None:
    """The ``model`` row with primary key ``ident`` (as ``load()`` returns it; None if there
    is none), attached to this request's session. Read from the database only when the stamp
    moved since this process last loaded it. ``related``: relationships ``load`` loads with
    the row, kept with it."""
    version = stamp()
    if version is None:
        return load()
    # A row the session holds already is at least as fresh, and may carry changes.
    held = db.session.identity_map.get(inspect(model).identity_key_from_primary_key((ident,)))
    if held is not None:
        return held
    loaded: list = []

    def snapshot():
        loaded.append(load())
        # Changed by this request itself (not committed, perhaps never): keep nothing.
        if _read_stamp() != version:
            raise _Moved
        return None if loaded[0] is None else _detached_copy(loaded[0], related)

    try:
        kept = fragments("kept rows").get((model.__name__, ident, version), snapshot)
    except _Moved:
        return loaded[0]
    if loaded:  # loaded just now: this request's own row, already in its session
        return loaded[0]
    return None if kept is None else db.session.merge(kept, load=False)


def _detached_copy(row, related: tuple[str, ...]):
    """A copy of the row's loaded columns (and of its ``related`` rows), in no session."""
    mapper = inspect(row).mapper
    copy = mapper.class_manager.new_instance()
    for column in mapper.column_attrs:
        set_committed_value(copy, column.key, getattr(row, column.key))
    make_transient_to_detached(copy)
    for name in related:
        other = getattr(row, name)
        set_committed_value(copy, name, None if other is None else _detached_copy(other, ()))
    return copy
