"""The read side of ideas: lists, filters, the idea page. Every query is bounded."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import abort, current_app
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import joinedload, selectinload

from ..auth.models import User
from ..extensions import db
from .models import Comment, Idea, IdeaEvent, IdeaStatus, Vote

SORTS = {
    "top": (Idea.vote_count.desc(), Idea.id.desc()),
    "new": (Idea.id.desc(),),
    "discussed": (Idea.comment_count.desc(), Idea.id.desc()),
}
DEFAULT_SORT = "top"
TIMELINE_LIMIT = 200

# Filters whose rule lives in another domain (the workflow's clocks): name -> SQL condition.
extra_filters: dict[str, Callable[[], ColumnElement[bool]]] = {}


@dataclass
class IdeaFilter:
    status: str | None = None
    department_id: int | None = None
    category_id: int | None = None
    mine: bool = False
    overdue: bool = False
    sort: str = DEFAULT_SORT
    page: int = 1

    @classmethod
    def from_args(cls, args) -> IdeaFilter:
        """Read the query string leniently: a value that makes no sense is ignored."""
        status = args.get("status")
        sort = args.get("sort")
        return cls(
            status=status if status in set(IdeaStatus) else None,
            department_id=args.get("department", type=int),
            category_id=args.get("category", type=int),
            mine=args.get("mine") == "1",
            overdue=args.get("overdue") == "1",
            sort=sort if sort in SORTS else DEFAULT_SORT,
            page=max(1, min(args.get("page", 1, type=int) or 1, 1_000_000)),
        )

    def query_args(self, **changes) -> dict:
        """The query string of this filter with some values changed (for links)."""
        values = {
            "status": self.status,
            "department": self.department_id,
            "category": self.category_id,
            "mine": "1" if self.mine else None,
            "overdue": "1" if self.overdue else None,
            "sort": self.sort if self.sort != DEFAULT_SORT else None,
            "page": self.page if self.page != 1 else None,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v is not None and (k, v) != ("page", 1)}


@dataclass
class IdeaPage:
    items: list[Idea]
    page: int
    per_page: int
    total: int  # exact up to the cap
    capped: bool  # True: there are more than ``total`` matches
    voted_ids: set[int] = field(default_factory=set)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.capped or self.page < self.pages


def _filtered(viewer: User, f: IdeaFilter):
    query = select(Idea)
    if f.status:
        query = query.where(Idea.status == f.status)
    if f.department_id:
        query = query.where(Idea.owning_department_id == f.department_id)
    if f.category_id:
        query = query.where(Idea.category_id == f.category_id)
    if f.mine:
        query = query.where(Idea.author_id == viewer.id)
    if f.overdue and "overdue" in extra_filters:
        query = query.where(extra_filters["overdue"]())
    return query


def list_ideas(viewer: User, f: IdeaFilter) -> IdeaPage:
    per_page = current_app.config["IDEAS_PER_PAGE"]
    cap = current_app.config["RESULT_COUNT_CAP"]
    base = _filtered(viewer, f)
    # Count at most cap+1 matches: the figure stays cheap with a million ideas.
    counted = db.session.scalar(
        select(func.count()).select_from(base.with_only_columns(Idea.id).limit(cap + 1).subquery())
    )
    items = list(
        db.session.scalars(
            base.options(
                joinedload(Idea.category),
                joinedload(Idea.owning_department),
                joinedload(Idea.author).joinedload(User.department),
            )
            .order_by(*SORTS[f.sort])
            .limit(per_page)
            .offset((f.page - 1) * per_page)
        )
    )
    return IdeaPage(
        items=items,
        page=f.page,
        per_page=per_page,
        total=min(counted, cap),
        capped=counted > cap,
        voted_ids=voted_ids(viewer, [i.id for i in items]),
    )


def voted_ids(viewer: User, idea_ids: list[int]) -> set[int]:
    if not idea_ids:
        return set()
    query = select(Vote.idea_id).where(Vote.user_id == viewer.id, Vote.idea_id.in_(idea_ids))
    return set(db.session.scalars(query))


def get_idea_or_404(idea_id: int) -> Idea:
    idea = db.session.scalar(
        select(Idea)
        .where(Idea.id == idea_id)
        .options(
            joinedload(Idea.category),
            joinedload(Idea.owning_department),
            joinedload(Idea.author).joinedload(User.department),
            selectinload(Idea.affected_departments),
        )
    )
    if idea is None:
        abort(404)
    return idea


def timeline(idea: Idea) -> list[IdeaEvent]:
    query = (
        select(IdeaEvent)
        .where(IdeaEvent.idea_id == idea.id)
        .options(joinedload(IdeaEvent.actor), joinedload(IdeaEvent.department))
        .order_by(IdeaEvent.id)
        .limit(TIMELINE_LIMIT)
    )
    return list(db.session.scalars(query))


@dataclass
class CommentPage:
    items: list[Comment]
    page: int
    pages: int


def comment_pages(idea: Idea) -> int:
    return max(1, math.ceil(idea.comment_count / current_app.config["COMMENTS_PER_PAGE"]))


def comments(idea: Idea, page: int) -> CommentPage:
    per_page = current_app.config["COMMENTS_PER_PAGE"]
    pages = comment_pages(idea)
    page = max(1, min(page, pages))
    query = (
        select(Comment)
        .where(Comment.idea_id == idea.id)
        .options(joinedload(Comment.author).joinedload(User.department))
        .order_by(Comment.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return CommentPage(items=list(db.session.scalars(query)), page=page, pages=pages)


def get_comment_or_404(idea: Idea, comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.idea_id != idea.id:
        abort(404)
    return comment
