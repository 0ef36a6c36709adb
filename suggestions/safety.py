"""Small request helpers that keep responses safe."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request


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
