"""The JSON API, version 1: the same domain functions and the same permission policy as the
pages, authenticated by personal access tokens (``Authorization: Bearer``).

Two blueprints: ``api`` (``/api/v1``, JSON only, no cookies, so no CSRF) and ``api_tokens``
(the HTML pages where people make and revoke their tokens, which are ordinary CSRF-protected
forms)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("api", __name__, url_prefix="/api/v1")
pages_bp = Blueprint("api_tokens", __name__)


def init_app(app: Flask) -> None:
    from ..core.extensions import csrf
    from . import authn, insights, openapi, token_views, views  # noqa: F401  (routes register on import)

    if bp.name not in app.blueprints:
        # Cookies are never read for the API (authn), so there is no cross-site request to
        # forge: a token must be sent explicitly by the client.
        csrf.exempt(bp)
        app.register_blueprint(bp)
        app.register_blueprint(pages_bp)
    authn.init_app(app)
