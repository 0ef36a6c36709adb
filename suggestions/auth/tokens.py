"""Personal access tokens for the JSON API.

A token is a random secret shown once to its owner. Only its SHA-256 is stored: the secret has
256 bits of entropy, so a fast hash is enough (a slow password hash would cost every API request
tens of milliseconds and add nothing). The first characters are kept in clear so people can tell
their tokens apart on the account and admin pages.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from flask_babel import lazy_gettext as _
from sqlalchemy import ForeignKey, Index, String, select, update
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from ..core.clock import now
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.signals import token_created, token_revoked
from ..policy import require
from .models import User

# Recognisable in logs and by secret scanners; the rest is 32 random bytes.
TOKEN_PREFIX = "frm_"
SHOWN_CHARS = len(TOKEN_PREFIX) + 8
MAX_TOKENS_PER_PERSON = 50
MAX_LIFETIME_DAYS = 366
# "Last used" is written at most this often per token: a script polling every second must not
# turn every read into a write.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenScope(StrEnum):
    READ = "read"  # GET only
    WRITE = "write"  # read and write


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_user_id", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    shown_prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256, hex
    scope: Mapped[str] = mapped_column(String(8), default=TokenScope.READ)
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def may_write(self) -> bool:
        return self.scope == TokenScope.WRITE

    def usable(self, moment: datetime | None = None) -> bool:
        moment = moment or now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)

    def __repr__(self) -> str:  # never the secret, not even its hash
        return f"<ApiToken {self.id} {self.shown_prefix}…>"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    owner: User, *, name: str, scope: TokenScope | str, expires_in_days: int | None
) -> tuple[ApiToken, str]:
    """A new token for ``owner`` and its secret (shown once, never stored)."""
    require(owner, "token.create")
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Please give the token a name."))
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_LIFETIME_DAYS:
        raise DomainError(_("A token expires within %(n)d days.", n=MAX_LIFETIME_DAYS))
    if len(tokens_of(owner)) >= MAX_TOKENS_PER_PERSON:
        raise DomainError(_("You have too many tokens. Please revoke one you no longer use."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    moment = now()
    token = ApiToken(
        user_id=owner.id,
        name=name[:100],
        shown_prefix=secret[:SHOWN_CHARS],
        secret_hash=hash_secret(secret),
        scope=TokenScope(scope),
        created_at=moment,
        expires_at=moment + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    db.session.add(token)
    db.session.flush()
    token_created.send(owner, actor=owner, token=token)
    return token, secret


def authenticate(secret: str) -> ApiToken | None:
    """The usable token with this secret whose owner is active, or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(
        select(ApiToken)
        .where(ApiToken.secret_hash == hash_secret(secret))
        .options(joinedload(ApiToken.user).joinedload(User.department))
    )
    moment = now()
    if token is None or not token.usable(moment) or not token.user.active:
        return None
    if token.last_used_at is None or moment - token.last_used_at >= LAST_USED_PRECISION:
        # An UPDATE of its own: the request's work must not collide with this bookkeeping.
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.id == token.id)
            .values(last_used_at=moment)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    return token


def revoke(token: ApiToken, actor: User) -> None:
    require(actor, "token.revoke", token)
    if token.revoked_at is None:
        token.revoked_at = now()
        token_revoked.send(actor, actor=actor, token=token)


def revoke_all(user: User) -> None:
    """Every token of the person stops working (deactivation, erasure)."""
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now())
        .execution_options(synchronize_session=False)
    )


def tokens_of(user: User) -> list[ApiToken]:
    query = (
        select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.id.desc())
        .limit(MAX_TOKENS_PER_PERSON)
    )
    return list(db.session.scalars(query))


def all_tokens_query():
    """Every token, newest first, with its owner (the admin page pages through it)."""
    return select(ApiToken).options(joinedload(ApiToken.user)).order_by(ApiToken.id.desc())
