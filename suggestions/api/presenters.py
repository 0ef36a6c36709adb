"""What the API shows of each thing. Who may be named is decided by the same functions the
pages use (``authorship.visible_author``, ``authorship.event_actor_label``) and, for comments,
by ``comment_author`` below: one place each, so the pages and the API cannot drift apart."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import url_for
from flask_babel import get_locale
from flask_login import current_user

from ..auth.tokens import ApiToken
from ..ideas.authorship import (
    FORMER_EMPLOYEE,
    THE_AUTHOR,
    event_actor_label,
    shown_person,
    visible_author,
)
from ..ideas.models import Comment, Idea, IdeaEvent
from ..org.models import Category, Department
from ..policy import can
from ..workflow.models import Commitment, CommitmentUpdate


def stamp(moment: datetime | date | None) -> str | None:
    """UTC times with a Z (stored naive, in UTC); days as ISO dates."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return moment.isoformat(timespec="seconds") + "Z"
    return moment.isoformat()


def money(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def department(d: Department | None) -> dict | None:
    return None if d is None else {"id": d.id, "name": d.name}


def category(c: Category) -> dict:
    return {"id": c.id, "name": c.label(str(get_locale() or "en")), "active": c.active}


def author(idea: Idea) -> dict | None:
    """The author a viewer may see (the pages' rule), or None: anonymous, or account gone."""
    person = visible_author(idea)
    if person is None:
        return None
    return {"id": person.id, "name": person.display_name,
            "department": department(person.department)}  # fmt: skip


def withheld(item: Idea | Comment) -> bool:
    """Hidden by moderation (or waiting for approval), and this reader is neither its author
    nor a moderator: its words are not shown, only that and why it is hidden."""
    return item.hidden_reason is not None and not can(current_user, "moderation.see_hidden", item)


def idea_summary(idea: Idea, voted: bool) -> dict:
    return {
        "id": idea.id,
        "title": None if withheld(idea) else idea.title,
        "hidden": idea.hidden_reason,
        "status": idea.status,
        "category": category(idea.category),
        "owning_department": department(idea.owning_department),
        "author": author(idea),
        "anonymous": idea.is_anonymous,
        "vote_count": idea.vote_count,
        "comment_count": idea.comment_count,
        "voted": voted,
        "customer_facing": idea.customer_facing,
        "created_at": stamp(idea.created_at),
        "updated_at": stamp(idea.updated_at),
        "status_changed_at": stamp(idea.status_changed_at),
        "url": url_for("ideas.show", idea_id=idea.id, _external=True),
    }


def idea_detail(idea: Idea, voted: bool, events: list[IdeaEvent]) -> dict:
    shown = not withheld(idea)
    return idea_summary(idea, voted) | {
        "problem": idea.problem if shown else None,
        "proposal": idea.proposal if shown else None,
        "benefit": idea.benefit if shown else None,
        "affected_departments": [department(d) for d in idea.affected_departments],
        "hours_lost_per_month": idea.hours_lost_per_month,
        "estimated_cost": money(idea.estimated_cost),
        "version": idea.version,
        "revision": idea.revision,
        "duplicate_of_id": idea.duplicate_of_id,
        "implemented_on": stamp(idea.implemented_on),
        "change_summary": idea.change_summary,
        "timeline": [event(e, idea) for e in events],
    }


def event(e: IdeaEvent, idea: Idea) -> dict:
    # The actor by label only: an id would tie an anonymous author to their own actions.
    return {
        "id": e.id,
        "kind": e.kind,
        "from_status": e.from_status,
        "to_status": e.to_status,
        "note": e.note,
        "actor": event_actor_label(e, idea),
        "department": department(e.department),
        "related_idea_id": e.related_idea_id,
        "amount": money(e.amount),
        "created_at": stamp(e.created_at),
    }


def comment_author(comment: Comment, idea: Idea) -> dict:
    """Who wrote a comment, as the pages show it (one presenter): an anonymous idea's author is
    "the author" on their own comments, with neither id nor department."""
    shown = shown_person(comment.author, by_anonymous_author=comment.by_anonymous_author)
    if shown.as_author or comment.author is None:
        return {"id": None, "name": shown.name, "department": None}
    return {"id": comment.author.id, "name": shown.name, "department": department(shown.department)}


def comment(c: Comment, idea: Idea) -> dict:
    return {
        "id": c.id,
        "idea_id": idea.id,
        "body": None if withheld(c) else c.body,
        "hidden": c.hidden_reason,
        "author": comment_author(c, idea),
        "official": c.is_official,
        "created_at": stamp(c.created_at),
    }


def commitment(c: Commitment, updates: list[CommitmentUpdate] | None = None) -> dict:
    body: dict[str, Any] = {
        "id": c.id,
        "idea_id": c.idea_id,
        "idea_title": c.idea.title,
        "promise": c.promise,
        "owner": None if c.owner is None else {"id": c.owner.id, "name": c.owner.display_name},
        "due_on": stamp(c.due_on),
        "state": c.state,
        "created_at": stamp(c.created_at),
        "closed_at": stamp(c.closed_at),
        "delivered_on": stamp(c.delivered_on),
        "close_reason": c.close_reason,
    }
    if updates is not None:
        body["updates"] = [
            {"id": u.id, "body": u.body, "created_at": stamp(u.created_at),
             "author": u.author.display_name if u.author else str(FORMER_EMPLOYEE)}
            for u in updates
        ]  # fmt: skip
    return body


def notification(n) -> dict:
    return {
        "id": n.id,
        "kind": n.kind,
        "idea_id": n.idea_id,
        "idea_title": n.idea.title if n.idea else None,
        "to_status": n.to_status,
        "detail": n.detail,
        # actor is NULL whenever nobody may be named (see notify.models)
        "actor": n.actor.display_name if n.actor else (str(THE_AUTHOR) if n.by_author else None),
        "department": department(n.department),
        "created_at": stamp(n.created_at),
        "read_at": stamp(n.read_at),
    }


def token(t: ApiToken) -> dict:
    return {
        "id": t.id,
        "name": t.name,
        "prefix": t.shown_prefix,
        "scope": t.scope,
        "created_at": stamp(t.created_at),
        "expires_at": stamp(t.expires_at),
        "last_used_at": stamp(t.last_used_at),
    }
