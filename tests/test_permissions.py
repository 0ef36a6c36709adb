"""The permission matrix: every route x every role x the expected status.

``test_every_route_is_in_the_matrix`` fails when a route is added without a row here.
"""

import pytest
from sqlalchemy import select

from suggestions.auth import tokens
from suggestions.core.clock import now
from suggestions.core.extensions import db
from suggestions.governance import moderation
from suggestions.ideas import rules
from suggestions.notify.models import Notification, OutboxMessage, Webhook
from suggestions.notify.rules import PREFERENCES
from suggestions.workflow import lifecycle
from suggestions.workflow.views import ACTIONS

from .factories import make_idea

ROLES = ["anonymous", "author", "employee", "head", "other_head", "leader", "admin"]
SIGNED_IN = ROLES[1:]


def everyone(status):
    return {role: status for role in SIGNED_IN} | {"anonymous": 302}


def only(allowed: dict, others=403):
    return {role: allowed.get(role, others) for role in SIGNED_IN} | {"anonymous": 302}


ADMIN_ONLY_PAGE = only({"admin": 200})
# Head of the owning department and leadership decide.
DECIDERS = only({"head": 302, "leader": 302})
# The commitment's owner delivers with them: an employee of another department here.
DELIVERERS = only({"head": 302, "leader": 302, "employee": 302})
ACT = "/ideas/<int:idea_id>/<any(" + ", ".join(ACTIONS) + "):action>"
ADMIN_ONLY_ACTION = only({"admin": 302})
# Leadership and admins see every department; heads their own.
INSIGHTS = only({"head": 200, "other_head": 200, "leader": 200, "admin": 200})


def idea_form(ctx):
    return {
        "title": "A new idea from the matrix", "problem": "p", "proposal": "q", "benefit": "b",
        "category": ctx["category"], "owning_department": ctx["department"],
    }  # fmt: skip


# (method, rule, url, form data or None, expected status per role)
MATRIX = [
    ("GET", "/", "/", None, everyone(302)),
    ("GET", "/healthz", "/healthz", None, everyone(200) | {"anonymous": 200}),
    ("GET", "/readyz", "/readyz", None, everyone(200) | {"anonymous": 200}),
    ("GET", "/login", "/login", None, everyone(302) | {"anonymous": 200}),
    (
        "POST",
        "/login",
        "/login",
        lambda c: {"email": "x@example.org", "password": "nope"},
        everyone(302) | {"anonymous": 401},
    ),
    ("POST", "/logout", "/logout", lambda c: {}, everyone(302)),
    # Company sign-in (tests/auth): without OIDC_ISSUER both lead back to the login page.
    ("GET", "/login/oidc", "/login/oidc", None, everyone(302) | {"anonymous": 302}),
    (
        "GET",
        "/login/oidc/callback",
        "/login/oidc/callback",
        None,
        everyone(302) | {"anonymous": 302},
    ),
    (
        "POST",
        "/language",
        "/language",
        lambda c: {"language": "de"},
        everyone(302) | {"anonymous": 302},
    ),
    # Forgotten passwords: open to everyone; a link that is not (or no longer) valid is gone.
    ("GET", "/password/forgot", "/password/forgot", None, everyone(200) | {"anonymous": 200}),
    (
        "POST",
        "/password/forgot",
        "/password/forgot",
        lambda c: {"email": "nobody@example.org"},
        everyone(200) | {"anonymous": 200},
    ),
    (
        "GET",
        "/password/reset/<token>",
        "/password/reset/not-a-token",
        None,
        everyone(410) | {"anonymous": 410},
    ),
    (
        "POST",
        "/password/reset/<token>",
        "/password/reset/not-a-token",
        lambda c: {"new": "a long new password", "confirm": "a long new password"},
        everyone(410) | {"anonymous": 410},
    ),
    ("GET", "/account", "/account", None, everyone(200)),
    (
        "POST",
        "/account",
        "/account",
        lambda c: {"account-language": "de", "account-save": "1"},
        everyone(302),
    ),
    # Personal access tokens (the API's own operations: tests/api/test_permission_matrix.py).
    ("GET", "/account/tokens", "/account/tokens", None, everyone(200)),
    (
        "POST",
        "/account/tokens",
        "/account/tokens",
        lambda c: {"name": "Bot", "scope": "read", "expires": "30"},
        everyone(200),
    ),
    (
        "POST",
        "/account/tokens/<int:token_id>/revoke",
        "/account/tokens/{token}/revoke",
        lambda c: {},
        only({"author": 302, "admin": 302}),
    ),
    ("GET", "/admin/tokens", "/admin/tokens", None, ADMIN_ONLY_PAGE),
    ("GET", "/ideas", "/ideas", None, everyone(200)),
    ("GET", "/ideas/new", "/ideas/new", None, everyone(200)),
    ("GET", "/ideas/similar", "/ideas/similar?title=stapler+signatures", None, everyone(200)),
    ("POST", "/ideas/new", "/ideas/new", idea_form, everyone(302)),
    ("GET", "/ideas/<int:idea_id>", "/ideas/{idea}", None, everyone(200)),
    ("GET", "/ideas/<int:idea_id>/edit", "/ideas/{idea}/edit", None, only({"author": 200})),
    ("POST", "/ideas/<int:idea_id>/edit", "/ideas/{idea}/edit", idea_form, only({"author": 302})),
    (
        "POST",
        "/ideas/<int:idea_id>/vote",
        "/ideas/{idea}/vote",
        lambda c: {"vote": "add"},
        everyone(302),
    ),
    (
        "POST",
        "/ideas/<int:idea_id>/comments",
        "/ideas/{idea}/comments",
        lambda c: {"body": "A comment"},
        everyone(302),
    ),
    (
        "POST",
        "/ideas/<int:idea_id>/comments/<int:comment_id>/official",
        "/ideas/{idea}/comments/{comment}/official",
        lambda c: {"official": "1"},
        only({"head": 302, "leader": 302}),
    ),
    # Every lifecycle action, each on an idea in a state where it is possible.
    *[
        ("POST", ACT, f"/ideas/{{{idea}}}/{action}", data, expected)
        for action, idea, data, expected in [
            ("acknowledge", "idea", lambda c: {}, DECIDERS),
            ("ask_info", "idea", lambda c: {"ask_info-note": "How often?"}, DECIDERS),
            ("estimate_cost", "idea", lambda c: {"estimate_cost-amount": "100"}, DECIDERS),
            (
                "accept",
                "idea",
                lambda c: {
                    "accept-estimated_cost": "100",
                    "accept-owner": c["head"],
                    "accept-promise": "We do it.",
                    "accept-due_on": "2099-01-01",
                },
                DECIDERS,
            ),
            ("decline", "idea", lambda c: {"decline-note": "Not now."}, DECIDERS),
            (
                "transfer",
                "idea",
                lambda c: {
                    "transfer-department": c["other_department"],
                    "transfer-confirmed": c["other_department"],
                },
                DECIDERS,
            ),
            ("escalate", "idea", lambda c: {}, DECIDERS),
            (
                "mark_duplicate",
                "idea",
                lambda c: {"mark_duplicate-survivor": c["other_idea"]},
                DECIDERS,
            ),
            (
                "provide_info",
                "needs_info",
                lambda c: {"provide_info-note": "Daily."},
                only({"author": 302}),
            ),
            (
                "reopen",
                "declined",
                lambda c: {"reopen-note": "Worth another look."},
                only({"leader": 302}),
            ),
            ("start", "accepted", lambda c: {}, DELIVERERS),
            (
                "implement",
                "accepted",
                lambda c: {
                    "implement-change_summary": "Done.",
                    "implement-implemented_on": c["today"],
                },
                DELIVERERS,
            ),
            (
                "break_commitment",
                "accepted",
                lambda c: {"break_commitment-note": "No budget."},
                DECIDERS,
            ),
            (
                "just_do_it",
                "idea",
                lambda c: {
                    "just_do_it-cost": "20",
                    "just_do_it-change_summary": "Bought it.",
                    "just_do_it-implemented_on": c["today"],
                },
                only({"author": 302}),
            ),
            ("withdraw", "idea", lambda c: {}, only({"author": 302})),
        ]
    ],
    (
        "POST",
        "/commitments/<int:commitment_id>/updates",
        "/commitments/{commitment}/updates",
        lambda c: {"update-body": "Halfway there."},
        DELIVERERS,
    ),
    ("GET", "/queue", "/queue", None, only({"head": 200, "other_head": 200, "leader": 200})),
    ("GET", "/queue/leadership", "/queue/leadership", None, only({"leader": 200})),
    ("GET", "/commitments", "/commitments", None, everyone(200)),
    ("GET", "/admin/settings", "/admin/settings", None, ADMIN_ONLY_PAGE),
    (
        "POST",
        "/admin/settings",
        "/admin/settings",
        lambda c: {
            "first_response_days": "5",
            "decision_days": "20",
            "currency": "CHF",
            "default_decision_budget": "2000",
            "empowerment_budget": "300",
        },
        ADMIN_ONLY_ACTION,
    ),
    ("GET", "/admin/users", "/admin/users", None, ADMIN_ONLY_PAGE),
    ("GET", "/admin/users/new", "/admin/users/new", None, ADMIN_ONLY_PAGE),
    (
        "POST",
        "/admin/users/new",
        "/admin/users/new",
        lambda c: {
            "email": "new.person@example.org",
            "display_name": "New Person",
            "department": c["department"],
            "role": "employee",
            "language": "",
        },
        ADMIN_ONLY_ACTION,
    ),
    ("GET", "/admin/users/<int:user_id>", "/admin/users/{user}", None, ADMIN_ONLY_PAGE),
    (
        "POST",
        "/admin/users/<int:user_id>",
        "/admin/users/{user}",
        lambda c: {
            "display_name": "Renamed",
            "department": c["department"],
            "role": "employee",
            "language": "en",
        },
        ADMIN_ONLY_ACTION,
    ),
    (
        "POST",
        "/admin/users/<int:user_id>/active",
        "/admin/users/{user}/active",
        lambda c: {"active": "0"},
        ADMIN_ONLY_ACTION,
    ),
    ("GET", "/admin/departments", "/admin/departments", None, ADMIN_ONLY_PAGE),
    ("GET", "/admin/departments/new", "/admin/departments/new", None, ADMIN_ONLY_PAGE),
    (
        "POST",
        "/admin/departments/new",
        "/admin/departments/new",
        lambda c: {"name": "Logistics", "decision_budget": "1000"},
        ADMIN_ONLY_ACTION,
    ),
    (
        "GET",
        "/admin/departments/<int:department_id>",
        "/admin/departments/{department}",
        None,
        ADMIN_ONLY_PAGE,
    ),
    (
        "POST",
        "/admin/departments/<int:department_id>",
        "/admin/departments/{department}",
        lambda c: {"name": "Customer Care", "decision_budget": ""},
        ADMIN_ONLY_ACTION,
    ),
    ("GET", "/admin/categories", "/admin/categories", None, ADMIN_ONLY_PAGE),
    ("GET", "/admin/categories/new", "/admin/categories/new", None, ADMIN_ONLY_PAGE),
    (
        "POST",
        "/admin/categories/new",
        "/admin/categories/new",
        lambda c: {"name_en": "Travel", "name_de": "Reisen", "position": "3", "active": "y"},
        ADMIN_ONLY_ACTION,
    ),
    (
        "GET",
        "/admin/categories/<int:category_id>",
        "/admin/categories/{category}",
        None,
        ADMIN_ONLY_PAGE,
    ),
    (
        "POST",
        "/admin/categories/<int:category_id>",
        "/admin/categories/{category}",
        lambda c: {"name_en": "Red tape!", "name_de": "Bürokratie!", "position": "1"},
        ADMIN_ONLY_ACTION,
    ),
    ("GET", "/insights", "/insights", None, INSIGHTS),
    ("GET", "/insights/figures.<any(csv, xlsx):fmt>", "/insights/figures.csv", None, INSIGHTS),
    ("GET", "/ideas/export.<any(csv, xlsx):fmt>", "/ideas/export.csv", None, INSIGHTS),
    ("GET", "/you-said-we-did", "/you-said-we-did", None, everyone(200)),
    (
        "GET",
        "/static/<path:filename>",
        "/static/css/app.css",
        None,
        everyone(200) | {"anonymous": 200},
    ),
    # Notifications: the author owns the notification about the colleague's comment.
    ("GET", "/notifications", "/notifications", None, everyone(200)),
    (
        "POST",
        "/notifications/<int:notification_id>/open",
        "/notifications/{notification}/open",
        lambda c: {},
        only({"author": 302}),
    ),
    (
        "POST",
        "/notifications/<int:notification_id>/read",
        "/notifications/{notification}/read",
        lambda c: {},
        only({"author": 302}),
    ),
    ("POST", "/notifications/read-all", "/notifications/read-all", lambda c: {}, everyone(302)),
    ("GET", "/notifications/settings", "/notifications/settings", None, everyone(200)),
    (
        "POST",
        "/notifications/settings",
        "/notifications/settings",
        lambda c: {kind: "in_app" for kind in PREFERENCES} | {"top_ideas": "off"},
        everyone(302),
    ),
    (
        "POST",
        "/ideas/<int:idea_id>/follow",
        "/ideas/{idea}/follow",
        lambda c: {"follow": "add"},
        everyone(302),
    ),
    ("GET", "/admin/webhooks", "/admin/webhooks", None, ADMIN_ONLY_PAGE),
    ("GET", "/admin/webhooks/new", "/admin/webhooks/new", None, ADMIN_ONLY_PAGE),
    (
        "POST",
        "/admin/webhooks/new",
        "/admin/webhooks/new",
        lambda c: {
            "name": "Teams",
            "url": "http://127.0.0.1:9/hook",
            "events": ["idea.submitted"],
            "active": "y",
        },
        ADMIN_ONLY_ACTION,
    ),
    ("GET", "/admin/webhooks/<int:webhook_id>", "/admin/webhooks/{webhook}", None, ADMIN_ONLY_PAGE),
    (
        "POST",
        "/admin/webhooks/<int:webhook_id>",
        "/admin/webhooks/{webhook}",
        lambda c: {"name": "Slack", "url": "http://127.0.0.1:9/slack", "events": ["idea.comment"]},
        ADMIN_ONLY_ACTION,
    ),
    (
        "POST",
        "/admin/webhooks/<int:webhook_id>/delete",
        "/admin/webhooks/{webhook}/delete",
        lambda c: {},
        ADMIN_ONLY_ACTION,
    ),
    ("GET", "/admin/outbox", "/admin/outbox", None, ADMIN_ONLY_PAGE),
    (
        "POST",
        "/admin/outbox/<int:message_id>/retry",
        "/admin/outbox/{message}/retry",
        lambda c: {},
        ADMIN_ONLY_ACTION,
    ),
    (
        "POST",
        "/admin/outbox/retry-failed",
        "/admin/outbox/retry-failed",
        lambda c: {},
        ADMIN_ONLY_ACTION,
    ),
    # Governance. Reporting: anyone but the item's author ("employee" wrote the comment).
    ("GET", "/ideas/<int:idea_id>/report", "/ideas/{idea}/report", None,
     everyone(200) | {"author": 403}),
    ("POST", "/ideas/<int:idea_id>/report", "/ideas/{idea}/report",
     lambda c: {"reason": "offensive"}, everyone(302) | {"author": 403}),
    ("GET", "/ideas/<int:idea_id>/comments/<int:comment_id>/report",
     "/ideas/{idea}/comments/{comment}/report", None, everyone(200) | {"employee": 403}),
    ("POST", "/ideas/<int:idea_id>/comments/<int:comment_id>/report",
     "/ideas/{idea}/comments/{comment}/report", lambda c: {"reason": "personal_data"},
     everyone(302) | {"employee": 403}),
    # Moderators: admins (and whom an admin flags; none here).
    ("GET", "/moderation", "/moderation", None, ADMIN_ONLY_PAGE),
    ("GET", "/moderation/<any(idea, comment):kind>/<int:item_id>",
     "/moderation/comment/{comment}", None, ADMIN_ONLY_PAGE),
    ("POST", "/moderation/<any(idea, comment):kind>/<int:item_id>/hide",
     "/moderation/comment/{comment}/hide", lambda c: {"reason": "offensive"}, ADMIN_ONLY_ACTION),
    ("POST", "/moderation/<any(idea, comment):kind>/<int:item_id>/show",
     "/moderation/comment/{hidden_comment}/show", lambda c: {}, ADMIN_ONLY_ACTION),
    ("POST", "/moderation/<any(idea, comment):kind>/<int:item_id>/dismiss",
     "/moderation/comment/{reported}/dismiss", lambda c: {}, ADMIN_ONLY_ACTION),
    # The hidden comment's author asks for a review and may change it first.
    ("POST", "/moderation/<any(idea, comment):kind>/<int:item_id>/review",
     "/moderation/comment/{hidden_comment}/review", lambda c: {}, only({"employee": 302})),
    ("GET", "/moderation/comment/<int:item_id>/edit", "/moderation/comment/{hidden_comment}/edit",
     None, only({"employee": 200})),
    ("POST", "/moderation/comment/<int:item_id>/edit", "/moderation/comment/{hidden_comment}/edit",
     lambda c: {"body": "Without the name."}, only({"employee": 302})),
    ("POST", "/admin/users/<int:user_id>/moderator", "/admin/users/{user}/moderator",
     lambda c: {"moderator": "1"}, ADMIN_ONLY_ACTION),
    # Internal notes: heads of the owning (and affected) departments and leadership.
    ("POST", "/ideas/<int:idea_id>/notes", "/ideas/{idea}/notes",
     lambda c: {"note-body": "Legal says yes."}, only({"head": 302, "leader": 302})),
    ("GET", "/ideas/<int:idea_id>/notes/people", "/ideas/{idea}/notes/people?q=@Lea", None,
     only({"head": 200, "leader": 200})),
    ("GET", "/admin/audit", "/admin/audit", None, ADMIN_ONLY_PAGE),
    ("GET", "/admin/audit.csv", "/admin/audit.csv", None, ADMIN_ONLY_PAGE),
    ("GET", "/privacy", "/privacy", None, everyone(200) | {"anonymous": 200}),
]  # fmt: skip

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
        if not rule.rule.startswith("/api/v1")  # its own matrix: tests/api
    }
    covered = {(method, rule) for method, rule, *_ in MATRIX}
    assert served == covered


@pytest.mark.parametrize("method, url, data, role, expected", CASES)
def test_permission_matrix(browser, org, method, url, data, role, expected):
    idea = make_idea(org.employee, department=org.service, category=org.red_tape)
    comment = rules.add_comment(idea, org.other_employee, "A colleague's comment")
    other_idea = make_idea(org.other_employee, department=org.service, category=org.red_tape)
    needs_info = make_idea(org.employee, department=org.service, category=org.red_tape)
    lifecycle.transition(needs_info, "ask_info", org.head, "How often does it happen?")
    declined = make_idea(org.employee, department=org.service, category=org.red_tape)
    lifecycle.transition(declined, "decline", org.head, "Not now.")
    accepted = make_idea(org.employee, department=org.service, category=org.red_tape)
    commitment = lifecycle.accept(
        accepted, org.leader, owner=org.other_employee, promise="We fix it.",
        due_on=now().date().replace(year=now().year + 1),
    )  # fmt: skip
    hook = Webhook(name="Teams", url="https://hooks.example.com/x", secret="s" * 32,
                   events="idea.submitted", active=True)  # fmt: skip
    failed = OutboxMessage(channel="email", status="failed", kind="comment",
                           recipient="someone@example.org", subject="s", body_text="b")  # fmt: skip
    db.session.add_all([hook, failed])
    token, _secret = tokens.create_token(org.employee, name="Bot", scope="read", expires_in_days=9)
    hidden_comment = rules.add_comment(idea, org.other_employee, "A name that should not be here")
    moderation.hide(org.admin, idea, hidden_comment, "personal_data")
    reported = rules.add_comment(idea, org.other_employee, "Reported by a colleague")
    moderation.report(org.head, idea, reported, "offensive", "")
    db.session.commit()
    notification = db.session.scalars(
        select(Notification).where(Notification.user_id == org.employee.id)
    ).first()
    ctx = {
        "idea": idea.id, "comment": comment.id, "user": org.other_employee.id,
        "department": str(org.service.id), "category": str(org.red_tape.id),
        "other_idea": str(other_idea.id), "needs_info": needs_info.id, "declined": declined.id,
        "accepted": accepted.id, "commitment": commitment.id, "head": str(org.head.id),
        "other_department": str(org.sales.id), "today": now().date().isoformat(),
        "notification": notification.id, "webhook": hook.id, "message": failed.id,
        "token": token.id, "hidden_comment": hidden_comment.id,
        "reported": reported.id,
    }  # fmt: skip
    people = {"author": org.employee, "employee": org.other_employee, "head": org.head,
              "other_head": org.other_head, "leader": org.leader, "admin": org.admin}  # fmt: skip
    if role != "anonymous":
        browser.login(people[role])
    else:
        browser.get("/login")
    target = url.format(**ctx)
    response = browser.get(target) if method == "GET" else browser.post(target, data(ctx))
    body = response.get_data(as_text=True)
    assert response.status_code == expected, body[:600]
    if role == "anonymous" and expected == 302 and not target.startswith(("/language", "/logout")):
        assert response.location.startswith("/login")
    assert "Traceback" not in body
