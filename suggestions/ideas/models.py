"""Ideas, their versions, votes, comments and the timeline of events."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.clock import now
from ..core.extensions import db
from ..core.text import stored_markdown
from ..org.models import Category, Department


class IdeaStatus(StrEnum):
    NEW = "new"
    IN_REVIEW = "in_review"
    NEEDS_INFO = "needs_info"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    DECLINED = "declined"
    DUPLICATE = "duplicate"
    WITHDRAWN = "withdrawn"

    # The named groups of states (set below the class: in an enum's body they would be members).
    # Not decided yet: the first-response and decision clocks run, an idea can be merged away.
    UNDECIDED: ClassVar[frozenset[IdeaStatus]]
    # Withdrawing is the author's right until the organisation has committed to the idea.
    WITHDRAWABLE: ClassVar[frozenset[IdeaStatus]]
    # Closed for new votes, comments and follows: the idea no longer exists as itself.
    CLOSED: ClassVar[frozenset[IdeaStatus]]
    # May still be worked on: what a duplicate can be merged into.
    OPEN: ClassVar[frozenset[IdeaStatus]]

    @classmethod
    def ordered(cls, statuses: frozenset[IdeaStatus]) -> list[IdeaStatus]:
        """A group in the lifecycle's order (for lists a person reads)."""
        return [s for s in cls if s in statuses]


IdeaStatus.UNDECIDED = frozenset({IdeaStatus.NEW, IdeaStatus.IN_REVIEW, IdeaStatus.NEEDS_INFO})
IdeaStatus.WITHDRAWABLE = IdeaStatus.UNDECIDED
IdeaStatus.CLOSED = frozenset({IdeaStatus.WITHDRAWN, IdeaStatus.DUPLICATE})
IdeaStatus.OPEN = IdeaStatus.UNDECIDED | {IdeaStatus.ACCEPTED, IdeaStatus.IN_PROGRESS}


idea_affected_departments = Table(
    "idea_affected_departments",
    db.metadata,
    Column("idea_id", ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "department_id",
        ForeignKey("departments.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


# publicly_visible() as an index condition, for both databases.
_VISIBLE_ONLY = {
    f"{dialect}_where": text("hidden_reason IS NULL") for dialect in ("sqlite", "postgresql")
}


class Idea(db.Model):
    __tablename__ = "ideas"
    __table_args__ = (
        # One index per list order, each ending in id so ties page stably.
        Index("ix_ideas_top", "vote_count", "id"),
        Index("ix_ideas_discussed", "comment_count", "id"),
        # The list's pages by number skip ideas in the order's index: with the visible ones
        # alone in it, skipping needs no look at each skipped idea's row (page 2,501: 93 ms
        # on SQLite with the full index, 3 ms with this one).
        Index("ix_ideas_visible_top", "vote_count", "id", **_VISIBLE_ONLY),
        Index("ix_ideas_visible_discussed", "comment_count", "id", **_VISIBLE_ONLY),
        Index("ix_ideas_status_id", "status", "id"),
        Index("ix_ideas_status_top", "status", "vote_count", "id"),
        Index("ix_ideas_department_id", "owning_department_id", "id"),
        Index("ix_ideas_department_top", "owning_department_id", "vote_count", "id"),
        Index("ix_ideas_category_id", "category_id", "id"),
        Index("ix_ideas_author_id", "author_id", "id"),
        # Triage queues: a department's open ideas, oldest first.
        Index("ix_ideas_department_status_created", "owning_department_id", "status", "created_at"),
        Index("ix_ideas_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(150))
    problem: Mapped[str] = mapped_column(Text)  # "What is in the way today?"
    proposal: Mapped[str] = mapped_column(Text)  # "What should change?"
    benefit: Mapped[str] = mapped_column(Text)  # for customers, for colleagues
    # The three texts as cleaned HTML, rendered when written (see STORED_HTML below); NULL:
    # rendered when shown (rows from before, or a rules change that emptied them).
    problem_html: Mapped[str | None] = mapped_column(Text)
    proposal_html: Mapped[str | None] = mapped_column(Text)
    benefit_html: Mapped[str | None] = mapped_column(Text)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    # Kept for anonymous ideas too (edit, withdraw, notifications); shown only to the author.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    owning_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    is_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    customer_facing: Mapped[bool] = mapped_column(Boolean, default=False)
    hours_lost_per_month: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=IdeaStatus.NEW)
    # Counters kept on the row, changed in the same transaction as the vote or comment.
    vote_count: Mapped[int] = mapped_column(Integer, default=0)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    status_changed_at: Mapped[datetime] = mapped_column(default=now)
    # Optimistic locking: every ORM update of the row checks and raises the revision, so two
    # heads acting on the same idea at once cannot overwrite each other (StaleDataError).
    revision: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": revision}

    # Decision authority and clocks: facts recorded by the workflow, deadlines are computed.
    estimated_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    escalated_at: Mapped[datetime | None]  # a head asked leadership to decide
    first_response_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]  # accepted or declined
    implemented_at: Mapped[datetime | None]
    implemented_on: Mapped[date | None]  # the day the change took effect, as recorded
    change_summary: Mapped[str | None] = mapped_column(Text)  # what changed ("You said, we did")
    done_by_empowerment: Mapped[bool] = mapped_column(Boolean, default=False)
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id", ondelete="SET NULL"), index=True
    )
    # Set while moderation keeps the idea from everyone but its author and the moderators:
    # the reason (labels.HIDDEN_REASONS), shown in its place. NULL: public.
    hidden_reason: Mapped[str | None] = mapped_column(String(32))

    category: Mapped[Category] = relationship()
    author: Mapped[User | None] = relationship()
    owning_department: Mapped[Department] = relationship()
    affected_departments: Mapped[list[Department]] = relationship(
        secondary=idea_affected_departments, order_by="Department.name"
    )
    duplicate_of: Mapped[Idea | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:  # never the author: logs must not unmask anyone
        return f"<Idea {self.id} {self.status}>"


def publicly_visible():
    """The condition every list, search, export, digest and figure of ideas applies."""
    return Idea.hidden_reason.is_(None)


class IdeaVersion(db.Model):
    """The text of an idea as it was before an edit."""

    __tablename__ = "idea_versions"
    __table_args__ = (UniqueConstraint("idea_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(150))
    problem: Mapped[str] = mapped_column(Text)
    proposal: Mapped[str] = mapped_column(Text)
    benefit: Mapped[str] = mapped_column(Text)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    hours_lost_per_month: Mapped[int | None] = mapped_column(Integer)
    customer_facing: Mapped[bool] = mapped_column(Boolean)
    replaced_at: Mapped[datetime] = mapped_column(default=now)


class Vote(db.Model):
    __tablename__ = "votes"
    # Breadth reads the departments of an idea's votes from the index alone.
    __table_args__ = (Index("ix_votes_idea_department", "idea_id", "department_id"),)

    # The primary key is the unique constraint that keeps one vote per person per idea.
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=now)
    # The voter's department when they voted: breadth counts where support came from then.
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL")
    )


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_idea_id", "idea_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # active_history: when a merge moves a comment, search must know which idea it left.
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), active_history=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)  # cleaned HTML, as for an idea's texts
    is_official: Mapped[bool] = mapped_column(Boolean, default=False)
    # Written by the idea's anonymous author: shown as "the author", never by name or
    # department (see ideas.authorship). Kept on the row, so it stays true wherever it is shown.
    by_anonymous_author: Mapped[bool] = mapped_column(Boolean, default=False)
    official_marked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # Set while moderation hides the comment: the reason shown in its place; NULL: visible.
    hidden_reason: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=now)

    idea: Mapped[Idea] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    def __repr__(self) -> str:
        return f"<Comment {self.id} on idea {self.idea_id}>"


# A text and the column holding its cleaned HTML. Setting the text sets the HTML (through
# core.text.stored_markdown), whoever sets it: a form, the API, moderation, the demo. Writers
# that bypass the ORM (the bench seeder, migration 0014) call stored_markdown themselves.
STORED_HTML = {
    Idea.problem: "problem_html",
    Idea.proposal: "proposal_html",
    Idea.benefit: "benefit_html",
    Comment.body: "body_html",
}


def _store_html(column: str):
    def store(target, value, _old, _initiator):
        setattr(target, column, stored_markdown(value))

    return store


for _text, _column in STORED_HTML.items():
    event.listen(_text, "set", _store_html(_column))


class EventKind(StrEnum):
    SUBMITTED = "submitted"
    EDITED = "edited"
    STATUS_CHANGED = "status_changed"
    INFO_PROVIDED = "info_provided"  # the author answered a question (also a status change)
    TRANSFERRED = "transferred"  # department_id: the new owning department
    COST_ESTIMATED = "cost_estimated"  # amount: the estimate
    ESCALATED = "escalated"  # sent to leadership for a decision
    MERGED_INTO = "merged_into"  # on the survivor: related_idea_id was merged into it
    COMMITMENT_UPDATE = "commitment_update"  # progress posted by the commitment's owner
    COMMITMENT_CLOSED = "commitment_closed"  # note: the outcome and reason


# Sentences Freiraum writes itself on a timeline or in a notification (nobody typed them):
# stored as their key, shown in the reader's language. A person's own note stays as typed.
AUTOMATIC_TEXTS = {
    "above_budget": _l("Above the department's decision budget."),
}


def automatic_text(key: str | None) -> str | None:
    """The automatic sentence ``key`` in the current locale (the reader's)."""
    if not key:
        return None
    text = AUTOMATIC_TEXTS.get(key)
    return str(text) if text is not None else None


class IdeaEvent(db.Model):
    """One line of an idea's public timeline. Rows are only ever added."""

    __tablename__ = "idea_events"
    __table_args__ = (Index("ix_idea_events_idea_id", "idea_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    # The idea's anonymous author acting as its author (an edit, an answer, a withdrawal):
    # shown as "the author" everywhere (see ideas.authorship).
    by_anonymous_author: Mapped[bool] = mapped_column(Boolean, default=False)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    # What the person wrote; ``note`` is what a reader sees (this, or the automatic text).
    written_note: Mapped[str | None] = mapped_column("note", Text)
    note_key: Mapped[str | None] = mapped_column(String(40))  # an AUTOMATIC_TEXTS key
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL")
    )
    related_idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    created_at: Mapped[datetime] = mapped_column(default=now)

    actor: Mapped[User | None] = relationship()
    department: Mapped[Department | None] = relationship()

    @property
    def note(self) -> str | None:
        """The note as the reader sees it: an automatic one in the reader's language."""
        return automatic_text(self.note_key) or self.written_note

    @note.setter
    def note(self, value: str | None) -> None:
        self.written_note = value
