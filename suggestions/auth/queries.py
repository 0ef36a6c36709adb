"""Reading people: the signed-in person, the admin's list of accounts, choices for forms."""

from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from ..core.extensions import db
from .models import Role, User


def user_with_department(user_id: int) -> User | None:
    """One query per request: the person with their department (shown in the page header).
    Headed departments load on first use, which only a head's permission checks need."""
    return db.session.scalar(
        select(User).where(User.id == user_id).options(joinedload(User.department))
    )


def accounts(search: str = "", *, unmapped: bool = False) -> Select:
    """Accounts by name for the admin's list, unpaged (the page bounds it): those whose name
    or address contains ``search``; with ``unmapped``, only people whose department from the
    company directory matched none here (to map them)."""
    query = select(User).options(joinedload(User.department)).order_by(User.display_name, User.id)
    if unmapped:
        query = query.where(User.unmapped_department.is_not(None))
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(or_(User.email.like(pattern), User.display_name.ilike(f"%{search}%")))
    return query


def head_choices() -> list[tuple[int, str]]:
    """Active heads, for the department form's choice of who heads it."""
    query = select(User).where(User.role == Role.HEAD, User.active.is_(True))
    return [
        (u.id, f"{u.display_name} <{u.email}>")
        for u in db.session.scalars(query.order_by(User.display_name))
    ]
