"""The permission matrix: every route x every role x the expected status, and the outcome
behind the status: a redirect that stands for success carries no error and does not lead to
the login page, and a refusal (401, 403, 404, 410) changes nothing in the database.

``test_every_route_is_in_the_matrix`` fails when a route is added without a row here.

The data and a signed-in browser per role are built once for the module and reused while a
test leaves the database as it found it; a test that changed it (a successful post) has the
data, the app and the browsers built again for the next one. Limits are reset before each
request (``tests/auth`` tests them), so no test sees another's traces.
"""

import io
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import select

from suggestions.auth import tokens
from suggestions.auth.models import User
from suggestions.core.clock import now
from suggestions.core.extensions import db, limiter
from suggestions.governance import moderation
from suggestions.ideas import rules
from suggestions.ledger.models import Measurement
from suggestions.notify.models import Notification, OutboxMessage, Webhook
from suggestions.notify.rules import PREFERENCES
from suggestions.people import uploads
from suggestions.workflow import campaigns, lifecycle
from suggestions.workflow.declines import DeclineReason
from suggestions.workflow.views import ACTIONS

from .conftest import Browser, Snapshot, _empty_tables, every_row, make_app
from .factories import make_idea, make_org

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
LEDGER_MAINTAINERS = only({"head": 200, "other_head": 200, "admin": 200})
REVIEW_READERS = only({"leader": 200, "admin": 200})


def _pdf_status() -> int:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return 503  # the page that says WeasyPrint is missing (CI installs it)
    return 200


PDF_STATUS = _pdf_status()


class _Upload(io.BytesIO):
    """A file a test can send again: the test client closes what it sent."""

    def close(self):
        self.seek(0)


def csv_upload(text: str):
    return (_Upload(text.encode("utf-8")), "people.csv")


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
            # Only a head: leadership decides already (the API's matrix says the same).
            ("escalate", "idea", lambda c: {}, only({"head": 302})),
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
    # The bureaucracy ledger: everyone reads it; admins and heads (their departments) maintain.
    ("GET", "/ledger", "/ledger", None, everyone(200)),
    ("GET", "/ledger/search", "/ledger/search?ledger_q=travel", None, everyone(200)),
    ("GET", "/ledger/new", "/ledger/new", None, LEDGER_MAINTAINERS),
    (
        "POST",
        "/ledger/new",
        "/ledger/new",
        lambda c: {
            "kind": "form",
            "title": "A new form",
            "department": c["department"],
            "owner": "0",
        },  # fmt: skip
        # The other head may not choose a department they do not lead.
        only({"head": 302, "admin": 302, "other_head": 422}),
    ),
    ("GET", "/ledger/<int:item_id>", "/ledger/{item}", None, everyone(200)),
    (
        "GET",
        "/ledger/<int:item_id>/edit",
        "/ledger/{item}/edit",
        None,
        only({"head": 200, "admin": 200}),
    ),
    (
        "POST",
        "/ledger/<int:item_id>/edit",
        "/ledger/{item}/edit",
        lambda c: {
            "kind": "form",
            "title": "Travel form, renamed",
            "department": c["department"],
            "owner": "0",
        },  # fmt: skip
        only({"head": 302, "admin": 302}),
    ),
    ("GET", "/ledger/import", "/ledger/import", None, LEDGER_MAINTAINERS),
    # No file: the form again, with the error.
    (
        "POST",
        "/ledger/import",
        "/ledger/import",
        lambda c: {},
        only({"head": 422, "other_head": 422, "admin": 422}),
    ),
    (
        "POST",
        "/ledger/import/confirm",
        "/ledger/import/confirm",
        lambda c: {"content": "kind;title;department\nform;Imported form;Customer Service\n"},
        only({"head": 302, "admin": 302, "other_head": 422}),
    ),
    (
        "POST",
        "/ideas/<int:idea_id>/ledger-changes",
        "/ideas/{implemented}/ledger-changes",
        lambda c: {"item": c["item"], "kind": "digitised"},
        DELIVERERS,
    ),
    (
        "POST",
        "/ideas/<int:idea_id>/impact",
        "/ideas/{accepted}/impact",
        lambda c: {
            "item": "0",
            "baseline_minutes": "30",
            "baseline_cases": "10",
            "target_minutes": "5",
            "target_cases": "10",
        },  # fmt: skip
        DECIDERS,
    ),
    (
        "POST",
        "/ideas/<int:idea_id>/measurements/<int:measurement_id>",
        "/ideas/{implemented}/measurements/{measurement}",
        lambda c: {
            f"m{c['measurement']}-minutes_per_case": "10",
            f"m{c['measurement']}-cases_per_month": "10",
        },  # fmt: skip
        DELIVERERS,
    ),
    ("GET", "/measurements", "/measurements", None, everyone(200)),
    # The review pack: leadership and admins read it, leaders make one.
    ("GET", "/insights/review-packs", "/insights/review-packs", None, REVIEW_READERS),
    (
        "POST",
        "/insights/review-packs",
        "/insights/review-packs",
        lambda c: {"month": "2026-01"},
        only({"leader": 302}),
    ),
    (
        "GET",
        "/insights/review-packs/<int:year>-<int:month>",
        "/insights/review-packs/2026-01",
        None,
        REVIEW_READERS,
    ),
    (
        "GET",
        "/insights/review-packs/<int:year>-<int:month>.pdf",
        "/insights/review-packs/2026-01.pdf",
        None,
        only({"leader": PDF_STATUS, "admin": PDF_STATUS}),
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
    # People (suggestions/people): the import, erasure, a person's own data.
    ("GET", "/admin/people/import", "/admin/people/import", None, ADMIN_ONLY_PAGE),
    (
        "POST",
        "/admin/people/import",
        "/admin/people/import",
        # A line with an error: the preview (422) keeps nothing, so nothing can change.
        lambda c: {
            "file": csv_upload("email;name;department\nx@example.org;X;Nowhere\n"),
            "encoding": "utf-8",
        },  # fmt: skip
        only({"admin": 422}),
    ),
    (
        "POST",
        "/admin/people/import/confirm",
        "/admin/people/import/confirm",
        lambda c: {"token": c["people_upload"]},
        ADMIN_ONLY_ACTION,
    ),
    (
        "GET",
        "/admin/people/import/sample.csv",
        "/admin/people/import/sample.csv",
        None,
        ADMIN_ONLY_PAGE,
    ),  # fmt: skip
    ("GET", "/admin/users/<int:user_id>/erase", "/admin/users/{user}/erase", None, ADMIN_ONLY_PAGE),
    (
        "POST",
        "/admin/users/<int:user_id>/erase",
        "/admin/users/{user}/erase",
        # Not the person's address: refused (422), so no one is erased by the walk.
        lambda c: {"confirm_email": "not-their-address@example.org"},
        only({"admin": 422}),
    ),
    ("POST", "/account/personal-data", "/account/personal-data", lambda c: {}, everyone(200)),
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
    # Fair decisions (workflow.decision_views): settings and reasons for admins, scorecards for
    # heads and leadership (never employees), campaigns asked by leadership, answered by all.
    ("GET", "/admin/decisions", "/admin/decisions", None, ADMIN_ONLY_PAGE),
    (
        "POST",
        "/admin/decisions",
        "/admin/decisions",
        lambda c: {"breadth_supporters": "20", "breadth_departments": "2"},
        ADMIN_ONLY_ACTION,
    ),
    ("GET", "/admin/decline-reasons/new", "/admin/decline-reasons/new", None, ADMIN_ONLY_PAGE),
    (
        "POST",
        "/admin/decline-reasons/new",
        "/admin/decline-reasons/new",
        lambda c: {"name_en": "Budget frozen", "name_de": "Budgetstopp", "position": "5"},
        ADMIN_ONLY_ACTION,
    ),
    (
        "GET",
        "/admin/decline-reasons/<int:reason_id>",
        "/admin/decline-reasons/{reason}",
        None,
        ADMIN_ONLY_PAGE,
    ),
    (
        "POST",
        "/admin/decline-reasons/<int:reason_id>",
        "/admin/decline-reasons/{reason}",
        lambda c: {"name_en": "Law", "name_de": "Gesetz", "position": "1", "active": "y"},
        ADMIN_ONLY_ACTION,
    ),
    ("GET", "/insights/decisions", "/insights/decisions", None, INSIGHTS),
    (
        "POST",
        "/ideas/<int:idea_id>/scorecard",
        "/ideas/{idea}/scorecard",
        lambda c: {"impact": "4", "effort": "2", "cost": "2", "risk": "1"},
        only({"head": 302, "other_head": 302, "leader": 302}),
    ),
    ("GET", "/campaigns", "/campaigns", None, everyone(200)),
    ("GET", "/campaigns/new", "/campaigns/new", None, only({"leader": 200})),
    (
        "POST",
        "/campaigns/new",
        "/campaigns/new",
        lambda c: {"question": "Which form could go?", "deadline": c["today"]},
        only({"leader": 302}),
    ),
    ("GET", "/campaigns/<int:campaign_id>", "/campaigns/{campaign}", None, everyone(200)),
    (
        "GET",
        "/campaigns/<int:campaign_id>/ideas/new",
        "/campaigns/{campaign}/ideas/new",
        None,
        everyone(200),
    ),
    (
        "POST",
        "/campaigns/<int:campaign_id>/ideas/new",
        "/campaigns/{campaign}/ideas/new",
        idea_form,
        everyone(302),
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


def _people_upload(org):
    """A people import waiting for the admin's confirmation: one new person."""
    return uploads.keep(
        org.admin, filename="people.csv", deactivate_missing=False,
        text="email;name;department;role;language\n"
        f"new.person@example.com;New Person;{org.service.name};employee;en\n",
    )  # fmt: skip


def _ledger_setup(org):
    """A form of the service department, an implemented idea that names it (delivered by the
    colleague from sales), its baseline and target and the 30-day measurement it asks for, and
    the review pack of January 2026."""
    from datetime import date, datetime

    from suggestions.insights.review_pack import make_pack
    from suggestions.ledger import impact
    from suggestions.ledger import rules as ledger_rules

    item = ledger_rules.create_item(org.head, ledger_rules.ItemFields(
        "form", "Travel request form", "", org.service, None, 100, 20, 2, 1))  # fmt: skip
    idea = make_idea(org.employee, department=org.service, category=org.red_tape)
    ledger_rules.link_items(idea, [item.id])
    lifecycle.accept(idea, org.head, owner=org.other_employee, promise="Gone.",
                     due_on=now().date(), estimated_cost=Decimal(10))  # fmt: skip
    lifecycle.implement(idea, org.head, change_summary="Gone.")
    impact.record_plan(idea, org.head, impact.Figures(20, 100), impact.Figures(0, 0), item)
    impact.ask_for_measurements(datetime.combine(now().date(), datetime.min.time()).replace(
        year=now().year + 1))  # fmt: skip
    make_pack(date(2026, 1, 1))
    db.session.commit()
    measurement = db.session.scalars(select(Measurement)).first()
    return item, idea, measurement


CASES = [
    pytest.param(method, url, data, role, expected[role], id=f"{method} {url} as {role}")
    for method, _rule, url, data, expected in MATRIX
    for role in ROLES
]


# One worker runs the module in a row (make test: --dist loadgroup): its data, kept between
# tests, must not meet another module's test, which expects an empty database.
pytestmark = pytest.mark.xdist_group("permission_matrix")

REFUSALS = {401, 403, 404, 410}


def build_data() -> tuple[dict, dict]:
    """The matrix's data: the ids its urls and forms use, and a person for each role."""
    org = make_org()
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
    ledger_item, implemented, measurement = _ledger_setup(org)
    people_upload = _people_upload(org)
    hook = Webhook(name="Teams", url="https://hooks.example.com/x", secret="s" * 32,
                   events="idea.submitted", active=True)  # fmt: skip
    failed = OutboxMessage(channel="email", status="failed", kind="comment",
                           recipient="someone@example.org", subject="s", body_text="b")  # fmt: skip
    db.session.add_all([hook, failed])
    token, _secret = tokens.create_token(org.employee, name="Bot", scope="read", expires_in_days=9)
    reason = DeclineReason(name_en="Matrix reason", name_de="Matrixgrund", position=1)
    db.session.add(reason)
    campaign = campaigns.create_campaign(
        org.leader, question="Which approval step could we drop?", deadline=now().date()
    )
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
        "token": token.id, "reason": reason.id, "campaign": campaign.id, "item": ledger_item.id,
        "implemented": implemented.id, "measurement": measurement.id,
        "people_upload": people_upload.token,
        "hidden_comment": hidden_comment.id, "reported": reported.id,
    }  # fmt: skip
    people = {"author": org.employee, "employee": org.other_employee, "head": org.head,
              "other_head": org.other_head, "leader": org.leader, "admin": org.admin}  # fmt: skip
    return ctx, people


# The audit log records refused attempts too (a failed sign-in): that is its purpose.
NOT_STATE = frozenset({"audit_entries"})


def fingerprint() -> list:
    """Every row of every table: what "nothing changed" means."""
    return every_row(leave_out=NOT_STATE)


class World:
    """The module's app, its data, a signed-in browser per role (signed in when first asked
    for) and the fingerprint of the database as the data left it."""

    def __init__(self, database_url: str):
        self.database_url = database_url
        self.app: Flask | None = None
        self._context = None
        # The data as built, put back instead of built again after a test changed it.
        self._built: Snapshot | None = None
        self.build()

    def build(self) -> None:
        self.close()
        restored = self._built is not None
        if restored:
            self._built.restore()
        self.app = make_app(self.database_url)  # a new app: nothing kept from the last one
        self._context = self.app.app_context()
        self._context.push()
        if not restored:
            self.ctx, people = build_data()
            self._people_ids = {role: person.id for role, person in people.items()}
            db.session.remove()
            db.engine.dispose()  # PostgreSQL copies only a database nobody is connected to
            self._built = Snapshot(self.database_url)
        self.people = {role: db.session.get(User, id) for role, id in self._people_ids.items()}
        self.browsers: dict[str, Browser] = {}
        self.state = fingerprint()
        if not restored:
            self._as_built = self.state
        assert self.state == self._as_built, "the data put back differs from the data as built"

    def browser(self, role: str) -> Browser:
        """A fresh browser for anonymous visitors (a language chosen before stays with no
        one); for everyone else the one that signed in for the module."""
        if role == "anonymous":
            browser = Browser(self.app)
            browser.get("/login")
            return browser
        if role not in self.browsers:
            browser = Browser(self.app)
            browser.login(self.people[role])
            self.browsers[role] = browser
            self.state = fingerprint()  # signing in may note the time, say
        return self.browsers[role]

    def close(self) -> None:
        if self._context is not None:
            db.session.remove()
            _empty_tables()
            db.engine.dispose()
            self._context.pop()
            self._context = None


@pytest.fixture(scope="module")
def world(database_url):
    world = World(database_url)
    try:
        yield world
    finally:
        world.close()
        if world._built is not None:
            world._built.drop()


def flashed(browser: Browser) -> list[tuple[str, str]]:
    with browser.client.session_transaction() as session:
        return list(session.get("_flashes", []))


def signed_in(browser: Browser) -> bool:
    with browser.client.session_transaction() as session:
        return "_user_id" in session


def test_every_route_is_in_the_matrix(world):
    served = {
        (method, rule.rule)
        for rule in world.app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if not rule.rule.startswith("/api/v1")  # its own matrix: tests/api
    }
    covered = {(method, rule) for method, rule, *_ in MATRIX}
    assert served == covered


@pytest.mark.parametrize("method, url, data, role, expected", CASES)
def test_permission_matrix(world, method, url, data, role, expected):
    visit(world, method, url, data, role, expected)


def test_a_redirect_that_refuses_is_no_success(world):
    """Acknowledging an accepted idea is not possible: the redirect back carries the error,
    which is what tells it from the redirect after a decision."""
    with pytest.raises(AssertionError, match="not possible"):
        visit(world, "POST", "/ideas/{accepted}/acknowledge", lambda c: {}, "head", 302)
    visit(world, "POST", "/ideas/{idea}/acknowledge", lambda c: {}, "head", 302)


def visit(world, method, url, data, role, expected) -> None:
    """One row's request as one role, its status and its outcome."""
    browser = world.browser(role)
    with browser.client.session_transaction() as session:
        session.pop("_flashes", None)  # a message from an earlier test's redirect
    limiter.reset()
    target = url.format(**world.ctx)
    form = data(world.ctx) if method != "GET" else None
    response = browser.get(target) if method == "GET" else browser.post(target, form)
    body = response.get_data().decode("utf-8", "replace")  # a download (ZIP) is not text
    assert response.status_code == expected, body[:600]
    assert "Traceback" not in body
    changed = fingerprint() != world.state

    if expected in REFUSALS:
        assert not changed, f"{method} {target} was refused to {role} but changed the data"
    if expected == 302 and role == "anonymous":
        if not target.startswith(("/language", "/logout")):
            assert response.location.startswith("/login")
    elif expected == 302 and target == "/logout":
        assert not signed_in(browser)
    elif expected == 302 and method == "POST":
        # Success, not a refusal that redirects: no error on the way, not sent to sign in.
        errors = [message for category, message in flashed(browser) if category == "error"]
        assert not errors, f"{method} {target} as {role}: {errors}"
        assert not response.location.startswith("/login"), response.location

    if changed:
        world.build()  # the next test starts from the data as built
    elif role in world.browsers and not signed_in(browser):
        del world.browsers[role]  # signed out (or its session ended): sign in again
