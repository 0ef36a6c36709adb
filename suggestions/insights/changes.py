"""The read side of "You said, we did": implemented changes, newest first, a page at a time."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..auth.models import User
from ..core.extensions import db
from ..ideas.models import Idea, IdeaStatus, publicly_visible
from ..workflow.models import Commitment, CommitmentState

PER_PAGE = 20
MAX_PAGE = 1000


@dataclass
class Change:
    idea: Idea
    owner_name: str | None  # who committed (a commitment's owner: public by design)
    by_author: bool  # done by the author themselves ("just do it")
    author_name: str | None  # only for "just do it", never for an anonymous author
    days: int  # from the idea to its implementation

    @property
    def hours(self) -> int | None:
        return self.idea.hours_lost_per_month


@dataclass
class ChangesPage:
    items: list[Change]
    page: int
    pages: int
    total: int
    hours: int  # estimated hours a month saved by all implemented changes


def implemented_changes(page: int) -> ChangesPage:
    implemented = Idea.status == IdeaStatus.IMPLEMENTED
    total, hours = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Idea.hours_lost_per_month), 0)).where(
            implemented
        )
    ).one()
    pages = max(1, min(MAX_PAGE, math.ceil(total / PER_PAGE)))
    page = max(1, min(page, pages))
    ideas = list(
        db.session.scalars(
            select(Idea)
            .where(implemented, publicly_visible())
            .options(
                joinedload(Idea.owning_department),
                joinedload(Idea.author),
            )
            .order_by(Idea.implemented_on.desc(), Idea.id.desc())
            .limit(PER_PAGE)
            .offset((page - 1) * PER_PAGE)
        )
    )
    owners = _owners([i.id for i in ideas if not i.done_by_empowerment])
    items = [
        Change(
            idea=idea,
            owner_name=owners.get(idea.id),
            by_author=idea.done_by_empowerment,
            author_name=_author_name(idea) if idea.done_by_empowerment else None,
            days=_days(idea),
        )
        for idea in ideas
    ]
    return ChangesPage(items, page, pages, total, int(hours))


def _days(idea: Idea) -> int:
    """Whole days from the idea to its implementation, rounded to the nearest day."""
    done = idea.implemented_at or idea.created_at
    return max(0, round((done - idea.created_at).total_seconds() / 86400))


def _author_name(idea: Idea) -> str | None:
    if idea.is_anonymous or idea.author is None:
        return None
    return idea.author.display_name


def _owners(idea_ids: list[int]) -> dict[int, str]:
    """The owner of the promise each idea kept (the latest, if it took more than one)."""
    if not idea_ids:
        return {}
    query = (
        select(Commitment.idea_id, User.display_name)
        .join(User, User.id == Commitment.owner_id)
        .where(
            Commitment.idea_id.in_(idea_ids),
            Commitment.state.in_([CommitmentState.KEPT, CommitmentState.KEPT_LATE]),
        )
        .order_by(Commitment.id)
    )
    return {idea_id: name for idea_id, name in db.session.execute(query)}
