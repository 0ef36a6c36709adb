"""Searching: how many ideas match, a condition for listing them in another order, and a
page of them ranked by relevance."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, Subquery, func, select

from ...core.extensions import db
from . import limits
from .backends import backend
from .query import SearchQuery


def count_matches(query: SearchQuery, conditions: Sequence = (), *, cap: int) -> int:
    """How many ideas match (and meet ``conditions``), counting no further than ``cap``."""
    return db.session.scalar(_count(query, conditions, cap))


def _count(query: SearchQuery, conditions: Sequence, cap: int) -> Select:
    ids = backend().ids(query, list(conditions)).limit(cap).subquery()
    return select(func.count()).select_from(ids)


def match_condition(query: SearchQuery, *, matches: int) -> ColumnElement[bool]:
    """A condition on ideas for listing the matches in another order (top, newest, ...).
    ``matches``: about how many there are (from ``count_matches``); it decides the plan."""
    return backend().condition(query, dense=matches > limits.DENSE_MATCHES)


def ranked_page(
    query: SearchQuery,
    conditions: Sequence = (),
    *,
    limit: int,
    offset: int = 0,
    any_term: bool = False,
    count_to: int | None = None,
) -> Subquery:
    """One page of matches, best first: a subquery of (idea_id, score), lower score better.
    Ranks at most the newest RANK_CANDIDATES matches that meet ``conditions`` (with
    ``any_term``: SIMILAR_RANK_CANDIDATES).

    ``count_to``: each row also carries ``matches``, how many ideas match, counted no further
    than ``count_to`` (in the same statement: the count a list shows)."""
    candidates = backend().ranked(query, list(conditions), any_term=any_term)
    columns = [candidates.c.idea_id, candidates.c.score]
    if count_to is not None:
        columns.append(_count(query, conditions, count_to).scalar_subquery().label("matches"))
    return (
        select(*columns)
        .order_by(candidates.c.score, candidates.c.idea_id.desc())
        .limit(limit)
        .offset(offset)
        .subquery("page")
    )
