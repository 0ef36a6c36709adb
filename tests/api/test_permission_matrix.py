"""Every API operation x every role x the expected status, as for the pages.

The idea is new, written by the employee and owned by the head's department (service). The
lifecycle's order holds: the state first (409 for everyone), then the person (403), then the
details (422)."""

from __future__ import annotations

import pytest

from .. import factories

ROLES = ["employee", "other_employee", "head", "other_head", "leader", "admin"]
ALL = dict.fromkeys(ROLES)


def expect(default: int, **by_role: int) -> dict[str, int]:
    return {role: by_role.get(role, default) for role in ROLES}


TRIAGE = {"head": 200, "leader": 200}
OPERATIONS = {
    "list ideas": ("GET", "/ideas", None, expect(200)),
    "read idea": ("GET", "/ideas/{id}", None, expect(200)),
    "read comments": ("GET", "/ideas/{id}/comments", None, expect(200)),
    "me": ("GET", "/me", None, expect(200)),
    "notifications": ("GET", "/notifications", None, expect(200)),
    "commitments": ("GET", "/commitments", None, expect(200)),
    "departments": ("GET", "/departments", None, expect(200)),
    # Dashboard figures: those who see the dashboard; a head only their own departments.
    "figures": ("GET", "/insights/figures", None,
                expect(403, head=200, other_head=200, leader=200, admin=200)),
    "figures of sales": ("GET", "/insights/figures?department={sales}", None,
                         expect(403, other_head=200, leader=200, admin=200)),
    "figures, bad range": ("GET", "/insights/figures?range=forever", None,
                           expect(403, head=422, other_head=422, leader=422, admin=422)),
    "edit": ("PATCH", "/ideas/{id}", {"title": "New title"}, expect(403, employee=200)),
    "withdraw": ("POST", "/ideas/{id}/withdraw", {}, expect(403, employee=200)),
    "vote": ("PUT", "/ideas/{id}/vote", None, expect(200)),
    "unvote": ("DELETE", "/ideas/{id}/vote", None, expect(200)),
    "follow": ("PUT", "/ideas/{id}/follow", None, expect(200)),
    "comment": ("POST", "/ideas/{id}/comments", {"body": "Good point"}, expect(201)),
    "official answer": (
        "POST", "/ideas/{id}/comments", {"body": "We do it", "official": True},
        expect(403, **{"head": 201, "leader": 201}),
    ),
    "acknowledge": ("POST", "/ideas/{id}/actions/acknowledge", {}, expect(403, **TRIAGE)),
    "decline without reason": (
        "POST", "/ideas/{id}/actions/decline", {}, expect(403, head=422, leader=422),
    ),
    "decline": ("POST", "/ideas/{id}/actions/decline", {"note": "No budget"},
                expect(403, **TRIAGE)),
    "estimate": ("POST", "/ideas/{id}/actions/estimate_cost", {"amount": "100"},
                 expect(403, **TRIAGE)),
    "transfer": ("POST", "/ideas/{id}/actions/transfer", {"department": "{sales}"},
                 expect(403, **TRIAGE)),
    # Only a head hands a decision to leadership: leadership decides at any cost already
    # (the same rule as the page's button and its form).
    "escalate": ("POST", "/ideas/{id}/actions/escalate", {}, expect(403, head=200)),
    "start (wrong state)": ("POST", "/ideas/{id}/actions/start", {}, expect(409)),
    "reopen (wrong state)": ("POST", "/ideas/{id}/actions/reopen", {"note": "x"}, expect(409)),
    "answer (wrong state)": ("POST", "/ideas/{id}/actions/provide_info", {"note": "x"},
                             expect(409)),
}  # fmt: skip


def _fill(value, idea, org):
    if isinstance(value, dict):
        return {k: _fill(v, idea, org) for k, v in value.items()}
    if isinstance(value, str):
        return value.replace("{id}", str(idea.id)).replace("{sales}", str(org.sales.id))
    return value


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_permission_matrix(org, api_for, operation, role):
    method, url, body, expected = OPERATIONS[operation]
    idea = factories.make_idea(org.employee, department=org.service, category=org.red_tape)
    api = api_for(getattr(org, role))
    response = api.open(method, _fill(url, idea, org), json=_fill(body, idea, org))
    assert response.status_code == expected[role], response.get_data(as_text=True)[:300]


@pytest.mark.parametrize("operation", [name for name, op in OPERATIONS.items() if op[0] != "GET"])
def test_a_read_only_token_writes_nothing(org, api_for, operation):
    method, url, body, _expected = OPERATIONS[operation]
    idea = factories.make_idea(org.employee, department=org.service, category=org.red_tape)
    response = api_for(org.leader, "read").open(method, _fill(url, idea, org), json=body)
    assert response.status_code == 403
