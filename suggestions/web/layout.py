"""The page header of a signed-in person (navigation, bell, user menu), drawn once per key.

Drawing it asked the policy six times and built fifteen URLs on every page. Its HTML is kept
in ``core.cache`` under a key that holds everything it shows: the links the person may see
and which one is the current page, the bell's count, the person's name, role and department,
the page's language and address prefix. The macro (templates/_topbar.html) is handed exactly
these and asks nothing itself, so another person's permissions, a new notification or a
renamed department are another key, never a stale header. The CSRF token of the sign-out
form is the one part per request: drawn as ``core.cache.SLOT``, put in by each page.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, request
from markupsafe import Markup, escape

from ..core.cache import SLOT, fragments
from ..policy import can
from .templating import locale, viewer

Current = Callable[[str, str], bool]  # (endpoint, path) -> is this link the current page?


def _endpoint_is(name: str) -> Current:
    return lambda endpoint, _path: endpoint == name


def _campaigns(endpoint: str, _path: str) -> bool:
    return endpoint.startswith("decisions.campaign")


def _ledger(endpoint: str, _path: str) -> bool:
    return endpoint.startswith("ledger.") and endpoint != "ledger.my_measurements"


def _moderation(endpoint: str, path: str) -> bool:
    return endpoint.startswith("governance.") and "moderation" in path


def _admin(_endpoint: str, path: str) -> bool:
    return "admin" in path


# (endpoint, the permission that shows the link (None: everyone), is it the current page?), in
# the order of the bar.
NAVIGATION: tuple[tuple[str, str | None, Current], ...] = (
    ("ideas.list_ideas", None, _endpoint_is("ideas.list_ideas")),
    ("workflow.department_queue", "queue.department", _endpoint_is("workflow.department_queue")),
    ("workflow.leadership_queue", "queue.leadership", _endpoint_is("workflow.leadership_queue")),
    ("workflow.commitments", None, _endpoint_is("workflow.commitments")),
    ("decisions.campaigns", None, _campaigns),
    ("ledger.list_items", "ledger.view", _ledger),
    ("insights.dashboard", "insights.dashboard", _endpoint_is("insights.dashboard")),
    ("insights.you_said_we_did", None, _endpoint_is("insights.you_said_we_did")),
    ("governance.queue", "moderation.queue", _moderation),
    ("auth.admin_users", "admin.manage", _admin),
)  # fmt: skip


def navigation(person, endpoint: str, path: str) -> tuple[tuple[str, bool], ...]:
    """(endpoint, is it the current page) of each link the person may see."""
    return tuple(
        (name, current(endpoint, path))
        for name, permission, current in NAVIGATION
        if permission is None or can(person, permission)
    )


def topbar(unread: str | None, token: str) -> Markup:
    """The signed-in person's header for this page (``unread``: the bell's label)."""
    person = viewer()
    endpoint = request.endpoint or ""
    department = person.department.name if person.department else None
    key = (
        locale(),
        request.script_root,  # the links
        navigation(person, endpoint, request.path),
        endpoint == "notify.list_notifications",
        unread,
        person.display_name,
        person.role,
        department,
    )
    html = fragments("topbar").get(key, lambda: str(_macro()(*key[2:], SLOT)))
    return Markup(html.replace(SLOT, str(escape(token))))  # noqa: S704 - drawn by a template


def _macro():
    return current_app.jinja_env.get_template("_topbar.html").module.topbar


def init_app(app: Flask) -> None:
    app.jinja_env.globals["topbar"] = topbar
