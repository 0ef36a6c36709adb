"""The read side of ideas: lists, filters, the idea page. Every query is bounded."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask import abort, current_app
from sqlalchemy import BindParameter, Integer, Select, and_, bindparam, false, func, select, tuple_
from sqlalchemy.orm import aliased, defer, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..auth.models import User
from ..core.extensions import db
from ..core.inputs import bounded_int, in_db_range
from ..core.registry import contributions
from ..org.models import Category, Department
from . import search
from .models import Comment, Idea, IdeaEvent, IdeaStatus, Vote, publicly_visible

# Each list order is a key of columns, all descending, ending in id so ties page stably; one
# index per order (models.py) serves it. Pages after the first are found by keyset ("after this
# key"), so page 2,500 costs what page 1 costs; a bare page number still works (OFFSET).
SORT_KEYS = {
    "top": (Idea.vote_count, Idea.id),
    "new": (Idea.id,),
    "discussed": (Idea.comment_count, Idea.id),
}
SORTS = {name: tuple(column.desc() for column in key) for name, key in SORT_KEYS.items()}
DEFAULT_SORT = "top"
# Only with a search: best match first.
RELEVANCE = "relevance"
# What is kept of the search box (the search itself uses less, see search.MAX_QUERY_CHARS).
MAX_Q_CHARS = 500
TIMELINE_LIMIT = 200


@dataclass
class IdeaFilter:
    status: str | None = None
    department_id: int | None = None
    category_id: int | None = None
    mine: bool = False
    overdue: bool = False
    sort: str = DEFAULT_SORT
    page: int = 1
    q: str = ""  # search words; empty: no search
    # Keyset cursors from the pager's links: the sort key of the row the page starts after
    # (or ends before). Only for browsing; search results page by number.
    after: tuple[int, ...] | None = None
    before: tuple[int, ...] | None = None

    @classmethod
    def from_args(cls, args) -> IdeaFilter:
        """Read the query string leniently: a value that makes no sense is ignored."""
        status = args.get("status")
        q = " ".join((args.get("q") or "").split())[:MAX_Q_CHARS]
        sort = args.get("sort")
        if sort not in SORTS and not (q and sort == RELEVANCE):
            sort = RELEVANCE if q else DEFAULT_SORT
        after = None if q else _cursor(args.get("after"), sort)
        return cls(
            status=status if status in set(IdeaStatus) else None,
            department_id=args.get("department", type=bounded_int),
            category_id=args.get("category", type=bounded_int),
            mine=args.get("mine") == "1",
            overdue=args.get("overdue") == "1",
            sort=sort,
            page=max(1, min(args.get("page", 1, type=bounded_int) or 1, 1_000_000)),
            q=q,
            after=after,
            before=None if after or q else _cursor(args.get("before"), sort),
        )

    @property
    def default_sort(self) -> str:
        return RELEVANCE if self.q else DEFAULT_SORT

    def query_args(self, **changes) -> dict:
        """The query string of this filter with some values changed (for links)."""
        values = {
            "q": self.q or None,
            "status": self.status,
            "department": self.department_id,
            "category": self.category_id,
            "mine": "1" if self.mine else None,
            "overdue": "1" if self.overdue else None,
            "sort": self.sort if self.sort != self.default_sort else None,
            "page": self.page if self.page != 1 else None,
            "after": _cursor_text(self.after),
            "before": _cursor_text(self.before),
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v is not None and (k, v) != ("page", 1)}


def _cursor(value: str | None, sort: str) -> tuple[int, ...] | None:
    """A cursor from the query string, or None when it does not fit the sort."""
    parts = (value or "").split(".")
    if sort not in SORT_KEYS or len(parts) != len(SORT_KEYS[sort]):
        return None
    try:
        numbers = tuple(int(part) for part in parts)
    except ValueError:
        return None
    return numbers if all(in_db_range(n) for n in numbers) else None


def _cursor_text(cursor: tuple[int, ...] | None) -> str | None:
    return ".".join(str(n) for n in cursor) if cursor else None


@dataclass
class IdeaPage:
    items: list[Idea]
    page: int
    per_page: int
    total: int  # exact up to the cap
    capped: bool  # True: there are more than ``total`` matches
    voted_ids: set[int] = field(default_factory=set)
    search: search.SearchQuery | None = None  # the search as it ran, if there was one
    snippets: dict[int, search.Snippet] = field(default_factory=dict)
    last_item: int | None = None  # a ranking by relevance reaches this far at most
    has_next: bool = False
    has_previous: bool = False
    # Keyset cursors for the pager's links (None: link by page number).
    next_after: str | None = None
    previous_before: str | None = None

    @property
    def pages(self) -> int:
        return max(1, math.ceil(min(self.total, self.last_item or self.total) / self.per_page))

    @property
    def ranks_part(self) -> bool:
        """By relevance, only the newest ``last_item`` of more matches are listed."""
        return self.last_item is not None and (self.capped or self.total > self.last_item)


def _conditions(viewer: User, f: IdeaFilter) -> list:
    conditions = []
    if f.status:
        conditions.append(Idea.status == f.status)
    if f.department_id:
        conditions.append(Idea.owning_department_id == f.department_id)
    if f.category_id:
        conditions.append(Idea.category_id == f.category_id)
    if f.mine:
        conditions.append(Idea.author_id == viewer.id)  # their own, hidden ones included
    else:
        # Hidden by moderation or waiting for approval: out of every list, search and export.
        conditions.append(publicly_visible())
    # Filters whose rule lives in a higher domain (the workflow's clocks) come from the registry.
    contributed = dict(contributions("idea_list.filters"))
    if f.overdue and "overdue" in contributed:
        conditions.append(contributed["overdue"]())
    return conditions


def list_ideas(
    viewer: User, f: IdeaFilter, per_page: int | None = None, *, cards: bool = False
) -> IdeaPage:
    """A page of the list; ``per_page`` (bounded by the caller) is the API's page size. With
    ``cards`` the page holds ``IdeaCard`` rows (what a card shows, read as plain rows) instead
    of ideas, and a search's page its snippets."""
    per_page = per_page or current_app.config["IDEAS_PER_PAGE"]
    cap = current_app.config["RESULT_COUNT_CAP"]
    query = search.parse_query(f.q) if f.q else None
    if query is None:
        return _browse(viewer, f, per_page, cap, cards=cards)
    conditions = _conditions(viewer, f)
    if not query.usable:  # only common words, or no letters at all: nothing to look for
        return IdeaPage([], f.page, per_page, 0, False, search=query)
    cap = min(cap, search.limits.SEARCH_COUNT_CAP)
    offset = (f.page - 1) * per_page
    if f.sort == RELEVANCE:
        if cards:
            rows = _ranked_cards(viewer, query, conditions, per_page, offset, cap + 1)
        else:
            ranked = search.ranked_page(
                query, conditions, limit=per_page, offset=offset, count_to=cap + 1
            )
            page_ids = select(ranked.c.idea_id.label("id"), ranked.c.score, ranked.c.matches)
            page_ids = page_ids.subquery()
            order = (page_ids.c.score, Idea.id.desc())
            # The page's rows meet the conditions again: the ranking trusts the index to hold
            # visible ideas only, the rows shown do not need to.
            rows = _found(viewer, page_ids, order, conditions, page_ids.c.matches, cards=False)
        if rows:
            counted = rows[0].matches
        elif offset:  # past the last page: the count is still worth showing
            counted = search.count_matches(query, conditions, cap=cap + 1)
        else:
            counted = 0
        last_item = search.limits.RANK_CANDIDATES
    else:
        counted = search.count_matches(query, conditions, cap=cap + 1)
        order = SORTS.get(f.sort, SORTS[DEFAULT_SORT])
        page_ids = (
            select(Idea.id)
            .where(*conditions, search.match_condition(query, matches=counted))
            .order_by(*order)
            .limit(per_page)
            .offset(offset)
            .subquery()
        )
        rows = _found(viewer, page_ids, order, cards=cards)
        last_item = None
    if cards:
        items, voted = _cards(row[: len(_CARD_COLUMNS) + 1] for row in rows)
    else:
        items, voted = [row.Idea for row in rows], {row.Idea.id for row in rows if row.voted}
    total = min(counted, cap)
    has_next = (counted > cap or f.page * per_page < total) and not (
        last_item is not None and f.page * per_page >= last_item
    )
    return IdeaPage(
        items=items,
        page=f.page,
        per_page=per_page,
        total=total,
        capped=counted > cap,
        voted_ids=voted,
        search=query,
        # Only a page of cards shows snippets (the API lists ideas without them).
        snippets=search.snippets(query, rows) if cards else {},
        last_item=last_item,
        has_next=has_next,
        has_previous=f.page > 1,
    )


def _found(viewer: User, page_ids, order, conditions=(), *columns, cards: bool) -> list:
    """A search's page of rows for the ids in ``page_ids``: cards with the texts their
    snippets are made from, or ideas; each with whether the viewer voted, and ``columns``."""
    if cards:
        listed = _card_rows(page_ids, viewer).add_columns(
            Idea.problem, Idea.proposal, Idea.benefit, *columns
        )
    else:
        listed = _with_vote(select(Idea).join(page_ids, page_ids.c.id == Idea.id), viewer)
        listed = listed.add_columns(*columns).options(*_CARD)
    return db.session.execute(listed.where(*conditions).order_by(*order)).all()


def _with_vote(listed, viewer: User):
    """The page's rows with whether the viewer voted for each (column ``voted``): read with
    the rows, one lookup per row shown, instead of in a statement of its own."""
    vote = and_(Vote.idea_id == Idea.id, Vote.user_id == viewer.id)
    return listed.outerjoin(Vote, vote).add_columns(Vote.user_id.is_not(None).label("voted"))


# What a card shows besides the idea's own row.
_CARD = (
    joinedload(Idea.category),
    joinedload(Idea.owning_department),
    joinedload(Idea.author).joinedload(User.department),
)


@dataclass(frozen=True, slots=True)
class CardDepartment:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class CardCategory:
    name_en: str
    name_de: str

    def label(self, locale: str) -> str:  # as Category.label
        return self.name_de if locale == "de" else self.name_en


@dataclass(frozen=True, slots=True)
class CardAuthor:
    id: int
    display_name: str
    department: CardDepartment | None


@dataclass(frozen=True, slots=True)
class IdeaCard:
    """What a card in the list shows of an idea, under the names ``Idea`` gives them, read
    as one plain row: building twenty ORM ideas with their category, department and author
    (and the author's department) cost a third of a list page. The author of an anonymous
    idea is carried by id only (to tell its author "only you see this"), never by name."""

    id: int
    title: str
    status: str
    category_id: int
    category: CardCategory
    owning_department_id: int
    owning_department: CardDepartment
    author_id: int | None
    author: CardAuthor | None
    is_anonymous: bool
    customer_facing: bool
    done_by_empowerment: bool
    vote_count: int
    comment_count: int
    created_at: datetime
    first_response_at: datetime | None
    decided_at: datetime | None


_AuthorDepartment = aliased(Department)
_CARD_COLUMNS = (
    Idea.id, Idea.title, Idea.status, Idea.category_id, Idea.owning_department_id,
    Idea.author_id, Idea.is_anonymous, Idea.customer_facing, Idea.done_by_empowerment,
    Idea.vote_count, Idea.comment_count, Idea.created_at, Idea.first_response_at,
    Idea.decided_at, Category.name_en, Category.name_de, Department.name,
    User.display_name, User.department_id, _AuthorDepartment.name,
)  # fmt: skip


def _card_rows(page_ids, viewer: User):
    """The page's cards as plain rows, with whether the viewer voted for each."""
    vote = and_(Vote.idea_id == Idea.id, Vote.user_id == viewer.id)
    return (
        select(*_CARD_COLUMNS, Vote.user_id.is_not(None).label("voted"))
        .select_from(Idea)
        .join(page_ids, Idea.id == page_ids.c.id)
        .join(Category, Category.id == Idea.category_id)
        .join(Department, Department.id == Idea.owning_department_id)
        .outerjoin(User, User.id == Idea.author_id)
        .outerjoin(_AuthorDepartment, _AuthorDepartment.id == User.department_id)
        .outerjoin(Vote, vote)
    )


def _cards(rows) -> tuple[list[IdeaCard], set[int]]:
    cards, voted, departments, categories = [], set(), {}, {}
    for (idea_id, title, status, category_id, department_id, author_id, anonymous, customers,
         empowered, votes, comments, created_at, first_response_at, decided_at, name_en,
         name_de, department_name, author_name, author_department_id, author_department_name,
         has_voted) in rows:  # fmt: skip
        department = departments.get(department_id)
        if department is None:
            department = departments[department_id] = CardDepartment(department_id, department_name)
        category = categories.get(category_id)
        if category is None:
            category = categories[category_id] = CardCategory(name_en, name_de)
        if author_id is None:
            author = None
        elif anonymous:
            author = CardAuthor(author_id, "", None)
        else:
            author_department = None
            if author_department_id is not None:
                author_department = CardDepartment(author_department_id, author_department_name)
            author = CardAuthor(author_id, author_name, author_department)
        cards.append(IdeaCard(
            idea_id, title, status, category_id, category, department_id, department, author_id,
            author, anonymous, customers, empowered, votes, comments, created_at,
            first_response_at, decided_at,
        ))  # fmt: skip
        if has_voted:
            voted.add(idea_id)
    return cards, voted


def _browse(viewer: User, f: IdeaFilter, per_page: int, cap: int, *, cards: bool) -> IdeaPage:
    """A page of the list without a search: by keyset after the first page (or by number)."""
    if cards:
        items, voted, counted = _card_page(viewer, f, per_page, cap)
    else:
        items, voted, counted = _idea_page(viewer, f, per_page, cap)
    more = len(items) > per_page
    if f.before:
        items = items[1:] if more else items
        has_previous, has_next = more, True
    else:
        items = items[:per_page]
        has_previous, has_next = f.page > 1 or f.after is not None, more
    key = SORT_KEYS[f.sort]
    page = IdeaPage(
        items=items,
        page=f.page,
        per_page=per_page,
        total=min(counted, cap),
        capped=counted > cap,
        voted_ids=voted & {i.id for i in items},
        has_next=has_next and bool(items),
        has_previous=has_previous and f.page > 1,
    )
    if items:
        page.next_after = _cursor_text(tuple(getattr(items[-1], c.key) for c in key))
        if f.page > 2:  # the link to page 1 needs no cursor
            page.previous_before = _cursor_text(tuple(getattr(items[0], c.key) for c in key))
    return page


def _idea_page(viewer: User, f: IdeaFilter, per_page: int, cap: int):
    """The page's ORM ideas (one more than a page), the ids voted for, the capped count."""
    base = select(Idea).where(*_conditions(viewer, f))
    # Count at most cap+1 matches: the figure stays cheap with a million ideas.
    counted = db.session.scalar(
        select(func.count()).select_from(base.with_only_columns(Idea.id).limit(cap + 1).subquery())
    )
    key = SORT_KEYS[f.sort]
    ids = base.with_only_columns(Idea.id)
    if f.before:  # the page that ends just before the cursor: read upwards, then turn round
        ids = ids.where(_key_compare(key, f.before, ">")).order_by(*(c.asc() for c in key))
    else:
        ids = ids.order_by(*SORTS[f.sort])
        if f.after:
            ids = ids.where(_key_compare(key, f.after, "<"))
        else:
            ids = ids.offset((f.page - 1) * per_page)
    # One row more than a page tells whether there is a next (or previous) page. Only the ids
    # are sorted and skipped (in the sort's index, without touching the rows); the page's rows
    # and what they show are then loaded by id.
    page_ids = ids.limit(per_page + 1).subquery()
    listed = select(Idea).join(page_ids, Idea.id == page_ids.c.id)
    rows = db.session.execute(
        _with_vote(listed, viewer)
        # a card shows no long text
        .options(defer(Idea.problem), defer(Idea.proposal), defer(Idea.benefit), *_CARD)
        .order_by(*SORTS[f.sort])
    ).all()
    return [row.Idea for row in rows], {row.Idea.id for row in rows if row.voted}, counted


# -- the list's cards: one statement per filter shape, built once ------------------------------
# Building a Select, and the key SQLAlchemy caches its compiled form under, cost more than the
# database's work for a page of twenty cards. A statement per filter shape (which filters are
# set, the sort, which way the page is read) is built once per process with bound parameters
# for every value; SQLAlchemy keeps its cache key with it, so a request only binds values.
# Core columns (not the ORM's attributes): the rows are plain rows, and need no ORM step.

_ideas, _votes = Idea.__table__, Vote.__table__
_categories, _departments, _users = Category.__table__, Department.__table__, User.__table__
_author_departments = Department.__table__.alias("author_department")
_CORE_CARD_COLUMNS = (
    *(_ideas.c[column.key] for column in _CARD_COLUMNS[:14]),
    _categories.c.name_en, _categories.c.name_de, _departments.c.name, _users.c.display_name,
    _users.c.department_id, _author_departments.c.name,
)  # fmt: skip
_DIRECTIONS = ("down", "after", "before")  # page 1 or by number, after a cursor, before one


def _shape_conditions(f: IdeaFilter) -> tuple[tuple, dict]:
    """The filter as a shape (which conditions a statement holds) and the values it binds."""
    shape = (bool(f.status), bool(f.department_id), bool(f.category_id), f.mine)
    return shape, {
        "status": f.status, "department": f.department_id, "category": f.category_id,
    }  # fmt: skip


def _where(shape: tuple) -> list:
    """The conditions of ``_conditions`` for a shape, every value a bound parameter."""
    status, department, category, mine = shape
    conditions = []
    if status:
        conditions.append(_ideas.c.status == bindparam("status"))
    if department:
        conditions.append(_ideas.c.owning_department_id == bindparam("department"))
    if category:
        conditions.append(_ideas.c.category_id == bindparam("category"))
    if mine:
        conditions.append(_ideas.c.author_id == bindparam("viewer"))
    else:
        conditions.append(_ideas.c.hidden_reason.is_(None))  # as publicly_visible()
    return conditions


def _card_statement(shape: tuple, sort: str, direction: str, extra: tuple = ()):
    """A page of cards (one more than a page) with whether the viewer voted for each and,
    in every row, the count of matches up to the cap: one statement for all of it."""
    conditions = [*_where(shape), *extra]
    key = tuple(_ideas.c[column.key] for column in SORT_KEYS[sort])
    ids = select(_ideas.c.id).where(*conditions)
    cursor = tuple(bindparam(f"key{n}") for n in range(len(key)))
    if direction == "before":  # the page that ends just before the cursor: read upwards
        ids = ids.where(_key_compare(key, cursor, ">")).order_by(*(c.asc() for c in key))
    else:
        ids = ids.order_by(*(c.desc() for c in key))
        if direction == "after":
            ids = ids.where(_key_compare(key, cursor, "<"))
        else:
            ids = ids.offset(bindparam("offset"))
    # Only the ids are sorted and skipped (in the sort's index, without touching the rows);
    # the page's rows and what they show are then joined by id.
    page_ids = ids.limit(bindparam("rows")).subquery()
    # Uncorrelated: both databases count once per statement, not once per row.
    counted = (
        select(func.count())
        .select_from(select(_ideas.c.id).where(*conditions).limit(bindparam("cap")).subquery())
        .scalar_subquery()
    )
    vote = and_(_votes.c.idea_id == _ideas.c.id, _votes.c.user_id == bindparam("viewer"))
    return (
        select(*_CORE_CARD_COLUMNS, _votes.c.user_id.is_not(None), counted)
        .select_from(_ideas)
        .join(page_ids, _ideas.c.id == page_ids.c.id)
        .join(_categories, _categories.c.id == _ideas.c.category_id)
        .join(_departments, _departments.c.id == _ideas.c.owning_department_id)
        .outerjoin(_users, _users.c.id == _ideas.c.author_id)
        .outerjoin(_author_departments, _author_departments.c.id == _users.c.department_id)
        .outerjoin(_votes, vote)
        .order_by(*(c.desc() for c in key))
    )


_card_statements: dict[tuple, Select] = {}


def _card_page(viewer: User, f: IdeaFilter, per_page: int, cap: int):
    """The page's cards (one more than a page), the ids voted for, the capped count."""
    shape, values = _shape_conditions(f)
    direction = "before" if f.before else "after" if f.after else "down"
    contributed = dict(contributions("idea_list.filters"))
    # A contributed filter's condition holds its own values (the clock's settings, today):
    # that shape is built for each page.
    extra = (contributed["overdue"](),) if f.overdue and "overdue" in contributed else ()
    if extra:
        statement = _card_statement(shape, f.sort, direction, extra)
    else:
        statement = _card_statements.get((shape, f.sort, direction))
        if statement is None:
            statement = _card_statements.setdefault(
                (shape, f.sort, direction), _card_statement(shape, f.sort, direction)
            )
    values.update(viewer=viewer.id, rows=per_page + 1, cap=cap + 1)
    cursor = f.before or f.after
    if cursor:
        values.update((f"key{n}", value) for n, value in enumerate(cursor))
    else:
        values["offset"] = (f.page - 1) * per_page
    rows = db.session.execute(statement, values).all()
    items, voted = _cards(row[:-1] for row in rows)
    if rows:
        counted = rows[0][-1]
    elif cursor or f.page > 1:  # past the last page (or a cursor past it): count alone
        counted = db.session.scalar(
            select(func.count()).select_from(
                select(_ideas.c.id).where(*_where(shape), *extra).limit(cap + 1).subquery()
            ),
            values,
        )
    else:  # nothing on the first page: nothing matches
        counted = 0
    return items, voted, counted


def _key_compare(key, values: tuple[int, ...], operator: str):
    """``(a, b) < (x, y)`` in SQL: a row-value comparison both databases answer from the
    index whose columns are the key."""
    left = key[0] if len(key) == 1 else tuple_(*key)
    right = values[0] if len(key) == 1 else tuple_(*values)
    return left < right if operator == "<" else left > right


def voted_ids(viewer: User, idea_ids: list[int]) -> set[int]:
    if not idea_ids:
        return set()
    query = select(Vote.idea_id).where(Vote.user_id == viewer.id, Vote.idea_id.in_(idea_ids))
    return set(db.session.scalars(query))


_PAGE = (
    joinedload(Idea.category),
    joinedload(Idea.owning_department),
    joinedload(Idea.author).joinedload(User.department),
    selectinload(Idea.affected_departments),
)


def get_idea_or_404(idea_id: int) -> Idea:
    idea = db.session.scalar(select(Idea).where(Idea.id == idea_id).options(*_PAGE))
    if idea is None:
        abort(404)
    return idea


def get_idea_and_vote_or_404(idea_id: int, viewer: User) -> tuple[Idea, bool]:
    """The idea as its page shows it, and whether the viewer votes for it (in one statement).
    What other parts of the page need of the idea's row comes in the same statement: each
    ``idea_page.columns`` item ``(column(viewer), told(idea, viewer, value))`` adds a column
    and is told its value."""
    parts = contributions("idea_page.columns")
    query = _with_vote(select(Idea).where(Idea.id == idea_id), viewer).add_columns(
        *(column(viewer).label(f"part_{n}") for n, (column, _told) in enumerate(parts))
    )
    row = db.session.execute(query.options(*_PAGE)).first()
    if row is None:
        abort(404)
    for n, (_column, told) in enumerate(parts):
        told(row.Idea, viewer, row._mapping[f"part_{n}"])
    return row.Idea, bool(row.voted)


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


def comment_page_of(idea: Idea, comment_id: int) -> int | None:
    """The page of the idea's comments that holds this comment (None: not one of them)."""
    if not in_db_range(comment_id):
        return None
    found = db.session.execute(
        select(Comment.id, select(func.count()).where(Comment.idea_id == idea.id,
                                                      Comment.id < comment_id).scalar_subquery())
        .where(Comment.id == comment_id, Comment.idea_id == idea.id)
    ).first()  # fmt: skip
    if found is None:
        return None
    return found[1] // current_app.config["COMMENTS_PER_PAGE"] + 1


def comments(idea: Idea, page: int | None, holding: int | None = None) -> CommentPage:
    """A page of the idea's comments, oldest first: ``page`` by number, or (``holding``, a
    comment's id, from a link to that comment) the page that holds it."""
    per_page = current_app.config["COMMENTS_PER_PAGE"]
    pages = comment_pages(idea)
    if holding is not None and page is None:
        page = comment_page_of(idea, holding)
    page = max(1, min(page or 1, pages))
    query = (
        select(Comment)
        .where(Comment.idea_id == idea.id)
        .options(joinedload(Comment.author).joinedload(User.department))
        .order_by(Comment.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = list(db.session.scalars(query))
    for comment in items:
        # Each comment's idea is this one: saying so spares a lookup per comment (and per
        # permission check that asks for it).
        set_committed_value(comment, "idea", idea)
    return CommentPage(items=items, page=page, pages=pages)


def get_comment_or_404(idea: Idea, comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.idea_id != idea.id:
        abort(404)
    return comment


def matching_ideas(viewer: User, f: IdeaFilter, conditions: Sequence = ()) -> Select:
    """Every idea the list shows for the filter, search term included, in the list's order
    and unpaged (exports bound it). ``conditions`` narrow it further (a head's departments);
    they apply before a ranking by relevance picks its candidates, as the list's filters do.

    A search finds what the list finds: the same words, nothing when only common words were
    typed, and by relevance the same (at most ``search.limits.RANK_CANDIDATES``) ideas in the same
    order; in another order every match."""
    conditions = [*_conditions(viewer, f), *conditions]
    base = select(Idea).where(*conditions)
    query = search.parse_query(f.q) if f.q else None
    if query is None:
        return base.order_by(*SORTS.get(f.sort, SORTS[DEFAULT_SORT]))
    if not query.usable:
        return base.where(false())
    if f.sort == RELEVANCE:
        ranked = search.ranked_page(query, conditions, limit=search.limits.RANK_CANDIDATES)
        return (
            select(Idea)
            .join(ranked, ranked.c.idea_id == Idea.id)
            .order_by(ranked.c.score, Idea.id.desc())
        )
    # matches=0: read the matches, then sort them (an export reads them all anyway).
    return base.where(search.match_condition(query, matches=0)).order_by(*SORTS[f.sort])


@dataclass(frozen=True)
class _ViewerId:
    """Stands in for the viewer in a kept statement: their id is bound by name."""

    id: BindParameter


def _ranked_cards(
    viewer: User,
    query: search.SearchQuery,
    conditions: list,
    per_page: int,
    offset: int,
    count_to: int,
) -> list:
    """A search's page by relevance as card rows (``_card_rows``) with the texts its snippets
    are made from and the count of matches (up to ``count_to``). The statement is kept per
    shape (``search.kept_statement``): the page, the viewer and the count are bound by name."""

    def build():
        ranked = search.ranked_page(
            query,
            conditions,
            limit=bindparam("search_limit", per_page, type_=Integer),
            offset=bindparam("search_offset", offset, type_=Integer),
            count_to=bindparam("search_count_to", count_to, type_=Integer),
        )
        page_ids = select(ranked.c.idea_id.label("id"), ranked.c.score, ranked.c.matches)
        page_ids = page_ids.subquery()
        viewer_id = _ViewerId(bindparam("viewer_id", viewer.id, type_=Integer))
        listed = _card_rows(page_ids, viewer_id).add_columns(
            Idea.problem, Idea.proposal, Idea.benefit, page_ids.c.matches
        )
        # The page's rows meet the conditions again: the ranking trusts the index to hold
        # visible ideas only, the rows shown do not need to.
        return listed.where(*conditions).order_by(page_ids.c.score, Idea.id.desc())

    statement, values = search.kept_statement("ranked_cards", query, conditions, build)
    values.update(
        search_limit=per_page, search_offset=offset, search_count_to=count_to, viewer_id=viewer.id
    )
    return db.session.execute(statement, values).all()
