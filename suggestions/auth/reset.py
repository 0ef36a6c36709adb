"""Forgotten passwords: a reset link by mail, valid for a while and for one use.

The link carries a signed token (the app's secret key) with the account's id and a
fingerprint of its current password hash. Nothing is stored: setting a new password changes
the hash, so the link dies with its first use (and with any other password change); the
signature's timestamp, read from the app's clock, makes it expire.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from flask_babel import lazy_gettext as _
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from ..core import clock
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.signals import password_reset_requested
from .accounts import end_sessions, find_by_email, password_sign_in_allowed, set_password
from .models import User

SALT = "freiraum.password-reset"


class _ClockSigner(TimestampSigner):
    """Timestamps from the app's one clock, so expiry follows ``clock.travel_to``."""

    def get_timestamp(self) -> int:
        return calendar.timegm(clock.now().utctimetuple())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=_ClockSigner)


def valid_minutes() -> int:
    return int(current_app.config["PASSWORD_RESET_MINUTES"])


def _fingerprint(user: User) -> str:
    # Of the hash, never the hash itself: the token is readable by whoever sees the link.
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:24]


def make_token(user: User) -> str:
    return _serializer().dumps([user.id, _fingerprint(user)])


def may_reset(user: User | None) -> bool:
    """Local, active accounts only: people who sign in elsewhere (SSO) have no password here."""
    return (
        user is not None
        and user.active
        and bool(user.password_hash)
        and password_sign_in_allowed(user)  # LOCAL_PASSWORDS off: break-glass admins only
    )


def request_reset(email: str, language: str) -> None:
    """Mail a reset link if ``email`` belongs to an account that may reset its password.
    Says nothing either way, and does the same lookup and signing either way, so neither the
    answer nor (much of) its time tells who has an account. The mail's link is built from
    BASE_URL, never from the request's Host header, which the asker controls."""
    user = find_by_email(email)
    if not may_reset(user):
        _serializer().dumps([0, hashlib.sha256(email.encode()).hexdigest()[:24]])
        return
    password_reset_requested.send(
        current_app._get_current_object(), user=user, token=make_token(user),
        language=user.language or language, valid_minutes=valid_minutes(),
    )  # fmt: skip


@contextmanager
def taking_the_same_time() -> Iterator[None]:
    """Let the block last at least PASSWORD_RESET_MIN_SECONDS, whatever it did inside."""
    started = time.perf_counter()
    try:
        yield
    finally:
        rest = float(current_app.config["PASSWORD_RESET_MIN_SECONDS"])
        rest -= time.perf_counter() - started
        if rest > 0:
            time.sleep(rest)


def user_for_token(token: str) -> User:
    """The account this link may reset; DomainError if it expired, was used, or is not ours."""
    try:
        user_id, fingerprint = _serializer().loads(token, max_age=valid_minutes() * 60)
    except SignatureExpired as error:
        raise DomainError(_("This link has expired. Please ask for a new one.")) from error
    except (BadSignature, ValueError, TypeError) as error:
        raise DomainError(
            _("This link is not valid (any more). Please ask for a new one.")
        ) from error
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if not may_reset(user) or not hmac.compare_digest(str(fingerprint), _fingerprint(user)):
        raise DomainError(_("This link is not valid (any more). Please ask for a new one."))
    return user


def reset_password(token: str, password: str) -> User:
    """Set a new password through a reset link: the link dies, every session ends."""
    user = user_for_token(token)
    set_password(user, password)  # the strength rules of the account page
    end_sessions(user)
    return user
