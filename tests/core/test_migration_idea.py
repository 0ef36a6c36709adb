"""Migration 0014_idea on a database of its own (SQLite, or PostgreSQL when TEST_DATABASE_URL
is set): ideas and comments written before it get their cleaned HTML, the same that
core.text.stored_markdown makes when a text is written; down and up again."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from suggestions import create_app
from suggestions.core.extensions import db
from suggestions.core.text import stored_markdown

from ..conftest import TEST_DATABASE_URL, _postgres_database, _test_config

PROBLEMS = ["**Three** signatures", "Ask <script>alert(1)</script> [x](javascript:alert(2))",
            "# A heading\n\n- one\n- two"]  # fmt: skip


def test_texts_written_before_get_their_cleaned_html(tmp_path):
    urls = _postgres_database() if TEST_DATABASE_URL else None
    url = next(urls) if urls else f"sqlite:///{tmp_path / 'migrate.sqlite'}"
    try:
        app = create_app(_test_config(url))
        with app.app_context():
            upgrade(revision="0013_stamp")
            with db.engine.begin() as conn:
                conn.execute(text(
                    "INSERT INTO departments (id, name, created_at) "
                    "VALUES (1, 'Service', '2026-01-01')"
                ))  # fmt: skip
                conn.execute(text(
                    "INSERT INTO categories (id, name_en, name_de, position, active) "
                    "VALUES (1, 'Tools', 'Werkzeuge', 1, true)"
                ))  # fmt: skip
                for number, problem in enumerate(PROBLEMS, start=1):
                    conn.execute(
                        text("INSERT INTO ideas (id, title, problem, proposal, benefit, "
                             "category_id, owning_department_id, is_anonymous, customer_facing, "
                             "status, vote_count, comment_count, version, created_at, "
                             "updated_at, status_changed_at) VALUES (:id, 't', :problem, "
                             "'_q_', 'b', 1, 1, false, false, 'new', 0, 1, 1, '2026-01-01', "
                             "'2026-01-01', '2026-01-01')"),
                        {"id": number, "problem": problem},
                    )  # fmt: skip
                    conn.execute(
                        text("INSERT INTO comments (id, idea_id, body, is_official, "
                             "by_anonymous_author, created_at) VALUES (:id, :id, :body, false, "
                             "false, '2026-01-02')"),
                        {"id": number, "body": problem + " too"},
                    )  # fmt: skip
            upgrade()
            with db.engine.connect() as conn:
                ideas = conn.execute(text(
                    "SELECT problem, problem_html, proposal_html, benefit_html FROM ideas "
                    "ORDER BY id"
                )).all()  # fmt: skip
                comments = conn.execute(
                    text("SELECT body, body_html FROM comments ORDER BY id")
                ).all()
            assert [row.problem_html for row in ideas] == [stored_markdown(p) for p in PROBLEMS]
            assert ideas[0].problem_html == "<p><strong>Three</strong> signatures</p>\n"
            assert "<script" not in ideas[1].problem_html and "href" not in ideas[1].problem_html
            assert {(row.proposal_html, row.benefit_html) for row in ideas} == {
                ("<p><em>q</em></p>\n", "<p>b</p>\n")
            }
            assert [row.body_html for row in comments] == [
                stored_markdown(p + " too") for p in PROBLEMS
            ]
            downgrade(revision="0013_stamp")
            columns = {c["name"] for c in inspect(db.engine).get_columns("comments")}
            assert "body_html" not in columns and "body" in columns
            with db.engine.connect() as conn:  # nothing that cascades from ideas is lost
                assert conn.scalar(text("SELECT count(*) FROM comments")) == len(PROBLEMS)
            upgrade()
            db.engine.dispose()
    finally:
        if urls:
            next(urls, None)
