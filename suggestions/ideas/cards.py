"""What every idea card on a page shares, worked out once per page.

A list page draws twenty cards; each asked for the same five texts and built two URLs through
the URL map. The texts of the page's language and the URL patterns are made once per request
(kept on ``g``, per language) and the cards read them as plain attributes.
"""

from __future__ import annotations

from flask import g

from ..web.templating import locale, translated, url_pattern
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


def card_kit() -> CardKit:
    language = locale()
    kit = g.get("_card_kit")
    if kit is None or kit.language != language:
        kit = g._card_kit = CardKit(language)
    return kit
