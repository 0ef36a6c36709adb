"""A link drawn once per row, built once per page: ``url_for`` (werkzeug's URL building, tens
of microseconds a call) runs once with a marker in place of the row's number, and each row's
link is the two halves around it with the number between."""

from __future__ import annotations

from flask import url_for

_MARK = "918273645546372819"  # a number no other part of a URL holds


class UrlPattern:
    def __init__(self, endpoint: str, name: str, **values):
        url = url_for(endpoint, **values, **{name: int(_MARK)})
        prefix, found, suffix = url.partition(_MARK)
        if not found or _MARK in suffix:
            raise ValueError(f"{endpoint}: {name} must appear once in its URL")
        self._prefix, self._suffix = prefix, suffix

    def __call__(self, value: int) -> str:
        return f"{self._prefix}{int(value)}{self._suffix}"


def url_pattern(endpoint: str, name: str, **values) -> UrlPattern:
    """``url_pattern('ideas.show', 'idea_id')(7) == url_for('ideas.show', idea_id=7)``."""
    return UrlPattern(endpoint, name, **values)
