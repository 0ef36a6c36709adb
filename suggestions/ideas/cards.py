"""What every idea card on a page shares, worked out once per page, and cards kept drawn.

A list page draws twenty cards; each asked for the same five texts and built two URLs through
the URL map. The texts of the page's language and the URL patterns are made once per request
(kept on ``g``, per language) and the cards read them as plain attributes.

``kept_card`` keeps each drawn card per process (``core.cache``), keyed by everything the card
shows: the idea's shown values, the viewer's own vote and what the policy lets the viewer do
and see on it, the language, the clock's badge and the age ("3 days ago"). A change to any of
them is another key, so a card is never stale and never another viewer's. The page's CSRF
token and address are not kept: they are put into the kept card on every page. What the keys
of all cards on a page share (the clock's settings and the moment, the store, the script root)
is read once per page, by the kit.
"""

from __future__ import annotations

from functools import cached_property

from flask import current_app, g, request
from markupsafe import Markup, escape

from ..core.cache import SLOT, fragments
from ..core.clock import now
from ..core.registry import contributions
from ..policy import can
from ..web.templating import locale, translated, url_pattern, viewer
from .authorship import visible_author
from .labels import CARD_TEXTS, STATUS_LABELS


class _Labels(dict):
    def __missing__(self, key):  # as the status_label filter: an unknown value as it is
        return key


class CardKit:
    """The texts (``kit.vote_for``) and URL patterns (``kit.idea_url(idea.id)``) of a card."""

    def __init__(self, language: str):
        self.language = language
        for name, label in CARD_TEXTS.items():
            setattr(self, name, translated(label))
        self.status = _Labels(
            {status: translated(label) for status, label in STATUS_LABELS.items()}
        )
        self.idea_url = url_pattern("ideas.show", "idea_id")
        self.vote_url = url_pattern("ideas.vote", "idea_id")

    # What every kept card's key reads, looked up on the first card of the page (a kit made
    # for a vote's button alone reads none of it).
    @cached_property
    def keys(self) -> tuple:
        """The page's clock, the moment, the script root (the cards' links), the store."""
        clocks = contributions("idea_list.clock")
        clock = clocks[0]() if clocks else None
        return clock, now(), request.script_root, fragments("cards")


def card_kit() -> CardKit:
    language = locale()
    kit = g.get("_card_kit")
    if kit is None or kit.language != language:
        kit = g._card_kit = CardKit(language)
    return kit


def _shown(idea, author, language: str) -> tuple:
    """Every value of the idea a card draws (an ``IdeaCard`` row or an ``Idea`` alike)."""
    category = idea.category
    return (
        idea.id, idea.title, idea.status, category.label(language) if category else "",
        idea.owning_department.name, idea.customer_facing, idea.done_by_empowerment,
        idea.vote_count, idea.comment_count, idea.created_at, idea.is_anonymous,
        # The author as shown: only when the viewer may see them (else "Anonymous" or
        # "Former employee", which is_anonymous tells apart).
        author and (author.display_name, author.department and author.department.name),
    )  # fmt: skip


def kept_card(idea, voted: bool, next_url: str, csrf: str, snippet=None, kit=None) -> Markup:
    """The ``idea_card`` macro's HTML (templates/ideas/_card.html), drawn once per key."""
    kit = kit or card_kit()
    clock, moment, script_root, store = kit.keys
    badge = clock and clock(idea)  # as the card asks for it
    key = (
        kit.language,
        script_root,
        _shown(idea, visible_author(idea), kit.language),
        voted,
        voted or can(viewer(), "idea.vote", idea),
        badge.days_waiting if badge and badge.overdue else None,
        # The age ("today", "3 days ago") is drawn from the whole days alone.
        max((moment - idea.created_at).days, 0),
        snippet and (snippet.title, snippet.text, snippet.in_comment),
    )
    parts = store.get(key, lambda: _draw(idea, voted, snippet, kit))
    if parts is None:  # the card no longer has one place for each: draw it with them
        return _macro()(idea, voted, next_url, csrf, snippet, kit)
    return Markup(f"{parts[0]}{escape(csrf)}{parts[1]}{escape(next_url)}{parts[2]}")


def _macro():
    return current_app.jinja_env.get_template("ideas/_card.html").module.idea_card


def _draw(idea, voted: bool, snippet, kit) -> tuple[str, str, str] | None:
    """The card cut where the page's CSRF token and address go."""
    parts = str(_macro()(idea, voted, SLOT, SLOT, snippet, kit)).split(SLOT)
    return tuple(parts) if len(parts) == 3 else None
