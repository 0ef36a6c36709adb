"""What every response shares: error pages, security headers, a health check."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .errors import NotAllowed
from .extensions import db
from .safety import is_htmx

ERROR_TEXT = {
    400: (_l("Something in the request was wrong"),
          _l("Please go back and try again.")),
    401: (_l("Please sign in"), _l("Your session has ended. Please sign in again.")),
    403: (_l("Not allowed"), _l("You are not allowed to do that.")),
    404: (_l("Not found"),
          _l("There is nothing here. The link may be mistyped, or the page was removed.")),
    405: (_l("Not possible"), _l("This page cannot be used like that.")),
    413: (_l("Too much at once"),
          _l("What you sent is too large. Please shorten it; your browser's Back button "
             "takes you to what you typed.")),
    429: (_l("Too many attempts"),
          _l("Please wait a minute before you try again.")),
    500: (_l("Something went wrong on our side"),
          _l("The problem is logged. Please try again in a moment.")),
}  # fmt: skip

# No inline script anywhere: htmx is configured through a meta tag, never eval.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


def render_error(code: int, message=None):
    title, text = ERROR_TEXT.get(code, ERROR_TEXT[500])
    template = "errors/_fragment.html" if is_htmx() else "errors/error.html"
    return render_template(template, code=code, title=title, text=message or text), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _l("This form was not sent from this site or your session has expired. Use your "
               "browser's Back button: what you typed is still there. Reload the page, then "
               "send it again."),
        )  # fmt: skip

    @app.errorhandler(NotAllowed)
    def not_allowed(error):
        db.session.rollback()
        return render_error(403, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in (301, 302, 303, 307, 308) or error.code < 400:
            return error
        return render_error(error.code if error.code in ERROR_TEXT else 400)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_error(500)

    # Forms may lead to these origins too (the sign-out form ends at the company's identity
    # provider: browsers check form-action on every redirect after a form is sent).
    extra = " ".join(app.config.get("CSP_FORM_ACTION_SOURCES") or ())
    csp = CSP.replace("form-action 'self'", f"form-action 'self' {extra}") if extra else CSP

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", csp)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", f"max-age={app.config['HSTS_SECONDS']}")
        if request.endpoint != "static":
            # Pages carry personal data: never kept by shared caches, always revalidated.
            headers.setdefault("Cache-Control", "private, no-store")
        elif request.args.get("v") == app.config["ASSET_VERSION"] and response.status_code == 200:
            # static_url() puts the version of the files into the link: a new release is a new
            # URL, so browsers (and the proxy) may keep this one for a year without asking.
            response.cache_control.public = True
            response.cache_control.max_age = 31_536_000
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        if is_htmx():
            headers.add("Vary", "HX-Request")
        return response

    @app.get("/healthz", endpoint="health")
    def health():
        db.session.execute(db.text("SELECT 1"))
        return {"status": "ok"}
