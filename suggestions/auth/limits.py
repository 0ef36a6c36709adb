"""Sign-in limits: per address, per account, and the browser an account usually signs in from.

The per-account limit stops guessing one person's password from many addresses, but it also
lets anyone lock that person out by failing on purpose. A browser that signed in to the account
before carries a signed cookie naming it (not the password, not the session); from that browser
the per-account limit does not apply, only the per-address one. Someone else's failures then
cannot keep the person out of their own account.

Flask-Limiter's ``memory://`` storage counts in each process: with N gunicorn workers a limit
of 5 becomes 5 x N. ``per_process_warning`` says so at start-up and on the admin's settings.
"""

from __future__ import annotations

import hashlib

from flask import Flask, Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

# Counting per process is the limiter's matter (core); the warning is about sign-in.
from ..core.extensions import per_process_warning, possible_workers

DEVICE_COOKIE = "freiraum_device"
DEVICE_DAYS = 365


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="login-device")


def _account_tag(email: str) -> str:
    # The cookie names the account by a digest: the address itself need not sit in it.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def remember_device(response: Response, email: str) -> None:
    """After a successful sign-in: this browser is one the account signs in from."""
    known = _known_accounts()
    tags = [_account_tag(email), *(t for t in known if t != _account_tag(email))][:5]
    response.set_cookie(
        DEVICE_COOKIE, _serializer().dumps(tags), max_age=DEVICE_DAYS * 24 * 3600,
        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
        samesite="Lax",
    )  # fmt: skip


def _known_accounts() -> list[str]:
    try:
        tags = _serializer().loads(request.cookies.get(DEVICE_COOKIE, ""))
    except BadSignature:
        return []
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def usual_browser() -> bool:
    """``exempt_when`` of the per-account limit: the attempt comes from a browser that signed in
    to this account before."""
    email = request.form.get("email") or ""
    return bool(email) and _account_tag(email) in _known_accounts()


def warn_at_start(app: Flask) -> None:
    if per_process_warning(app):
        app.logger.warning(
            "Rate limits use memory://, which counts in each of up to %s worker processes: a "
            "limit of 5 sign-in attempts allows %s. Set RATELIMIT_STORAGE_URI=redis://... or "
            "run one worker (GUNICORN_WORKERS=1).",
            possible_workers(), 5 * possible_workers(),
        )  # fmt: skip
