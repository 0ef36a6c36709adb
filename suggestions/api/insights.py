"""Dashboard figures for a BI tool: ``GET /api/v1/insights/figures``, the same figures as the
dashboard page (the same snapshot, the same minimum group size, the same scope: leadership
and admins everything, heads the departments they head). Only counts and durations, never a
person: who voted is not shown, groups below the minimum size are withheld."""

from __future__ import annotations

from datetime import timedelta

from flask import jsonify, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..core.clock import local_date, now
from ..core.errors import NotAllowed
from ..insights import metrics, snapshots
from ..insights.forms import DashboardForm, quarter_start
from ..org.queries import department_choices_within, org_settings, visible_department_ids
from ..policy import require
from . import bp
from .views import Invalid


def _scope() -> metrics.Scope:
    allowed = visible_department_ids(current_user, "insights.all_departments")
    form = DashboardForm(formdata=request.args)
    form.department.choices = [(None, "")] + department_choices_within(allowed)
    raw = request.args.get("department") or ""
    if raw.isdigit() and allowed is not None and int(raw) not in allowed:
        # A head asking for a department they do not head: not theirs to see.
        raise NotAllowed(_l("You are not allowed to do that."))
    if not form.validate():
        errors = dict(form.errors)
        first = next((m for messages in errors.values() for m in messages), None)
        raise Invalid(first or _l("Please check what you sent"), errors)
    chosen = form.department.data
    departments = (chosen,) if chosen else allowed
    at = now()
    if form.range.data == "custom":
        return metrics.scope_for_dates(form.start.data, form.end.data, at, departments)
    if form.range.data == "quarter":
        return metrics.scope_for_dates(
            quarter_start(local_date(at)), local_date(at), at, departments
        )
    return metrics.scope_for_days(int(form.range.data), at, departments)


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _stat(stat: metrics.Stat) -> dict:
    return {"count": stat.count, "median_days": _days(stat.median), "p90_days": _days(stat.p90)}


def _compliance(c: metrics.Compliance) -> dict:
    return {"on_time": c.on_time, "late": c.late, "not_due": c.not_due, "rate": _rate(c.rate)}


def _promises(r: metrics.PromiseRecord) -> dict:
    names = ("kept", "kept_late", "broken", "fell_due_open", "open_now", "overdue_now")
    return {name: getattr(r, name) for name in names} | {
        "kept_on_time_rate": _rate(r.kept_on_time_rate)
    }


def _group(group: metrics.GroupFigures | None) -> dict | None:
    if group is None:
        return None
    figures = None
    if group.figures is not None:
        figures = {
            name: {"part": s.part, "whole": s.whole, "rate": _rate(s.rate)}
            for name, s in group.figures.items()
        }
    return {"department_id": group.department_id, "people": group.people, "figures": figures}


def _grouped(grouped: metrics.GroupedFigures) -> dict:
    return {
        "rows": [_group(row) for row in grouped.rows],
        "pooled": _group(grouped.pooled),
        "total": _group(grouped.total),
        "hidden_departments": grouped.hidden_departments,
        "min_group_size": grouped.min_group_size,
    }


def _savings(s: metrics.Savings) -> dict:
    return {"ideas": s.ideas, "hours": s.hours, "by_empowerment": s.by_empowerment,
            "hours_by_empowerment": s.hours_by_empowerment}  # fmt: skip


def _open(ideas: list[metrics.OpenIdea]) -> list[dict]:
    return [{"id": i.id, "title": i.title, "votes": i.votes, "department": i.department,
             "days_waiting": i.days_waiting} for i in ideas]  # fmt: skip


def present(figures: snapshots.Figures) -> dict:
    d = figures.dashboard
    scope = d.scope
    return {
        "as_of": figures.as_of.isoformat() + "Z",
        "start": scope.start.date().isoformat(),
        "end": (scope.end - timedelta(days=1)).date().isoformat(),  # the last day, included
        "departments": [{"id": i, "name": name} for i, name in d.departments.items()],
        "submitted": d.submitted,
        "funnel": dict(d.funnel),
        "durations": {step: _stat(durations.overall) for step, durations in d.durations.items()},
        "sla": {
            "first_response_days": d.sla.first_response_days,
            "decision_days": d.sla.decision_days,
            "first_response": _compliance(d.sla.response),
            "decision": _compliance(d.sla.decision),
        },
        "promises": _promises(d.promises.total),
        "participation": _grouped(d.participation),
        "cross_department": _grouped(d.cross_department),
        "hours_saved": {
            "in_range": _savings(d.hours.in_range),
            "all_time": _savings(d.hours.all_time),
        },  # fmt: skip
        "most_voted": _open(d.most_voted),
        "longest_waiting": _open(d.longest_waiting),
    }


@bp.get("/insights/figures")
def insights_figures():
    require(current_user, "insights.dashboard")
    figures = snapshots.dashboard_figures(_scope(), org_settings())
    response = jsonify(present(figures))
    response.headers["Cache-Control"] = "private, max-age=60"
    return response
