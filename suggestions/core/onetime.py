"""One-time keys on forms that create something (an idea, a comment, a progress update, the
author's answer to a question), so that sending the same form twice creates it once.

The key is made when the form is drawn. A repeat (a retry after a dropped connection, a double
click, Back then submit again) carries the same key and is answered with what the first
sending created. The key is stored with a primary key on (person, key) in the transaction that
creates the thing, so the check is exact under concurrency on both databases: a second
transaction's insert waits for the first to end (PostgreSQL: on the unique index; SQLite: on
the write lock) and then sees its result.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import DateTime, ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import HiddenField

from . import clock
from .database import insert_ignoring_duplicates
from .extensions import db


class FormKey(db.Model):
    """A form key that was used, and the address of what its first sending created."""

    __tablename__ = "form_keys"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    result_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)


class OneTimeKeyField(HiddenField):
    """A fresh key each time the form is drawn; what was sent when it comes back. On Back, the
    browser draws the page again with a new key: static/js/app.js puts the first key back
    when the form still holds exactly what was sent with it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {"data-form-key": ""})
        super().__init__(*args, **kwargs)

    def _value(self) -> str:
        return self.data or new_key()


def new_key() -> str:
    return secrets.token_urlsafe(18)


def first_result(user, key: str | None) -> str | None:
    """Claim ``key`` for this person in the current transaction. Returns None when this is
    the first sending (go on and create, then ``remember`` the result), or the address of the
    first sending's result when this is a repeat (create nothing, send the person there).
    A missing or malformed key claims nothing: the form is handled as it always was."""
    if not key or len(key) > 64 or not user.is_authenticated:
        return None
    claimed = db.session.execute(
        insert_ignoring_duplicates(FormKey.__table__)
        .values(user_id=user.id, key=key, created_at=clock.now())
        .returning(FormKey.__table__.c.key)
    ).first()
    if claimed is not None:
        return None
    url = db.session.scalar(
        select(FormKey.result_url).where(FormKey.user_id == user.id, FormKey.key == key)
    )
    return url or "/"


def remember(user, key: str | None, url: str) -> None:
    """Store where the first sending's result is, in the transaction that created it."""
    if not key or len(key) > 64 or not user.is_authenticated:
        return
    db.session.execute(
        FormKey.__table__.update()
        .where(FormKey.user_id == user.id, FormKey.key == key)
        .values(result_url=url[:500])
    )


def purge_old_keys(moment: datetime, older_than: timedelta = timedelta(days=1)) -> int:
    """Forget form keys older than a day: a repeat comes within minutes, not days."""
    result = db.session.execute(delete(FormKey).where(FormKey.created_at < moment - older_than))
    return result.rowcount or 0
