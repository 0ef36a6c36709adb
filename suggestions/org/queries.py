"""Reading departments and categories for forms and filters."""

from __future__ import annotations

from decimal import Decimal

from flask import g
from flask_babel import get_locale
from sqlalchemy import select

from ..extensions import db
from .models import Category, Department, OrgSettings


def departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.name)))


def categories(*, include_retired: bool = False, keep_id: int | None = None) -> list[Category]:
    """Categories in display order; a retired one only if asked for or already chosen."""
    query = select(Category).order_by(Category.position, Category.name_en)
    if not include_retired:
        query = query.where((Category.active.is_(True)) | (Category.id == keep_id))
    return list(db.session.scalars(query))


# Choices for forms and filters read plain columns: they are on every list page and every form.


def category_choices(keep_id: int | None = None) -> list[tuple[int, str]]:
    name = Category.name_de if str(get_locale() or "en") == "de" else Category.name_en
    query = (
        select(Category.id, name)
        .where(Category.active.is_(True) | (Category.id == keep_id))
        .order_by(Category.position, Category.name_en)
    )
    return [tuple(row) for row in db.session.execute(query)]


def department_choices() -> list[tuple[int, str]]:
    query = select(Department.id, Department.name).order_by(Department.name)
    return [tuple(row) for row in db.session.execute(query)]


def org_settings() -> OrgSettings:
    """The organisation's settings row, read once per request (or per app context)."""
    if "org_settings" not in g:
        settings = db.session.get(OrgSettings, 1)
        if settings is None:  # a database made before the settings existed: the defaults
            settings = OrgSettings(id=1)
            db.session.add(settings)
            db.session.flush()
        g.org_settings = settings
    return g.org_settings


def decision_budget(department: Department) -> Decimal:
    """What the department's head may commit alone: its own budget, else the default."""
    if department.decision_budget is not None:
        return department.decision_budget
    return org_settings().default_decision_budget
