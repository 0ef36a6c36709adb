"""Who may do what with fair decisions: settings and reasons (admins), scorecards (heads and
leadership, never employees), campaigns (leadership asks, everyone answers). Registered with
the one policy from ``workflow.init_app``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..auth.models import Role, User
from ..core.clock import now


def _admin(user: User, _obj: Any = None) -> bool:
    return user.role == Role.ADMIN


def _evaluator(user: User, _obj: Any = None) -> bool:
    """Heads (of any department: evaluation crosses departments) and leadership."""
    return user.role == Role.LEADER or (user.role == Role.HEAD and bool(user.headed_departments))


def _leader(user: User, _obj: Any = None) -> bool:
    return user.role == Role.LEADER


def _file_into_campaign(user: User, campaign) -> bool:
    """An open campaign takes ideas from the departments it asks (everyone when it names
    none)."""
    if campaign is None or campaign.deadline < now().date():
        return False
    asked = {d.id for d in campaign.departments}
    return not asked or user.department_id in asked


RULES: dict[str, Callable[[User, Any], bool]] = {
    "decisions.settings": _admin,
    "idea.score": _evaluator,
    "idea.see_scores": _evaluator,
    "campaign.create": _leader,
    "campaign.view": lambda user, _: True,
    "campaign.file_idea": _file_into_campaign,
}
