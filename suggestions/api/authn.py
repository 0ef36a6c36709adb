"""Who calls the API: the person of the bearer token, never a session cookie.

The token's person is put where Flask-Login keeps the current user (``g._login_user``), so the
policy, the templates' presenters and the domain functions see them as they see a signed-in
person on the pages. Rate limits count per token."""

from __future__ import annotations

import hashlib
import time

from flask import Flask, current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin
from werkzeug.exceptions import HTTPException

from ..auth import tokens
from ..core.errors import DomainError, NotAllowed
from ..core.extensions import db, limiter
from . import bp
from .problems import problem

READ_METHODS = {"GET", "HEAD", "OPTIONS"}
# The document describing the API is public: a client reads it before it has a token.
PUBLIC_ENDPOINTS = {"api.openapi", "api.reference"}


def bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def rate_limit_key() -> str:
    """One counter per token (by a hash of what was sent: the counter store never holds a
    secret); callers without a token share their address's counter."""
    secret = bearer_secret()
    if secret is None:
        return "api-anon:" + (request.remote_addr or "")
    return "api:" + hashlib.sha256(secret.encode()).hexdigest()[:32]


def _api_limit() -> str:
    return current_app.config["RATELIMIT_API_PER_TOKEN"]


limiter.limit(_api_limit, key_func=rate_limit_key)(bp)


def _unauthorized():
    response = problem(401, _l("A valid personal access token is required."))
    response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@bp.before_request
def authenticate():
    # Whatever cookie came along is ignored: the request acts for its token's person or nobody.
    g._login_user = AnonymousUserMixin()
    g.api_token = None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    secret = bearer_secret()
    token = tokens.authenticate(secret) if secret else None
    if token is None:
        return _unauthorized()
    if request.method not in READ_METHODS and not token.may_write:
        response = problem(403, _l("This token may only read. Make a token with write access."))
        response.headers["WWW-Authenticate"] = 'Bearer error="insufficient_scope"'
        return response
    g.api_token = token
    g._login_user = token.user
    return None


@bp.after_request
def headers(response):
    # Cheap polling: an ETag from the body, and 304 when the client already has it. The reply
    # is built anyway (it is small and bounded); the client saves the transfer and the parsing.
    if request.method in ("GET", "HEAD") and response.status_code == 200 and response.is_json:
        response.add_etag()
        response.make_conditional(request)
    # Nothing the API says is for a shared cache, and it never sets a cookie.
    response.headers.setdefault("Cache-Control", "private, no-cache")
    response.vary.add("Authorization")
    response.vary.add("Accept-Language")
    current = limiter.current_limit
    if current is not None:
        # The IETF RateLimit fields, with the X- forms many clients still read.
        reset = max(0, int(current.reset_at - time.time()))
        response.headers["RateLimit-Limit"] = str(current.limit.amount)
        response.headers["RateLimit-Remaining"] = str(current.remaining)
        response.headers["RateLimit-Reset"] = str(reset)
        response.headers["X-RateLimit-Limit"] = str(current.limit.amount)
        response.headers["X-RateLimit-Remaining"] = str(current.remaining)
        response.headers["X-RateLimit-Reset"] = str(int(current.reset_at))
        if response.status_code == 429:
            response.headers["Retry-After"] = str(reset)
    return response


@bp.errorhandler(NotAllowed)
def not_allowed(error: NotAllowed):
    db.session.rollback()
    return problem(403, error.message)


@bp.errorhandler(DomainError)
def refused(error: DomainError):
    db.session.rollback()
    return problem(422, error.message)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    db.session.rollback()
    return problem(error.code or 500)


@bp.errorhandler(Exception)
def unexpected(error: Exception):
    current_app.logger.exception("Unhandled API error on %s %s", request.method, request.path)
    db.session.rollback()
    return problem(500)


def init_app(app: Flask) -> None:
    """Routing errors under /api/v1 (no such path, wrong method) happen before a blueprint is
    chosen: answer them as problems too, not as HTML pages."""
    previous = app.error_handler_spec[None].get(None, {}).copy()

    @app.errorhandler(404)
    @app.errorhandler(405)
    def api_routing_error(error: HTTPException):
        if request.path.startswith(bp.url_prefix + "/") or request.path == bp.url_prefix:
            return problem(error.code)
        handler = previous.get(HTTPException) or previous.get(type(error))
        if handler is not None:
            return handler(error)
        return error
