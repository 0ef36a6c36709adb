"""The real app in a real browser.

One gunicorn process serves the app on 127.0.0.1 (a free port) for the whole session (of each
xdist worker: ``make test`` runs the journeys two at a time), against its own fresh database:
a SQLite file in a temporary folder, or a new PostgreSQL database when TEST_DATABASE_URL is
set. The schema comes from the migrations. Before every journey the tables are emptied and the
known data set (``dataset.seed``) is built again, in this process, while the server waits:
journeys never see each other's traces.

One headless Chromium serves the session (of each worker); every person in a journey gets a
fresh browser context (own cookies). After each test, every page is checked for console errors
(CSP violations are console errors), uncaught exceptions and failed asset or htmx requests,
and the server's log for errors.

Adding a journey: write ``test_<what>.py`` here, ask for ``data`` (the data set) and ``browse``
(opens a page as someone, see ``visitor.Visitor``), and request ``device`` to run it on the
desktop and on a phone. Data the data set lacks: ``with site.database(): make_idea(...)``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_migrate import upgrade

from suggestions import create_app
from suggestions.core.extensions import db

from ..conftest import CHROMIUM, TEST_DATABASE_URL, _empty_tables, _postgres_database, _test_config
from . import dataset
from .visitor import DEVICES, Device, Visitor

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# What the test's own call must answer for (see pytest_runtest_call below).
VERIFY = pytest.StashKey[Callable[[], None]]()
VISITORS = pytest.StashKey[list]()

# The login limits (5 per minute per account) are tested in tests/auth/test_sign_in.py; here
# the same people sign in many times a minute on purpose.
SERVER_ENV = {
    "FREIRAUM_ENV": "testing",
    "SECRET_KEY": "browser-test-secret-key",
    "FREIRAUM_ARGON2_TIME_COST": "1",
    "FREIRAUM_ARGON2_MEMORY_COST": "32",
    "RATELIMIT_STORAGE_URI": "memory://",
    "FREIRAUM_RATELIMIT_LOGIN_PER_ADDRESS": "1000 per minute",
    "FREIRAUM_RATELIMIT_LOGIN_PER_ACCOUNT": "1000 per minute",
}


class Server:
    """``gunicorn wsgi:app`` in a subprocess, as in production (one worker, four threads)."""

    def __init__(self, database_url: str, log_path: Path):
        self.log_path = log_path
        self._log = log_path.open("wb")
        env = os.environ | SERVER_ENV | {"DATABASE_URL": database_url}
        env.pop("FLASK_DEBUG", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:0", "--workers", "1",
             "--threads", "4", "--graceful-timeout", "2", "wsgi:app"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.url = self._wait_until_listening()

    def _wait_until_listening(self, timeout: float = 30) -> str:
        # Port 0: the kernel picks a free port and gunicorn says which one.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", self.log())
            if match:
                url = match.group(1)
                try:
                    with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
                        if response.status == 200:
                            return url
                except OSError:
                    pass
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"The app server did not start:\n{self.log()}")

    def log(self, start: int = 0) -> str:
        return self.log_path.read_bytes()[start:].decode("utf-8", "replace")

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


class Site:
    """The running app and the test's own way into its database."""

    def __init__(self, app, server: Server):
        self.app = app
        self.server = server
        self.url = server.url

    @contextmanager
    def database(self) -> Iterator[None]:
        """An app context on the server's database; commits on success. Keep it short: on
        SQLite it holds the write lock, and the server waits for it."""
        with self.app.app_context():
            try:
                yield
                db.session.commit()
            finally:
                db.session.remove()

    def reset(self) -> dataset.Dataset:
        with self.database():
            _empty_tables()
            return dataset.seed()


def _fresh_database_url(tmp_path_factory) -> Iterator[str]:
    if TEST_DATABASE_URL:
        yield from _postgres_database()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'freiraum.sqlite'}"


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Iterator[Site]:
    urls = _fresh_database_url(tmp_path_factory)
    url = next(urls)
    try:
        app = create_app(_test_config(url))
        with app.app_context():
            upgrade()
            dataset.seed()
            db.session.commit()
            db.session.remove()
        server = Server(url, tmp_path_factory.mktemp("server") / "server.log")
        try:
            yield Site(app, server)
        finally:
            server.stop()
            with app.app_context():
                db.engine.dispose()
    finally:
        next(urls, None)  # drops the PostgreSQL database


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def data(site) -> dataset.Dataset:
    """The known data set, freshly built for this test."""
    return site.reset()


@pytest.fixture(params=list(DEVICES))
def device(request) -> Device:
    """Run the test once on a desktop and once on a phone (390x844)."""
    return DEVICES[request.param]


@pytest.fixture
def browse(chromium, site, request) -> Iterator[Callable[..., Visitor]]:
    """``browse(account=None, device=DESKTOP, locale="en-GB")``: a fresh browser context
    (another person, another device), signed in through the login page when given an account."""
    visitors: list[Visitor] = []
    log_start = site.server.log_size()

    def open_visitor(
        account: dataset.Account | None = None, device: Device = DEVICES["desktop"],
        locale: str = "en-GB",
    ) -> Visitor:  # fmt: skip
        visitor = Visitor(chromium, site.url, device, locale, ARTIFACTS)
        visitors.append(visitor)
        if account is not None:
            visitor.sign_in(account)
        return visitor

    def verify() -> None:
        problems = [p for v in visitors for p in v.problems]
        assert not problems, "The browser reported problems:\n" + "\n".join(problems)
        server_log = site.server.log(log_start)
        assert not any(
            "Traceback" in line or "ERROR" in line for line in server_log.splitlines()
        ), "The server logged errors:\n" + server_log

    request.node.stash[VERIFY] = verify
    request.node.stash[VISITORS] = visitors
    yield open_visitor
    for visitor in visitors:
        visitor.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Checks that belong to the test itself (so they fail it, rather than its teardown), and
    a screenshot of every open page when a test fails."""
    try:
        result = yield
    except BaseException:
        for n, visitor in enumerate(item.stash.get(VISITORS, [])):
            visitor.screenshot_after_failure(f"{item.name}-{n}")
        raise
    if VERIFY in item.stash:
        item.stash[VERIFY]()
    return result
