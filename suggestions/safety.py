"""Small request helpers that keep responses safe."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def safe_next(default: str) -> str:
    """The ``next`` target if it stays on this site, else ``default`` (no open redirects)."""
    target = request.values.get("next") or ""
    parts = urlsplit(target)
    if (
        target.startswith("/")
        and not target.startswith("//")
        and not parts.netloc
        and "\\" not in target
    ):
        return target
    return default
