"""Migration 0011_ledger: up, down and up again on a database of its own (SQLite, or
PostgreSQL when TEST_DATABASE_URL is set), and its tables are what the models say."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from suggestions import create_app
from suggestions.core.extensions import db

from ..conftest import TEST_DATABASE_URL, _postgres_database, _test_config

TABLES = {"ledger_items", "idea_ledger_items", "ledger_changes", "impact_plans",
          "impact_measurements", "review_packs"}  # fmt: skip


def _differences() -> list:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    flat = []
    for entry in diff:
        flat.extend(entry if isinstance(entry, list) else [entry])
    mine = []
    for change in flat:
        names = {getattr(part, "name", None) for part in change[1:] if part is not None}
        table = getattr(change[-1], "table", None) if len(change) > 1 else None
        if (
            names & TABLES
            or (table is not None and table.name in TABLES)
            or (len(change) > 3 and change[2] in TABLES | {"outbox"})
        ):
            mine.append(change)
    return mine


def test_the_ledger_migration_goes_up_down_and_up(tmp_path):
    urls = _postgres_database() if TEST_DATABASE_URL else None
    url = next(urls) if urls else f"sqlite:///{tmp_path / 'migrate.sqlite'}"
    try:
        app = create_app(_test_config(url))
        with app.app_context():
            upgrade()
            assert _differences() == []
            downgrade(revision="0010_external_identity")
            with db.engine.connect() as conn:
                names = set(db.inspect(conn).get_table_names())
            assert not names & TABLES
            upgrade()
            with db.engine.connect() as conn:
                assert set(db.inspect(conn).get_table_names()) >= TABLES
            db.engine.dispose()
    finally:
        if urls:
            next(urls, None)
