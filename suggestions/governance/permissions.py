"""Who may moderate, read the audit log and read or write internal notes. Registered with the
one policy (suggestions.policy) from ``governance.init_app``."""

from __future__ import annotations

from typing import Any

from flask import g, has_app_context, has_request_context, session
from flask_login import current_user
from sqlalchemy import select

from ..auth.models import Role, User
from ..auth.permissions import heads_department
from ..core.extensions import db
from ..ideas.models import Comment, Idea
from ..ideas.permissions import is_author
from .models import Moderator

SESSION_KEY = "freiraum_moderator"


def moderator_flag(user_id: int) -> bool:
    query = select(Moderator.user_id).where(Moderator.user_id == user_id)
    return db.session.scalar(query) is not None


def is_moderator(user: User, _obj: Any = None) -> bool:
    """Admins, and the people an admin gave the moderator flag. For the person signed in the
    answer is kept in their session after the first page (every page asks, for the menu); giving
    or taking the flag ends that person's sessions, so it is never stale. Within a request the
    answer is kept on ``g`` (a page of comments asks for each of them)."""
    if user.role == Role.ADMIN:
        return True
    cache = g.setdefault("moderator_flags", {}) if has_app_context() else {}
    if user.id not in cache:
        cache[user.id] = _moderator_flag_of(user)
    return cache[user.id]


def _moderator_flag_of(user: User) -> bool:
    if has_request_context() and current_user and getattr(current_user, "id", None) == user.id:
        if SESSION_KEY not in session:
            session[SESSION_KEY] = moderator_flag(user.id)
        return bool(session[SESSION_KEY])
    return moderator_flag(user.id)


def _item_author(user: User, item: Idea | Comment) -> bool:
    if isinstance(item, Comment):
        return item.author_id is not None and item.author_id == user.id
    return is_author(user, item)


def _read_notes(user: User, idea: Idea) -> bool:
    """Heads of the owning and of the affected departments, and leadership."""
    if user.role == Role.LEADER:
        return True
    if user.role != Role.HEAD:
        return False
    departments = {idea.owning_department_id, *(d.id for d in idea.affected_departments)}
    return any(heads_department(user, d) for d in departments)


def _see_hidden(user: User, item: Idea | Comment) -> bool:
    return is_moderator(user) or _item_author(user, item)


RULES = {
    "moderation.report": lambda user, item: not _item_author(user, item),
    "moderation.queue": is_moderator,
    "moderation.decide": is_moderator,
    # The author of a hidden item may change it and ask moderation to look again.
    "moderation.ask_review": lambda user, item: (
        item.hidden_reason is not None and _item_author(user, item)
    ),
    "moderation.see_hidden": _see_hidden,
    "moderation.grant": lambda user, _: user.role == Role.ADMIN,
    "audit.read": lambda user, _: user.role == Role.ADMIN,
    "note.read": _read_notes,
    "note.write": _read_notes,
}
