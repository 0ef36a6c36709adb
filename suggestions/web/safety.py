"""Small request helpers that keep responses safe."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, request


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


MAX_NEXT_CHARS = 2000


def safe_next(default: str) -> str:
    """The ``next`` target if it stays on this site, else ``default`` (no open redirects).

    Every redirect to a requested target goes through here. A target with control characters
    or spaces is refused: CR/LF cannot go into a ``Location`` header, and browsers drop tabs
    and line breaks from URLs, so ``/\t/evil.example`` would leave the site."""
    target = request.values.get("next") or ""
    if len(target) > MAX_NEXT_CHARS or any(c.isspace() or not c.isprintable() for c in target):
        return default
    parts = urlsplit(target)
    if (
        target.startswith("/")
        and not target.startswith("//")
        and not parts.netloc
        and "\\" not in target
    ):
        return target
    return default


def refuse_nul_bytes() -> None:
    """A request whose query string or form holds a NUL byte is a 400 (``before_request``).

    No browser sends NUL from a text field, no text here has a use for it, and PostgreSQL
    cannot store it in a text column: without this guard a NUL in a comment or a search
    would be a 500 there, and a different answer on SQLite."""
    query = request.query_string
    # Only these raw bytes decode to a NUL; and most requests (a GET) have no form to parse.
    suspects = [request.args] if b"\x00" in query or b"%00" in query else []
    if request.mimetype in FORM_TYPES:
        suspects.append(request.form)
    for values in suspects:
        for value in values.values():
            if "\x00" in value:
                abort(400)


# The bodies werkzeug parses into ``request.form``.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
