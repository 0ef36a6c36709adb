"""The leadership dashboard, "You said, we did", and the exports. Every export is authorised
on its own request: there are no links that work for someone else."""

from __future__ import annotations

from datetime import date, datetime

from babel.units import format_unit
from flask import render_template, request, url_for
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    format_time,
    get_timezone,
    ngettext,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..core.clock import local_date, now
from ..core.database import commit_keeping_loaded
from ..core.inputs import bounded_int
from ..core.registry import contributions
from ..core.signals import data_exported
from ..ideas import queries as idea_queries
from ..ideas.labels import STATUS_LABELS
from ..ideas.models import Idea
from ..org.queries import department_choices_within, org_settings, visible_department_ids
from ..policy import requires
from ..web.templating import locale
from . import bp, changes, charts, exports, metrics, snapshots
from .forms import DEFAULT_RANGE, RANGES, DashboardForm, quarter_start


def dashboard_filter() -> tuple[DashboardForm, metrics.Scope]:
    """Read the range and department from the query string; fall back to the last 90 days
    (and the person's whole view) when something makes no sense."""
    allowed = visible_department_ids(current_user, "insights.all_departments")
    form = DashboardForm(formdata=request.args)
    form.department.choices = [(None, _("All departments"))] + department_choices_within(allowed)
    at = now()
    if not form.validate():  # the errors stay on the form, for the page to show
        bad_dates = form.range.data == "custom" and (form.start.errors or form.end.errors)
        if form.range.errors or form.range.data not in RANGES or bad_dates:
            form.range.data = DEFAULT_RANGE
        if form.department.errors:
            form.department.data = None
    chosen = form.department.data
    departments = (chosen,) if chosen else allowed
    if form.range.data == "custom":
        return form, metrics.scope_for_dates(form.start.data, form.end.data, at, departments)
    if form.range.data == "quarter":
        return form, metrics.scope_for_dates(
            quarter_start(local_date(at)), local_date(at), at, departments
        )
    return form, metrics.scope_for_days(int(form.range.data), at, departments)


@bp.get("/insights")
@requires("insights.dashboard")
def dashboard():
    form, scope = dashboard_filter()
    figures = snapshots.dashboard_figures(scope, org_settings())
    view = DashboardView(figures.dashboard, figures.as_of)
    return render_template(
        "insights/dashboard.html", form=form, d=figures.dashboard, view=view,
        figures_html=_figures_html(figures, view), export_args=_filter_args(),
        cache_minutes=_cache_minutes(),
        sections=[part(scope) for part in contributions("dashboard.sections")],
    )  # fmt: skip


def _figures_html(figures: snapshots.Figures, view: DashboardView) -> Markup:
    """The figures' part of the page. Kept figures are drawn once per server, language and
    time zone (some hundred formatted numbers: most of the page's cost), then reused by every
    reader of the same figures; the request's own parts (filter, links) are drawn each time."""
    memo_key = None
    if figures.version is not None:
        memo_key = (*figures.version, locale(), str(get_timezone()))
        html = snapshots.recent("figures_html").get(memo_key)
        if html is not None:
            return html
    html = Markup(
        render_template(
            "insights/_figures.html", d=figures.dashboard, view=view,
            step_labels=exports.step_labels(),
        )
    )  # fmt: skip
    if memo_key is not None:
        snapshots.recent("figures_html").put(memo_key, html)
    return html


def _cache_minutes() -> int:
    seconds = snapshots.cache_seconds()
    return max(1, round(seconds / 60)) if seconds > 0 else 0


def _filter_args() -> dict[str, str]:
    """The dashboard's own query arguments, for the export links (nothing else passes)."""
    return {k: v for k in ("range", "start", "end", "department") if (v := request.args.get(k))}


def exported(name: str) -> None:
    """Tell the audit log, and keep it (the download itself changes nothing)."""
    data_exported.send(current_user, actor=current_user, what=name)
    commit_keeping_loaded()  # the streamed rows still read the person (their language)


@bp.get("/insights/figures.<any(csv, xlsx):fmt>")
@requires("insights.export")
def export_figures(fmt: str):
    _form, scope = dashboard_filter()
    figures = snapshots.dashboard_figures(scope, org_settings())  # the page's very figures
    names = dict(department_choices_within(None))
    tables = exports.dashboard_tables(figures.dashboard, names, figures.as_of)
    name = f"freiraum-figures-{now():%Y-%m-%d}.{fmt}"
    exported(name)
    if fmt == "csv":
        return exports.csv_response(name, exports.tables_as_csv_rows(tables))
    return exports.xlsx_response(name, tables)


@bp.get("/ideas/export.<any(csv, xlsx):fmt>")
@requires("insights.export")
def export_ideas(fmt: str):
    """The idea list as /ideas filters and searches it (``q``); a head gets the ideas of their
    departments."""
    current = idea_queries.IdeaFilter.from_args(request.args)
    allowed = visible_department_ids(current_user, "insights.all_departments")
    narrowed = [] if allowed is None else [Idea.owning_department_id.in_(allowed or (-1,))]
    query = idea_queries.matching_ideas(current_user, current, narrowed)
    name = f"freiraum-ideas-{now():%Y-%m-%d}.{fmt}"
    exported(name)
    cap = exports.row_cap()
    if fmt == "csv":
        return exports.csv_response(name, exports.idea_rows(query, locale(), cap))
    return exports.xlsx_response(name, [exports.idea_table(query, locale(), cap)])


@bp.get("/you-said-we-did")
def you_said_we_did():
    page = max(1, min(request.args.get("page", 1, type=bounded_int) or 1, changes.MAX_PAGE))
    found = changes.implemented_changes(page)
    return render_template(
        "insights/you_said_we_did.html", page=found,
        prev_url=url_for(".you_said_we_did", page=found.page - 1) if found.page > 1 else None,
        next_url=(url_for(".you_said_we_did", page=found.page + 1)
                  if found.page < found.pages else None),
    )  # fmt: skip


class DashboardView:
    """What the page draws from the figures: bars, the trend, the headline numbers."""

    def __init__(self, d: metrics.Dashboard, as_of: datetime):
        self.d = d
        self.as_of = as_of
        self.step_labels = exports.step_labels()

    def as_of_text(self) -> str:
        """When the figures were worked out: the time, and the day too if not today."""
        if format_date(self.as_of) == format_date(now()):
            return format_time(self.as_of, "short")
        return format_datetime(self.as_of, "short")

    def bucket_label(self, bucket: str) -> str:
        day = date.fromisoformat(bucket)
        if self.d.scope.unit == "month":
            return format_date(day, "MMM yy")
        return format_date(day, "d MMM")

    def days(self, value: float | None) -> str:
        if value is None:
            return "–"
        # The word, from Babel's units ("9,2 Tage", "1 day"): the short German "9,2 T."
        # reads as thousands.
        return format_unit(round(value, 1), "duration-day", length="long",
                           format="#,##0.#", locale=locale())  # fmt: skip

    def percent(self, rate: float | None) -> str:
        return _percent(rate)

    def number(self, value) -> str:
        return _number(value)

    def slowest_department(self) -> tuple[str, float] | None:
        """The department(s) whose first answers took longest (median), when there are at
        least two to compare; ties are named together."""
        by_department = self.d.durations["first_response"].by_department
        ranked = [
            (self.d.departments[i], s.median)
            for i, s in by_department.items()
            if i in self.d.departments and s.median is not None
        ]
        if len(ranked) < 2:
            return None
        slowest = max(median for _name, median in ranked)
        names = sorted(name for name, median in ranked if median == slowest)
        return ", ".join(names), slowest

    def response_bars(self, step: str = "first_response") -> charts.BarChart:
        """Median days per department, slowest first; departments with nothing measured last."""
        by_department = self.d.durations[step].by_department
        rows = []
        for dep_id, name in self.d.departments.items():
            stat = by_department.get(dep_id, metrics.Stat())
            rows.append((name, stat))
        rows.sort(key=lambda r: (r[1].median is None, -(r[1].median or 0), r[0].lower()))
        slowest = rows[0][1].median if rows and sum(1 for _n, s in rows if s.median) > 1 else None
        bars = [
            charts.Bar(
                label=name,
                value=stat.median,
                text=self.days(stat.median) if stat.count else _("no answers yet"),
                css="bar-highlight" if slowest is not None and stat.median == slowest else "",
                note=(_("9 in 10 within %(d)s", d=self.days(stat.p90)) if stat.count else ""),
            )
            for name, stat in rows
        ]
        return charts.bar_chart(bars)

    def funnel_bars(self) -> charts.BarChart:
        bars = [
            charts.Bar(str(STATUS_LABELS[status]), n, _number(n), css=f"bar-status-{status}",
                       href=None)
            for status, n in self.d.funnel.items()
        ]  # fmt: skip
        return charts.bar_chart(bars)

    def promise_bars(self) -> charts.BarChart:
        t = self.d.promises.total
        bars = [
            charts.Bar(_("Kept on time"), t.kept, _number(t.kept), "bar-ok"),
            charts.Bar(_("Kept late"), t.kept_late, _number(t.kept_late), "bar-warn"),
            charts.Bar(_("Broken"), t.broken, _number(t.broken), "bar-bad"),
            charts.Bar(_("Due and still open"), t.fell_due_open, _number(t.fell_due_open),
                       "bar-bad"),
        ]  # fmt: skip
        return charts.bar_chart(bars)

    def share_bars(self, grouped: metrics.GroupedFigures, key: str) -> charts.BarChart:
        too_small = _("too small to show")
        bars = []
        for group in grouped.rows:
            name = self.department_name(group.department_id)
            if group.figures is None:
                text = too_small if group.people else _("no active people")
                bars.append(charts.Bar(name, None, text, "bar-hidden"))
            else:
                share = group.figures[key]
                bars.append(charts.Bar(name, share.rate, _percent(share.rate),
                                       note=_share_note(share)))  # fmt: skip
        if grouped.pooled is not None:
            share = grouped.pooled.figures[key]
            bars.append(charts.Bar(_("Smaller departments together"), share.rate,
                                   _percent(share.rate), note=_share_note(share)))  # fmt: skip
        return charts.bar_chart(bars, maximum=1.0)

    def hours_bars(self) -> charts.BarChart:
        by_department = self.d.hours.by_department
        rows = sorted(
            ((name, by_department.get(i, metrics.Savings())) for i, name in
             self.d.departments.items()),
            key=lambda r: (-r[1].hours, r[0].lower()),
        )  # fmt: skip
        bars = [
            charts.Bar(name, s.hours, _("%(n)s h", n=_number(s.hours)),
                       note=ngettext("%(num)s idea", "%(num)s ideas", s.ideas))
            for name, s in rows if s.ideas
        ]  # fmt: skip
        return charts.bar_chart(bars)

    def trend(self) -> charts.LineChart:
        buckets = self.d.scope.buckets()
        series = [
            (self.step_labels[step], f"series-{i + 1}",
             {b: s.median for b, s in self.d.durations[step].by_bucket.items()})
            for i, step in enumerate(metrics.STEPS)
        ]  # fmt: skip
        return charts.line_chart(
            buckets, [self.bucket_label(b) for b in buckets], series, number=_axis_number
        )

    def groups(self, grouped: metrics.GroupedFigures) -> list[tuple[str, metrics.GroupFigures]]:
        """Rows for a table: everyone in view, each department, the pooled small ones."""
        rows = []
        if grouped.total is not None:
            rows.append((_("All in view"), grouped.total))
        rows += [(self.department_name(g.department_id), g) for g in grouped.rows]
        if grouped.pooled is not None:
            rows.append((_("Smaller departments together"), grouped.pooled))
        return rows

    def department_name(self, department_id: int | None) -> str:
        if department_id is None:
            return _("No department")
        return self.d.departments.get(department_id, "?")

    def range_text(self) -> str:
        scope = self.d.scope
        last = datetime.fromordinal(scope.end.toordinal() - 1)
        return _("%(start)s to %(end)s", start=format_date(scope.start, "medium"),
                 end=format_date(last, "medium"))  # fmt: skip


def _number(value) -> str:
    return format_decimal(value)


def _axis_number(value: float) -> str:
    return format_decimal(value, "#,##0.#")


def _percent(rate: float | None) -> str:
    return format_percent(rate) if rate is not None else "–"


def _share_note(share: metrics.Share) -> str:
    return _("%(part)s of %(whole)s", part=_number(share.part), whole=_number(share.whole))
