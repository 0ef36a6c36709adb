"""Similar ideas: the existing ideas like a draft (while it is written) or like an idea
(likely duplicates), found through a few rare words of it rather than all of them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...core.extensions import db
from ..models import Idea, IdeaStatus
from . import limits
from .backends import backend
from .query import SearchQuery, language, terms
from .ranking import ranked_page

# Ideas that may still be worked on: duplicates are merged into one of these.
OPEN_STATUSES = tuple(IdeaStatus.ordered(IdeaStatus.OPEN))
# Shown while a new idea is written: everything that still exists as itself.
SUGGESTABLE_STATUSES = tuple(s for s in IdeaStatus if s not in IdeaStatus.CLOSED)


def _similar(query: SearchQuery, conditions: list, limit: int, *, indexed: bool) -> list[Idea]:
    """Ideas sharing the draft's rarest words (any of them), best first. ``indexed``: the
    text is an existing idea's, which is itself among the matches of each of its words."""
    if not query.usable:
        return []
    common = limits.COMMON_WORD_MATCHES
    counts = backend().term_counts(query, common)
    # Words nobody else used find nothing; words everybody uses tell nothing and cost the most.
    own = 1 if indexed else 0
    ranked = sorted((count, index) for index, count in enumerate(counts) if count > own)
    if not ranked:
        return []
    chosen = [i for count, i in ranked if count < common][: limits.SIMILAR_TERMS]
    chosen = sorted(chosen or [i for _, i in ranked[:3]])
    picked = SearchQuery(
        query.text,
        tuple(query.words[i] for i in chosen),
        tuple(query.stems[i] for i in chosen),
        False,
        query.language,
    )
    page = ranked_page(picked, conditions, limit=limit * limits.SIMILAR_CANDIDATES, any_term=True)
    statement = (
        select(Idea)
        .join(page, page.c.idea_id == Idea.id)
        .options(joinedload(Idea.owning_department))
        .order_by(page.c.score, Idea.id.desc())
    )
    own = frozenset(query.stems)
    return [
        idea
        for idea in db.session.scalars(statement)
        if relevant(own, _similarity_stems(idea.title, idea.problem, query.language))
    ][:limit]


def _similarity_stems(title: str | None, problem: str | None, lang: str) -> frozenset[str]:
    """The words of an idea that say what it is about: its title and problem."""
    source = f"{(title or '')[:300]}\n{(problem or '')[:2000]}"
    return frozenset(terms(source, lang, limits.SIMILAR_WORDS)[1])


def relevant(draft: frozenset[str], other: frozenset[str]) -> bool:
    """Whether two ideas share enough of their words to be worth comparing by a person."""
    shared = len(draft & other)
    shorter = min(len(draft), len(other))
    if not shorter:
        return False
    return (
        shared >= min(limits.SIMILAR_MIN_SHARED, shorter)
        and shared / shorter >= limits.SIMILAR_MIN_SHARE
    )


def similar_to_text(
    title: str | None,
    problem: str | None = None,
    *,
    limit: int = 5,
    exclude_id: int | None = None,
    statuses: Sequence[str] = SUGGESTABLE_STATUSES,
) -> list[Idea]:
    """Existing ideas most like a draft: its title counts first, then its problem."""
    source = f"{(title or '')[:300]}\n{(problem or '')[:2000]}"
    lang = language()
    found_words, found_stems, _ = terms(source, lang, limits.SIMILAR_WORDS)
    query = SearchQuery(source, tuple(found_words), tuple(found_stems), False, lang)
    conditions = [Idea.status.in_(list(statuses))]
    if exclude_id is not None:
        conditions.append(Idea.id != exclude_id)
    return _similar(query, conditions, limit, indexed=exclude_id is not None)


def similar_ideas(idea: Idea, limit: int = 5) -> list[Idea]:
    """The open ideas closest to this one: likely duplicates, best first."""
    return similar_to_text(
        idea.title, idea.problem, limit=limit, exclude_id=idea.id, statuses=OPEN_STATUSES
    )
