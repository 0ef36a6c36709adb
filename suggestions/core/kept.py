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

Values about one person (the bell's unread count) follow the person's own stamp
(``person_stamps``, moved by triggers on rows that belong to them: migration 0014_fixed), read
in the same statement as the stamp once the user loader names the person (``watch_person``):
a change for one person ends only their kept values, and costs nobody a statement.
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


class PersonStamp(db.Model):
    """One person's stamp, raised by triggers on every change to a row that belongs to them.
    No row: nothing of theirs changed since the stamps began (a change inserts it)."""

    __tablename__ = "person_stamps"

    user_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


# The tables whose rows belong to one person (by ``user_id``): 0014_fixed's triggers.
PERSON_STAMPED_TABLES = ("notifications",)


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


def watch_person(user_id: int) -> None:
    """Read this person's stamp with the stamp from now on in this request (the user loader
    calls it with the signed-in person, before the first look at the stamp)."""
    if has_request_context() and g.get("_stamp_person") != user_id:
        g._stamp_person = user_id
        g.pop("_stamp", None)  # read already without the person: read both next time


def person_stamp(user_id: int) -> int | None:
    """The person's stamp as this request sees it (with the stamp, in the same statement, for
    the watched person; else on its own). None: nothing of theirs changed yet."""
    if has_request_context() and g.get("_stamp_person") == user_id:
        stamp()
        return g._person_stamp
    statement = f"SELECT version FROM person_stamps WHERE user_id = {int(user_id)}"
    return db.session.connection().exec_driver_sql(statement).scalar()


def _read_stamp() -> int | None:
    # A constant statement on the session's connection: its transaction, its snapshot.
    person = g.get("_stamp_person") if has_request_context() else None
    if person is None:
        statement = "SELECT version FROM stamps WHERE id = 1"
        return db.session.connection().exec_driver_sql(statement).scalar()
    # One statement per person (their id is a number the loader parsed, never text).
    statement = (
        "SELECT s.version, p.version FROM stamps s LEFT JOIN person_stamps p "
        f"ON p.user_id = {int(person)} WHERE s.id = 1"
    )
    row = db.session.connection().exec_driver_sql(statement).first()
    g._person_stamp = None if row is None else row[1]
    return None if row is None else row[0]


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


def kept_for_person(name: str, user_id: int, load: Callable[[], T]) -> T:
    """``load()``, a value about one person (made of rows of ``PERSON_STAMPED_TABLES``), kept
    per process in the store ``name`` while the person's stamp stands."""
    if stamp() is None:
        return load()
    version = person_stamp(user_id)
    loaded: list = []

    def snapshot():
        loaded.append(load())
        # Changed by this request itself (not committed, perhaps never): keep nothing.
        forget_stamp()
        if person_stamp(user_id) != version:
            raise _Moved
        return loaded[0]

    try:
        return fragments(name).get((user_id, version), snapshot)
    except _Moved:
        return loaded[0]


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
