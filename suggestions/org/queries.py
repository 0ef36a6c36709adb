"""Reading departments and categories for forms and filters."""

from __future__ import annotations

from flask_babel import get_locale
from sqlalchemy import select

from ..extensions import db
from .models import Category, Department


def departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.name)))


def categories(*, include_retired: bool = False, keep_id: int | None = None) -> list[Category]:
    """Categories in display order; a retired one only if asked for or already chosen."""
    query = select(Category).order_by(Category.position, Category.name_en)
    if not include_retired:
        query = query.where((Category.active.is_(True)) | (Category.id == keep_id))
    return list(db.session.scalars(query))


def category_choices(keep_id: int | None = None) -> list[tuple[int, str]]:
    locale = str(get_locale() or "en")
    return [(c.id, c.label(locale)) for c in categories(keep_id=keep_id)]


def department_choices() -> list[tuple[int, str]]:
    return [(d.id, d.name) for d in departments()]
