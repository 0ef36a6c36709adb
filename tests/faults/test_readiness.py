"""/readyz tells the truth: it proves a write, and the outbox keeping up; /healthz only says
the process answers."""

from __future__ import annotations

import contextlib
import sqlite3

import pytest
from sqlalchemy import make_url, update

from suggestions import create_app
from suggestions.core import clock
from suggestions.core.extensions import db
from suggestions.notify.models import OutboxMessage

from ..conftest import _test_config
from ..factories import make_idea


def test_ready_when_writes_go_through_and_the_outbox_keeps_up(app, org):
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    report = response.get_json()
    assert report["status"] == "ready" and report["checks"]["database"]["write"] == "ok"
    assert report["checks"]["outbox"]["backlog"] == 0


def test_not_ready_when_the_outbox_falls_behind(app, org):
    make_idea(org.employee, department=org.service)  # one mail to the head, due now
    db.session.execute(
        update(OutboxMessage).values(next_attempt_at=clock.now() - clock.timedelta(hours=1))
    )
    db.session.commit()
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    outbox = response.get_json()["checks"]["outbox"]
    assert not outbox["ok"] and outbox["backlog"] == 1 and outbox["oldest_due_seconds"] >= 3600
    app.config["READY_OUTBOX_MAX_AGE_SECONDS"] = 0  # not checked
    assert app.test_client().get("/readyz").status_code == 200
    app.config["READY_OUTBOX_MAX_BACKLOG"] = 0
    assert app.test_client().get("/readyz").status_code == 200


def test_a_read_only_database_is_alive_but_not_ready(app, database_url, tmp_path):
    """Opened read-only (the tests run as root, whom file permissions do not stop)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        copy = tmp_path / "copy.sqlite"
        source, target = sqlite3.connect(url.database), sqlite3.connect(copy)
        with contextlib.closing(source), contextlib.closing(target):
            source.backup(target)
        read_only = f"sqlite:///file:{copy}?mode=ro&uri=true"
        served = create_app(_test_config(read_only))
    else:  # a server that allows reading only (as a hot standby does)
        options = {
            "pool_pre_ping": True,
            "connect_args": {"options": "-c default_transaction_read_only=on"},
        }
        served = create_app(_test_config(database_url) | {"SQLALCHEMY_ENGINE_OPTIONS": options})
    client = served.test_client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    report = response.get_json()
    assert report["status"] == "not ready" and not report["checks"]["database"]["ok"]
    assert "read" in report["checks"]["database"]["error"].lower()
    with served.app_context():
        db.engine.dispose()


@pytest.fixture
def config_overrides():
    return {"READY_OUTBOX_MAX_AGE_SECONDS": 600}
