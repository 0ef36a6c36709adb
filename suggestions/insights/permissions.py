"""Who sees the figures: leadership and admins everywhere, heads for their departments."""

from __future__ import annotations

from typing import Any

from ..auth.models import User
from ..auth.permissions import heads_a_department, is_admin, is_leader


def _insights_everywhere(user: User, _obj: Any = None) -> bool:
    return is_leader(user) or is_admin(user)


def _insights(user: User, _obj: Any = None) -> bool:
    # Heads see the dashboard too, scoped to the departments they head.
    return _insights_everywhere(user) or heads_a_department(user)


RULES = {
    "insights.dashboard": _insights,
    "insights.all_departments": _insights_everywhere,
    "insights.export": _insights,
}
