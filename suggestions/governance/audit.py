"""The audit log: who did what, when, from where, and what changed.

Append-only. ``record`` is the one way in; nothing here (or anywhere) updates or deletes an
entry, except ``prune``, which removes entries older than the retention period under a permit
the database trigger checks. The domains do not call ``record`` themselves: they send a signal
(suggestions.core.signals) and the listeners below write the entry in the same transaction.

An anonymous author's own actions are logged as "author (anonymous)": no actor id, no address,
and the time only to the hour, so the log cannot be laid beside sign-ins to unmask them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import current_app, has_request_context, request
from sqlalchemy import delete, insert, select, tuple_

from ..auth.models import User
from ..core import signals
from ..core.clock import now
from ..core.extensions import db
from ..ideas.authorship import acts_as_anonymous_author
from .labels import kind_label
from .models import AuditEntry, AuditPrunePermit

ANONYMOUS_AUTHOR = "anonymous_author"
SYSTEM = "system"
PAGE_SIZE = 50
EXPORT_CAP = 100_000
DEFAULT_RETENTION_DAYS = 730


@dataclass(frozen=True)
class Target:
    kind: str
    id: int | None = None
    label: str | None = None


def target_of(obj: Any) -> Target | None:
    """How an entry names what it is about."""
    if obj is None:
        return None
    name = type(obj).__name__
    if name == "Idea":
        return Target("idea", obj.id, obj.title)
    if name == "Comment":
        return Target("comment", obj.id, f"#{obj.idea_id}")
    if name == "User":
        return Target("user", obj.id, obj.display_name)
    if name == "Department":
        return Target("department", obj.id, obj.name)
    if name == "ApiToken":
        return Target("token", obj.id, obj.name)
    if isinstance(obj, Target):
        return obj
    raise TypeError(f"no audit target for {name}")


def _address() -> str | None:
    # remote_addr is what the app's proxy settings (TRUSTED_PROXY_COUNT, ProxyFix) make of it.
    return (request.remote_addr or "")[:64] or None if has_request_context() else None


def _json(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, default=str)


def record(
    kind: str,
    actor: User | None,
    target: Any = None,
    before: dict | None = None,
    after: dict | None = None,
    *,
    anonymous_author: bool = False,
) -> None:
    """Add one entry to the current transaction (it exists exactly when the change does)."""
    moment = now()
    address = _address()
    actor_id = getattr(actor, "id", None)
    label = None if actor_id else SYSTEM
    if anonymous_author:
        actor_id, label, address = None, ANONYMOUS_AUTHOR, None
        moment = moment.replace(minute=0, second=0, microsecond=0)
    shown = target_of(target)
    db.session.execute(
        insert(AuditEntry).values(
            created_at=moment,
            kind=kind[:64],
            actor_id=actor_id,
            actor_label=label,
            target_kind=shown.kind if shown else None,
            target_id=shown.id if shown else None,
            target_label=(shown.label or "")[:255] or None if shown else None,
            address=address,
            before=_json(before),
            after=_json(after),
        )
    )


# -- retention ---------------------------------------------------------------------------------


def retention_days() -> int:
    return int(current_app.config.get("AUDIT_RETENTION_DAYS") or DEFAULT_RETENTION_DAYS)


def prune(moment: datetime | None = None) -> int:
    """Delete the entries older than the retention period; log that it happened. The caller
    commits. Returns how many went."""
    cutoff = (moment or now()) - timedelta(days=retention_days())
    permit = AuditPrunePermit(cutoff=cutoff)
    db.session.add(permit)
    db.session.flush()
    gone = db.session.execute(delete(AuditEntry).where(AuditEntry.created_at < cutoff)).rowcount
    db.session.delete(permit)
    record("audit.pruned", None, after={"removed": gone, "older_than": cutoff.isoformat()})
    return gone


# -- reading -----------------------------------------------------------------------------------


@dataclass
class AuditFilter:
    actor_id: int | None = None
    kind: str | None = None
    target_kind: str | None = None
    target_id: int | None = None
    start: date | None = None
    end: date | None = None

    def conditions(self) -> list:
        found = []
        if self.actor_id:
            found.append(AuditEntry.actor_id == self.actor_id)
        if self.kind:
            found.append(AuditEntry.kind == self.kind)
        if self.target_kind:
            found.append(AuditEntry.target_kind == self.target_kind)
            if self.target_id:
                found.append(AuditEntry.target_id == self.target_id)
        if self.start:
            found.append(AuditEntry.created_at >= datetime.combine(self.start, time.min))
        if self.end:
            found.append(
                AuditEntry.created_at < datetime.combine(self.end, time.min) + timedelta(1)
            )
        return found


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    actors: dict[int, User]
    next_before: str | None  # the cursor the next (older) page starts before


# Newest first by time, then id. By time, not by id alone: an anonymous author's entry (its
# time cut to the hour) is then shown at the hour, not next to the same person's sign-in.
_ORDER = (AuditEntry.created_at.desc(), AuditEntry.id.desc())


def cursor(entry: AuditEntry) -> str:
    return f"{entry.created_at:%Y%m%d%H%M%S%f}.{entry.id}"


def parse_cursor(value: str | None) -> tuple[datetime, int] | None:
    """A cursor from the query string, or None when it is not one (ignored, never an error)."""
    stamp, _sep, number = (value or "").partition(".")
    if not number.isdigit() or len(number) > 12:
        return None
    try:
        return datetime.strptime(stamp, "%Y%m%d%H%M%S%f"), int(number)
    except ValueError:
        return None


def page(f: AuditFilter, before: str | None = None, per_page: int = PAGE_SIZE) -> AuditPage:
    """By keyset on (time, id): page 1,000 costs what page 1 costs."""
    query = select(AuditEntry).where(*f.conditions()).order_by(*_ORDER)
    after = parse_cursor(before)
    if after:
        query = query.where(tuple_(AuditEntry.created_at, AuditEntry.id) < tuple_(*after))
    entries = list(db.session.scalars(query.limit(per_page + 1)))
    more = len(entries) > per_page
    entries = entries[:per_page]
    return AuditPage(entries, actors_of(entries), cursor(entries[-1]) if more and entries else None)


def actors_of(entries: list[AuditEntry]) -> dict[int, User]:
    ids = {e.actor_id for e in entries if e.actor_id}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def kinds() -> list[str]:
    """The kinds in the log, for the filter (bounded: kinds are a few dozen words)."""
    query = select(AuditEntry.kind).distinct().order_by(AuditEntry.kind).limit(200)
    return list(db.session.scalars(query))


def kind_choices() -> list[tuple[str, str]]:
    """(code, label) of the kinds in the log, in the order of their labels."""
    return sorted(((kind, kind_label(kind)) for kind in kinds()), key=lambda choice: choice[1])


def export_rows(f: AuditFilter, cap: int = EXPORT_CAP) -> Iterator[list[Any]]:
    """Every matching entry, newest first, read in batches by keyset (memory stays flat)."""
    yield ["time (UTC)", "kind", "actor", "address", "target", "target id", "target name",
           "before", "after"]  # fmt: skip
    before, sent = None, 0
    while sent < cap:
        chunk = page(f, before, per_page=min(1000, cap - sent))
        for e in chunk.entries:
            yield [e.created_at, e.kind, actor_name(e, chunk.actors), e.address,
                   e.target_kind, e.target_id, e.target_label, e.before, e.after]  # fmt: skip
        sent += len(chunk.entries)
        if chunk.next_before is None:
            return
        before = chunk.next_before


def actor_name(entry: AuditEntry, actors: dict[int, User]) -> str:
    from flask_babel import gettext as _

    if entry.actor_label == ANONYMOUS_AUTHOR:
        return _("author (anonymous)")
    if entry.actor_id is None:
        return _("system") if entry.actor_label == SYSTEM else ""
    person = actors.get(entry.actor_id)
    return person.display_name if person else _("former account #%(id)s", id=entry.actor_id)


# -- listeners: the signals of suggestions.core.signals ----------------------------------------


def _on_idea_event(sender, event, idea, **_extra) -> None:
    anonymous = bool(getattr(event, "by_anonymous_author", False)) or acts_as_anonymous_author(
        idea, event.actor_id
    )
    actor = None if anonymous or event.actor_id is None else db.session.get(User, event.actor_id)
    kind = f"idea.{event.to_status}" if event.kind == "status_changed" else f"idea.{event.kind}"
    before = {"status": event.from_status} if event.from_status else None
    facts = (
        ("status", event.to_status), ("note", event.written_note),
        ("note_key", event.note_key), ("amount", event.amount),
        ("department_id", event.department_id),
    )  # fmt: skip
    after = {k: v for k, v in facts if v is not None}
    record(kind, actor, idea, before, after or None, anonymous_author=anonymous)


def _on_official(sender, comment, idea, actor, **_extra) -> None:
    kind = "comment.marked_official" if comment.is_official else "comment.unmarked_official"
    record(kind, actor, comment)


def _on_user_changed(sender, actor, user, before, after, **_extra) -> None:
    changed = {k for k in after if before.get(k) != after.get(k)}
    if changed:
        record("user.changed", actor, user, {k: before[k] for k in changed},
               {k: after[k] for k in changed})  # fmt: skip


def _on_activation(sender, actor, user, active, **_extra) -> None:
    record("user.reactivated" if active else "user.deactivated", actor, user)


def _on_department(sender, actor, department, before, after, **_extra) -> None:
    if before is None:
        record("department.created", actor, department, None, after)
        return
    changed = {k for k in after if before.get(k) != after.get(k)}
    if changed:
        record("department.changed", actor, department, {k: before[k] for k in changed},
               {k: after[k] for k in changed})  # fmt: skip


def _on_settings(sender, actor, before, after, **_extra) -> None:
    changed = {k for k in after if before.get(k) != after.get(k)}
    if changed:
        record("settings.changed", actor, Target("settings"), {k: before[k] for k in changed},
               {k: after[k] for k in changed})  # fmt: skip


def _on_signed_in(sender, user, method, **_extra) -> None:
    record("sign_in.succeeded", user, user, after={"method": method})


def _on_sign_in_failed(sender, login, **_extra) -> None:
    record("sign_in.failed", None, Target("login", None, (login or "").strip().lower()[:254]))


def _on_imported(sender, actor, created, updated, **_extra) -> None:
    record("accounts.imported", actor, None, after={"created": created, "updated": updated})


def _on_erased(sender, actor, user, **_extra) -> None:
    record("user.erased", actor, Target("user", user.id))  # the name is gone: not kept here


def _on_token_created(sender, actor, token, **_extra) -> None:
    record("token.created", actor, token, after={"scope": str(token.scope), "owner": token.user_id})


def _on_token_revoked(sender, actor, token, **_extra) -> None:
    record("token.revoked", actor, token, after={"owner": token.user_id})


def _on_exported(sender, actor, what, **_extra) -> None:
    record("export.downloaded", actor, Target("export", None, what))


def connect() -> None:
    """Idempotent: blinker keeps one connection per receiver."""
    signals.idea_event_recorded.connect(_on_idea_event)
    signals.official_answer_marked.connect(_on_official)
    signals.user_changed.connect(_on_user_changed)
    signals.user_activation_changed.connect(_on_activation)
    signals.department_saved.connect(_on_department)
    signals.settings_saved.connect(_on_settings)
    signals.signed_in.connect(_on_signed_in)
    signals.sign_in_failed.connect(_on_sign_in_failed)
    signals.accounts_imported.connect(_on_imported)
    signals.account_erased.connect(_on_erased)
    signals.token_created.connect(_on_token_created)
    signals.token_revoked.connect(_on_token_revoked)
    signals.data_exported.connect(_on_exported)
