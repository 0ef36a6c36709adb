"""Database plumbing shared by every domain: SQLite behaviour, dialect-aware inserts."""

from __future__ import annotations

import random
import re
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from flask import has_request_context
from sqlalchemy import Engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite

from .config import DEFAULTS
from .extensions import db

T = TypeVar("T")


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" event below decide how each transaction starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(_busy_timeout_ms())}")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    # A deferred transaction that writes after another connection committed fails with "database
    # is locked" at once, whatever busy_timeout says (34,230 such failures in 8 threads): so a
    # transaction writes only under BEGIN IMMEDIATE, which waits for the lock instead.
    # In a request the write lock is taken late, at the first write (see below): the user
    # look-up, the checks and the loading before it run deferred and never queue behind other
    # writers (WAL). Commands and workers take it up front, as they always did.
    if has_request_context():
        connection.exec_driver_sql("BEGIN")
        connection.info[_WRITE_LOCK] = False
    else:
        _begin_immediate(connection.connection.dbapi_connection)
        connection.info[_WRITE_LOCK] = True


@event.listens_for(Engine, "before_cursor_execute")
def _sqlite_take_write_lock(connection, cursor, statement, parameters, context, executemany):
    """The first write of a request's transaction ends its read-only part and starts a BEGIN
    IMMEDIATE one: the write lock is held from the first write to the commit, not for the whole
    request. Held through every request, it made 1 POST in 1,500 wait past busy_timeout and fail.

    What was read before is then as fresh as the start of the request, not of the write: the
    same as PostgreSQL's READ COMMITTED, which the rules already allow for (votes and counters
    change in SQL, an idea carries a version column, the outbox skips locked rows)."""
    if connection.info.get(_WRITE_LOCK, True) or not _is_write(statement):
        return
    connection.info[_WRITE_LOCK] = True
    dbapi_connection = connection.connection.dbapi_connection
    dbapi_connection.execute("COMMIT")  # nothing was written yet: this only ends the snapshot
    _begin_immediate(dbapi_connection)


# Statements that need the write lock. A savepoint too: the COMMIT that ends the read-only part
# would end a savepoint taken before it.
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT", "CREATE", "DROP", "ALTER")
_WRITE_IN_CTE = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_WRITE_LOCK = "freiraum_sqlite_write_lock"


def _is_write(statement: str) -> bool:
    head = statement.lstrip()[:9].upper()
    if head.startswith("WITH"):  # a CTE: a write if any part writes (a false alarm only locks)
        return _WRITE_IN_CTE.search(statement) is not None
    return head.startswith(_WRITES)


def _begin_immediate(dbapi_connection: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, and when the lock is still taken after busy_timeout, try again a few
    times after a short random pause. Nothing was written yet, so trying again is always safe;
    SQLite wakes its waiters in no particular order, and an unlucky one gets another turn
    instead of an error. After the last try the error goes up (a 503 page, "briefly
    unavailable", in a request)."""
    retries, pause = _lock_retry_settings()
    for attempt in range(retries + 1):
        try:
            dbapi_connection.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error) or attempt == retries:
                raise
            time.sleep(pause * (2**attempt) * (0.5 + random.random()))


def _lock_retry_settings() -> tuple[int, float]:
    from flask import current_app, has_app_context

    config = current_app.config if has_app_context() else DEFAULTS
    return config["SQLITE_LOCK_RETRIES"], config["SQLITE_LOCK_RETRY_PAUSE"]


def _busy_timeout_ms() -> int:
    from flask import current_app, has_app_context

    config = current_app.config if has_app_context() else DEFAULTS
    return config["SQLITE_BUSY_TIMEOUT_MS"]


def insert_ignoring_duplicates(table, dialect: str | None = None):
    """``INSERT ... ON CONFLICT DO NOTHING`` for the session's dialect (or the one named)."""
    dialect = dialect or dialect_name()
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).on_conflict_do_nothing()


def dialect_name() -> str:
    return db.session.get_bind().dialect.name


def prepared(build: Callable[[str], T]) -> Callable[[], T]:
    """A statement built once per dialect, with bind parameters for what changes per call.
    On the hot write paths (a vote) building a statement and working out its cache key cost
    more than running it; run through ``db.session.connection()``, it skips the ORM's
    execution steps as well, which a table statement does not need."""
    built: dict[str, T] = {}

    def statement() -> T:
        dialect = dialect_name()
        found = built.get(dialect)
        if found is None:
            found = built.setdefault(dialect, build(dialect))
        return found

    return statement


def commit_keeping_loaded() -> None:
    """Commit, and keep the objects loaded as they are: an answer drawn after the commit (the
    vote button) then needs no second read, and is drawn outside the write lock."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


# What "the database cannot be reached or used just now" looks like to SQLAlchemy: a server gone
# or refusing connections, a file that cannot be opened or written, a lock still taken after
# the retries, a pool with no free connection. Answered with a 503 page, never a 500.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.DisconnectionError,
    sa_exc.TimeoutError,
)
