"""Who people are to the policy: the roles, administration, personal access tokens.

The role helpers here are what the other domains' rules build on; nothing outside the
``permissions`` modules compares roles.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from ..org.models import department_heads
from .models import Role, User


def is_leader(user: User, _obj: Any = None) -> bool:
    return user.role == Role.LEADER


def is_admin(user: User, _obj: Any = None) -> bool:
    return user.role == Role.ADMIN


def heads_department(user: User, department_id: int) -> bool:
    return user.role == Role.HEAD and any(d.id == department_id for d in user.headed_departments)


def heads_a_department(user: User, _obj: Any = None) -> bool:
    return user.role == Role.HEAD and bool(user.headed_departments)


def people() -> Select:
    """Every account the policy can allow anything (``can`` refuses inactive ones)."""
    return select(User).where(User.active.is_(True))


def _lead_department(user: User, department_id: int | None) -> bool:
    # Without a department: may be made the head of one (the role); with one: heads it now.
    if department_id is None:
        return user.role == Role.HEAD
    return heads_department(user, department_id)


def _who_leads_department(department_id: Any) -> Select:
    query = people().where(User.role == Role.HEAD)
    if department_id is None:
        return query
    return query.join(department_heads, department_heads.c.user_id == User.id).where(
        department_heads.c.department_id == department_id
    )


RULES = {
    "admin.manage": is_admin,
    # A head counts only while the account is active and still has the head role: a department
    # whose only head left (or was made an employee) has nobody to decide, and leadership must.
    "department.lead": _lead_department,
    # Personal access tokens (auth.tokens): everyone may make their own; an admin may revoke any.
    "token.create": lambda user, _: True,
    "token.revoke": lambda user, token: token.user_id == user.id or is_admin(user),
}

WHO = {
    "department.lead": _who_leads_department,
}
