"""Erasing a person (GDPR art. 17): irreversible, by an admin.

The account row stays as a tombstone, so the votes it cast stay counted and every id that
points at it stays valid; everything on it that says who the person was is wiped (name, email,
login ids, the company identity, password, language). Ideas, comments, timeline entries and
commitment updates stay, without an author: pages show "Former employee". Their follows,
notifications, settings, tokens and form keys are deleted; mails addressed to them are deleted
from the outbox, and their name is taken out of mails and webhook calls to others.

A later company sign-in with the old identity finds neither the identity nor the address, so it
creates a new person with no link to the old rows.
"""

from __future__ import annotations

import html
import json

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select, update

from ..auth.accounts import normalise_email
from ..auth.models import Role, User
from ..auth.tokens import ApiToken
from ..core.clock import now
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.onetime import FormKey
from ..core.registry import contributions
from ..core.signals import account_erased
from ..ideas.authorship import FORMER_EMPLOYEE
from ..ideas.models import Comment, Idea, IdeaEvent
from ..notify.models import (
    DigestLog,
    Follow,
    Notification,
    NotificationPreference,
    OutboxMessage,
)
from ..org.models import department_heads
from ..policy import require
from ..workflow.models import Commitment, CommitmentUpdate
from .models import PeopleImport

ERASED_DOMAIN = "erased.invalid"  # RFC 2606: can never be a real address


def tombstone_email(user_id: int) -> str:
    return f"erased-{user_id}@{ERASED_DOMAIN}"


def check_erasable(admin: User, user: User) -> None:
    require(admin, "admin.manage")
    if user.erased_at is not None:
        raise DomainError(_l("This account is erased already."))
    if user.id == admin.id:
        raise DomainError(_l("You cannot erase your own account."))


def _unname(column, user_id: int) -> None:
    db.session.execute(
        update(column.class_).where(column == user_id).values({column.key: None})
        .execution_options(synchronize_session=False)
    )  # fmt: skip


def _scrub_outbox(user: User) -> None:
    """Mails to the person go; mails and webhook calls to others lose the person's name."""
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == user.email))
    name = (user.display_name or "").strip()
    if len(name) < 2:
        return
    replacement = str(FORMER_EMPLOYEE)
    forms = {
        name: replacement,
        html.escape(name): html.escape(replacement),
        json.dumps(name)[1:-1]: json.dumps(replacement)[1:-1],
    }
    pattern = f"%{name}%"
    fields = ("subject", "body_text", "body_html", "payload")
    messages = db.session.scalars(
        select(OutboxMessage).where(or_(*(getattr(OutboxMessage, f).like(pattern) for f in fields),
                                        OutboxMessage.body_html.like(f"%{html.escape(name)}%"),
                                        OutboxMessage.payload.like(f"%{json.dumps(name)[1:-1]}%")))
    )  # fmt: skip
    for message in messages:
        for field in fields:
            value = getattr(message, field)
            if value:
                for old, new in forms.items():
                    value = value.replace(old, new)
                setattr(message, field, value)


def erase(admin: User, user: User, *, confirm_email: str) -> None:
    """Erase the person. ``confirm_email`` must be their address, typed by the admin. The
    caller commits."""
    check_erasable(admin, user)
    if normalise_email(confirm_email) != user.email:
        raise DomainError(_l("Type the person's email address exactly to confirm."))
    uid = user.id
    account_erased.send(admin, actor=admin, user=user)  # the audit log: who erased whom, no name
    for erase_own_rows in contributions("person.erase"):  # packages that keep their own rows
        erase_own_rows(user)
    _scrub_outbox(user)
    for column in (
        Idea.author_id, Comment.author_id, Comment.official_marked_by_id, IdeaEvent.actor_id,
        Commitment.owner_id, Commitment.created_by_id, CommitmentUpdate.author_id,
        Notification.actor_id,
    ):  # fmt: skip
        _unname(column, uid)
    for model in (Follow, Notification, NotificationPreference, DigestLog, FormKey, ApiToken,
                  PeopleImport):  # fmt: skip
        key = model.admin_id if model is PeopleImport else model.user_id
        db.session.execute(delete(model).where(key == uid))
    db.session.execute(delete(department_heads).where(department_heads.c.user_id == uid))
    db.session.expire_all()
    user = db.session.get(User, uid)
    user.email = tombstone_email(uid)
    user.display_name = ""
    user.password_hash = None
    user.external_id = None
    user.unmapped_department = None
    user.department = None
    user.language = None
    user.last_login_at = None
    user.role = Role.EMPLOYEE
    user.break_glass = False
    user.active = False
    user.session_version += 1  # every session and remembered login ends now
    user.erased_at = now()
    db.session.flush()
    current_app.logger.info("user %s erased by user %s", uid, admin.id)
