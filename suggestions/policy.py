"""The one answer to "may this user do this?". Views, templates, the API and queries all ask here.

Only the mechanism lives here; the rules belong to the domains (``ideas/permissions.py``,
``workflow/permissions.py``, ...), each registering its own from its ``init_app``. This module
imports no domain, so every package may ask it.

Each action maps to a small function of (user, object). An unknown action is a programming
error and raises, so a typo can never silently allow or deny. Some actions also have a "who"
rule, the same rule as a query: ``who(action, obj)`` is a ``select`` of the people
``can(person, action, obj)`` allows, for recipients, queues and choices (so no query re-states
a role rule in SQL).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask_babel import lazy_gettext as _
from flask_login import current_user
from sqlalchemy import Select

from .core.errors import NotAllowed

Rule = Callable[[Any, Any], bool]  # (user, object) -> allowed?
WhoRule = Callable[[Any], Select]  # object -> select(User) of the people allowed

RULES: dict[str, Rule] = {}
WHO: dict[str, WhoRule] = {}


def _add(table: dict, action: str, rule: Callable) -> None:
    if table.setdefault(action, rule) is not rule:
        raise ValueError(f"policy rule {action!r} is registered twice")


def register(rules: dict[str, Rule], *, who: dict[str, WhoRule] | None = None) -> None:
    """A domain adds its rules, from its ``init_app``. Rules are code, so registering the same
    function again (a second app in the process) is fine; a second rule for a name is a bug.
    ``who`` gives the query form of some of them (it must allow exactly the same people)."""
    for action, rule in rules.items():
        _add(RULES, action, rule)
    for action, rule in (who or {}).items():
        if action not in RULES:
            raise ValueError(f"policy rule {action!r} has a query form but no rule")
        _add(WHO, action, rule)


def can(user: Any, action: str, obj: Any = None) -> bool:
    rule = RULES[action]
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    return rule(user, obj)


def who(action: str, obj: Any = None) -> Select:
    """The people who may do the action (on ``obj``, which may be a SQL column for a correlated
    query): a ``select`` of active users, to run, to filter further or to put in ``exists()``."""
    return WHO[action](obj)


def who_ids(action: str, obj: Any = None) -> Select:
    """``who`` as the people's ids only, in id order: for ``in_()``, ``exists()`` and lists."""
    people = who(action, obj)
    user_id = people.selected_columns.id
    return people.with_only_columns(user_id).order_by(user_id)


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise ``NotAllowed`` (a 403 page) unless the policy allows the action."""
    if not can(user, action, obj):
        raise NotAllowed(_("You are not allowed to do that."))


def requires(action: str):
    """Decorator for views whose permission needs no object: ``@requires("admin.manage")``."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            require(current_user, action)
            return view(*args, **kwargs)

        return wrapped

    return decorate
