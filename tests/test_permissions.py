"""The permission matrix: every route x every role x the expected status.

``test_every_route_is_in_the_matrix`` fails when a route is added without a row here.
"""

import pytest

from suggestions.extensions import db
from suggestions.ideas import rules

from .factories import make_idea

ROLES = ["anonymous", "author", "employee", "head", "other_head", "leader", "admin"]
SIGNED_IN = ROLES[1:]


def everyone(status):
    return {role: status for role in SIGNED_IN} | {"anonymous": 302}


def only(allowed: dict, others=403):
    return {role: allowed.get(role, others) for role in SIGNED_IN} | {"anonymous": 302}


ADMIN_ONLY_PAGE = only({"admin": 200})
ADMIN_ONLY_ACTION = only({"admin": 302})


def idea_form(ctx):
    return {
        "title": "A new idea from the matrix", "problem": "p", "proposal": "q", "benefit": "b",
        "category": ctx["category"], "owning_department": ctx["department"],
    }  # fmt: skip


# (method, rule, url, form data or None, expected status per role)
MATRIX = [
    ("GET", "/", "/", None, everyone(302)),
    ("GET", "/healthz", "/healthz", None, everyone(200) | {"anonymous": 200}),
    ("GET", "/login", "/login", None, everyone(302) | {"anonymous": 200}),
    ("POST", "/login", "/login", lambda c: {"email": "x@example.org", "password": "nope"},
     everyone(302) | {"anonymous": 401}),
    ("POST", "/logout", "/logout", lambda c: {}, everyone(302)),
    ("POST", "/language", "/language", lambda c: {"language": "de"},
     everyone(302) | {"anonymous": 302}),
    ("GET", "/account", "/account", None, everyone(200)),
    ("POST", "/account", "/account", lambda c: {"account-language": "de", "account-save": "1"},
     everyone(302)),
    ("GET", "/ideas", "/ideas", None, everyone(200)),
    ("GET", "/ideas/new", "/ideas/new", None, everyone(200)),
    ("POST", "/ideas/new", "/ideas/new", idea_form, everyone(302)),
    ("GET", "/ideas/<int:idea_id>", "/ideas/{idea}", None, everyone(200)),
    ("GET", "/ideas/<int:idea_id>/edit", "/ideas/{idea}/edit", None, only({"author": 200})),
    ("POST", "/ideas/<int:idea_id>/edit", "/ideas/{idea}/edit", idea_form, only({"author": 302})),
    ("POST", "/ideas/<int:idea_id>/vote", "/ideas/{idea}/vote", lambda c: {"vote": "add"},
     everyone(302)),
    ("POST", "/ideas/<int:idea_id>/comments", "/ideas/{idea}/comments",
     lambda c: {"body": "A comment"}, everyone(302)),
    ("POST", "/ideas/<int:idea_id>/comments/<int:comment_id>/official",
     "/ideas/{idea}/comments/{comment}/official", lambda c: {"official": "1"},
     only({"head": 302, "leader": 302})),
    ("POST", "/ideas/<int:idea_id>/withdraw", "/ideas/{idea}/withdraw", lambda c: {},
     only({"author": 302})),
    ("GET", "/admin/users", "/admin/users", None, ADMIN_ONLY_PAGE),
    ("GET", "/admin/users/new", "/admin/users/new", None, ADMIN_ONLY_PAGE),
    ("POST", "/admin/users/new", "/admin/users/new",
     lambda c: {"email": "new.person@example.org", "display_name": "New Person",
                "department": c["department"], "role": "employee", "language": ""},
     ADMIN_ONLY_ACTION),
    ("GET", "/admin/users/<int:user_id>", "/admin/users/{user}", None, ADMIN_ONLY_PAGE),
    ("POST", "/admin/users/<int:user_id>", "/admin/users/{user}",
     lambda c: {"display_name": "Renamed", "department": c["department"], "role": "employee",
                "language": "en"}, ADMIN_ONLY_ACTION),
    ("POST", "/admin/users/<int:user_id>/active", "/admin/users/{user}/active",
     lambda c: {"active": "0"}, ADMIN_ONLY_ACTION),
    ("GET", "/admin/departments", "/admin/departments", None, ADMIN_ONLY_PAGE),
    ("GET", "/admin/departments/new", "/admin/departments/new", None, ADMIN_ONLY_PAGE),
    ("POST", "/admin/departments/new", "/admin/departments/new",
     lambda c: {"name": "Logistics", "decision_budget": "1000"}, ADMIN_ONLY_ACTION),
    ("GET", "/admin/departments/<int:department_id>", "/admin/departments/{department}", None,
     ADMIN_ONLY_PAGE),
    ("POST", "/admin/departments/<int:department_id>", "/admin/departments/{department}",
     lambda c: {"name": "Customer Care", "decision_budget": ""}, ADMIN_ONLY_ACTION),
    ("GET", "/admin/categories", "/admin/categories", None, ADMIN_ONLY_PAGE),
    ("GET", "/admin/categories/new", "/admin/categories/new", None, ADMIN_ONLY_PAGE),
    ("POST", "/admin/categories/new", "/admin/categories/new",
     lambda c: {"name_en": "Travel", "name_de": "Reisen", "position": "3", "active": "y"},
     ADMIN_ONLY_ACTION),
    ("GET", "/admin/categories/<int:category_id>", "/admin/categories/{category}", None,
     ADMIN_ONLY_PAGE),
    ("POST", "/admin/categories/<int:category_id>", "/admin/categories/{category}",
     lambda c: {"name_en": "Red tape!", "name_de": "Bürokratie!", "position": "1"},
     ADMIN_ONLY_ACTION),
    ("GET", "/static/<path:filename>", "/static/css/app.css", None,
     everyone(200) | {"anonymous": 200}),
]

CASES = [
    pytest.param(method, url, data, role, expected[role], id=f"{method} {url} as {role}")
    for method, _rule, url, data, expected in MATRIX
    for role in ROLES
]


def test_every_route_is_in_the_matrix(app):
    served = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(method, rule) for method, rule, *_ in MATRIX}
    assert served == covered


@pytest.mark.parametrize("method, url, data, role, expected", CASES)
def test_permission_matrix(browser, org, method, url, data, role, expected):
    idea = make_idea(org.employee, department=org.service, category=org.red_tape)
    comment = rules.add_comment(idea, org.other_employee, "A colleague's comment")
    db.session.commit()
    ctx = {
        "idea": idea.id, "comment": comment.id, "user": org.other_employee.id,
        "department": str(org.service.id), "category": str(org.red_tape.id),
    }  # fmt: skip
    people = {"author": org.employee, "employee": org.other_employee, "head": org.head,
              "other_head": org.other_head, "leader": org.leader, "admin": org.admin}  # fmt: skip
    if role != "anonymous":
        browser.login(people[role])
    else:
        browser.get("/login")
    target = url.format(**ctx)
    if method == "GET":
        response = browser.get(target)
    else:
        response = browser.post(target, data(ctx))
    body = response.get_data(as_text=True)
    assert response.status_code == expected, body[:600]
    if role == "anonymous" and expected == 302 and not target.startswith(("/language", "/logout")):
        assert response.location.startswith("/login")
    assert "Traceback" not in body
