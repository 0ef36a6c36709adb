"""What people do with the ledger: maintain items, link ideas to the items they touch, and
record what an implemented idea changed. Plain functions; the caller commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _
from sqlalchemy import delete, insert, select

from ..auth.models import User
from ..core.clock import now
from ..core.errors import DomainError
from ..core.extensions import db
from ..ideas.models import Idea
from ..org.models import Department
from ..policy import require
from .models import (
    IDEA_CHANGES,
    ChangeKind,
    ItemStatus,
    LedgerChange,
    LedgerItem,
    LedgerKind,
    idea_ledger_items,
)

# An idea names a handful of items; more is a list, not an idea.
MAX_ITEMS_PER_IDEA = 20


@dataclass
class ItemFields:
    """What the person maintaining an item says about it; the same for a new item and an edit."""

    kind: str
    title: str
    description: str
    department: Department
    owner: User | None
    cases_per_month: int
    minutes_per_case: int
    signatures: int
    handoffs: int


def _check(fields: ItemFields) -> None:
    if fields.kind not in set(LedgerKind):
        raise DomainError(_("Please choose a kind."))
    if fields.department is None:
        raise DomainError(_("Please choose a department."))
    if fields.owner is not None and not fields.owner.active:
        raise DomainError(_("The owner must be an active person."))


def _apply(item: LedgerItem, fields: ItemFields) -> None:
    item.kind = fields.kind
    item.title = fields.title.strip()
    item.description = (fields.description or "").strip()
    item.department_id = fields.department.id
    item.owner_id = fields.owner.id if fields.owner else None
    item.cases_per_month = fields.cases_per_month or 0
    item.minutes_per_case = fields.minutes_per_case or 0
    item.signatures = fields.signatures or 0
    item.handoffs = fields.handoffs or 0
    item.updated_at = now()


def create_item(actor: User, fields: ItemFields, *, imported: bool = False) -> LedgerItem:
    _check(fields)
    item = LedgerItem(status=ItemStatus.ACTIVE, created_at=now())
    _apply(item, fields)
    require(actor, "ledger.maintain", item)  # a head for their own departments only
    db.session.add(item)
    db.session.flush()
    kind = ChangeKind.IMPORTED if imported else ChangeKind.CREATED
    db.session.add(LedgerChange(item_id=item.id, kind=kind, actor_id=actor.id, created_at=now()))
    return item


def edit_item(item: LedgerItem, actor: User, fields: ItemFields) -> None:
    require(actor, "ledger.maintain", item)
    _check(fields)
    _apply(item, fields)
    require(actor, "ledger.maintain", item)  # and may not hand it to a department not theirs
    db.session.add(
        LedgerChange(item_id=item.id, kind=ChangeKind.EDITED, actor_id=actor.id, created_at=now())
    )


def linked_item_ids(idea: Idea) -> list[int]:
    query = select(idea_ledger_items.c.item_id).where(idea_ledger_items.c.idea_id == idea.id)
    return list(db.session.scalars(query.order_by(idea_ledger_items.c.item_id)))


def link_items(idea: Idea, item_ids: Sequence[int]) -> list[LedgerItem]:
    """Name the items the idea touches (replacing the earlier choice). Their owners'
    departments become affected departments, so the idea shows in their queue."""
    wanted = sorted(set(item_ids or ()))
    if len(wanted) > MAX_ITEMS_PER_IDEA:
        raise DomainError(_("Please name at most %(n)s ledger items.", n=MAX_ITEMS_PER_IDEA))
    items = (
        list(db.session.scalars(select(LedgerItem).where(LedgerItem.id.in_(wanted))))
        if wanted
        else []
    )
    if len(items) != len(wanted):
        raise DomainError(_("One of the ledger items no longer exists."))
    current = set(linked_item_ids(idea))
    if current - set(wanted):
        db.session.execute(
            delete(idea_ledger_items).where(
                idea_ledger_items.c.idea_id == idea.id,
                idea_ledger_items.c.item_id.in_(current - set(wanted)),
            )
        )
    added = [i for i in wanted if i not in current]
    if added:
        db.session.execute(
            insert(idea_ledger_items), [{"idea_id": idea.id, "item_id": i} for i in added]
        )
    affected = {d.id for d in idea.affected_departments}
    for item in items:
        if item.department_id != idea.owning_department_id and item.department_id not in affected:
            idea.affected_departments.append(item.department)
            affected.add(item.department_id)
    return items


@dataclass
class ChangeFields:
    item: LedgerItem
    kind: str
    steps_removed: int = 0
    signatures_removed: int = 0
    fields_removed: int = 0
    merged_into: LedgerItem | None = None
    note: str | None = None


def _check_merge_target(item: LedgerItem, target: LedgerItem | None) -> None:
    """Merged into any active item of the ledger, never into itself or one that is gone."""
    if target is None:
        raise DomainError(_("Please name the item it was merged into."))
    if target.id == item.id:
        raise DomainError(_("An item cannot be merged into itself."))
    if target.status == ItemStatus.ABOLISHED:
        raise DomainError(_("“%(title)s” is abolished: nothing can be merged into it.",
                            title=target.title))  # fmt: skip
    if target.status != ItemStatus.ACTIVE:
        raise DomainError(_("“%(title)s” was merged into another item itself: name that one.",
                            title=target.title))  # fmt: skip


def merge_target(item_id: int | None) -> LedgerItem | None:
    """The item named as the one merged into; an unknown number is refused."""
    if item_id is None:
        return None
    target = db.session.get(LedgerItem, item_id)
    if target is None:
        raise DomainError(_("There is no ledger item number %(number)s.", number=item_id))
    return target


def record_change(idea: Idea, actor: User, change: ChangeFields) -> LedgerChange:
    """What the implemented idea did to one item it touches. Abolished and merged items stay in
    the ledger, marked so, with the idea that did it; the item's cost figures follow the change."""
    require(actor, "ledger.record_changes", idea)
    item = change.item
    if item is None or item.id not in linked_item_ids(idea):
        raise DomainError(_("This idea does not name that ledger item."))
    if change.kind not in IDEA_CHANGES:
        raise DomainError(_("Please say what changed."))
    if item.status != ItemStatus.ACTIVE:
        raise DomainError(_("This item was already abolished or merged."))
    steps = max(0, change.steps_removed or 0)
    signatures = max(0, change.signatures_removed or 0)
    if change.kind == ChangeKind.MERGED:
        _check_merge_target(item, change.merged_into)
    if change.kind in (ChangeKind.ABOLISHED, ChangeKind.MERGED):
        # Gone: every signature and hand-off it cost is gone with it.
        signatures, steps = item.signatures, item.handoffs
        item.status = (
            ItemStatus.ABOLISHED if change.kind == ChangeKind.ABOLISHED else ItemStatus.MERGED
        )
        item.ended_by_idea_id = idea.id
    else:
        signatures = min(signatures, item.signatures)
        steps = min(steps, item.handoffs)
    item.signatures -= signatures
    item.handoffs -= steps
    item.updated_at = now()
    row = LedgerChange(
        item_id=item.id, idea_id=idea.id, kind=change.kind, steps_removed=steps,
        signatures_removed=signatures, fields_removed=max(0, change.fields_removed or 0),
        merged_into_id=change.merged_into.id if change.kind == ChangeKind.MERGED else None,
        note=(change.note or "").strip() or None, actor_id=actor.id, created_at=now(),
    )  # fmt: skip
    db.session.add(row)
    return row
