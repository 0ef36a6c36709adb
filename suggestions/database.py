"""Database plumbing shared by every domain: SQLite behaviour, dialect-aware inserts."""

from __future__ import annotations

import sqlite3

from flask import has_request_context, request
from sqlalchemy import Engine, event
from sqlalchemy.dialects import postgresql, sqlite

from .extensions import db

_WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


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
    # A deferred transaction that later writes can fail with "database is locked" instead of
    # waiting; IMMEDIATE takes the write lock up front and waits for it (busy_timeout).
    # Page views only read, so they start deferred and never queue behind writers (WAL).
    if has_request_context() and request.method not in _WRITE_METHODS:
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _busy_timeout_ms() -> int:
    from flask import current_app, has_app_context

    if has_app_context():
        return current_app.config.get("SQLITE_BUSY_TIMEOUT_MS", 5000)
    return 5000


def insert_ignoring_duplicates(table):
    """``INSERT ... ON CONFLICT DO NOTHING`` for the session's dialect."""
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).on_conflict_do_nothing()
