"""A CSV import between its preview and the admin's confirmation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.clock import now
from ..core.extensions import db


class PeopleImport(db.Model):
    """The uploaded file, kept on the server (not in the browser) under a random token bound
    to the admin who uploaded it: the confirmation validates this very text again, so what is
    written is what was previewed, on any worker of any host."""

    __tablename__ = "people_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    admin_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[str] = mapped_column(Text)  # decoded text of the file
    deactivate_missing: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=now)

    def __repr__(self) -> str:
        return f"<PeopleImport {self.id}>"
