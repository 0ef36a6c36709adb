"""The dashboard's figures, kept for a few minutes so that many readers cost one computation
(``snapshots``). In the database, not in a process: every app server shares them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.extensions import db


class FiguresSnapshot(db.Model):
    """The figures of one dashboard scope (range, departments, settings), as JSON.

    ``refreshing_until``: someone is working them out again until then (a lease: a server
    that dies while computing blocks nobody for longer). ``figures`` is empty while the very
    first computation of a scope runs."""

    __tablename__ = "insights_snapshots"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    figures: Mapped[str | None] = mapped_column(Text)
    computed_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    refreshing_until: Mapped[datetime | None] = mapped_column(DateTime)


class ReviewPack(db.Model):
    """The leadership review pack of one month, kept in the archive: its figures frozen as JSON
    when it was made, so the pack reads the same next year. ``sent_at``: mailed to leadership."""

    __tablename__ = "review_packs"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, unique=True)  # the first day of the month
    figures: Mapped[str] = mapped_column(Text)
    made_at: Mapped[datetime] = mapped_column(DateTime)
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
