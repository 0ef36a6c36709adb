"""Errors as ``application/problem+json`` (RFC 9457), worded as the pages word them."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask_babel import lazy_gettext as _l

from ..web.pages import ERROR_TEXT

PROBLEM_TYPE = "about:blank"
MEDIA_TYPE = "application/problem+json"

# Titles the pages have no use for.
EXTRA_TITLES = {
    409: _l("Not possible now"),
    412: _l("This idea has changed since you opened it."),
    422: _l("Please check what you sent"),
}


def problem(status: int, detail: Any = None, **extensions: Any) -> Response:
    """A problem response; ``detail`` is the sentence the page would show (a domain error's
    message), the title the page's heading for this status."""
    if status in EXTRA_TITLES:
        title = EXTRA_TITLES[status]
    else:
        title, text = ERROR_TEXT.get(status, ERROR_TEXT[500] if status >= 500 else ERROR_TEXT[400])
        detail = detail if detail is not None else text
    body = {"type": PROBLEM_TYPE, "title": str(title), "status": status}
    if detail is not None:
        body["detail"] = str(detail)
    body.update(extensions)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = MEDIA_TYPE
    return response
