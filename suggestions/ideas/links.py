"""Links to one comment. Comments are shown a page at a time, so a link names the comment
(``?comment=<id>``) and the idea page opens the page that holds it, then the anchor scrolls to
it. Notifications, mails, moderation and the idea page itself link this way."""

from __future__ import annotations

from flask import url_for


def comment_url(idea_id: int, comment_id: int, **options) -> str:
    """The idea page at the comment (``options``: url_for's, e.g. ``_external``)."""
    return url_for(
        "ideas.show", idea_id=idea_id, comment=comment_id, _anchor=f"comment-{comment_id}",
        **options,
    )  # fmt: skip
