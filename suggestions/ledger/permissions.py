"""Who may do what with the ledger and with measured impact (registered with the one policy)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..auth.models import Role, User
from ..auth.permissions import heads_department
from ..ideas.models import IdeaStatus
from ..ideas.permissions import speaks_for
from ..workflow.permissions import owns_open_commitment

# The head records baseline and target once the idea is accepted, and may correct them later.
PLANNABLE = {IdeaStatus.ACCEPTED, IdeaStatus.IN_PROGRESS, IdeaStatus.IMPLEMENTED}


def _maintain(user: User, item: Any = None) -> bool:
    """Admins maintain every item, heads the items of the departments they lead (``item``
    None: may they maintain any item at all, e.g. open the form or the import)."""
    if user.role == Role.ADMIN:
        return True
    if item is None:
        return user.role == Role.HEAD and bool(user.headed_departments)
    return heads_department(user, item.department_id)


def _record_changes(user: User, idea) -> bool:
    # Whoever may record delivery may record what it did to the ledger.
    return idea.status == IdeaStatus.IMPLEMENTED and (
        speaks_for(user, idea) or _owns_delivered_commitment(user, idea)
    )


def _owns_delivered_commitment(user: User, idea) -> bool:
    from .impact import commitment_owner_id

    return commitment_owner_id(idea) == user.id or owns_open_commitment(user, idea)


def _plan(user: User, idea) -> bool:
    return idea.status in PLANNABLE and speaks_for(user, idea)


def _measure(user: User, measurement) -> bool:
    return measurement.owner_id == user.id or speaks_for(user, measurement.idea)


def _see_review_pack(user: User, _obj: Any = None) -> bool:
    return user.role in (Role.LEADER, Role.ADMIN)


RULES: dict[str, Callable[[User, Any], bool]] = {
    "ledger.view": lambda user, _: True,
    "ledger.maintain": _maintain,
    "ledger.record_changes": _record_changes,
    "impact.plan": _plan,
    "impact.measure": _measure,
    "review_pack.view": _see_review_pack,
    # A leader makes the pack of any past month; the worker makes last month's by itself.
    "review_pack.make": lambda user, _: user.role == Role.LEADER,
}
