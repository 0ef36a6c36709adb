"""The read side of the ledger: the list (filters, keyset pages), the search while typing,
an item's ideas and history, and the red tape removed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload

from ..core.extensions import db
from ..core.inputs import bounded_int
from ..ideas.models import Idea
from .models import ChangeKind, ItemStatus, LedgerChange, LedgerItem, LedgerKind, idea_ledger_items

PER_PAGE = 50
SEARCH_LIMIT = 10


def _int_or_none(value: str | None) -> int | None:
    try:
        return bounded_int(value) if value else None
    except (ValueError, TypeError):
        return None


@dataclass
class ItemFilter:
    kind: str | None = None
    department: int | None = None
    status: str | None = None
    q: str = ""
    after: int | None = None

    @classmethod
    def from_args(cls, args) -> ItemFilter:
        kind = args.get("kind") if args.get("kind") in set(LedgerKind) else None
        status = args.get("status") if args.get("status") in set(ItemStatus) else None
        return cls(
            kind=kind, department=_int_or_none(args.get("department")), status=status,
            q=" ".join((args.get("q") or "").split())[:100], after=_int_or_none(args.get("after")),
        )  # fmt: skip

    def args(self, **changes) -> dict:
        values = {"kind": self.kind, "department": self.department, "status": self.status,
                  "q": self.q or None, "after": self.after} | changes  # fmt: skip
        return {k: v for k, v in values.items() if v is not None}


@dataclass
class ItemPage:
    items: list[LedgerItem]
    next_after: int | None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_items(f: ItemFilter) -> ItemPage:
    """Newest last, by id: the page after ``f.after`` costs the same however long the ledger."""
    query = select(LedgerItem).options(
        joinedload(LedgerItem.department), joinedload(LedgerItem.owner)
    )
    if f.kind:
        query = query.where(LedgerItem.kind == f.kind)
    if f.department:
        query = query.where(LedgerItem.department_id == f.department)
    if f.status:
        query = query.where(LedgerItem.status == f.status)
    if f.q:
        query = query.where(LedgerItem.title.ilike(_like(f.q), escape="\\"))
    if f.after:
        query = query.where(LedgerItem.id > f.after)
    items = list(db.session.scalars(query.order_by(LedgerItem.id).limit(PER_PAGE + 1)))
    more = len(items) > PER_PAGE
    items = items[:PER_PAGE]
    return ItemPage(items, items[-1].id if more else None)


def search(text: str) -> list[LedgerItem]:
    """Active items whose title or number matches what is typed (for the idea form)."""
    text = " ".join((text or "").split())[:100]
    if not text:
        return []
    condition = LedgerItem.title.ilike(_like(text), escape="\\")
    number = text.lstrip("#")
    if number.isdigit() and len(number) < 10:
        condition = or_(condition, LedgerItem.id == int(number))
    query = (
        select(LedgerItem)
        .where(LedgerItem.status == ItemStatus.ACTIVE, condition)
        .options(joinedload(LedgerItem.department))
        .order_by(LedgerItem.title, LedgerItem.id)
        .limit(SEARCH_LIMIT)
    )
    return list(db.session.scalars(query))


def items_by_ids(ids: Sequence[int]) -> list[LedgerItem]:
    ids = [i for i in ids if isinstance(i, int)][:50]
    if not ids:
        return []
    query = (
        select(LedgerItem).where(LedgerItem.id.in_(ids)).options(joinedload(LedgerItem.department))
    )
    return list(db.session.scalars(query.order_by(LedgerItem.title, LedgerItem.id)))


def get_item_or_404(item_id: int) -> LedgerItem:
    query = select(LedgerItem).where(LedgerItem.id == item_id).options(
        joinedload(LedgerItem.department), joinedload(LedgerItem.owner),
        joinedload(LedgerItem.ended_by_idea),
    )  # fmt: skip
    item = db.session.scalar(query)
    if item is None:
        abort(404)
    return item


def items_of(idea: Idea) -> list[LedgerItem]:
    query = (
        select(LedgerItem)
        .join(idea_ledger_items, idea_ledger_items.c.item_id == LedgerItem.id)
        .where(idea_ledger_items.c.idea_id == idea.id)
        .options(joinedload(LedgerItem.department), joinedload(LedgerItem.owner))
        .order_by(LedgerItem.title, LedgerItem.id)
        .limit(50)
    )
    return list(db.session.scalars(query))


def ideas_of(item: LedgerItem, limit: int = 100) -> list[Idea]:
    query = (
        select(Idea)
        .join(idea_ledger_items, idea_ledger_items.c.idea_id == Idea.id)
        .where(idea_ledger_items.c.item_id == item.id)
        .order_by(Idea.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def history(item: LedgerItem, limit: int = 200) -> list[LedgerChange]:
    query = (
        select(LedgerChange)
        .where(LedgerChange.item_id == item.id)
        .options(
            joinedload(LedgerChange.idea),
            joinedload(LedgerChange.actor),
            joinedload(LedgerChange.merged_into),
        )  # fmt: skip
        .order_by(LedgerChange.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def merged_into(item: LedgerItem, limit: int = 200) -> list[LedgerChange]:
    """The changes that merged other items into this one, with those items and the ideas."""
    query = (
        select(LedgerChange)
        .where(LedgerChange.merged_into_id == item.id)
        .options(joinedload(LedgerChange.item), joinedload(LedgerChange.idea))
        .order_by(LedgerChange.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def changes_of(idea: Idea) -> list[LedgerChange]:
    query = (
        select(LedgerChange)
        .where(LedgerChange.idea_id == idea.id)
        .options(joinedload(LedgerChange.item), joinedload(LedgerChange.merged_into))
        .order_by(LedgerChange.id)
        .limit(100)
    )
    return list(db.session.scalars(query))


@dataclass
class RedTapeRemoved:
    forms: int = 0
    approval_steps: int = 0
    items_abolished: int = 0
    items_simplified: int = 0
    items_digitised: int = 0
    signatures: int = 0
    handoffs: int = 0
    fields: int = 0


GONE = (ChangeKind.ABOLISHED, ChangeKind.MERGED)


def red_tape_removed(
    departments: Sequence[int] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> RedTapeRemoved:
    """What implemented ideas took away, by the item's owning department: one grouped query."""
    gone = LedgerChange.kind.in_(GONE)

    def count_if(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    query = (
        select(
            count_if(gone & (LedgerItem.kind == LedgerKind.FORM)),
            count_if(gone & (LedgerItem.kind == LedgerKind.APPROVAL)),
            count_if(gone),
            count_if(LedgerChange.kind == ChangeKind.SIMPLIFIED),
            count_if(LedgerChange.kind == ChangeKind.DIGITISED),
            func.coalesce(func.sum(LedgerChange.signatures_removed), 0),
            func.coalesce(func.sum(LedgerChange.steps_removed), 0),
            func.coalesce(func.sum(LedgerChange.fields_removed), 0),
        )
        .join(LedgerItem, LedgerItem.id == LedgerChange.item_id)
        .where(LedgerChange.idea_id.is_not(None))
    )
    if departments is not None:
        query = query.where(LedgerItem.department_id.in_(tuple(departments) or (-1,)))
    if since is not None:
        query = query.where(LedgerChange.created_at >= since)
    if until is not None:
        query = query.where(LedgerChange.created_at < until)
    row = db.session.execute(query).one()
    return RedTapeRemoved(*(int(v or 0) for v in row))


def changes_between(since: datetime, until: datetime, limit: int = 200) -> list[LedgerChange]:
    query = (
        select(LedgerChange)
        .where(
            LedgerChange.idea_id.is_not(None),
            LedgerChange.created_at >= since,
            LedgerChange.created_at < until,
        )  # fmt: skip
        .options(joinedload(LedgerChange.item), joinedload(LedgerChange.idea))
        .order_by(LedgerChange.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def changes_for_ideas(idea_ids: Sequence[int]) -> list[LedgerChange]:
    if not idea_ids:
        return []
    query = (
        select(LedgerChange)
        .where(LedgerChange.idea_id.in_(list(idea_ids)))
        .options(joinedload(LedgerChange.item))
        .order_by(LedgerChange.id)
        .limit(1000)
    )
    return list(db.session.scalars(query))
