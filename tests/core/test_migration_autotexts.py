"""Migration 0012_autotexts on a database of its own (SQLite, or PostgreSQL when
TEST_DATABASE_URL is set): escalations that stored their sentence in English or German get
the key, a person's own note stays; down and up again."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from suggestions import create_app
from suggestions.core.extensions import db

from ..conftest import TEST_DATABASE_URL, _postgres_database, _test_config

ROWS = [  # (kind, note) as 0011 stored them
    ("escalated", "Above the department's decision budget."),
    ("escalated", "Über dem Entscheidungsbudget der Abteilung."),
    ("escalated", "A question of policy."),
]


def test_stored_sentences_become_keys_and_own_notes_stay(tmp_path):
    urls = _postgres_database() if TEST_DATABASE_URL else None
    url = next(urls) if urls else f"sqlite:///{tmp_path / 'migrate.sqlite'}"
    try:
        app = create_app(_test_config(url))
        with app.app_context():
            upgrade(revision="0011_governance")
            with db.engine.begin() as conn:
                conn.execute(text(
                    "INSERT INTO departments (id, name, created_at) "
                    "VALUES (1, 'Service', '2026-01-01')"
                ))  # fmt: skip
                conn.execute(text(
                    "INSERT INTO categories (id, name_en, name_de, position, active) "
                    "VALUES (1, 'Tools', 'Werkzeuge', 1, true)"
                ))  # fmt: skip
                conn.execute(text(
                    "INSERT INTO ideas (id, title, problem, proposal, benefit, category_id, "
                    "owning_department_id, is_anonymous, customer_facing, status, vote_count, "
                    "comment_count, version, created_at, updated_at, status_changed_at) "
                    "VALUES (1, 't', 'p', 'q', 'b', 1, 1, false, false, 'in_review', 0, 0, 1, "
                    "'2026-01-01', '2026-01-01', '2026-01-01')"
                ))  # fmt: skip
                for number, (kind, note) in enumerate(ROWS, start=1):
                    conn.execute(
                        text("INSERT INTO idea_events (id, idea_id, kind, note, created_at) "
                             "VALUES (:id, 1, :kind, :note, '2026-01-02')"),
                        {"id": number, "kind": kind, "note": note},
                    )  # fmt: skip
            upgrade()
            with db.engine.connect() as conn:
                rows = conn.execute(text("SELECT note, note_key FROM idea_events ORDER BY id"))
                assert rows.all() == [
                    (None, "above_budget"), (None, "above_budget"),
                    ("A question of policy.", None),
                ]  # fmt: skip
            downgrade(revision="0011_governance")
            with db.engine.connect() as conn:
                notes = conn.scalars(text("SELECT note FROM idea_events ORDER BY id")).all()
            assert notes[0] == notes[1] == "Above the department's decision budget."
            upgrade()
            db.engine.dispose()
    finally:
        if urls:
            next(urls, None)
