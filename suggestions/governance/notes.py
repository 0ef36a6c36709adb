"""Internal notes on an idea: for the heads of its owning and affected departments and for
leadership only (policy ``note.read``/``note.write``). Markdown like every long text
(core.text, via the ``markdown`` filter); ``@Name`` mentions tell the person, if they may read
notes, in the app and by mail (signal ``note_mentioned``, heard by notify)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..auth.models import Role, User
from ..core.clock import now
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.signals import note_mentioned
from ..ideas.models import Idea
from ..org.models import department_heads
from ..policy import can, require
from . import audit
from .models import InternalNote

MAX_CHARS = 10_000
NOTES_LIMIT = 200
MAX_MENTIONS = 20
SUGGESTIONS = 8
# "@" and up to four words of a name: "@Hanna", "@Hanna Head", "@Anna-Lena von Berg".
_MENTION = re.compile(r"(?<![\w@])@([^\W\d_][\w.'-]*(?: [\w.'-]+){0,3})")


@dataclass
class Written:
    note: InternalNote
    notified: list[User] = field(default_factory=list)
    not_notified: list[User] = field(default_factory=list)  # cannot read notes


def notes_of(idea: Idea) -> list[InternalNote]:
    query = (
        select(InternalNote)
        .where(InternalNote.idea_id == idea.id)
        .options(joinedload(InternalNote.author))
        .order_by(InternalNote.id)
        .limit(NOTES_LIMIT)
    )
    return list(db.session.scalars(query))


def mentioned_people(body: str) -> list[User]:
    """The active people named after an "@", longest name first when several fit."""
    candidates: list[list[str]] = []
    for match in _MENTION.finditer(body or ""):
        words = match.group(1).rstrip(".'-").split(" ")
        candidates.append([" ".join(words[:n]).lower() for n in range(len(words), 0, -1)])
        if len(candidates) >= MAX_MENTIONS:
            break
    names = {name for options in candidates for name in options}
    if not names:
        return []
    found = db.session.scalars(
        select(User)
        .where(func.lower(User.display_name).in_(names), User.active.is_(True))
        .options(selectinload(User.headed_departments))
        .limit(MAX_MENTIONS * 4)
    )
    by_name: dict[str, User] = {}
    for person in found:
        by_name.setdefault(person.display_name.lower(), person)
    people: list[User] = []
    for options in candidates:
        person = next((by_name[n] for n in options if n in by_name), None)
        if person is not None and person not in people:
            people.append(person)
    return people


def write_note(author: User, idea: Idea, body: str) -> Written:
    require(author, "note.write", idea)
    body = (body or "").strip()
    if not body:
        raise DomainError(_("A note cannot be empty."))
    if len(body) > MAX_CHARS:
        raise DomainError(_("At most %(n)d characters.", n=MAX_CHARS))
    note = InternalNote(idea_id=idea.id, author_id=author.id, body=body, created_at=now())
    db.session.add(note)
    db.session.flush()
    written = Written(note)
    for person in mentioned_people(body):
        if person.id == author.id:
            continue
        if can(person, "note.read", idea):
            written.notified.append(person)
            note_mentioned.send(InternalNote, note=note, idea=idea, person=person, actor=author)
        else:
            written.not_notified.append(person)
    mentioned = [p.id for p in written.notified]
    audit.record("note.written", author, idea, after={"note": note.id, "mentioned": mentioned})
    return written


def suggest(idea: Idea, typed: str) -> list[User]:
    """People whose name starts with what was typed after "@" and who may read this idea's
    notes: leadership, and the heads of its owning and affected departments (bounded)."""
    typed = (typed or "").strip().lstrip("@").lower()[:60]
    if not typed:
        return []
    departments = [idea.owning_department_id, *(d.id for d in idea.affected_departments)]
    heads = select(department_heads.c.user_id).where(
        department_heads.c.department_id.in_(departments)
    )
    escaped = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    query = (
        select(User)
        .where(
            User.active.is_(True),
            func.lower(User.display_name).like(f"{escaped}%", escape="\\"),
            or_(User.role == Role.LEADER, (User.role == Role.HEAD) & User.id.in_(heads)),
        )
        .order_by(User.display_name)
        .limit(SUGGESTIONS)
    )
    return list(db.session.scalars(query))
