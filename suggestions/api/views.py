"""The endpoints of /api/v1. Each one loads, asks the policy (inside the domain function, as the
pages do), acts through the same domain function the page calls, and commits once.

Writes read a JSON object and validate it with the page's own form (without CSRF: no cookie is
accepted here), so a field has the same rules and the same messages on the page and in the API.
Refusals: 403 when the person may not, 409 when the idea's state does not allow it (or it
changed meanwhile), 422 when the details are wrong."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..core.extensions import db
from ..ideas import queries as idea_queries
from ..ideas import rules
from ..ideas.forms import CommentForm, IdeaForm
from ..ideas.models import Idea
from ..ideas.views import _idea_form, _idea_text
from ..notify import inbox
from ..notify import queries as notify_queries
from ..org import queries as org_queries
from ..policy import require
from ..workflow import forms as workflow_forms
from ..workflow import lifecycle
from ..workflow import queries as workflow_queries
from ..workflow.models import Commitment
from ..workflow.views import ACTIONS, _prepare
from . import bp, presenters
from .problems import problem

MAX_PAGE_SIZE = 100
NOT_NOW = _l("This is not possible while the idea is in its current state.")


# -- helpers -----------------------------------------------------------------------------------


class Invalid(Exception):
    """The request's details are wrong: a 422 with the form's messages per field."""

    def __init__(self, detail, errors: dict | None = None):
        super().__init__(str(detail))
        self.detail = detail
        self.errors = errors or {}


@bp.errorhandler(Invalid)
def invalid(error: Invalid):
    db.session.rollback()
    errors = {name: [str(m) for m in messages] for name, messages in error.errors.items()}
    return problem(422, error.detail, errors=errors) if errors else problem(422, error.detail)


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid(_l("Please send a JSON object."))
    return data


def _formdata(data: dict[str, Any]) -> MultiDict:
    """A JSON object as the form fields a browser would send."""
    fields = MultiDict()
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item is True:
                fields.add(name, "y")
            elif item is False or item is None:
                continue  # an unchecked box, an empty field: not sent
            elif isinstance(item, str) and "\x00" in item:
                # No database stores it (PostgreSQL refuses it outright) and no one types it.
                raise Invalid(_l("Please check what you sent"), {name: [_l("Not a valid value.")]})
            elif isinstance(item, str | int | float):
                fields.add(name, str(item))
            else:
                raise Invalid(_l("Please check what you sent"), {name: [_l("Not a valid value.")]})
    return fields


def _validated(form):
    if not form.validate():
        errors = dict(form.errors)
        if form.form_errors:
            errors["_form"] = form.form_errors
        first = next((m for messages in errors.values() for m in messages), None)
        raise Invalid(first or _l("Please check what you sent"), errors)
    return form


def _limit(default: int = 20) -> int:
    value = request.args.get("limit", default, type=int)
    return max(1, min(value or default, MAX_PAGE_SIZE))


def _idea_body(idea, status: int = 200):
    voted = rules.has_voted(idea, current_user)
    body = presenters.idea_detail(idea, voted, idea_queries.timeline(idea))
    response = jsonify(body)
    response.status_code = status
    if status == 201:
        response.headers["Location"] = url_for("api.get_idea", idea_id=idea.id)
    return response


# -- who am I, and the organisation --------------------------------------------------------------


@bp.get("/me")
def me():
    user = current_user
    return jsonify(
        {
            "id": user.id,
            "name": user.display_name,
            "email": user.email,
            "role": user.role,
            "language": user.language,
            "department": presenters.department(user.department),
            "headed_departments": [presenters.department(d) for d in user.headed_departments],
            "token": presenters.token(g.api_token),
        }
    )


@bp.get("/departments")
def list_departments():
    return jsonify({"items": [presenters.department(d) for d in org_queries.departments()]})


@bp.get("/categories")
def list_categories():
    return jsonify({"items": [presenters.category(c) for c in org_queries.categories()]})


# -- ideas ---------------------------------------------------------------------------------------


def _cursor_args() -> MultiDict:
    """The list page's query string, with the API's ``cursor`` turned into the page's keyset
    (``a<key>``) or page number (``p<n>``, used while searching)."""
    args = MultiDict(request.args)
    cursor = args.pop("cursor", "") or ""
    args.pop("after", None), args.pop("before", None), args.pop("page", None)
    if cursor.startswith("a"):
        args["after"] = cursor[1:]
    elif cursor.startswith("p") and cursor[1:].isdigit():
        args["page"] = cursor[1:]
    return args


@bp.get("/ideas")
def list_ideas():
    current = idea_queries.IdeaFilter.from_args(_cursor_args())
    page = idea_queries.list_ideas(current_user, current, per_page=_limit())
    next_cursor = None
    if page.has_next:
        next_cursor = "a" + page.next_after if page.next_after and not current.q else None
        next_cursor = next_cursor or f"p{current.page + 1}"
    return jsonify(
        {
            "items": [presenters.idea_summary(i, i.id in page.voted_ids) for i in page.items],
            "total": page.total,
            "total_is_lower_bound": page.capped,
            "sort": current.sort,
            "next_cursor": next_cursor,
        }
    )


@bp.post("/ideas")
def create_idea():
    form = _validated(_idea_form(IdeaForm(formdata=_formdata(_body()), meta={"csrf": False})))
    idea = rules.submit_idea(current_user, _idea_text(form), anonymous=form.anonymous.data)
    db.session.commit()
    return _idea_body(idea_queries.get_idea_or_404(idea.id), 201)


@bp.get("/ideas/<int:idea_id>")
def get_idea(idea_id: int):
    return _idea_body(idea_queries.get_idea_or_404(idea_id))


@bp.patch("/ideas/<int:idea_id>")
def edit_idea(idea_id: int):
    idea = idea_queries.get_idea_or_404(idea_id)
    require(current_user, "idea.edit", idea)
    current = {
        "title": idea.title, "problem": idea.problem, "proposal": idea.proposal,
        "benefit": idea.benefit, "category": idea.category_id,
        "owning_department": idea.owning_department_id,
        "affected_departments": [d.id for d in idea.affected_departments],
        "hours_lost_per_month": idea.hours_lost_per_month,
        "customer_facing": idea.customer_facing,
    }  # fmt: skip
    changes = {k: v for k, v in _body().items() if k in current}
    form = IdeaForm(formdata=_formdata(current | changes), meta={"csrf": False})
    form = _validated(_idea_form(form, idea.category_id))
    rules.edit_idea(idea, current_user, _idea_text(form))
    db.session.commit()
    return _idea_body(idea_queries.get_idea_or_404(idea.id))


@bp.put("/ideas/<int:idea_id>/vote")
@bp.delete("/ideas/<int:idea_id>/vote")
def vote(idea_id: int):
    idea = db.get_or_404(Idea, idea_id)
    voted = rules.set_vote(idea, current_user, request.method == "PUT")
    body = {"idea_id": idea.id, "voted": voted, "vote_count": idea.vote_count}
    db.session.commit()
    return jsonify(body)


@bp.put("/ideas/<int:idea_id>/follow")
@bp.delete("/ideas/<int:idea_id>/follow")
def follow(idea_id: int):
    idea = db.get_or_404(Idea, idea_id)
    following = inbox.set_following(idea, current_user, request.method == "PUT")
    db.session.commit()
    return jsonify({"idea_id": idea_id, "following": following})


@bp.get("/ideas/<int:idea_id>/comments")
def list_comments(idea_id: int):
    idea = idea_queries.get_idea_or_404(idea_id)
    page = idea_queries.comments(idea, request.args.get("page", 1, type=int) or 1)
    return jsonify(
        {
            "items": [presenters.comment(c, idea) for c in page.items],
            "page": page.page,
            "pages": page.pages,
        }
    )


@bp.post("/ideas/<int:idea_id>/comments")
def add_comment(idea_id: int):
    idea = idea_queries.get_idea_or_404(idea_id)
    form = _validated(CommentForm(formdata=_formdata(_body()), meta={"csrf": False}))
    comment = rules.add_comment(idea, current_user, form.body.data, official=form.official.data)
    db.session.commit()
    response = jsonify(presenters.comment(comment, idea))
    response.status_code = 201
    return response


# -- the lifecycle -------------------------------------------------------------------------------


def _state_allows(idea, action: str) -> bool:
    return idea.status in lifecycle.STEPS[lifecycle.Action(action)].sources


@bp.post("/ideas/<int:idea_id>/actions/<any(" + ", ".join(ACTIONS) + "):action>")
def act(idea_id: int, action: str):
    """One step of the lifecycle, checked in the lifecycle's order: state, person, details."""
    idea = idea_queries.get_idea_or_404(idea_id)
    if not _state_allows(idea, action):
        return problem(409, NOT_NOW, status_now=idea.status)
    require(current_user, lifecycle.permission_for(action), idea)
    spec = ACTIONS[action]
    form = spec.form(formdata=_formdata(_body() if request.data else {}), meta={"csrf": False})
    form = _validated(_prepare(action, form, idea, fresh=False))
    try:
        spec.perform(idea, current_user, form)
    except lifecycle.IdeaChanged as error:
        db.session.rollback()
        return problem(409, error.message)
    db.session.commit()
    return _idea_body(idea_queries.get_idea_or_404(idea.id))


@bp.post("/ideas/<int:idea_id>/withdraw")
def withdraw(idea_id: int):
    return act(idea_id, "withdraw")


# -- commitments -----------------------------------------------------------------------------------


@bp.get("/commitments")
def list_commitments():
    current = workflow_queries.CommitmentFilter.from_args(request.args)
    summary = workflow_queries.commitment_summary(current)
    page = workflow_queries.list_commitments(current, summary)
    return jsonify(
        {
            "items": [presenters.commitment(c) for c in page.items],
            "page": page.page,
            "pages": page.pages,
            "total": page.total,
            "kept_on_time_rate": summary.kept_on_time_rate,
        }
    )


@bp.get("/commitments/<int:commitment_id>")
def get_commitment(commitment_id: int):
    commitment = db.get_or_404(Commitment, commitment_id)
    updates = workflow_queries.updates_of([commitment.id])[commitment.id]
    return jsonify(presenters.commitment(commitment, updates))


@bp.post("/commitments/<int:commitment_id>/updates")
def post_commitment_update(commitment_id: int):
    commitment = db.get_or_404(Commitment, commitment_id)
    require(current_user, "commitment.update", commitment)
    form = workflow_forms.CommitmentUpdateForm(formdata=_formdata(_body()), meta={"csrf": False})
    _validated(form)
    lifecycle.post_commitment_update(commitment, current_user, form.body.data)
    db.session.commit()
    updates = workflow_queries.updates_of([commitment.id])[commitment.id]
    response = jsonify(presenters.commitment(commitment, updates))
    response.status_code = 201
    return response


# -- the person's own notifications --------------------------------------------------------------


@bp.get("/notifications")
def list_notifications():
    page = notify_queries.notifications_page(current_user, request.args.get("before", type=int))
    return jsonify(
        {
            "items": [presenters.notification(n) for n in page.items],
            "next_before": page.next_before,
        }
    )
