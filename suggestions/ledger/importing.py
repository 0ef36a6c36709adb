"""The CSV import of the initial inventory: read, check every line, show the preview with the
errors per line, and import the good lines only when the person confirms.

Columns (a header line names them; ``;`` or ``,`` as separator, UTF-8 with or without BOM):
kind; title; department; owner_email; description; cases_per_month; minutes_per_case;
signatures; handoffs. ``kind`` is rule, form, approval, report or tool (or its German name).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _
from sqlalchemy import func, select

from ..auth.models import User
from ..core.extensions import db
from ..core.inputs import has_control_characters
from ..org.models import Department
from ..policy import can
from .models import LedgerItem, LedgerKind
from .rules import ItemFields, create_item

COLUMNS = ("kind", "title", "department", "owner_email", "description", "cases_per_month",
           "minutes_per_case", "signatures", "handoffs")  # fmt: skip
REQUIRED = ("kind", "title", "department")
NUMBERS = ("cases_per_month", "minutes_per_case", "signatures", "handoffs")
MAX_BYTES = 1_000_000
MAX_ROWS = 5000
KIND_NAMES = {
    "rule": LedgerKind.RULE, "regel": LedgerKind.RULE, "form": LedgerKind.FORM,
    "formular": LedgerKind.FORM, "approval": LedgerKind.APPROVAL,
    "approval step": LedgerKind.APPROVAL, "genehmigung": LedgerKind.APPROVAL,
    "genehmigungsschritt": LedgerKind.APPROVAL, "report": LedgerKind.REPORT,
    "bericht": LedgerKind.REPORT, "tool": LedgerKind.TOOL, "werkzeug": LedgerKind.TOOL,
}  # fmt: skip


@dataclass
class Line:
    number: int  # the line in the file, counting the header as 1
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    fields: ItemFields | None = None


@dataclass
class Preview:
    lines: list[Line]
    errors: list[str] = field(default_factory=list)  # about the file as a whole

    @property
    def good(self) -> list[Line]:
        return [line for line in self.lines if not line.errors]

    @property
    def bad(self) -> list[Line]:
        return [line for line in self.lines if line.errors]


def decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read(text: str, actor: User) -> Preview:
    if len(text.encode("utf-8")) > MAX_BYTES:
        return Preview([], [str(_("The file is larger than 1 MB. Please split it."))])
    sample = text[:4096]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(rows, None)
    if not header:
        return Preview([], [str(_("The file is empty."))])
    names = [h.strip().lower().replace(" ", "_") for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        return Preview(
            [], [str(_("The header line lacks the columns: %(names)s.", names=", ".join(missing)))]
        )
    departments = {
        dept.name.lower(): dept for dept in db.session.scalars(select(Department).limit(10000))
    }
    existing = {
        (title.lower(), dept_id)
        for title, dept_id in db.session.execute(
            select(func.lower(LedgerItem.title), LedgerItem.department_id)
        )
    }
    owners: dict[str, User | None] = {}
    lines: list[Line] = []
    seen: set[tuple[str, int]] = set()
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(lines) >= MAX_ROWS:
            return Preview(
                lines, [str(_("More than %(n)s lines: please split the file.", n=MAX_ROWS))]
            )
        values = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(names)}
        line = Line(number, {c: values.get(c, "") for c in COLUMNS})
        _check_line(line, actor, departments, owners, existing | seen)
        if line.fields is not None:
            seen.add((line.fields.title.lower(), line.fields.department.id))
        lines.append(line)
    if not lines:
        return Preview([], [str(_("The file has a header line but no items."))])
    return Preview(lines)


def _check_line(line: Line, actor: User, departments, owners, taken) -> None:
    v, errors = line.values, line.errors
    kind = KIND_NAMES.get(v["kind"].lower())
    if kind is None:
        errors.append(str(_("Unknown kind “%(kind)s”: use rule, form, approval, report or tool.",
                            kind=v["kind"])))  # fmt: skip
    title = v["title"]
    if not title:
        errors.append(str(_("The title is missing.")))
    elif len(title) > 150 or has_control_characters(title):
        errors.append(str(_("The title must be one line of at most 150 characters.")))
    department = departments.get(v["department"].lower())
    if department is None:
        errors.append(str(_("No department named “%(name)s”.", name=v["department"])))
    owner = None
    if v["owner_email"]:
        email = v["owner_email"].lower()
        if email not in owners:
            owners[email] = db.session.scalar(select(User).where(User.email == email))
        owner = owners[email]
        if owner is None or not owner.active:
            errors.append(str(_("No active person with the address “%(email)s”.", email=email)))
    numbers = {}
    for name in NUMBERS:
        text = v[name] or "0"
        if not text.isdigit() or int(text) > 10_000_000:
            errors.append(str(_("“%(value)s” in %(column)s is not a whole number of zero or more.",
                                value=v[name], column=name)))  # fmt: skip
        else:
            numbers[name] = int(text)
    if len(v["description"]) > 10000:
        errors.append(str(_("The description is too long.")))
    if errors:
        return
    if (title.lower(), department.id) in taken:
        errors.append(str(_("“%(title)s” is already in the ledger of %(department)s.",
                            title=title, department=department.name)))  # fmt: skip
        return
    fields = ItemFields(kind=kind, title=title, description=v["description"],
                        department=department, owner=owner, **numbers)  # fmt: skip
    probe = LedgerItem(department_id=department.id)
    if not can(actor, "ledger.maintain", probe):
        errors.append(str(_("You may only add items of the departments you lead.")))
        return
    line.fields = fields


def run(preview: Preview, actor: User) -> int:
    """Import the good lines of a checked file; the caller commits."""
    for line in preview.good:
        create_item(actor, line.fields, imported=True)
    return len(preview.good)
