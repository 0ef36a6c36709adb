"""The one answer to "may this user do this?". Views, templates and the API all ask here.

Each action maps to a small function of (user, object). An unknown action is a programming
error and raises, so a typo can never silently allow or deny.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask_babel import lazy_gettext as _
from flask_login import current_user

from .auth.models import Role, User
from .core.errors import NotAllowed
from .ideas.models import Comment, Idea, IdeaStatus

# Withdrawing is the author's right until the organisation has committed to the idea.
WITHDRAWABLE = {IdeaStatus.NEW, IdeaStatus.IN_REVIEW, IdeaStatus.NEEDS_INFO}
# Closed for new votes and comments: the idea no longer exists as itself.
CLOSED = {IdeaStatus.WITHDRAWN, IdeaStatus.DUPLICATE}
# Not decided yet: the states an idea can be merged into another from (workflow.lifecycle).
UNDECIDED = {IdeaStatus.NEW, IdeaStatus.IN_REVIEW, IdeaStatus.NEEDS_INFO}


def is_author(user: User, idea: Idea) -> bool:
    return idea.author_id is not None and idea.author_id == user.id


def heads_department(user: User, department_id: int) -> bool:
    return user.role == Role.HEAD and any(d.id == department_id for d in user.headed_departments)


def speaks_for(user: User, idea: Idea) -> bool:
    """Leadership everywhere, a head for the ideas their department owns."""
    return user.role == Role.LEADER or heads_department(user, idea.owning_department_id)


def _edit_idea(user: User, idea: Idea) -> bool:
    # Once review starts, the text under review must stay what the reviewers read.
    return is_author(user, idea) and idea.status == IdeaStatus.NEW


def _withdraw_idea(user: User, idea: Idea) -> bool:
    return is_author(user, idea) and idea.status in WITHDRAWABLE


def _see_author(user: User, idea: Idea) -> bool:
    # Anonymous means anonymous to everyone, admins and leadership included.
    return not idea.is_anonymous or is_author(user, idea)


def _mark_official(user: User, comment: Comment) -> bool:
    return speaks_for(user, comment.idea)


def is_leader(user: User, _obj: Any = None) -> bool:
    return user.role == Role.LEADER


def owns_open_commitment(user: User, idea: Idea) -> bool:
    from .workflow.queries import open_commitment  # the workflow knows its commitments

    commitment = open_commitment(idea)
    return commitment is not None and commitment.owner_id == user.id


def _deliver(user: User, idea: Idea) -> bool:
    # Whoever decides may record delivery, and so may the person who promised it.
    return speaks_for(user, idea) or owns_open_commitment(user, idea)


def _work_commitment(user: User, commitment) -> bool:
    return commitment.owner_id == user.id or speaks_for(user, commitment.idea)


def _department_queue(user: User, _obj: Any = None) -> bool:
    return user.role == Role.LEADER or (user.role == Role.HEAD and bool(user.headed_departments))


def _insights_everywhere(user: User, _obj: Any = None) -> bool:
    return user.role in (Role.LEADER, Role.ADMIN)


def _insights(user: User, _obj: Any = None) -> bool:
    # Heads see the dashboard too, scoped to the departments they head.
    return _insights_everywhere(user) or (user.role == Role.HEAD and bool(user.headed_departments))


RULES: dict[str, Callable[[User, Any], bool]] = {
    "idea.create": lambda user, _: True,
    "idea.edit": _edit_idea,
    "idea.withdraw": _withdraw_idea,
    "idea.vote": lambda user, idea: idea.status not in CLOSED,
    "idea.comment": lambda user, idea: idea.status not in CLOSED,
    "idea.see_author": _see_author,
    "idea.answer_officially": lambda user, idea: speaks_for(user, idea),
    "comment.mark_official": _mark_official,
    # The lifecycle (workflow.lifecycle) asks these; the state is checked there.
    "idea.triage": lambda user, idea: speaks_for(user, idea),
    "idea.decide_any_cost": is_leader,
    "idea.reopen": is_leader,
    "idea.provide_info": lambda user, idea: is_author(user, idea),
    "idea.just_do_it": lambda user, idea: is_author(user, idea),
    "idea.deliver": _deliver,
    "commitment.update": _work_commitment,
    # Whoever delivers may own the promise (any active person; ``can`` refuses inactive
    # accounts); the head or leader who accepted stays accountable for it.
    "commitment.own": lambda user, _: True,
    "queue.department": _department_queue,
    "queue.leadership": is_leader,
    # Likely duplicates of an idea, for those who may triage it (and merge it) while it can
    # still be merged: once decided, withdrawn or merged there is nothing left to merge.
    "idea.see_duplicate_hints": lambda user, idea: (
        idea.status in UNDECIDED and speaks_for(user, idea)
    ),
    "admin.manage": lambda user, _: user.role == Role.ADMIN,
    "idea.follow": lambda user, idea: idea.status not in CLOSED,
    "notification.open": lambda user, notification: notification.user_id == user.id,
    # News of a department's queue goes to those who work that queue.
    "notify.department_news": _department_queue,
    "insights.dashboard": _insights,
    "insights.all_departments": _insights_everywhere,
    "insights.export": _insights,
    # Personal access tokens (auth.tokens): everyone may make their own; an admin may revoke any.
    "token.create": lambda user, _: True,
    "token.revoke": lambda user, token: token.user_id == user.id or user.role == Role.ADMIN,
}


def register(rules: dict[str, Callable[[User, Any], bool]]) -> None:
    """A domain adds its rules, from its ``init_app``. Rules are code, so registering the same
    function again (a second app in the process) is fine; a second rule for a name is a bug."""
    for action, rule in rules.items():
        if RULES.setdefault(action, rule) is not rule:
            raise ValueError(f"policy rule {action!r} is registered twice")


def can(user: User | None, action: str, obj: Any = None) -> bool:
    rule = RULES[action]
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    return rule(user, obj)


def require(user: User | None, action: str, obj: Any = None) -> None:
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
