"""What the idea page shows of fair decisions: the reasoned decline, the breadth guarantee,
the paused clock, scorecards and the campaign (one context provider for ``idea_page``)."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from ..core.extensions import db
from ..ideas.models import Idea
from ..policy import can
from . import breadth, declines, scorecards
from .campaigns import Campaign, CampaignIdea


def _guarantee_and_campaign(idea: Idea):
    """The idea's breadth guarantee and the campaign it was filed under, in one query."""
    row = db.session.execute(
        select(breadth.BreadthGuarantee, Campaign)
        .select_from(Idea)
        .outerjoin(breadth.BreadthGuarantee, breadth.BreadthGuarantee.idea_id == Idea.id)
        .outerjoin(CampaignIdea, CampaignIdea.idea_id == Idea.id)
        .outerjoin(Campaign, Campaign.id == CampaignIdea.campaign_id)
        .where(Idea.id == idea.id)
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else (None, None)


def idea_context(idea: Idea, score_form=None) -> dict:
    guarantee, campaign = _guarantee_and_campaign(idea)
    fair = {
        "campaign": campaign,
        "decline": declines.latest_decline(idea),
        "guarantee": guarantee,
        "support": breadth.support_of(idea.id) if guarantee else None,
        "breached": breadth.is_breached(guarantee, idea) if guarantee else False,
        "scores": None,
    }
    # Scores are internal: only those who may score see them (never employees).
    if can(current_user, "idea.see_scores", idea):
        scores = scorecards.scores_of(idea, current_user)
        if score_form is None:
            from .decision_forms import ScorecardForm

            score_form = ScorecardForm(obj=scores.own, formdata=None)
        fair["scores"] = {"summary": scores.summary, "comments": scores.comments,
                          "form": score_form}  # fmt: skip
    return {"fair": fair}


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
