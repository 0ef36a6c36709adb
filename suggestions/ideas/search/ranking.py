"""Searching: how many ideas match, a condition for listing them in another order, and a
page of them ranked by relevance."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from sqlalchemy import BindParameter, ColumnElement, Select, Subquery, and_, func, select
from sqlalchemy.sql import visitors

from ...core.cache import fragments
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


def kept_statement(
    shape: Hashable, query: SearchQuery, conditions: Sequence, build: Callable[[], Select]
) -> tuple[Select, dict]:
    """A search's statement built once per process for each shape and kept (``core.cache``),
    and the values this query runs it with: ``session.execute(statement, values)``.

    Building a ranked page's statement and working out its cache key took about 2 ms a
    search, more than SQLite takes to run it. The search's words, the ranking's limit (and
    whatever ``build`` names with ``bindparam``) are bound by name, so one statement serves
    every query with as many words. ``shape`` tells the caller's statements apart; the
    conditions are part of the key. Conditions holding values of their own (a department,
    the viewer's own ideas) have no names to run them with: those statements are built
    each time."""
    store = backend()
    values = {**store.values(query), "search_candidates": limits.RANK_CANDIDATES}
    holds_values = any(
        isinstance(part, BindParameter) for c in conditions for part in visitors.iterate(c)
    )
    conditions_key = None if holds_values else and_(*conditions)._generate_cache_key()
    if conditions_key is None:
        return build(), values
    key = (shape, store.name, query.language, len(query.stems), conditions_key.key)
    return fragments("search_statements").get(key, build), values
