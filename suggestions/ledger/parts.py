"""The ledger's parts of the idea page and of the idea form (see core.registry)."""

from __future__ import annotations

from flask_babel import format_decimal
from flask_login import current_user

from ..ideas.models import Idea
from ..policy import can
from . import impact, queries, rules
from .forms import ChangeForm, MeasurementForm, PlanForm
from .permissions import PLANNABLE


def format_hours(value: float | None) -> str:
    if value is None:
        return "—"
    return format_decimal(round(value, 1), format="#,##0.#")


def items_by_ids(ids) -> list:
    return queries.items_by_ids(list(ids or []))


def save_idea_form(idea: Idea, form) -> None:
    field = getattr(form, "ledger_items", None)
    if field is not None and field.data is not None:
        rules.link_items(idea, field.data)


def idea_page_part(idea: Idea) -> dict:
    """What the idea page shows of the ledger: the items it touches, what it changed, the
    projected and measured hours, and the forms of those who may record them."""
    from .views import change_form, plan_form

    items = queries.items_of(idea)
    plans = impact.plans_of(idea) if idea.status in PLANNABLE else []
    projected, measured = impact.idea_totals(plans)
    part = {
        "ledger_items": items,
        "ledger_changes": queries.changes_of(idea) if items else [],
        "impact_plans": plans,
        "impact_projected": projected,
        "impact_measured": measured,
    }
    if items and can(current_user, "ledger.record_changes", idea):
        part["ledger_change_form"] = change_form(idea, ChangeForm(formdata=None))
    if can(current_user, "impact.plan", idea):
        part["impact_plan_form"] = plan_form(idea, PlanForm(formdata=None))
    forms = {}
    for view in plans:
        for m in view.measurements:
            if m.recorded_at is None and can(current_user, "impact.measure", m):
                forms[m.id] = MeasurementForm(formdata=None, prefix=f"m{m.id}")
    part["measurement_forms"] = forms
    return part
