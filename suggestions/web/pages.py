"""What every response shares: error pages, security headers, a health check."""

from __future__ import annotations

import contextlib

from flask import Flask, current_app, g, make_response, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..core.database import DATABASE_UNAVAILABLE
from ..core.errors import NotAllowed
from ..core.extensions import db
from ..core.registry import contributions
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
    try:
        return render_template(template, code=code, title=title, text=message or text), code
    except DATABASE_UNAVAILABLE:
        # The page's header loads the person: with the database gone, that fails too.
        _forget_session()
        return render_unavailable()


# Form fields never shown back on the "unavailable" page: secrets and the form's machinery.
_NOT_SHOWN_BACK = ("password", "csrf", "token", "key", "next", "secret", "code")


def render_unavailable():
    """The 503 page for a database that cannot be reached: drawn from the request alone, with
    no context processor (those load the person from the database) and no query. A form post
    gets the texts it carried back, so nothing typed is lost."""
    lang = _locale_without_database()
    with force_locale(lang):
        typed = []
        if request.method == "POST" and not is_htmx():
            typed = [
                value
                for name, value in request.form.items(multi=True)
                if value.strip() and not any(word in name.lower() for word in _NOT_SHOWN_BACK)
            ]
        if request.method == "GET":
            text = _("The database cannot be reached just now. Please try again in a minute.")
        elif typed:
            text = _(
                "Nothing you sent was saved. Your text is below: copy it, or use your browser's "
                "Back button (the form still holds it) and send it again in a minute."
            )
        else:
            text = _(
                "Nothing you sent was saved. Use your browser's Back button and send it again "
                "in a minute."
            )
        context = {
            "lang": lang,
            "title": _("Freiraum is briefly unavailable"),
            "text": text,
            "typed": typed,
            "retry_url": request.url if request.method == "GET" else None,
            "code": 503,
        }
        template = "errors/_fragment.html" if is_htmx() else "errors/unavailable.html"
        body = current_app.jinja_env.get_template(template).render(context)
    response = make_response(body, 503)
    response.headers["Retry-After"] = str(current_app.config["UNAVAILABLE_RETRY_AFTER_SECONDS"])
    return response


def _locale_without_database() -> str:
    """The page's language without asking the database for the person's choice: the language
    already chosen in this request, else the language cookie, else the browser's."""
    languages = current_app.config["LANGUAGES"]
    chosen = getattr(getattr(g, "_flask_babel", None), "babel_locale", None)
    if chosen is not None and str(chosen) in languages:
        return str(chosen)
    if request.cookies.get("language") in languages:
        return request.cookies["language"]
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def _forget_session() -> None:
    """End the request's transaction if the connection still allows it; a dead connection is
    thrown away by the pool, so there is nothing more to do."""
    # Known to be unavailable: whatever the rollback raises, the teardown closes the session.
    with contextlib.suppress(Exception):
        db.session.rollback()


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _l("This form was not sent from this site or your session has expired. Use your "
               "browser's Back button: what you typed is still there. Reload the page, then "
               "send it again."),
        )  # fmt: skip

    def database_unavailable(error):
        # One line, no traceback: the cause is outside the code, and a database that is gone
        # for 20 s would otherwise fill the log with hundreds of identical tracebacks.
        app.logger.error(
            "Database unavailable on %s %s: %s", request.method, request.path,
            str(error.orig if getattr(error, "orig", None) else error).splitlines()[0][:200],
        )  # fmt: skip
        _forget_session()
        return render_unavailable()

    for error_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(error_class, database_unavailable)

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
        _forget_session()
        return render_error(500)

    # Forms may lead to these origins too (the sign-out form ends at the company's identity
    # provider: browsers check form-action on every redirect after a form is sent).
    extra = " ".join(app.config["CSP_FORM_ACTION_SOURCES"] or ())
    csp = CSP.replace("form-action 'self'", f"form-action 'self' {extra}") if extra else CSP

    # Built once: every response gets those a view did not set itself (one pass over its few
    # headers instead of a search of them per header).
    shared = [
        ("Content-Security-Policy", csp),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    hsts = ("Strict-Transport-Security", f"max-age={app.config['HSTS_SECONDS']}")
    # Pages carry personal data: never kept by shared caches, always revalidated.
    private = ("Cache-Control", "private, no-store")

    @app.after_request
    def security_headers(response):
        headers = response.headers
        static = request.endpoint == "static"
        wanted = [*shared, *([hsts] if request.is_secure else ()), *(() if static else [private])]
        present = {name.lower() for name, _value in headers}
        headers.extend([header for header in wanted if header[0].lower() not in present])
        if (
            static
            and request.args.get("v") == app.config["ASSET_VERSION"]
            and response.status_code == 200
        ):
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
        """Liveness: the process answers and can read. Says nothing about writes (/readyz)."""
        db.session.execute(db.text("SELECT 1"))
        return {"status": "ok"}

    @app.get("/readyz", endpoint="ready")
    def ready():
        """Readiness, for the load balancer and monitoring: 200 when a write goes through and
        the outbox keeps up, else 503; the JSON says which part failed (README, "Production")."""
        report, status = readiness()
        return report, status, {"Cache-Control": "no-store"}


def readiness() -> tuple[dict, int]:
    """The database first; then, if it answers, each check a package adds to the point
    ``readiness.checks`` (the outbox's backlog, from notify)."""
    checks: dict[str, dict] = {}
    try:
        # A real write that changes nothing, rolled back: a read-only file or a read-only
        # server refuses it where "SELECT 1" (the liveness check) still passes.
        db.session.execute(db.text("UPDATE org_settings SET id = id WHERE id = 1"))
        checks["database"] = {"ok": True, "write": "ok"}
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        checks["database"] = {"ok": False, "error": _first_line(error)}
    finally:
        _forget_session()
    for name, check in contributions("readiness.checks") if checks["database"]["ok"] else ():
        try:
            checks[name] = check()
        except Exception as error:  # noqa: BLE001
            checks[name] = {"ok": False, "error": _first_line(error)}
        finally:
            _forget_session()
    ok = all(check["ok"] for check in checks.values())
    return {"status": "ready" if ok else "not ready", "checks": checks}, 200 if ok else 503


def _first_line(error: Exception) -> str:
    cause = getattr(error, "orig", None) or error
    text = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {text[0][:200] if text else ''}"
