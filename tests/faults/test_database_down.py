"""With the database gone, every page answers at once with the branded 503 page (no database
touched on the way), a form post shows back what was typed, and pages work again by
themselves once the database is back."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from sqlalchemy import make_url

from suggestions import create_app
from suggestions.core.extensions import db

from ..conftest import Browser, _test_config
from ..factories import make_idea


@contextlib.contextmanager
def serving(app, database_url: str, tmp_path: Path):
    """A second app, on a database this test may take away: for SQLite a copy of the test
    database opened with mode=rw (a missing file is an error, not a new empty database)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        copy = tmp_path / "copy.sqlite"
        source, target = sqlite3.connect(url.database), sqlite3.connect(copy)
        with contextlib.closing(source), contextlib.closing(target):
            source.backup(target)
        database_url = f"sqlite:///file:{copy}?mode=rw&uri=true"
    db.session.commit()
    db.session.close()  # the test's own session must not notice the database going away
    served = create_app(_test_config(database_url) | {"RATELIMIT_ENABLED": False})
    yield served
    with served.app_context():
        db.engine.dispose()


@contextlib.contextmanager
def database_gone(served, database_url: str, tmp_path: Path):
    """Take the database away for real: the SQLite file is removed, PostgreSQL refuses every
    connection to it (and ends those open)."""
    url = make_url(database_url)
    with served.app_context():
        db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        copy, away = tmp_path / "copy.sqlite", tmp_path / "away.sqlite"
        copy.rename(away)
        try:
            yield
        finally:
            away.rename(copy)
        return
    admin = url.set(drivername="postgresql", database="postgres")
    name = url.database
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        try:
            yield
        finally:
            conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def test_pages_say_briefly_unavailable_without_a_database_and_recover(
    app, org, database_url, tmp_path
):
    idea = make_idea(org.employee, department=org.service)
    db.session.commit()
    # Read now: inside the second app's context an expired object would load through its engine.
    person = SimpleNamespace(email=org.other_employee.email)
    page_url = f"/ideas/{idea.id}"
    with serving(app, database_url, tmp_path) as served:
        browser = Browser(served)
        with served.app_context():
            browser.login(person)
        assert browser.get(page_url).status_code == 200

        with database_gone(served, database_url, tmp_path):
            started = time.monotonic()
            page = browser.get(page_url)
            assert time.monotonic() - started < 2
            assert page.status_code == 503
            assert page.headers["Retry-After"] == "10"
            body = page.get_data(as_text=True)
            assert "Freiraum is briefly unavailable" in body and "Internal Server Error" not in body
            assert 'href="http://localhost/ideas/' in body  # try again

            posted = browser.post(
                page_url + "/comments", {"body": "Mein <b>langer</b> Kommentar"},
                headers={"Accept-Language": "de"},
            )  # fmt: skip
            assert posted.status_code == 503
            body = posted.get_data(as_text=True)
            assert "Freiraum ist kurz nicht erreichbar" in body
            assert "Nichts von dem, was Sie gesendet haben, wurde gespeichert" in body
            assert "Mein &lt;b&gt;langer&lt;/b&gt; Kommentar" in body  # kept, and escaped
            assert browser.csrf_token not in body

            login = Browser(served).post("/login", {"email": "x@example.org", "password": "s3cr"})
            assert login.status_code == 503 and "s3cr" not in login.get_data(as_text=True)
            assert browser.get("/no-such-page").status_code == 503  # the 404 page needs it too

        assert browser.get(page_url).status_code == 200  # back by itself


@pytest.fixture
def config_overrides():
    return {"RATELIMIT_ENABLED": False}
