"""Property-based tests generated from the OpenAPI document (schemathesis), against the app
served by a real server thread on 127.0.0.1, with a token of every role: no 5xx, and every
answer conforms to the document (status, content type, body). Bounded: a few examples per
operation and role, so it runs in seconds on either database."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from werkzeug.serving import make_server

from suggestions.core.extensions import db

from .. import factories
from .conftest import make_token

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 3
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def server(app):
    """The app on a free port; requests run in the server's thread, as in production."""
    app.config["RATELIMIT_API_PER_TOKEN"] = "100000 per minute"
    http = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}/api/v1"
    http.shutdown()
    thread.join(5)


def test_the_api_conforms_to_its_document(app, org, server):
    # Something to find: ideas in several states, a comment, a commitment.
    ideas = [factories.make_idea(org.employee, department=org.service, category=org.red_tape)
             for _ in range(3)]  # fmt: skip
    factories.make_idea(org.other_employee, department=org.sales, anonymous=True)
    tokens = {
        role: make_token(getattr(org, role)) for role in ("employee", "head", "leader", "admin")
    } | {"read-only": make_token(org.other_employee, "read")}
    db.session.commit()
    db.session.remove()  # the server's thread works on its own connections
    schema = schemathesis.openapi.from_url(server + "/openapi.json")

    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for role, secret in tokens.items():
            try:
                _explore(operation, server, secret)
            except Exception as error:  # collect every operation's failure, not just the first
                failures.append(f"{operation.label} as {role}: {str(error)[:1500]}")
    assert ideas and not failures, "\n\n".join(failures)


def _explore(operation, base_url: str, secret: str) -> None:
    headers = {"Authorization": f"Bearer {secret}"}

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=operation.as_strategy())
    def check(case):
        response = case.call(base_url=base_url, headers=headers)
        case.validate_response(response, checks=CHECKS)

    check()
