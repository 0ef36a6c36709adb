"""Changing the organisation: departments, their heads and budgets, categories."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _
from sqlalchemy import func, select

from ..core.errors import DomainError
from ..core.extensions import db
from ..core.signals import department_saved, settings_saved
from ..policy import can, require
from .models import Category, Department, OrgSettings
from .queries import org_settings

if TYPE_CHECKING:  # people build on the organisation, not the other way round
    from ..auth.models import User


def _name_taken(model, column, value: str, exclude_id: int | None) -> bool:
    query = select(func.count()).select_from(model).where(func.lower(column) == value.lower())
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return db.session.scalar(query) > 0


def save_department(
    admin: User,
    department: Department | None,
    *,
    name: str,
    decision_budget: Decimal | None,
    heads: Sequence[User] = (),
) -> Department:
    """Create (``department`` None) or change a department."""
    require(admin, "admin.manage")
    name = name.strip()
    if _name_taken(Department, Department.name, name, department.id if department else None):
        raise DomainError(_("A department with this name exists already."))
    if decision_budget is not None and decision_budget < 0:
        raise DomainError(_("A budget cannot be negative."))
    not_heads = [u.display_name for u in heads if not can(u, "department.lead")]
    if not_heads:
        raise DomainError(
            _("Only people with the role department head can lead a department: %(names)s",
              names=", ".join(not_heads))
        )  # fmt: skip
    before = None if department is None else _department_facts(department)
    if department is None:
        department = Department(name=name)
        db.session.add(department)
    department.name = name
    department.decision_budget = decision_budget
    department.heads = list(heads)
    db.session.flush()
    department_saved.send(
        admin, actor=admin, department=department, before=before,
        after=_department_facts(department),
    )  # fmt: skip
    return department


def _department_facts(department: Department) -> dict:
    budget = department.decision_budget
    return {
        "name": department.name,
        "decision_budget": None if budget is None else str(budget),
        "heads": sorted(u.id for u in department.heads),
    }


def save_category(
    admin: User,
    category: Category | None,
    *,
    name_en: str,
    name_de: str,
    position: int = 0,
    active: bool = True,
) -> Category:
    require(admin, "admin.manage")
    name_en, name_de = name_en.strip(), name_de.strip()
    exclude = category.id if category else None
    if _name_taken(Category, Category.name_en, name_en, exclude) or _name_taken(
        Category, Category.name_de, name_de, exclude
    ):
        raise DomainError(_("A category with this name exists already."))
    if category is None:
        category = Category()
        db.session.add(category)
    category.name_en, category.name_de = name_en, name_de
    category.position = position
    category.active = active
    db.session.flush()
    return category


def save_settings(
    admin: User,
    *,
    first_response_days: int,
    decision_days: int,
    default_decision_budget: Decimal,
    empowerment_budget: Decimal,
    currency: str,
) -> OrgSettings:
    require(admin, "admin.manage")
    currency = currency.strip().upper()
    if not (len(currency) == 3 and currency.isalpha()):
        raise DomainError(_("Three letters, e.g. EUR."))
    if decision_days < first_response_days:
        raise DomainError(_("A decision cannot be due before the first response."))
    settings = org_settings()
    before = _settings_facts(settings)
    settings.first_response_days = first_response_days
    settings.decision_days = decision_days
    settings.default_decision_budget = default_decision_budget
    settings.empowerment_budget = empowerment_budget
    settings.currency = currency
    db.session.flush()
    settings_saved.send(admin, actor=admin, before=before, after=_settings_facts(settings))
    return settings


def _settings_facts(settings: OrgSettings) -> dict:
    names = ("first_response_days", "decision_days", "default_decision_budget",
             "empowerment_budget", "currency")  # fmt: skip
    return {n: str(getattr(settings, n)) for n in names}
