"""Bringing a whole organisation in from a CSV file: email, name, department, role, language.

Two steps, each a plain function: :func:`plan_import` reads the text and says what would
happen, line by line, without writing anything; :func:`apply_import` plans the same text again
(what is written is what the admin saw, checked against the database as it is now) and
writes it with a handful of bulk statements. Applying the same file twice changes nothing the
second time. The whole file is refused while any line has an error: half an import is worse
than none.

Cost: one query for the people, one for the departments, then bulk INSERT/UPDATE statements
in chunks; never a query per line (10,000 lines take about a second).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select, update

from ..auth.accounts import normalise_email
from ..auth.models import Role, User
from ..auth.tokens import ApiToken
from ..core.clock import now
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.signals import accounts_imported
from ..org.models import Department, department_heads
from ..policy import require

COLUMNS = ("email", "name", "department", "role", "language")
REQUIRED = ("email", "name")
# Headers as people write them, German Excel included.
ALIASES = {
    "e-mail": "email", "mail": "email", "email address": "email",
    "display name": "name", "display_name": "name",
    "abteilung": "department", "rolle": "role", "sprache": "language",
}  # fmt: skip
ENCODINGS = ("utf-8", "cp1252")
CHUNK = 500  # ids per IN (...) list: far below every database's limit
SHOWN = 100  # changes listed per kind in the preview
_EMAIL = re.compile(r"^[^@\s,;<>\"']+@[^@\s,;<>\"']+\.[^@\s,;<>\"']+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

SAMPLE = (
    "email;name;department;role;language\r\n"
    "anna.schmidt@example.com;Anna Schmidt;Customer Service;employee;de\r\n"
    "ben.meyer@example.com;Ben Meyer;Customer Service;head;\r\n"
    "chris.wagner@example.com;Chris Wagner;;leader;en\r\n"
)


class ImportRefused(DomainError):
    """The file as a whole cannot be read (encoding, header, empty, too large)."""


@dataclass(frozen=True)
class LineError:
    line: int
    message: str
    value: str = ""  # what the line said, shown back so the admin finds it


@dataclass(frozen=True)
class Change:
    email: str
    name: str
    fields: tuple[str, ...] = ()  # for updates: which fields change


@dataclass
class Plan:
    rows: int = 0
    errors: list[LineError] = field(default_factory=list)
    created: list[dict] = field(default_factory=list)
    updated: list[dict] = field(default_factory=list)
    unchanged: int = 0
    deactivated: list[Change] = field(default_factory=list)
    # Missing from the file but never deactivated: the acting admin, break-glass admins.
    kept: list[Change] = field(default_factory=list)
    # Internal: rows for the bulk statements.
    _deactivate_ids: list[int] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
            "deactivated": len(self.deactivated),
        }


# -- reading the file ----------------------------------------------------------------------------


def decode(data: bytes, encoding: str = "utf-8") -> str:
    """The file's text. UTF-8 with or without BOM; Windows-1252 only when asked for, since a
    wrong guess would put wrong names into every account."""
    if b"\x00" in data:
        raise ImportRefused(_l("This is not a CSV text file."))
    if encoding == "cp1252":
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportRefused(_l("The file is not in Windows-1252 either.")) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRefused(
            _l("The file is not in UTF-8. Please save it as “CSV UTF-8” and upload it again.")
        ) from None
    raise ImportRefused(
        _l(
            "The file is not in UTF-8: it looks like Windows-1252, as older Excel saves "
            "“CSV”. Choose “Windows-1252” as the encoding, or save it as “CSV UTF-8”, and "
            "upload it again."
        )
    )


def _delimiter(first_line: str) -> str:
    # German Excel writes ";", most other tools ",".
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _header(cells: list[str]) -> list[str]:
    names = []
    for cell in cells:
        name = cell.strip().lower().lstrip("\ufeff")
        name = ALIASES.get(name, name)
        if name not in COLUMNS:
            raise ImportRefused(
                _l(
                    "Unknown column “%(name)s”. The columns are: %(columns)s.",
                    name=cell.strip()[:50],
                    columns=", ".join(COLUMNS),
                )
            )
        if name in names:
            raise ImportRefused(_l("The column “%(name)s” appears twice.", name=name))
        names.append(name)
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise ImportRefused(
            _l("The first line must name the columns; missing: %(columns)s.",
               columns=", ".join(missing))
        )  # fmt: skip
    return names


def read_lines(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[LineError]]:
    """The file's data lines as (line number, {column: value}), and lines that are broken."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ImportRefused(_l("The file is empty."))
    first = text.splitlines()[0]
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
        columns = _header(next(reader))
        lines, errors = [], []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(columns):
                errors.append(LineError(reader.line_num, str(_l("This line has more fields "
                              "than the first line names.")), _shown(cells)))  # fmt: skip
                continue
            cells += [""] * (len(columns) - len(cells))
            lines.append(
                (reader.line_num, dict(zip(columns, (c.strip() for c in cells), strict=True)))
            )
    except csv.Error:
        raise ImportRefused(_l("The file is not valid CSV (check the quotes).")) from None
    return lines, errors


def _shown(cells: list[str]) -> str:
    return ";".join(cells)[:200]


# -- planning ------------------------------------------------------------------------------------


def _role(value: str) -> Role | None:
    try:
        return Role((value or Role.EMPLOYEE).lower())
    except ValueError:
        return None


def _check_line(values: dict[str, str], departments: dict[str, int]) -> tuple[dict | None, str]:
    """The person a line describes, or the reason it cannot be used."""
    email = normalise_email(values.get("email", ""))
    if not email:
        return None, str(_l("The email address is missing."))
    # The tombstones' domain (people.erasure) is no one's address.
    if len(email) > 254 or not _EMAIL.match(email) or email.endswith(".invalid"):
        return None, str(_l("“%(value)s” is not an email address.", value=email[:100]))
    name = values.get("name", "")
    if not name:
        return None, str(_l("The name is missing."))
    if len(name) > 120 or _CONTROL.search(name):
        return None, str(_l("The name is too long (at most 120 characters)."))
    department_name = values.get("department", "")
    department_id = None
    if department_name:
        department_id = departments.get(department_name.lower())
        if department_id is None:
            return None, str(_l("There is no department “%(name)s”.", name=department_name[:120]))
    role = _role(values.get("role", ""))
    if role is None:
        return None, str(
            _l("Unknown role “%(value)s” (employee, head, leader or admin).",
               value=values["role"][:30])
        )  # fmt: skip
    language = (values.get("language") or "").lower()
    if language and language not in current_app.config["LANGUAGES"]:
        return None, str(
            _l("Unknown language “%(value)s” (%(languages)s, or empty for the browser's).",
               value=values["language"][:10],
               languages=", ".join(current_app.config["LANGUAGES"]))
        )  # fmt: skip
    person = {"email": email, "display_name": name, "department_id": department_id,
              "role": role.value, "language": language or None}  # fmt: skip
    return person, ""


_PEOPLE_COLUMNS = (
    User.id, User.email, User.display_name, User.department_id, User.role, User.language,
    User.active, User.break_glass, User.session_version,
)  # fmt: skip
_COMPARED = ("display_name", "department_id", "role", "language")


def plan_import(admin: User | None, text: str, *, deactivate_missing: bool = False) -> Plan:
    """What importing this text would do. Writes nothing. ``admin`` is None only for the
    command line."""
    if admin is not None:
        require(admin, "people.import")
    admin_id = admin.id if admin is not None else None
    lines, errors = read_lines(text)
    departments = {
        name.lower(): id_
        for id_, name in db.session.execute(select(Department.id, Department.name))
    }
    people = {
        row.email: row
        for row in db.session.execute(select(*_PEOPLE_COLUMNS).where(User.erased_at.is_(None)))
    }
    plan = Plan(rows=len(lines), errors=errors)
    seen: dict[str, int] = {}
    for number, values in lines:
        person, problem = _check_line(values, departments)
        if person is None:
            plan.errors.append(LineError(number, problem, values.get("email", "")[:100]))
            continue
        email = person["email"]
        if email in seen:
            plan.errors.append(LineError(number, str(_l("The same address as line %(line)d.",
                               line=seen[email])), email))  # fmt: skip
            continue
        seen[email] = number
        existing = people.get(email)
        if existing is None:
            plan.created.append(person)
            continue
        if existing.id == admin_id and person["role"] != Role.ADMIN:
            plan.errors.append(
                LineError(number, str(_l("You cannot take away your own admin role.")), email)
            )
            continue
        changed = tuple(name for name in _COMPARED if getattr(existing, name) != person[name])
        if not existing.active:
            changed += ("active",)
        if changed:
            plan.updated.append(person | {"id": existing.id, "fields": changed,
                                          "was_role": existing.role,
                                          "session_version": existing.session_version})  # fmt: skip
        else:
            plan.unchanged += 1
    plan.errors.sort(key=lambda error: error.line)
    if deactivate_missing:
        for email, row in people.items():
            if email in seen or not row.active:
                continue
            if row.id == admin_id or row.break_glass:
                plan.kept.append(Change(email, row.display_name))
                continue
            plan.deactivated.append(Change(email, row.display_name))
            plan._deactivate_ids.append(row.id)
    return plan


# -- writing -------------------------------------------------------------------------------------


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def apply_import(admin: User | None, text: str, *, deactivate_missing: bool = False) -> Plan:
    """Plan the text again and write it. Raises ImportRefused (and writes nothing) while any
    line has an error. The caller commits."""
    plan = plan_import(admin, text, deactivate_missing=deactivate_missing)
    if not plan.ok:
        raise ImportRefused(
            _l("The file has errors in %(count)d lines; nothing was imported.",
               count=len({error.line for error in plan.errors}))
        )  # fmt: skip
    admin_id = admin.id if admin is not None else None
    moment = now()
    new_heads: list[dict] = []
    for chunk in _chunks(plan.created):
        rows = [
            person | {"password_hash": None, "active": True, "session_version": 0,
                      "created_at": moment, "break_glass": False}
            for person in chunk
        ]  # fmt: skip
        created = db.session.execute(insert(User).returning(User.id, User.role, User.department_id),
                                     rows)  # fmt: skip
        new_heads += [{"user_id": r.id, "department_id": r.department_id} for r in created
                      if r.role == Role.HEAD and r.department_id is not None]  # fmt: skip
    demoted: list[int] = []
    for chunk in _chunks(plan.updated):
        rows = []
        for person in chunk:
            role_changed = person["role"] != person["was_role"]
            rows.append({
                "id": person["id"], "display_name": person["display_name"],
                "department_id": person["department_id"], "role": person["role"],
                "language": person["language"], "active": True,
                # New rights take effect at once: the person's sessions end (as in the admin page).
                "session_version": person["session_version"] + (1 if role_changed else 0),
            })  # fmt: skip
            if role_changed and person["was_role"] == Role.HEAD:
                demoted.append(person["id"])
            if role_changed and person["role"] == Role.HEAD and person["department_id"]:
                new_heads.append(
                    {"user_id": person["id"], "department_id": person["department_id"]}
                )
        db.session.execute(update(User).execution_options(synchronize_session=False), rows)
    for ids in _chunks(demoted):
        db.session.execute(delete(department_heads).where(department_heads.c.user_id.in_(ids)))
    if new_heads:
        db.session.execute(insert(department_heads), new_heads)
    for ids in _chunks(plan._deactivate_ids):
        db.session.execute(
            update(User).where(User.id.in_(ids))
            .values(active=False, session_version=User.session_version + 1)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        db.session.execute(
            update(ApiToken).where(ApiToken.user_id.in_(ids), ApiToken.revoked_at.is_(None))
            .values(revoked_at=moment).execution_options(synchronize_session=False)
        )  # fmt: skip
    db.session.expire_all()  # objects loaded before (the admin too) read the new rows
    accounts_imported.send(admin, actor=admin, created=len(plan.created), updated=len(plan.updated))
    current_app.logger.info(
        "people import by %s: %s", f"user {admin_id}" if admin_id else "the command line",
        ", ".join(f"{k} {v}" for k, v in plan.counts().items()),
    )  # fmt: skip
    return plan


def cli_max_bytes() -> int:
    return int(current_app.config["PEOPLE_IMPORT_MAX_MB"]) * 1024 * 1024
