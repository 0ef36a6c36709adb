"""The OpenAPI 3.1 document of /api/v1, built from the code.

The paths come from the URL map (every route of the ``api`` blueprint, so no endpoint can be
left out; a test checks each has a description here), the shapes from the JSON Schemas below,
kept beside the presenters they describe. We build it ourselves rather than through apispec or
flask-smorest: the API validates its input with the pages' WTForms forms (one set of rules and
messages for both), which those libraries would want replaced by marshmallow schemas, and
OpenAPI 3.1 is plain JSON Schema, so a small dictionary says it all."""

from __future__ import annotations

import re
from typing import Any

from flask import current_app, jsonify, render_template, url_for

from ..ideas.models import IdeaStatus
from ..ideas.queries import RELEVANCE, SORTS
from ..insights.forms import RANGES
from ..notify.webhooks import EVENTS
from ..workflow.queries import VIEWS
from ..workflow.views import ACTIONS
from . import bp


def _nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


STAMP = {"type": "string", "format": "date-time"}
DAY = {"type": "string", "format": "date"}
STATUS = {"type": "string", "enum": [s.value for s in IdeaStatus]}

SCHEMAS: dict[str, dict] = {
    "Problem": _object(
        {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            "status_now": STATUS,
        },
        required=["type", "title", "status"],
    ),
    "Department": _object({"id": {"type": "integer"}, "name": {"type": "string"}}),
    "Category": _object(
        {"id": {"type": "integer"}, "name": {"type": "string"}, "active": {"type": "boolean"}}
    ),
    "Person": _object(
        {
            "id": _nullable("integer"),
            "name": {"type": "string"},
            "department": {"anyOf": [_ref("Department"), {"type": "null"}]},
        }
    ),
    "Token": _object(
        {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "prefix": {"type": "string"},
            "scope": {"type": "string", "enum": ["read", "write"]},
            "created_at": STAMP,
            "expires_at": _nullable("string", format="date-time"),
            "last_used_at": _nullable("string", format="date-time"),
        }
    ),
    "Me": _object(
        {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "email": {"type": "string"},
            "role": {"type": "string", "enum": ["employee", "head", "leader", "admin"]},
            "language": _nullable("string"),
            "department": {"anyOf": [_ref("Department"), {"type": "null"}]},
            "headed_departments": {"type": "array", "items": _ref("Department")},
            "token": _ref("Token"),
        }
    ),
    "IdeaSummary": _object(
        {
            "id": {"type": "integer"},
            "title": _nullable("string"),
            "hidden": {
                "description": "Why moderation hides it (offensive, personal_data, confidential, "
                "other, awaiting_approval), or null. Hidden: its words are null except for its "
                "author and moderators.",
                "anyOf": [{"type": "string"}, {"type": "null"}],
            },
            "status": STATUS,
            "category": _ref("Category"),
            "owning_department": _ref("Department"),
            "author": {
                "description": "Null when the idea is anonymous (except for its author) or "
                "the account was removed.",
                "anyOf": [_ref("Person"), {"type": "null"}],
            },
            "anonymous": {"type": "boolean"},
            "vote_count": {"type": "integer"},
            "comment_count": {"type": "integer"},
            "voted": {"type": "boolean"},
            "customer_facing": {"type": "boolean"},
            "created_at": STAMP,
            "updated_at": STAMP,
            "status_changed_at": STAMP,
            "url": {"type": "string"},
        }
    ),
    "Event": _object(
        {
            "id": {"type": "integer"},
            "kind": {"type": "string"},
            "from_status": _nullable("string"),
            "to_status": _nullable("string"),
            "note": _nullable("string"),
            "actor": {
                "type": "string",
                "description": "A name, “The author” or “Former employee”: never an id.",
            },  # fmt: skip
            "department": {"anyOf": [_ref("Department"), {"type": "null"}]},
            "related_idea_id": _nullable("integer"),
            "amount": _nullable("string"),
            "created_at": STAMP,
        }
    ),
    "Comment": _object(
        {
            "id": {"type": "integer"},
            "idea_id": {"type": "integer"},
            "body": _nullable("string"),
            "hidden": {
                "description": "Why moderation hides it (offensive, personal_data, confidential, "
                "other, awaiting_approval), or null. Hidden: its words are null except for its "
                "author and moderators.",
                "anyOf": [{"type": "string"}, {"type": "null"}],
            },
            "author": _ref("Person"),
            "official": {"type": "boolean"},
            "created_at": STAMP,
        }
    ),
    "CommitmentUpdate": _object(
        {
            "id": {"type": "integer"},
            "body": {"type": "string"},
            "author": {"type": "string"},
            "created_at": STAMP,
        }
    ),
    "Commitment": _object(
        {
            "id": {"type": "integer"},
            "idea_id": {"type": "integer"},
            "idea_title": {"type": "string"},
            "promise": {"type": "string"},
            "owner": {
                "anyOf": [
                    _object({"id": {"type": "integer"}, "name": {"type": "string"}}),
                    {"type": "null"},
                ]
            },
            "due_on": DAY,
            "state": {"type": "string", "enum": ["open", "kept", "kept_late", "broken"]},
            "created_at": STAMP,
            "closed_at": _nullable("string", format="date-time"),
            "delivered_on": _nullable("string", format="date"),
            "close_reason": _nullable("string"),
            "updates": {"type": "array", "items": _ref("CommitmentUpdate")},
        },
        required=["id", "idea_id", "promise", "owner", "due_on", "state"],
    ),
    "Notification": _object(
        {
            "id": {"type": "integer"},
            "kind": {"type": "string"},
            "idea_id": _nullable("integer"),
            "idea_title": _nullable("string"),
            "to_status": _nullable("string"),
            "detail": _nullable("string"),
            "actor": _nullable("string"),
            "department": {"anyOf": [_ref("Department"), {"type": "null"}]},
            "created_at": STAMP,
            "read_at": _nullable("string", format="date-time"),
        }
    ),
    "Vote": _object(
        {
            "idea_id": {"type": "integer"},
            "voted": {"type": "boolean"},
            "vote_count": {"type": "integer"},
        }
    ),  # fmt: skip
    "Follow": _object({"idea_id": {"type": "integer"}, "following": {"type": "boolean"}}),
    "IdeaInput": {
        "type": "object",
        "description": "The submit form's fields; ids of a category and departments.",
        "properties": {
            "title": {"type": "string", "maxLength": 150},
            "problem": {"type": "string"},
            "proposal": {"type": "string"},
            "benefit": {"type": "string"},
            "category": {"type": "integer"},
            "owning_department": {"type": "integer"},
            "affected_departments": {"type": "array", "items": {"type": "integer"}},
            "hours_lost_per_month": _nullable("integer"),
            "customer_facing": {"type": "boolean"},
            "anonymous": {"type": "boolean"},
        },
        "required": ["title", "problem", "proposal", "benefit", "category", "owning_department"],
    },
    "CommentInput": _object(
        {"body": {"type": "string"}, "official": {"type": "boolean"}}, required=["body"]
    ),
    "ActionInput": {
        "type": "object",
        "description": "The fields of the action's form on the idea page: `note` (required "
        "for ask_info, provide_info, decline, reopen, implement, just_do_it, "
        "break_commitment); accept: `owner`, `promise`, `due_on`, `estimated_cost`; "
        "estimate_cost: `amount`; transfer: `department`; mark_duplicate: `survivor`; "
        "implement and just_do_it: `change_summary`, `implemented_on` (and `cost`). "
        "`revision` (from the idea) refuses the step with 409 if the idea changed.",
        "properties": {
            name: schema
            for name, schema in {
                "note": {"type": "string"},
                "revision": {"type": "integer"},
                "owner": {"type": "integer"},
                "promise": {"type": "string"},
                "due_on": DAY,
                "estimated_cost": {"type": "string"},
                "amount": {"type": "string"},
                "department": {"type": "integer"},
                "survivor": {"type": "integer"},
                "change_summary": {"type": "string"},
                "implemented_on": DAY,
                "cost": {"type": "string"},
            }.items()
        },
    },
    "CommitmentUpdateInput": _object({"body": {"type": "string"}}),
}
SCHEMAS["Idea"] = {
    "allOf": [_ref("IdeaSummary")],
    **_object(
        {
            "problem": _nullable("string"),
            "proposal": _nullable("string"),
            "benefit": _nullable("string"),
            "affected_departments": {"type": "array", "items": _ref("Department")},
            "hours_lost_per_month": _nullable("integer"),
            "estimated_cost": _nullable("string"),
            "version": {"type": "integer"},
            "revision": {"type": "integer"},
            "duplicate_of_id": _nullable("integer"),
            "implemented_on": _nullable("string", format="date"),
            "change_summary": _nullable("string"),
            "timeline": {"type": "array", "items": _ref("Event")},
        }
    ),
}


def _list(item: str, **extra) -> dict:
    return _object({"items": {"type": "array", "items": _ref(item)}, **extra})


SCHEMAS |= {
    "IdeaList": _list(
        "IdeaSummary",
        total={"type": "integer"},
        total_is_lower_bound={"type": "boolean"},
        sort={"type": "string"},
        next_cursor=_nullable("string"),
    ),
    "CommentList": _list("Comment", page={"type": "integer"}, pages={"type": "integer"}),
    "CommitmentList": _list(
        "Commitment",
        page={"type": "integer"},
        pages={"type": "integer"},
        total={"type": "integer"},
        kept_on_time_rate=_nullable("number"),
    ),
    "NotificationList": _list("Notification", next_before=_nullable("integer")),
    "DepartmentList": _list("Department"),
    "CategoryList": _list("Category"),
}

_COUNT = {"type": "integer"}
_RATE = _nullable("number", description="0 to 1; null when there is nothing to divide by.")
_SHARE = _object({"part": _COUNT, "whole": _COUNT, "rate": _RATE})
_GROUP = {
    "oneOf": [
        {"type": "null"},
        _object({
            "department_id": _nullable("integer", description="null: the pooled or total row"),
            "people": _COUNT,
            "figures": {
                "oneOf": [{"type": "null"}, {"type": "object", "additionalProperties": _SHARE}],
                "description": "null: the group is smaller than min_group_size, so withheld.",
            },
        }),
    ]
}  # fmt: skip
_GROUPED = _object({
    "rows": {"type": "array", "items": _GROUP}, "pooled": _GROUP, "total": _GROUP,
    "hidden_departments": _COUNT, "min_group_size": _COUNT,
})  # fmt: skip
_STAT = _object(
    {"count": _COUNT, "median_days": _nullable("number"), "p90_days": _nullable("number")}
)
_COMPLIANCE = _object({"on_time": _COUNT, "late": _COUNT, "not_due": _COUNT, "rate": _RATE})
_SAVINGS = _object({"ideas": _COUNT, "hours": _COUNT, "by_empowerment": _COUNT,
                    "hours_by_empowerment": _COUNT})  # fmt: skip
_OPEN_IDEA = _object({"id": _COUNT, "title": {"type": "string"}, "votes": _COUNT,
                      "department": {"type": "string"}, "days_waiting": _COUNT})  # fmt: skip

SCHEMAS["Figures"] = _object({
    "as_of": STAMP, "start": DAY, "end": DAY,
    "departments": {"type": "array", "items": _ref("Department")},
    "submitted": _COUNT,
    "funnel": {"type": "object", "additionalProperties": _COUNT,
               "description": "Ideas submitted in the range, by their status now."},
    "durations": {"type": "object", "additionalProperties": _STAT,
                  "description": "first_response, decision, implementation: days."},
    "sla": _object({"first_response_days": _COUNT, "decision_days": _COUNT,
                    "first_response": _COMPLIANCE, "decision": _COMPLIANCE}),
    "promises": _object({name: _COUNT for name in ("kept", "kept_late", "broken",
                         "fell_due_open", "open_now", "overdue_now")}
                        | {"kept_on_time_rate": _RATE}),
    "participation": _GROUPED,
    "cross_department": _GROUPED,
    "hours_saved": _object({"in_range": _SAVINGS, "all_time": _SAVINGS}),
    "most_voted": {"type": "array", "items": _OPEN_IDEA},
    "longest_waiting": {"type": "array", "items": _OPEN_IDEA},
})  # fmt: skip

WEBHOOK_PAYLOAD = _object(
    {
        "text": {"type": "string", "description": "Slack: the sentence with a link."},
        "@type": {"const": "MessageCard"},
        "@context": {"type": "string"},
        "summary": {"type": "string"},
        "title": {"type": "string"},
        "sections": {"type": "array", "description": "Microsoft Teams connector card."},
        "potentialAction": {"type": "array"},
        "attachments": {"type": "array", "description": "Slack attachment fields."},
        "freiraum": _object(
            {
                "event": {"type": "string", "enum": list(EVENTS)},
                "idea": _object(
                    {
                        "id": {"type": "integer"},
                        "title": {"type": "string"},
                        "status": STATUS,
                        "department": _nullable("string"),
                        "votes": {"type": "integer"},
                        "url": {"type": "string"},
                    }
                ),
                "from_status": _nullable("string"),
                "to_status": _nullable("string"),
                "note": _nullable("string"),
                "actor": {
                    "type": "string",
                    "description": "A name, or “The author” for an anonymous author's own act.",
                },
                "comment_id": _nullable("integer"),
            }
        ),
    }
)

# endpoint -> what the document says of it. Statuses besides 200 that it may answer.
_IDEA = {"name": "idea_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_COMMITMENT = {
    "name": "commitment_id", "in": "path", "required": True, "schema": {"type": "integer"},
}  # fmt: skip


def _query(name: str, schema: dict, description: str = "") -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}  # fmt: skip


IDEA_FILTERS = [
    _query("status", STATUS),
    _query("department", {"type": "integer"}, "Owning department id."),
    _query("category", {"type": "integer"}),
    _query("mine", {"type": "string", "enum": ["1"]}, "Only my ideas."),
    _query("overdue", {"type": "string", "enum": ["1"]}),
    _query("sort", {"type": "string", "enum": [*SORTS, RELEVANCE]}),
    _query("q", {"type": "string", "maxLength": 500}, "Full-text search."),
    _query("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
    _query("cursor", {"type": "string"}, "`next_cursor` of the previous page."),
]

OPERATIONS: dict[str, dict[str, Any]] = {
    "api.me": {"summary": "The token's person", "response": "Me", "tag": "people"},
    "api.list_departments": {"summary": "Departments", "response": "DepartmentList",
                             "tag": "organisation"},
    "api.list_categories": {"summary": "Categories in use", "response": "CategoryList",
                            "tag": "organisation"},
    "api.list_ideas": {"summary": "Ideas, as the list page filters and sorts them",
                       "response": "IdeaList", "parameters": IDEA_FILTERS, "poll": True},
    "api.create_idea": {"summary": "File an idea", "request": "IdeaInput", "response": "Idea",
                        "status": 201, "errors": [422]},
    "api.get_idea": {"summary": "One idea with its timeline", "response": "Idea",
                     "errors": [404], "poll": True},
    "api.edit_idea": {"summary": "Edit an idea (its author, while it is new)",
                      "request": "IdeaInput", "partial": True, "response": "Idea",
                      "errors": [404, 422]},
    "api.vote": {"summary": "Vote (PUT) or take the vote back (DELETE)", "response": "Vote",
                 "errors": [404]},
    "api.follow": {"summary": "Follow (PUT) or unfollow (DELETE)", "response": "Follow",
                   "errors": [404]},
    "api.list_comments": {"summary": "Comments, oldest first", "response": "CommentList",
                          "errors": [404],
                          "parameters": [_query("page", {"type": "integer", "minimum": 1})]},
    "api.add_comment": {"summary": "Comment (heads and leadership: officially)",
                        "request": "CommentInput", "response": "Comment", "status": 201,
                        "errors": [404, 422]},
    "api.act": {"summary": "A step of the lifecycle (the idea page's actions)",
                "request": "ActionInput", "optional_body": True, "response": "Idea",
                "errors": [404, 409, 422]},
    "api.withdraw": {"summary": "Withdraw my idea", "request": "ActionInput",
                     "optional_body": True, "response": "Idea", "errors": [404, 409, 422]},
    "api.list_commitments": {
        "summary": "Public commitments", "response": "CommitmentList", "tag": "commitments",
        "parameters": [_query("view", {"type": "string", "enum": list(VIEWS)}),
                       _query("department", {"type": "integer"}),
                       _query("owner", {"type": "integer"}),
                       _query("page", {"type": "integer", "minimum": 1})],
    },
    "api.get_commitment": {"summary": "One commitment with its updates",
                           "response": "Commitment", "errors": [404], "tag": "commitments"},
    "api.post_commitment_update": {"summary": "Post progress on a commitment",
                                   "request": "CommitmentUpdateInput", "response": "Commitment",
                                   "status": 201, "errors": [404, 422], "tag": "commitments"},
    "api.insights_figures": {
        "summary": "Dashboard figures (leadership and admins: everything; heads: the "
                   "departments they head)",
        "response": "Figures", "tag": "insights", "errors": [422],
        "parameters": [
            _query("range", {"type": "string", "enum": list(RANGES)}, "Default: 90 (days)."),
            _query("start", DAY, "First day, with range=custom."),
            _query("end", DAY, "Last day, with range=custom."),
            _query("department", {"type": "integer"}, "One department (heads: one they head)."),
        ],
    },
    "api.list_notifications": {
        "summary": "My notifications, newest first", "response": "NotificationList",
        "tag": "people", "parameters": [_query("before", {"type": "integer"})],
    },
}  # fmt: skip
UNDOCUMENTED = {"api.openapi", "api.reference"}  # the document and its page themselves


def _problem(description: str) -> dict:
    return {"description": description,
            "content": {"application/problem+json": {"schema": _ref("Problem")}}}  # fmt: skip


ERROR_DESCRIPTIONS = {
    400: "The request could not be read.",
    401: "No valid token.",
    403: "The person may not do this, or the token may only read.",
    404: "No such thing.",
    409: "Not possible in the idea's current state, or it changed meanwhile.",
    422: "The details are wrong; `errors` lists the form's messages per field.",
    429: "Too many requests for this token (see Retry-After).",
}


def _path_of(rule) -> tuple[str, list[dict]]:
    parameters = []

    def replace(match: re.Match) -> str:
        converter, name = match.group(1), match.group(2)
        schema: dict = {"type": "integer"} if converter and converter.startswith("int") else {}
        if converter and converter.startswith("any"):
            schema = {"type": "string", "enum": list(ACTIONS)}
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
        return "{" + name + "}"

    path = re.sub(r"<(?:([a-z]+(?:\([^)]*\))?):)?([a-z_]+)>", replace, rule.rule)
    return path.removeprefix(bp.url_prefix), parameters


def _operation(endpoint: str, method: str, path_parameters: list[dict]) -> dict:
    spec = OPERATIONS[endpoint]
    status = spec.get("status", 200)
    operation: dict[str, Any] = {
        "operationId": f"{endpoint.removeprefix('api.')}_{method.lower()}",
        "summary": spec["summary"],
        "tags": [spec.get("tag", "ideas")],
        "parameters": path_parameters + spec.get("parameters", []),
        "responses": {
            str(status): {
                "description": "OK",
                "content": {"application/json": {"schema": _ref(spec["response"])}},
            }
        },
    }
    if method == "GET":
        operation["security"] = [{"token": ["read"]}]
    if spec.get("poll"):
        operation["responses"]["304"] = {"description": "Not modified (If-None-Match)."}
    for code in sorted({401, 403, 429, 400, *spec.get("errors", [])}):
        operation["responses"][str(code)] = _problem(ERROR_DESCRIPTIONS[code])
    if "request" in spec:
        schema = _ref(spec["request"])
        if spec.get("partial"):  # the same fields, each optional
            schema = {**SCHEMAS[spec["request"]], "required": []}
        operation["requestBody"] = {
            "required": not spec.get("optional_body"),
            "content": {"application/json": {"schema": schema}},
        }
    return operation


def document() -> dict:
    paths: dict[str, dict] = {}
    for rule in current_app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or rule.endpoint in UNDOCUMENTED:
            continue
        path, parameters = _path_of(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(
                rule.endpoint, method, parameters
            )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Freiraum API",
            "version": "1",
            "description": "Ideas, votes, comments, the decision loop and commitments, with "
            "the same rules and permissions as the pages. Authenticate with a personal access "
            "token (Settings → API tokens): `Authorization: Bearer <token>`. Errors are "
            "`application/problem+json` (RFC 9457) in the person's language.",
        },
        "servers": [{"url": url_for("api.me", _external=True).removesuffix("/me")}],
        "security": [{"token": ["write"]}],
        "paths": dict(sorted(paths.items())),
        "webhooks": {
            event: {
                "post": {
                    "summary": str(label),
                    "description": "Signed: `X-Freiraum-Signature: sha256=<hex>`, the "
                    "HMAC-SHA256 with the webhook's secret over `<timestamp>.<body>`; "
                    "`X-Freiraum-Timestamp` is the Unix time of the attempt.",
                    "requestBody": {
                        "content": {"application/json": {"schema": _ref("WebhookPayload")}}
                    },
                    "responses": {"200": {"description": "Any 2xx: delivered."}},
                }
            }
            for event, label in EVENTS.items()
        },
        "components": {
            "schemas": SCHEMAS | {"WebhookPayload": WEBHOOK_PAYLOAD},
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal access token (read, or read and write).",
                }
            },  # fmt: skip
        },
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())


@bp.get("/reference")
def reference():
    """A readable reference, rendered on the server from the document: no script, so it works
    under the strict CSP and without internet."""
    return render_template("api/reference.html", doc=document())
