"""A page of comments drawn from kept fragments, one per comment and kind of viewer.

Drawing a comment (author line, date, badges, text, the moderation links under it) was a third
of the idea page. Each comment's HTML is kept in ``core.cache`` under a key that holds all it
shows: the comment's own values (text, official mark, hidden reason, the name and department
shown for its author), the page's language, time zone and address prefix, and the viewer's
answer to every question the markup asks: about the comment (``COMMENT_ASKS`` and what higher
packages add at ``idea_page.comment_asks``) and about the viewer alone, asked once per page
(``idea_page.viewer_asks``, e.g. "may moderate"). The drawing macro is handed those answers
and asks the policy nothing itself, so no answer can be missing from the key: an edit, a
hidden comment or another viewer's permissions are another key, never a stale fragment.

A fragment never holds the viewer's CSRF token: forms in it carry ``core.cache.SLOT``, replaced by
this request's token when the page is put together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from flask import request
from flask_babel import get_timezone
from markupsafe import Markup

from ..core.cache import SLOT, fragments
from ..core.registry import contributions
from ..policy import can
from ..web.templating import locale, viewer
from .authorship import comment_author
from .models import Comment

# What the idea's own markup asks about each comment; governance adds its own (report, review).
COMMENT_ASKS = ("moderation.see_hidden", "comment.mark_official")


def comment_asks() -> tuple[str, ...]:
    return COMMENT_ASKS + tuple(contributions("idea_page.comment_asks"))


def draw_comments(comments: Sequence[Comment], draw: Callable, token: str) -> Markup:
    """The comments as HTML: ``draw(comment, shown, may, token)`` (a macro) for those not kept;
    ``shown`` is the author as shown, ``may`` the viewer's answers by action name."""
    person, asks = viewer(), comment_asks()
    once = {action: can(person, action) for action in contributions("idea_page.viewer_asks")}
    page = (locale(), str(get_timezone()), request.script_root, asks, tuple(once.items()))
    store = fragments("comments")
    parts = []
    for comment in comments:
        shown = comment_author(comment)
        answers = tuple(can(person, action, comment) for action in asks)
        key = (
            page, answers, comment.id, comment.idea_id, comment.body, comment.body_html,
            comment.is_official, comment.hidden_reason, comment.created_at, shown.name,
            shown.department.name if shown.department else None,
        )  # fmt: skip
        drawn = partial(_draw, draw, comment, shown, once | dict(zip(asks, answers, strict=True)))
        parts.append(store.get(key, drawn))
    return Markup("".join(parts).replace(SLOT, token))  # noqa: S704 - drawn by a template


def _draw(draw: Callable, comment: Comment, shown, may: dict[str, bool]) -> str:
    return str(draw(comment, shown, may, SLOT))
