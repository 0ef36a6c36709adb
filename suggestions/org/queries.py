"""Reading departments and categories for forms and filters."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import g
from flask_babel import get_locale
from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import selectinload

from ..core.cache import fragments
from ..core.extensions import db
from ..core.kept import kept_row, stamp
from ..policy import can, who, who_ids
from .models import Category, Department, OrgSettings


def departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.name)))


def departments_with_heads() -> list[Department]:
    """Every department with its heads, for the admin's list."""
    query = select(Department).options(selectinload(Department.heads)).order_by(Department.name)
    return list(db.session.scalars(query))


def categories(*, include_retired: bool = False, keep_id: int | None = None) -> list[Category]:
    """Categories in display order; a retired one only if asked for or already chosen."""
    query = select(Category).order_by(Category.position, Category.name_en)
    if not include_retired:
        query = query.where((Category.active.is_(True)) | (Category.id == keep_id))
    return list(db.session.scalars(query))


# Choices for forms and filters: on every list page and every form. Each process keeps them
# behind the stamp of the rows kept per process (core/kept.py): triggers move it with every
# change to departments or categories, so a request reads that one number (which it reads
# anyway) and the two lists only when it moved.


@dataclass(frozen=True)
class _Choices:
    departments: tuple[tuple[int, str], ...]  # by name
    categories: tuple[tuple[int, str, str, bool], ...]  # id, names, active; in display order


def _read_choices() -> _Choices:
    departments = select(Department.id, Department.name).order_by(Department.name)
    categories = select(Category.id, Category.name_en, Category.name_de, Category.active).order_by(
        Category.position, Category.name_en
    )
    return _Choices(
        tuple(tuple(row) for row in db.session.execute(departments)),
        tuple(tuple(row) for row in db.session.execute(categories)),
    )


def _choices() -> _Choices:
    db.session.flush()  # this request's own new rows move the stamp before it is read
    version = stamp()
    if version is None:  # no stamp row (a database emptied by hand): nothing is kept
        return _read_choices()
    return fragments("org choices").get(version, _read_choices)


def category_choices(keep_id: int | None = None) -> list[tuple[int, str]]:
    """Active categories in display order (a retired one only when it is ``keep_id``)."""
    german = str(get_locale() or "en") == "de"
    return [
        (id_, name_de if german else name_en)
        for id_, name_en, name_de, active in _choices().categories
        if active or id_ == keep_id
    ]


def department_choices() -> list[tuple[int, str]]:
    return list(_choices().departments)


def visible_department_ids(user, everywhere: str) -> tuple[int, ...] | None:
    """The one answer to "which departments may this person see" in a view scoped by
    department (the queues, the dashboard, exports): None for the whole organisation, when the
    policy grants the action ``everywhere``; else the departments the person heads."""
    if can(user, everywhere):
        return None
    return tuple(d.id for d in user.headed_departments)


def department_choices_within(allowed: tuple[int, ...] | None) -> list[tuple[int, str]]:
    """Choices for a department filter, limited to ``allowed`` (None: every department)."""
    query = select(Department.id, Department.name).order_by(Department.name).limit(1000)
    if allowed is not None:
        query = query.where(Department.id.in_(allowed or (-1,)))
    return [tuple(row) for row in db.session.execute(query)]


def org_settings() -> OrgSettings:
    """The organisation's settings row, once per request (or per app context); kept per
    process while the stamp stands (core.kept)."""
    if "org_settings" not in g:
        settings = kept_row(OrgSettings, 1, lambda: db.session.get(OrgSettings, 1))
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


# -- who heads a department ----------------------------------------------------------------------
# The policy says who counts as an acting head ("department.lead"): a department whose only
# head left (or was made an employee) has nobody to decide, and leadership must.


def acting_head_ids(department_id: int) -> list[int]:
    """The people who decide for the department now."""
    return list(db.session.scalars(who_ids("department.lead", department_id)))


def has_acting_head(department_id_column) -> ColumnElement[bool]:
    """SQL: the department (a column or a value) has at least one acting head."""
    return exists(who("department.lead", department_id_column))


def heads_now(department: Department) -> bool:
    """The same rule as ``has_acting_head``, over heads already loaded (a list page)."""
    return any(can(head, "department.lead") for head in department.heads)


def departments_without_head() -> list[Department]:
    """Departments nobody heads now: their ideas go to leadership (the admin is warned)."""
    query = select(Department).where(~has_acting_head(Department.id)).order_by(Department.name)
    return list(db.session.scalars(query.limit(500)))
