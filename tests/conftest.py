"""Fixtures: a migrated database per test session (SQLite file, or a fresh PostgreSQL
database when TEST_DATABASE_URL is set), emptied after every test; an app, an HTTP client
that behaves like a browser (CSRF tokens included), and small factories.

A test marked ``demo`` starts from the demo organisation (``flask seed-demo``) instead: the
demo is loaded once per test process and each such test gets a copy of its own."""

from __future__ import annotations

import functools
import os
import re
import shutil
import sqlite3
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask_migrate import upgrade
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import make_url, text

from suggestions import create_app
from suggestions.core.extensions import db

from . import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
)


def pytest_report_header(config):
    backend = "PostgreSQL" if TEST_DATABASE_URL else "SQLite"
    browser = CHROMIUM or "not found: browser tests are skipped (CI requires them)"
    return [f"database: {backend}", f"chromium: {browser}"]


TESTS = os.path.dirname(os.path.abspath(__file__))


def _may_hold_browser_tests(path: str) -> bool:
    """Where browser tests live: tests/browser, or a file named for them (test_*browser*.py)."""
    relative = os.path.relpath(path, TESTS)
    return relative.startswith("browser" + os.sep) or "browser" in os.path.basename(path)


def pytest_ignore_collect(collection_path, config):
    # The browser run (`-m browser`, make test's second step) imports only the files that may
    # hold browser tests: importing and collecting all the others cost each of its workers
    # seconds, only to deselect them. The check below keeps every browser test in such a file.
    if config.option.markexpr.strip() != "browser" or collection_path.is_dir():
        return None
    if collection_path.suffix == ".py" and not _may_hold_browser_tests(str(collection_path)):
        return True
    return None


def pytest_collection_modifyitems(config, items):
    misplaced = sorted(
        {
            item.nodeid.split("::")[0]
            for item in items
            if "browser" in item.keywords and not _may_hold_browser_tests(str(item.path))
        }
    )
    if misplaced:
        raise pytest.UsageError(
            "Browser tests outside tests/browser must live in a file named test_*browser*.py "
            "(the browser run, -m browser, collects only those): " + ", ".join(misplaced)
        )
    if CHROMIUM:
        return
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError("REQUIRE_BROWSER is set but /usr/bin/chromium is missing.")
    skip = pytest.mark.skip(reason="no Chromium on this machine (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _postgres_database(template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database (a copy of ``template``'s when given), dropped afterwards;
    its commits do not wait for the disk."""
    import psycopg

    admin_url = make_url(TEST_DATABASE_URL)
    name = f"freiraum_test_{uuid.uuid4().hex[:10]}"
    conninfo = admin_url.set(drivername="postgresql").render_as_string(hide_password=False)
    copy = f' TEMPLATE "{make_url(template).database}"' if template else ""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
        # A commit need not wait for its WAL to reach the disk: nothing here outlives a crash,
        # and every test commits many times (on a busy disk 19 ms a commit, 4 ms without the
        # wait). Every connection to the database, the browser tests' server too, takes it.
        conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    if TEST_DATABASE_URL:
        urls = _postgres_database()
        url = next(urls)
    else:
        urls = None
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    app = create_app(_test_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield url
    if urls is not None:
        next(urls, None)


def _test_config(url: str) -> dict:
    return {
        "FREIRAUM_ENV": "testing",
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": url,
        # Cheap hashing keeps the suite fast (32 KiB: argon2's least for its four lanes); one
        # test checks the production parameters.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 32,
        "RATELIMIT_STORAGE_URI": "memory://",
        # Webhook tests post to servers on this machine; links in mails start here.
        "WEBHOOK_ALLOWED_HOSTS": ["127.0.0.1"],
        "BASE_URL": "https://freiraum.example.test",
    }


class _CompiledTemplates(BytecodeCache):
    """Compiled templates, kept for the test process. Every test builds its own app, and each
    app's Jinja would compile the same templates again: a quarter of a page test's time.
    Jinja checks each template's source against the kept code, so an edit is seen."""

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()


def _keep_url_builders() -> None:
    """Every test builds its own app, and each app's URL map compiles a Python function per
    route to build its URLs (werkzeug writes and compiles the code): two thirds of building
    an app, about 60 ms of every test's CPU time. The function depends only on the rule's
    parts and defaults, never on the app (it reads the rule's converters when it is called),
    so the one compiled for the first app serves every later app in the test process."""
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    builders: dict = {}

    def kept_builder(self: Rule, append_unknown: bool = True):
        defaults = tuple(sorted((str(k), repr(v)) for k, v in (self.defaults or {}).items()))
        converters = tuple((name, type(c).__name__) for name, c in self._converters.items())
        key = (self.rule, tuple(self._trace), defaults, converters, append_unknown)
        builder = builders.get(key)
        if builder is None:
            builder = builders[key] = compile_builder(self, append_unknown)
        return builder

    Rule._compile_builder = kept_builder


_keep_url_builders()


def make_app(database_url: str, overrides: dict | None = None) -> Flask:
    """The app as tests use it: the test configuration, templates compiled once."""
    app = create_app(_test_config(database_url) | (overrides or {}))
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    return app


@pytest.fixture
def other_worker(database_url) -> Iterator[Flask]:
    """A second app on the test's database: another worker's process memory (what it keeps per
    process), one database. BENCH: its pages say how many statements they issued."""
    other = make_app(database_url, {"BENCH": True})
    yield other
    with other.app_context():
        db.engine.dispose()


@pytest.fixture
def config_overrides() -> dict:
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture(scope="session")
def demo_database_url(tmp_path_factory) -> Iterator[str]:
    """A database holding the demo organisation, loaded through the command people use. It is
    built once per test process, when a test first asks: loading takes seconds, a copy of it
    a fraction of one. Nothing writes to it after that; tests get copies."""
    if TEST_DATABASE_URL:
        urls = _postgres_database()
        url = next(urls)
    else:
        urls = None
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}"
    app = make_app(url)
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        db.session.remove()
        db.engine.dispose()  # PostgreSQL copies only a database nobody is connected to
    yield url
    if urls is not None:
        next(urls, None)


def _copy_of_demo(demo_url: str, tmp_path) -> Iterator[str]:
    if TEST_DATABASE_URL:
        yield from _postgres_database(template=demo_url)
        return
    copy = tmp_path / "demo-copy.sqlite"
    source = sqlite3.connect(make_url(demo_url).database)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    yield f"sqlite:///{copy}"


@pytest.fixture
def app(request, database_url, config_overrides) -> Iterator[Flask]:
    if request.node.get_closest_marker("demo"):
        # A copy of the demo, for this test alone: thrown away afterwards, nothing to empty.
        demo_url = request.getfixturevalue("demo_database_url")
        urls = _copy_of_demo(demo_url, request.getfixturevalue("tmp_path"))
        app = make_app(next(urls), config_overrides)
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
        next(urls, None)
        return
    app = make_app(database_url, config_overrides)
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _empty_tables() -> None:
    """Every table emptied, ids from 1 again, the settings row as on a fresh install: what the
    next test finds is what the migrations left (tests/test_isolation.py proves it)."""
    statements = list(_emptying_statements())
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Sequences a test drew from start at 1 again (an untouched one shows no
            # last_value); all of it in one round trip to the server.
            used = conn.scalars(
                text(
                    "SELECT sequencename FROM pg_sequences"
                    " WHERE schemaname = current_schema() AND last_value IS NOT NULL"
                )
            )
            statements += [f'ALTER SEQUENCE "{sequence}" RESTART' for sequence in used.all()]
            statements += [ORG_SETTINGS_ROW, STAMP_ROW]
            conn.exec_driver_sql(";\n".join(statements))
        else:
            for statement in [*statements, ORG_SETTINGS_ROW, STAMP_ROW]:
                conn.exec_driver_sql(statement)


@functools.cache
def _emptying_statements() -> tuple[str, ...]:
    """Worked out once per test process: sorting the tables costs more than deleting the few
    rows a test leaves."""
    # The search index lives outside the models' metadata.
    tables = [*reversed(_table_names()), "idea_search"]
    # DELETE, children first: a test leaves a few rows, and PostgreSQL's TRUNCATE of two
    # dozen tables costs a quarter of a second (DELETE: 20 ms). The audit log refuses
    # deletion (a trigger) unless a prune permit covers the rows, as in production.
    return (
        "INSERT INTO audit_prune_permits (cutoff) VALUES ('9999-01-01 00:00:00')",
        "DELETE FROM audit_entries",
        *(f"DELETE FROM {table}" for table in tables),
    )


def every_row(leave_out: frozenset[str] = frozenset()) -> list:
    """Every row of every table but ``leave_out`` (after committing the test's own session):
    what "nothing changed" means to a test that compares before and after. Read through the
    driver's own cursor: a matrix test reads every table twice per request, and SQLAlchemy's
    work per statement cost more than the database's."""
    db.session.commit()
    with db.engine.connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()
        rows = []
        for table in _table_names():
            if table not in leave_out:
                cursor.execute(f"SELECT * FROM {table}")
                rows.append((table, sorted(map(repr, cursor.fetchall()))))
        cursor.close()
        return rows


@functools.cache
def _table_names() -> tuple[str, ...]:
    return tuple(table.name for table in db.metadata.sorted_tables)


class Snapshot:
    """A test database as it is now, kept to be put back later: a module that builds large data
    once and must start again after a test changed it puts the data back instead of building it
    again (building was most of a permission-matrix run). SQLite: the pages, in memory (SQLite's
    backup); PostgreSQL: a copy made with CREATE DATABASE ... TEMPLATE, and the database made
    again from it. Take and restore only with every connection closed (``db.engine.dispose()``);
    ``drop()`` when done."""

    def __init__(self, database_url: str):
        self.url = make_url(database_url)
        if TEST_DATABASE_URL:
            self.copy = f"{self.url.database}_built"
            self._admin(f'CREATE DATABASE "{self.copy}" TEMPLATE "{self.url.database}"')
            return
        self.pages = sqlite3.connect(":memory:")
        source = sqlite3.connect(self.url.database)
        try:
            source.backup(self.pages)
        finally:
            source.close()

    def restore(self) -> None:
        if TEST_DATABASE_URL:
            name = self.url.database
            self._admin(f'DROP DATABASE "{name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.copy}"')
            self._admin(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
            return
        target = sqlite3.connect(self.url.database)
        try:
            self.pages.backup(target)
        finally:
            target.close()

    def drop(self) -> None:
        if TEST_DATABASE_URL:
            self._admin(f'DROP DATABASE IF EXISTS "{self.copy}" WITH (FORCE)')
        else:
            self.pages.close()

    def _admin(self, statement: str) -> None:
        import psycopg

        conninfo = make_url(TEST_DATABASE_URL).set(drivername="postgresql")
        with psycopg.connect(conninfo.render_as_string(hide_password=False), autocommit=True) as c:
            c.execute(statement)


ORG_SETTINGS_ROW = (
    "INSERT INTO org_settings (id, first_response_days, decision_days, default_decision_budget, "
    "empowerment_budget, currency) VALUES (1, 7, 30, 5000, 500, 'EUR')"
)

# The stamp of the rows kept per process (suggestions/core/kept.py), as the migration left it.
STAMP_ROW = "INSERT INTO stamps (id, version) VALUES (1, 0)"


class Browser:
    """The test client used like a browser: it reads the CSRF token from the page it got."""

    _token = re.compile(r'name="csrf-token" content="([^"]+)"')

    def __init__(self, app: Flask):
        self.client = app.test_client()
        self.csrf_token: str | None = None
        self.user = None

    def _open(self, method: str, url: str, **kwargs):
        # End the test's own transaction first (on SQLite it may hold the write lock), then
        # hide the test's app context: Flask would reuse it, sharing ``g`` and the database
        # session between requests as no real browser ever could.
        db.session.commit()
        # Read streamed bodies (exports) while the request still runs, as a browser would.
        kwargs.setdefault("buffered", True)
        token = _cv_app.set(None)
        try:
            return self.client.open(url, method=method, **kwargs)
        finally:
            _cv_app.reset(token)

    def get(self, url: str, **kwargs):
        response = self._open("GET", url, **kwargs)
        if response.mimetype != "text/html":  # a download (CSV, XLSX) carries no token
            return response
        match = self._token.search(response.get_data(as_text=True))
        if match:
            self.csrf_token = match.group(1)
        return response

    def post(self, url: str, data: dict | None = None, *, csrf: bool = True, **kwargs):
        data = dict(data or {})
        if csrf:
            if self.csrf_token is None:
                self.get("/login")
            data.setdefault("csrf_token", self.csrf_token)
        return self._open("POST", url, data=data, **kwargs)

    def login(self, user, password: str = factories.PASSWORD, **extra):
        self.get("/login")
        response = self.post("/login", {"email": user.email, "password": password, **extra})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        self.user = user
        self.get("/ideas")  # the session was renewed at login: take its new token
        return response

    def logout(self):
        return self.post("/logout")


@pytest.fixture
def browser(app) -> Browser:
    return Browser(app)


@pytest.fixture
def new_browser(app):
    """A second, independent browser (another person)."""
    return lambda: Browser(app)


@pytest.fixture
def org(app):
    """A small organisation: departments, categories, one person of every role."""
    return factories.make_org()


def pytest_terminal_summary(terminalreporter):
    if not CHROMIUM and terminalreporter.stats.get("skipped"):
        terminalreporter.write_line(
            "Browser tests (tests/browser) were SKIPPED: no Chromium at /usr/bin/chromium. "
            "Install it with `apt-get install chromium`; CI (REQUIRE_BROWSER=1) requires them.",
            yellow=True, bold=True,
        )  # fmt: skip
