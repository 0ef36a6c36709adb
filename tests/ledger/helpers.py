"""Small factories for the ledger's tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from suggestions.core import clock
from suggestions.core.extensions import db
from suggestions.ledger import impact, rules
from suggestions.ledger.models import LedgerItem
from suggestions.workflow import lifecycle


def make_item(actor, department, title="Travel request form B7", kind="form", **numbers):
    fields = rules.ItemFields(
        kind=kind, title=title, description="Filled in for every trip.", department=department,
        owner=numbers.pop("owner", None), cases_per_month=numbers.get("cases", 200),
        minutes_per_case=numbers.get("minutes", 30), signatures=numbers.get("signatures", 3),
        handoffs=numbers.get("handoffs", 2),
    )  # fmt: skip
    item = rules.create_item(actor, fields)
    db.session.commit()
    return item


def implemented(idea, head, owner, on: date, summary="The form is gone."):
    """Accept (with ``owner`` delivering) and implement ``idea`` on the day ``on``."""
    with clock.travel_to(datetime(on.year, on.month, on.day, 9) - timedelta(days=10)):
        lifecycle.accept(
            idea, head, owner=owner, promise="We fix it.", due_on=on, estimated_cost=Decimal(100)
        )
    db.session.commit()
    with clock.travel_to(datetime(on.year, on.month, on.day, 10)):
        lifecycle.implement(idea, head, change_summary=summary, implemented_on=on)
    db.session.commit()
    return idea


def plan(idea, head, before=(30, 200), after=(10, 200), item: LedgerItem | None = None):
    return impact.record_plan(idea, head, impact.Figures(*before), impact.Figures(*after), item)
