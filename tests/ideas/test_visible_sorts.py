"""The list's counted orders have indexes of visible ideas only (0015_visible_sorts): a page by
number skips ideas in the index without reading each skipped idea's row. Which index a planner
picks depends on its statistics, so the effect is shown by the bench (page 2,501), not here."""

from __future__ import annotations

from sqlalchemy import text

from suggestions.core.extensions import db


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
