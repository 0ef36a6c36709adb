"""Governance: the audit log, moderation (reports, the item's record, moderators) and the
internal notes of those who decide."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.clock import now
from ..core.extensions import db


class AuditEntry(db.Model):
    """One thing someone did, as it was. Rows are only ever added: no route or function
    changes or deletes one, and a database trigger (migration 0011) refuses UPDATE and
    DELETE, except the deletion of entries older than a prune permit (``audit.prune``).

    No foreign keys: an entry outlives the account, idea or department it names, and a
    cascade would be an UPDATE the trigger refuses."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_kind_id", "kind", "id"),
        Index("ix_audit_entries_actor_id", "actor_id", "id"),
        Index("ix_audit_entries_target", "target_kind", "target_id", "id"),
        Index("ix_audit_entries_created_at", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    kind: Mapped[str] = mapped_column(String(64))
    # NULL when nobody may be named (an anonymous author's own action: ``actor_label``
    # "anonymous_author"), for the system, and for a failed sign-in.
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_label: Mapped[str | None] = mapped_column(String(32))
    target_kind: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[int | None] = mapped_column(Integer)
    target_label: Mapped[str | None] = mapped_column(String(255))
    address: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON


class AuditPrunePermit(db.Model):
    """Written by ``prune-audit`` in its own transaction, for the moment it deletes: the
    trigger lets entries older than ``cutoff`` go, and nothing else."""

    __tablename__ = "audit_prune_permits"

    id: Mapped[int] = mapped_column(primary_key=True)
    cutoff: Mapped[datetime]


class Moderator(db.Model):
    """A person an admin made a moderator (admins moderate anyway), e.g. a works-council member."""

    __tablename__ = "moderators"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    granted_at: Mapped[datetime] = mapped_column(default=now)


class Report(db.Model):
    """Someone asked moderation to look at an idea or a comment. Open until a moderator
    hides the item or dismisses the reports. Who reported is never shown."""

    __tablename__ = "moderation_reports"
    __table_args__ = (
        # Once per person and item: reporting twice is refused.
        UniqueConstraint("reporter_id", "target_key", name="uq_moderation_reports_reporter"),
        Index("ix_moderation_reports_open", "resolved_at", "target_key", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_key: Mapped[str] = mapped_column(String(40))  # "idea:12" or "comment:34"
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)
    resolved_at: Mapped[datetime | None]


class ModerationStep(db.Model):
    """One line of an item's moderation record: reported, hidden, edited, review asked for,
    shown again, reports dismissed, held, approved."""

    __tablename__ = "moderation_steps"
    __table_args__ = (Index("ix_moderation_steps_target", "target_key", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_key: Mapped[str] = mapped_column(String(40))
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    # NULL for the item's anonymous author and for reporters (never named here).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    by_author: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=now)

    actor: Mapped[User | None] = relationship()


class InternalNote(db.Model):
    """A note on an idea for those who decide on it; never shown to anyone else."""

    __tablename__ = "internal_notes"
    __table_args__ = (Index("ix_internal_notes_idea_id", "idea_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)

    author: Mapped[User | None] = relationship()
