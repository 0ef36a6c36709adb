"""Evaluation scorecards: heads and leadership score an idea on impact, effort, cost and risk
(1 to 5, with an optional comment). Internal: employees never see a score, and nobody sees
who scored what; the queue shows the average and how many scored, and sorts by it.

The average is one number where higher means more worth doing: impact counts as given,
effort, cost and risk reversed (6 - score), the four averaged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _
from sqlalchemy import DateTime, ForeignKey, Integer, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from ..auth.models import User
from ..core.clock import now
from ..core.errors import DomainError
from ..core.extensions import db
from ..ideas.models import Idea
from ..policy import require

CRITERIA = ("impact", "effort", "cost", "risk")


class Scorecard(db.Model):
    __tablename__ = "scorecards"

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    impact: Mapped[int] = mapped_column(Integer)
    effort: Mapped[int] = mapped_column(Integer)
    cost: Mapped[int] = mapped_column(Integer)
    risk: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    scored_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    def __repr__(self) -> str:  # never the scorer
        return f"<Scorecard idea={self.idea_id}>"


def score(idea: Idea, user: User, *, comment: str | None = None, **scores: int) -> Scorecard:
    """Record (or change) this person's scorecard for the idea."""
    require(user, "idea.score", idea)
    if set(scores) != set(CRITERIA) or not all(
        isinstance(scores[c], int) and 1 <= scores[c] <= 5 for c in CRITERIA
    ):
        raise DomainError(_("Please choose a score from 1 to 5."))
    card = db.session.get(Scorecard, (idea.id, user.id))
    if card is None:
        card = Scorecard(idea_id=idea.id, user_id=user.id)
        db.session.add(card)
    for criterion in CRITERIA:
        setattr(card, criterion, scores[criterion])
    card.comment = (comment or "").strip() or None
    card.scored_at = now()
    db.session.flush()
    return card


def _overall():
    return (
        Scorecard.impact + (6 - Scorecard.effort) + (6 - Scorecard.cost) + (6 - Scorecard.risk)
    ) / 4.0


def summary_subquery():
    """Per idea: the average overall score and how many scored (for sorting a queue)."""
    return (
        select(
            Scorecard.idea_id.label("idea_id"),
            func.avg(_overall()).label("average"),
            func.count().label("scored"),
        )
        .group_by(Scorecard.idea_id)
        .subquery()
    )


@dataclass(frozen=True)
class Summary:
    average: float
    scored: int
    impact: float
    effort: float
    cost: float
    risk: float


def summaries_for(idea_ids: list[int]) -> dict[int, Summary]:
    """The scorecards of a page of ideas, summed up in one query."""
    if not idea_ids:
        return {}
    query = (
        select(
            Scorecard.idea_id,
            func.avg(_overall()),
            func.count(),
            *(func.avg(getattr(Scorecard, c) * 1.0) for c in CRITERIA),
        )
        .where(Scorecard.idea_id.in_(idea_ids))
        .group_by(Scorecard.idea_id)
    )
    return {
        row[0]: Summary(float(row[1]), row[2], *(float(v) for v in row[3:]))
        for row in db.session.execute(query)
    }


@dataclass(frozen=True)
class IdeaScores:
    summary: Summary | None
    comments: list[str]  # newest first, without who wrote them
    own: Scorecard | None  # this person's card, to change it


def scores_of(idea: Idea, user: User, limit: int = 500) -> IdeaScores:
    """Everything the idea page shows of the scorecards, in one query (the scorers are the
    heads and leaders: a few dozen at most)."""
    query = (
        select(Scorecard)
        .where(Scorecard.idea_id == idea.id)
        .order_by(Scorecard.scored_at.desc())
        .limit(limit)
    )
    cards = list(db.session.scalars(query))
    if not cards:
        return IdeaScores(None, [], None)

    def mean(values) -> float:
        values = list(values)
        return sum(values) / len(values)

    summary = Summary(
        mean((c.impact + 18 - c.effort - c.cost - c.risk) / 4 for c in cards),
        len(cards),
        *(mean(getattr(c, criterion) for c in cards) for criterion in CRITERIA),
    )
    own = next((c for c in cards if c.user_id == user.id), None)
    return IdeaScores(summary, [c.comment for c in cards if c.comment], own)
