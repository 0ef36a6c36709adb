"""The list's counted orders have indexes of visible ideas only (0015_visible_sorts): a page by
number skips ideas in the index without reading each skipped idea's row."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from suggestions.core.extensions import db
from suggestions.ideas import queries


def _page_by_number_plan(sort: str) -> str:
    statement = queries._card_statement((False, False, False, False), sort, "down")
    compiled = statement.compile(db.engine)
    values = {"viewer": 1, "rows": 21, "cap": 1001, "offset": 40}
    parameters = [values.get(name, compiled.params.get(name)) for name in compiled.positiontup]
    raw = db.session.connection().connection.driver_connection
    return " | ".join(row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {compiled}", parameters))


def test_both_counted_orders_are_indexed_for_visible_ideas_only(app):
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            rows = db.session.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE name LIKE 'ix_ideas_visible_%'"
            )).all()  # fmt: skip
        else:
            rows = db.session.execute(text(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE indexname LIKE 'ix_ideas_visible_%'"
            )).all()  # fmt: skip
        found = {name: definition for name, definition in rows}
        assert set(found) == {"ix_ideas_visible_top", "ix_ideas_visible_discussed"}
        for definition in found.values():
            assert "hidden_reason IS NULL" in definition


def test_a_page_by_number_skips_in_the_visible_index(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL's planner picks by its tables' statistics: a test's few rows")
        assert "USING INDEX ix_ideas_visible_top" in _page_by_number_plan("top")
        assert "USING INDEX ix_ideas_visible_discussed" in _page_by_number_plan("discussed")
