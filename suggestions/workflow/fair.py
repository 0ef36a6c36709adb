"""What the idea page shows of fair decisions: the reasoned decline, the breadth guarantee,
the paused clock, scorecards and the campaign (one context provider for ``idea_page``)."""

from __future__ import annotations

from ..ideas.models import Idea
from . import breadth, declines


def idea_context(idea: Idea) -> dict:
    guarantee = breadth.guarantee_of(idea)
    return {
        "fair": {
            "decline": declines.latest_decline(idea),
            "guarantee": guarantee,
            "support": breadth.support_of(idea.id) if guarantee else None,
            "breached": breadth.is_breached(guarantee, idea) if guarantee else False,
        }
    }


def official_answer_responds(sender, comment, idea, **_extra) -> None:
    """An official answer from a head or leader is a first response (the signal comes inside
    the comment's transaction). Stored as the time of the first response, like the
    department's first step; whether it counts is the clock's setting."""
    if not comment.is_official or idea.first_response_at is not None:
        return
    from sqlalchemy import update
    from sqlalchemy.orm.attributes import set_committed_value

    from ..core.clock import now
    from ..core.extensions import db

    moment = now()
    changed = db.session.execute(
        update(Idea)
        .where(Idea.id == idea.id, Idea.first_response_at.is_(None))
        .values(first_response_at=moment)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        set_committed_value(idea, "first_response_at", moment)
