"""Public commitments: what management promised for an accepted idea, by when, and how it ended."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.clock import now
from ..core.extensions import db
from ..ideas.models import Idea


class CommitmentState(StrEnum):
    OPEN = "open"
    KEPT = "kept"  # delivered on or before the due date
    KEPT_LATE = "kept_late"
    BROKEN = "broken"  # closed without delivery; a reason is required


class Commitment(db.Model):
    __tablename__ = "commitments"
    __table_args__ = (
        Index("ix_commitments_state_due", "state", "due_on", "id"),
        Index("ix_commitments_owner_state", "owner_id", "state", "due_on"),
        Index("ix_commitments_department_state", "department_id", "state", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    # The department that owned the idea when the promise was made (for per-department figures).
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    # Who delivers: any active person (a team lead, a specialist), told of due dates.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The head or leader who accepted the idea: accountable for the promise, whoever delivers.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    promise: Mapped[str] = mapped_column(Text)  # what will be done
    due_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12), default=CommitmentState.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=now)
    closed_at: Mapped[datetime | None]
    delivered_on: Mapped[date | None] = mapped_column(Date)
    close_reason: Mapped[str | None] = mapped_column(Text)

    idea: Mapped[Idea] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    accountable: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def is_overdue(self, today: date) -> bool:
        return self.state == CommitmentState.OPEN and today > self.due_on

    def __repr__(self) -> str:
        return f"<Commitment {self.id} {self.state} idea={self.idea_id}>"


class CommitmentUpdate(db.Model):
    """A progress update posted by the commitment's owner (or leadership)."""

    __tablename__ = "commitment_updates"
    __table_args__ = (Index("ix_commitment_updates_commitment", "commitment_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)

    author: Mapped[User | None] = relationship()
