"""The vote button an htmx vote answers with, kept drawn.

The ``vote_button`` macro's HTML (templates/ideas/_card.html, the same markup as on the cards
and the idea page) is kept per process (``core.cache``) under everything it shows: the page's
language (its texts and the count's digits), the address prefix of its link, the idea's id and
count, whether the viewer votes for it and whether they may. Another count or another answer
is another key, so a kept button is never stale and never another viewer's. The CSRF token and
the page's address are put in on every answer; without ``render_template`` and its context
processors the answer costs a key, a look-up and two escapes.
"""

from __future__ import annotations

from flask import current_app, request
from flask_babel import get_locale
from markupsafe import Markup, escape

from ..core.cache import SLOT, fragments
from ..policy import can
from ..web.templating import viewer
from .cards import card_kit


def kept_vote_button(idea, voted: bool, next_url: str, csrf: str) -> Markup:
    key = (
        # The page's language as locale() names it; its catalogue is needed only to draw.
        str(get_locale() or "en"),
        request.script_root,
        idea.id,
        idea.vote_count,
        voted,
        voted or can(viewer(), "idea.vote", idea),  # as the macro asks
    )
    parts = fragments("vote buttons").get(key, lambda: _draw(idea, voted))
    if parts is None:  # the button no longer has one place for each: draw it with them
        return _macro()(idea, voted, next_url, csrf, card_kit())
    return Markup(f"{parts[0]}{escape(csrf)}{parts[1]}{escape(next_url)}{parts[2]}")


def _macro():
    return current_app.jinja_env.get_template("ideas/_card.html").module.vote_button


def _draw(idea, voted: bool) -> tuple[str, str, str] | None:
    """The button cut where the answer's CSRF token and address go."""
    parts = str(_macro()(idea, voted, SLOT, SLOT, card_kit())).split(SLOT)
    return tuple(parts) if len(parts) == 3 else None
