"""What the idea page shows of fair decisions: the reasoned decline, the breadth guarantee,
the paused clock, scorecards and the campaign (one context provider for ``idea_page``)."""

from __future__ import annotations

from ..ideas.models import Idea
from . import declines


def idea_context(idea: Idea) -> dict:
    decline = declines.latest_decline(idea)
    return {
        "fair": {
            "decline": decline,
        }
    }
