"""The bureaucracy ledger: the organisation's rules, forms, approval steps, reports and tools,
who owns each, what each costs, and what ideas changed about them. Measured impact: the
baseline and target recorded at acceptance, and the figures measured after go-live."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.clock import now
from ..core.extensions import db
from ..ideas.models import Idea
from ..org.models import Department


class LedgerKind(StrEnum):
    RULE = "rule"
    FORM = "form"
    APPROVAL = "approval"  # an approval step
    REPORT = "report"
    TOOL = "tool"


class ItemStatus(StrEnum):
    ACTIVE = "active"
    ABOLISHED = "abolished"  # stays visible, with the idea that did it
    MERGED = "merged"  # folded into another item


class ChangeKind(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    IMPORTED = "imported"
    # What an implemented idea did to the item.
    ABOLISHED = "abolished"
    SIMPLIFIED = "simplified"
    MERGED = "merged"
    DIGITISED = "digitised"


IDEA_CHANGES = (
    ChangeKind.ABOLISHED,
    ChangeKind.SIMPLIFIED,
    ChangeKind.MERGED,
    ChangeKind.DIGITISED,
)

idea_ledger_items = Table(
    "idea_ledger_items",
    db.metadata,
    Column("idea_id", ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "item_id", ForeignKey("ledger_items.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class LedgerItem(db.Model):
    __tablename__ = "ledger_items"
    __table_args__ = (
        Index("ix_ledger_items_kind_id", "kind", "id"),
        Index("ix_ledger_items_department_id", "department_id", "id"),
        Index("ix_ledger_items_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(150))
    description: Mapped[str] = mapped_column(Text, default="")
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    cases_per_month: Mapped[int] = mapped_column(Integer, default=0)
    minutes_per_case: Mapped[int] = mapped_column(Integer, default=0)
    signatures: Mapped[int] = mapped_column(Integer, default=0)
    handoffs: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default=ItemStatus.ACTIVE)
    # The implemented idea that abolished (or merged away) the item.
    ended_by_idea_id: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)

    department: Mapped[Department] = relationship()
    owner: Mapped[User | None] = relationship()
    ended_by_idea: Mapped[Idea | None] = relationship()

    @property
    def hours_per_month(self) -> float:
        return self.cases_per_month * self.minutes_per_case / 60

    def __repr__(self) -> str:
        return f"<LedgerItem {self.id} {self.kind} {self.status}>"


class LedgerChange(db.Model):
    """One line of an item's history: created, edited, imported, or what an idea changed.
    Rows are only ever added."""

    __tablename__ = "ledger_changes"
    __table_args__ = (
        Index("ix_ledger_changes_item", "item_id", "id"),
        Index("ix_ledger_changes_idea", "idea_id", "id"),
        Index("ix_ledger_changes_kind_created", "kind", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("ledger_items.id", ondelete="CASCADE"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    steps_removed: Mapped[int] = mapped_column(Integer, default=0)
    signatures_removed: Mapped[int] = mapped_column(Integer, default=0)
    fields_removed: Mapped[int] = mapped_column(Integer, default=0)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_items.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now)

    item: Mapped[LedgerItem] = relationship(foreign_keys=[item_id])
    idea: Mapped[Idea | None] = relationship()
    merged_into: Mapped[LedgerItem | None] = relationship(foreign_keys=[merged_into_id])
    actor: Mapped[User | None] = relationship()


class ImpactPlan(db.Model):
    """Baseline and target recorded on acceptance, for one touched item or (item NULL) for the
    idea as a whole. Hours saved per year are computed, never stored."""

    __tablename__ = "impact_plans"
    __table_args__ = (Index("ix_impact_plans_idea", "idea_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_items.id", ondelete="SET NULL"))
    baseline_minutes: Mapped[int] = mapped_column(Integer)
    baseline_cases: Mapped[int] = mapped_column(Integer)
    baseline_handoffs: Mapped[int] = mapped_column(Integer, default=0)
    baseline_signatures: Mapped[int] = mapped_column(Integer, default=0)
    target_minutes: Mapped[int] = mapped_column(Integer)
    target_cases: Mapped[int] = mapped_column(Integer)
    target_handoffs: Mapped[int] = mapped_column(Integer, default=0)
    target_signatures: Mapped[int] = mapped_column(Integer, default=0)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now)

    idea: Mapped[Idea] = relationship()
    item: Mapped[LedgerItem | None] = relationship()


class Measurement(db.Model):
    """The actual figures 30 or 90 days after go-live. The row is the request (a queue entry
    for the commitment's owner) until ``recorded_at`` is set; one per plan and day count, so
    asking again asks nobody twice."""

    __tablename__ = "impact_measurements"
    __table_args__ = (
        UniqueConstraint("plan_id", "after_days"),
        Index("ix_impact_measurements_owner_open", "owner_id", "recorded_at", "due_on"),
        Index("ix_impact_measurements_idea", "idea_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("impact_plans.id", ondelete="CASCADE"))
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    after_days: Mapped[int] = mapped_column(Integer)  # 30 or 90
    due_on: Mapped[date] = mapped_column(Date)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(default=now)
    minutes_per_case: Mapped[int | None] = mapped_column(Integer)
    cases_per_month: Mapped[int | None] = mapped_column(Integer)
    handoffs: Mapped[int | None] = mapped_column(Integer)
    signatures: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    plan: Mapped[ImpactPlan] = relationship()
    idea: Mapped[Idea] = relationship()
