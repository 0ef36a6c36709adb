"""Exports: the filtered idea list and the dashboard's figures, as CSV and as XLSX.

CSV is written for German Excel: ``;`` between cells, UTF-8 with a byte order mark, decimal
commas, and a ``'`` before any cell that Excel would otherwise run as a formula. XLSX cells
that hold text are stored as text, never as formulas. Anonymous authors are "Anonymous" in
every export; nobody's account id leaves the system.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask import Response, current_app, stream_with_context, url_for
from flask_babel import format_decimal, get_timezone
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from ..auth.models import User
from ..core.extensions import db
from ..ideas.labels import STATUS_LABELS
from ..ideas.models import Idea, idea_affected_departments
from ..org.models import Category, Department
from . import metrics

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    title: str
    sheet: str  # a short name for the workbook tab (at most 31 characters)
    header: list[str]
    rows: list[list[Any]]


def row_cap() -> int:
    return int(current_app.config["INSIGHTS_EXPORT_MAX_ROWS"])


# -- time --------------------------------------------------------------------------------------


def zone_name() -> str:
    """The organisation's time zone, as the pages use it (e.g. Europe/Berlin)."""
    return str(get_timezone())


def local(moment: datetime | None) -> datetime | None:
    """A stored moment (UTC, naive) as the organisation's wall-clock time, naive again: Excel
    has no time zones, so the column header names the zone instead."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(get_timezone()).replace(tzinfo=None)


def zoned(header: str) -> str:
    """A column header for local times: "Submitted (Europe/Berlin)"."""
    return f"{header} ({zone_name()})"


# -- cells -------------------------------------------------------------------------------------


def csv_cell(value: Any) -> str:
    """One value as German Excel reads it, never as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return (
            f"{value:.1f}".replace(".", ",")
            if isinstance(value, float)
            else (str(value).replace(".", ","))
        )
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def xlsx_text(text: str) -> str:
    """Text a workbook can hold. XML 1.0 has no place for most control characters (NUL,
    bell, ESC...): openpyxl refuses them and the whole export would fail, so each becomes
    U+FFFD. Titles saved before input refused them still export."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def _xlsx_value(sheet, value: Any):
    """A value as a workbook cell. Plain values are written as they are; only text that
    openpyxl would store as a formula, and dates (for their format), need a cell object."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, int | float):
        return value
    if isinstance(value, datetime | date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, datetime) else "yyyy-mm-dd"
        return cell
    value = xlsx_text(str(value))
    if value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text stays text: "=1+1" is not a formula here
        return cell
    return value


# -- responses ---------------------------------------------------------------------------------


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def csv_response(filename: str, rows: Iterable[list[Any]]) -> Response:
    """Stream the rows as CSV: memory stays flat whatever the number of rows."""

    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        yield "\ufeff"  # the BOM: Excel reads UTF-8 only with it
        for row in rows:
            writer.writerow([csv_cell(v) for v in row])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    return Response(
        stream_with_context(generate()), content_type=CSV_CONTENT_TYPE,
        headers=_attachment(filename),
    )  # fmt: skip


def tables_as_csv_rows(tables: list[Table]) -> Iterator[list[Any]]:
    for i, table in enumerate(tables):
        if i:
            yield []
        yield [table.title]
        yield table.header
        yield from table.rows


def xlsx_response(filename: str, tables: Iterable[Table]) -> Response:
    """A workbook with one sheet per table, written to a temporary file, then sent."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(title=xlsx_text(table.sheet)[:31])
        header = []
        for name in table.header:
            cell = WriteOnlyCell(sheet, value=xlsx_text(str(name)))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append([_xlsx_value(sheet, v) for v in row])
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        body = handle.read()
    return Response(body, content_type=XLSX_CONTENT_TYPE, headers=_attachment(filename))


# -- the idea list -----------------------------------------------------------------------------


def idea_header() -> list[str]:
    return [
        _("Number"), _("Title"), _("Status"), _("Category"), _("Department"),
        _("Affected departments"), _("Author"), _("Author's department"),
        zoned(_("Submitted")), zoned(_("First response")), zoned(_("Decided")),
        _("Implemented on"), _("Days to first response"), _("Days to decision"), _("Votes"),
        _("Comments"), _("Estimated cost"), _("Hours lost per month"), _("Customer-facing"),
        _("Done by the author themselves"), _("Link"),
    ]  # fmt: skip


def _days(start: datetime, end: datetime | None) -> float | None:
    return round((end - start).total_seconds() / 86400, 1) if end else None


_AUTHOR = aliased(User)
_AUTHOR_DEPARTMENT = aliased(Department)
_OWNER = aliased(Department)
_BATCH = 1000


def _idea_columns():
    return (
        Idea.id, Idea.title, Idea.status, Category.name_en, Category.name_de, _OWNER.name,
        Idea.is_anonymous, Idea.author_id, _AUTHOR.display_name, _AUTHOR_DEPARTMENT.name,
        Idea.created_at, Idea.first_response_at, Idea.decided_at, Idea.implemented_on,
        Idea.vote_count, Idea.comment_count, Idea.estimated_cost, Idea.hours_lost_per_month,
        Idea.customer_facing, Idea.done_by_empowerment,
    )  # fmt: skip


def idea_row(row, affected: list[str], locale: str, link_prefix: str) -> list[Any]:
    (idea_id, title, status, category_en, category_de, department, anonymous, author_id,
     author_name, author_department, created, responded, decided, implemented_on, votes,
     comments, cost, hours, customer_facing, empowered) = row  # fmt: skip
    if anonymous:  # anonymous to everyone, in every export
        author, author_department = _("Anonymous"), None
    elif author_id is None:
        author, author_department = _("Former employee"), None
    else:
        author = author_name
    return [
        idea_id, title, str(STATUS_LABELS.get(status, status)),
        category_de if locale == "de" else category_en, department, ", ".join(affected), author,
        author_department, local(created), local(responded), local(decided), implemented_on,
        _days(created, responded), _days(created, decided), votes, comments, cost, hours,
        customer_facing, empowered, f"{link_prefix}{idea_id}",
    ]  # fmt: skip


def _affected(idea_ids: list[int]) -> dict[int, list[str]]:
    query = (
        select(idea_affected_departments.c.idea_id, Department.name)
        .join(Department, Department.id == idea_affected_departments.c.department_id)
        .where(idea_affected_departments.c.idea_id.in_(idea_ids))
        .order_by(Department.name)
    )
    found: dict[int, list[str]] = defaultdict(list)
    for idea_id, name in db.session.execute(query):
        found[idea_id].append(name)
    return found


def idea_rows(query: Select, locale: str, cap: int) -> Iterator[list[Any]]:
    """The header, then one row per idea in the query's order, read in batches of plain
    columns (no objects); after ``cap`` ideas a last row says the list was cut."""
    yield idea_header()
    query = (
        query.with_only_columns(*_idea_columns())
        .join(Category, Category.id == Idea.category_id)
        .join(_OWNER, _OWNER.id == Idea.owning_department_id)
        .outerjoin(_AUTHOR, _AUTHOR.id == Idea.author_id)
        .outerjoin(_AUTHOR_DEPARTMENT, _AUTHOR_DEPARTMENT.id == _AUTHOR.department_id)
        .limit(cap + 1)
    )
    link_prefix = url_for("ideas.show", idea_id=0, _external=True)[:-1]  # ".../ideas/"
    result = db.session.execute(query.execution_options(yield_per=_BATCH))
    count = 0
    for batch in result.partitions():
        affected = _affected([row[0] for row in batch])
        for row in batch:
            count += 1
            if count > cap:
                yield [_("Only the first %(n)s ideas are exported. Narrow the filter to see "
                         "the rest.", n=format_decimal(cap))]  # fmt: skip
                result.close()
                return
            yield idea_row(row, affected.get(row[0], []), locale, link_prefix)
    result.close()


def idea_table(query: Select, locale: str, cap: int) -> Table:
    rows = idea_rows(query, locale, cap)
    header = next(rows)
    return Table(_("Ideas"), _("Ideas"), header, list(rows))


# -- the dashboard's figures -------------------------------------------------------------------


def _pct(rate: float | None) -> float | None:
    return round(100 * rate, 1) if rate is not None else None


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def dashboard_tables(
    d: metrics.Dashboard, names: dict[int | None, str], as_of: datetime
) -> list[Table]:
    """The dashboard as tables: the same figures as the page, with the same privacy rules,
    and when they were worked out."""
    scope = d.scope

    def department(i):
        return names.get(i) or (_("No department") if i is None else "?")

    everyone = _("All departments in view")
    tables = [
        Table(
            _("Period"),
            _("Period"),
            [_("From"), _("To"), _("Departments"), zoned(_("Figures as of"))],
            [
                [
                    scope.start.date(),
                    (scope.end - timedelta(days=1)).date(),
                    ", ".join(d.departments.values())
                    if scope.department_ids is not None
                    else _("All departments"),
                    local(as_of.replace(second=0, microsecond=0)),
                ]
            ],
        ),  # fmt: skip
        Table(
            _("Ideas by status"),
            _("Funnel"),
            [_("Status"), _("Ideas submitted")],
            [[str(STATUS_LABELS[s]), n] for s, n in d.funnel.items()],
        ),  # fmt: skip
    ]
    step_names = step_labels()
    rows = []
    for step in metrics.STEPS:
        figures = d.durations[step]
        rows.append([step_names[step], everyone, figures.overall.count,
                     _round(figures.overall.median), _round(figures.overall.p90)])  # fmt: skip
        for dep_id, dep_name in d.departments.items():
            stat = figures.by_department.get(dep_id, metrics.Stat())
            rows.append([step_names[step], dep_name, stat.count, _round(stat.median),
                         _round(stat.p90)])  # fmt: skip
    tables.append(Table(
        _("Days from submission"), _("Durations"),
        [_("Step"), _("Department"), _("Ideas"), _("Median days"), _("90th percentile days")],
        rows,
    ))  # fmt: skip
    trend = []
    for bucket in scope.buckets():
        for step in metrics.STEPS:
            stat = d.durations[step].by_bucket.get(bucket, metrics.Stat())
            trend.append([date.fromisoformat(bucket), step_names[step], stat.count,
                          _round(stat.median), _round(stat.p90)])  # fmt: skip
    tables.append(Table(
        _("Trend"), _("Trend"),
        [_("Week or month from"), _("Step"), _("Ideas"), _("Median days"),
         _("90th percentile days")], trend,
    ))  # fmt: skip
    sla_rows = []
    for label, total, per in (
        (_("First response within %(n)s days", n=d.sla.first_response_days), d.sla.response,
         d.sla.response_by_department),
        (_("Decision within %(n)s days", n=d.sla.decision_days), d.sla.decision,
         d.sla.decision_by_department),
    ):  # fmt: skip
        sla_rows.append([label, everyone, total.on_time, total.late, total.not_due,
                         _pct(total.rate)])  # fmt: skip
        for dep_id, dep_name in d.departments.items():
            c = per.get(dep_id, metrics.Compliance())
            sla_rows.append([label, dep_name, c.on_time, c.late, c.not_due, _pct(c.rate)])
    tables.append(Table(
        _("SLA compliance (ideas submitted in the period)"), _("SLA"),
        [_("Clock"), _("Department"), _("On time"), _("Late"), _("Not yet due"),
         _("On time (%)")], sla_rows,
    ))  # fmt: skip
    promise_header = [
        _("Kept on time"), _("Kept late"), _("Broken"), _("Due and still open"),
        _("Kept on time (%)"), _("Open now"), _("Overdue now"),
    ]  # fmt: skip

    def promise_row(r: metrics.PromiseRecord) -> list[Any]:
        return [r.kept, r.kept_late, r.broken, r.fell_due_open, _pct(r.kept_on_time_rate),
                r.open_now, r.overdue_now]  # fmt: skip

    promise_rows = [[_("Department"), everyone, *promise_row(d.promises.total)]]
    for dep_id, record in d.promises.by_department.items():
        promise_rows.append([_("Department"), department(dep_id), *promise_row(record)])
    for _owner, name, record in d.promises.by_owner:
        promise_rows.append([_("Owner"), name or _("Former employee"), *promise_row(record)])
    tables.append(Table(
        _("Commitments"), _("Commitments"), [_("By"), _("Who"), *promise_header], promise_rows
    ))  # fmt: skip
    tables.append(_grouped_table(
        _("Participation (share of active people)"), _("Participation"), d.participation,
        [("any", _("Took part (%)")), ("submitted", _("Submitted (%)")),
         ("voted", _("Voted (%)")), ("commented", _("Commented (%)"))], department,
    ))  # fmt: skip
    tables.append(_grouped_table(
        _("Votes and comments on other departments' ideas"), _("Cross-department"),
        d.cross_department,
        [("both", _("Across departments (%)")), ("votes", _("Votes across (%)")),
         ("comments", _("Comments across (%)"))], department,
    ))  # fmt: skip
    hours_rows = [[everyone, d.hours.in_range.ideas, d.hours.in_range.hours,
                   d.hours.in_range.by_empowerment, d.hours.all_time.ideas,
                   d.hours.all_time.hours]]  # fmt: skip
    for dep_id, dep_name in d.departments.items():
        s = d.hours.by_department.get(dep_id, metrics.Savings())
        hours_rows.append([dep_name, s.ideas, s.hours, s.by_empowerment, None, None])
    tables.append(Table(
        _("Estimated hours saved per month"), _("Hours saved"),
        [_("Department"), _("Implemented in the period"), _("Hours a month"),
         _("Done by the author themselves"), _("Implemented ever"), _("Hours a month, ever")],
        hours_rows,
    ))  # fmt: skip
    for title, sheet, ideas in (
        (_("Open ideas with the most votes"), _("Most votes"), d.most_voted),
        (_("Open ideas waiting longest"), _("Waiting longest"), d.longest_waiting),
    ):
        tables.append(Table(
            title, sheet, [_("Number"), _("Title"), _("Department"), _("Votes"),
                           _("Days waiting")],
            [[i.id, i.title, i.department, i.votes, i.days_waiting] for i in ideas],
        ))  # fmt: skip
    return tables


def _grouped_table(title, sheet, grouped: metrics.GroupedFigures, columns, department) -> Table:
    too_small = _("Too small to show (fewer than %(n)s people)", n=grouped.min_group_size)
    rows = []

    def add(name, group):
        if group.figures is None:
            rows.append([name, group.people if group.people >= grouped.min_group_size else None,
                         too_small if group.people else _("No active people")]
                        + [None] * (len(columns) - 1))  # fmt: skip
        else:
            rows.append(
                [name, group.people, *[_pct(group.figures[key].rate) for key, _label in columns]]
            )

    if grouped.total:
        add(_("All departments in view"), grouped.total)
    for group in grouped.rows:
        add(department(group.department_id), group)
    if grouped.pooled:
        add(_("Smaller departments together"), grouped.pooled)
    return Table(title, sheet, [_("Department"), _("Active people"),
                                *[label for _key, label in columns]], rows)  # fmt: skip


def step_labels() -> dict[str, str]:
    return {
        "first_response": _("First response"),
        "decision": _("Decision"),
        "implementation": _("Implementation"),
    }
