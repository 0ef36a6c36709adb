"""Departments and categories: the organisation every idea lives in."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Column, ForeignKey, Integer, Numeric, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import now
from ..core.extensions import db

if TYPE_CHECKING:
    from ..auth.models import User

department_heads = Table(
    "department_heads",
    db.metadata,
    Column("department_id", ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Department(db.Model):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # Money a head may commit without leadership; NULL means the organisation default applies.
    decision_budget: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    created_at: Mapped[datetime] = mapped_column(default=now)

    heads: Mapped[list[User]] = relationship(
        secondary=department_heads,
        back_populates="headed_departments",
        order_by="User.display_name",
    )

    def __repr__(self) -> str:
        return f"<Department {self.name!r}>"


class Category(db.Model):
    """Admin-configurable kind of idea, named in both UI languages."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(80), unique=True)
    name_de: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Retired categories stay on old ideas but cannot be chosen for new ones.
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def label(self, locale: str) -> str:
        return self.name_de if locale == "de" else self.name_en

    def __repr__(self) -> str:
        return f"<Category {self.name_en!r}>"


class OrgSettings(db.Model):
    """The organisation's rules of the game; one row (id 1), changed by admins."""

    __tablename__ = "org_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Clocks: days from submission to the first response and to a decision.
    first_response_days: Mapped[int] = mapped_column(Integer, default=7)
    decision_days: Mapped[int] = mapped_column(Integer, default=30)
    # Money a head may commit when their department has no budget of its own.
    default_decision_budget: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(5000))
    # Money an employee may spend to fix something in their own department without asking.
    empowerment_budget: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(500))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
