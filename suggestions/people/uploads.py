"""Uploaded CSV files between preview and confirmation, kept on the server by token."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ..auth.models import User
from ..core.clock import now
from ..core.errors import DomainError
from ..core.extensions import db
from .models import PeopleImport

KEPT_FOR = timedelta(hours=2)


def keep(admin: User, *, filename: str, text: str, deactivate_missing: bool) -> PeopleImport:
    # Old previews nobody confirmed go: the table never grows with abandoned files.
    db.session.execute(delete(PeopleImport).where(PeopleImport.created_at < now() - KEPT_FOR))
    upload = PeopleImport(
        token=secrets.token_urlsafe(32), admin_id=admin.id, filename=filename[:255],
        content=text, deactivate_missing=deactivate_missing, created_at=now(),
    )  # fmt: skip
    db.session.add(upload)
    db.session.flush()
    return upload


def load(admin: User, token: str) -> PeopleImport:
    """The admin's own upload under this token; another admin's token does not work."""
    upload = db.session.scalar(
        select(PeopleImport).where(
            PeopleImport.token == (token or "")[:64],
            PeopleImport.admin_id == admin.id,
            PeopleImport.created_at >= now() - KEPT_FOR,
        )
    )
    if upload is None:
        raise DomainError(_l("This preview has expired. Please upload the file again."))
    return upload


def forget(upload: PeopleImport) -> None:
    db.session.delete(upload)
