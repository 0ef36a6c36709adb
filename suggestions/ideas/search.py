"""Full-text search over ideas and their comments, and similar ideas for duplicates.

One index row per idea, in three weighted parts: the title, the idea's text (problem, proposal,
benefit) and its comments. A title match ranks above a match in the text, which ranks above a
match in a comment.

The two databases differ only inside this module:

- SQLite: an FTS5 table ``idea_search`` (rowid = idea id) holding *stems* made in Python
  (Snowball, German or English), because FTS5 itself stems only English. A query is stemmed the
  same way and every term is quoted, so no user text reaches the MATCH syntax. Ranked by bm25.
- PostgreSQL: a table ``idea_search`` with a weighted ``tsvector`` (A title, B text, D comments)
  and a GIN index; the stemming is PostgreSQL's own "german" or "english" configuration. Ranked
  by ts_rank.

The index is kept in step inside the transaction that changes an idea or comment (the session
listener at the end); ``reindex_idea`` and ``remove_from_index`` are for changes the listener
cannot see (raw SQL, moderation), ``rebuild_index`` for the command line and the migration.

Costs stay bounded at any size: a relevance ranking looks at the newest ``RANK_CANDIDATES``
matches at most, counts stop at the list's cap, and similar ideas are found through a few rare
words of the draft rather than all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask import current_app, has_app_context
from markupsafe import Markup, escape
from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    String,
    Subquery,
    bindparam,
    cast,
    column,
    delete,
    event,
    func,
    inspect,
    literal,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import REGCONFIG, TSVECTOR
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.sql.selectable import Join

from ..core.extensions import db
from . import words as w
from .models import Comment, Idea, IdeaStatus

# Column weights: bm25 (SQLite) multiplies per column; PostgreSQL uses its labels A, B, D.
TITLE_WEIGHT, TEXT_WEIGHT, COMMENT_WEIGHT = 10.0, 4.0, 1.0
# What one search may use of what a person typed.
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 12
# Matches are counted this far at most ("more than 1,000"): counting touches every match.
SEARCH_COUNT_CAP = 1000
# A ranking by relevance looks at this many matches (the newest) at most. More than
# SEARCH_COUNT_CAP: the ranking's own count of its candidates is the list's count.
RANK_CANDIDATES = 2000
# Above this many matches, a list in another order is walked in that order, testing each
# idea; up to it, the matches are read and sorted. (At most SEARCH_COUNT_CAP: it is decided
# from the capped count.)
DENSE_MATCHES = 1000
# Per idea, at most this many characters of each text field and of all comments together
# (in the order they were written) are indexed: an idea with a huge thread costs the same.
FIELD_CHARS = 20_000
COMMENT_CHARS = 100_000
# Similar ideas: how many words of a draft are considered, how many rare ones are searched for,
# and from how many matches on a word it counts as too common to tell ideas apart.
SIMILAR_WORDS = 24
SIMILAR_TERMS = 8
# A candidate is shown only when it shares at least this share of the shorter text's words
# (title and problem, searchable words, one per stem) and at least two of them (one if the
# draft has only one word yet). Measured on the demo data: the pair of approval-chain ideas
# shares 5 words (0.36); every unrelated pair shares at most 3, at most 0.25 ("customer",
# "call", "us"), and most share one word (0.08 to 0.10). The same on both databases: bm25 and
# ts_rank scores are not comparable, shared words are.
SIMILAR_MIN_SHARE = 0.3
SIMILAR_MIN_SHARED = 2
# Candidates read to find ``limit`` above the threshold.
SIMILAR_CANDIDATES = 3
COMMON_WORD_MATCHES = 500
# Ideas that may still be worked on: duplicates are merged into one of these.
OPEN_STATUSES = (
    IdeaStatus.NEW,
    IdeaStatus.IN_REVIEW,
    IdeaStatus.NEEDS_INFO,
    IdeaStatus.ACCEPTED,
    IdeaStatus.IN_PROGRESS,
)
# Shown while a new idea is written: everything that still exists as itself.
SUGGESTABLE_STATUSES = tuple(s for s in IdeaStatus if s not in {"withdrawn", "duplicate"})
# Comment attributes that do not change what is indexed (no reindex when only they change).
_COMMENT_ATTRS_NOT_INDEXED = frozenset({"is_official", "official_marked_by_id", "author_id"})
_IDEA_ATTRS_INDEXED = ("title", "problem", "proposal", "benefit", "hidden_reason")


def language() -> str:
    """The installation's search language ("de" or "en"), set by SEARCH_LANGUAGE."""
    if has_app_context():
        return current_app.config.get("SEARCH_LANGUAGE") or "en"
    return "en"


# --- What a person typed ------------------------------------------------------------------


@dataclass(frozen=True)
class SearchQuery:
    """A search as it will run: the words kept, and their stems (for matching and marks)."""

    text: str
    words: tuple[str, ...]  # normalised, no stop words, one per stem, at most MAX_QUERY_TERMS
    stems: tuple[str, ...]
    truncated: bool  # some of what was typed was left out (too long, too many words)
    language: str

    @property
    def usable(self) -> bool:
        return bool(self.stems)


def _terms(source: str, lang: str, max_terms: int) -> tuple[list[str], list[str], bool]:
    """Searchable words of a text, one per stem, in order; and whether some were left out."""
    found_words: list[str] = []
    found_stems: list[str] = []
    for word in w.words(source):
        if not w.is_searchable(word, lang):
            continue
        s = w.stem(word, lang)
        if not s or s in found_stems:
            continue
        if len(found_stems) == max_terms:
            return found_words, found_stems, True
        found_words.append(word)
        found_stems.append(s)
    return found_words, found_stems, False


def parse_query(text: str | None, lang: str | None = None) -> SearchQuery:
    """What a person typed into the search box, made safe and bounded."""
    lang = lang or language()
    raw = (text or "").strip()
    kept = raw[:MAX_QUERY_CHARS]
    found_words, found_stems, cut = _terms(kept, lang, MAX_QUERY_TERMS)
    truncated = cut or len(raw) > MAX_QUERY_CHARS
    return SearchQuery(kept, tuple(found_words), tuple(found_stems), truncated, lang)


# --- The two databases ----------------------------------------------------------------------

_fts = table("idea_search", column("rowid", Integer), column("comment_chars", Integer))
_pg = table(
    "idea_search",
    column("idea_id", Integer),
    column("document", TSVECTOR),  # everything: title (A), text (B), comments (D)
    column("rank_document", TSVECTOR),  # title and text only: small, cheap to rank
    column("comment_chars", Integer),
)


@dataclass
class _Row:
    """One idea's index entry, as plain text (each backend turns it into its own form)."""

    idea_id: int
    title: str
    text: str
    comments: str
    comment_chars: int


class _IndexFirst(Join):
    """``idea_search CROSS JOIN ideas``: in SQLite, CROSS JOIN fixes the loop order. Without it
    the planner may walk every idea of a status (its index) and probe FTS for each: seconds on
    a large table, where reading the matches first and looking each idea up takes
    milliseconds."""

    inherit_cache = True


@compiles(_IndexFirst, "sqlite")
def _compile_index_first(element, compiler, **kw):
    return compiler.visit_join(element, **kw).replace(" JOIN ", " CROSS JOIN ", 1)


class _SQLite:
    name = "sqlite"

    @staticmethod
    def _match_string(stems: Sequence[str], any_term: bool) -> str:
        # Stems hold letters and digits only; the quotes make each one a plain string anyway.
        return (" OR " if any_term else " ").join(f'"{s}"' for s in stems)

    def _match(self, stems: Sequence[str], any_term: bool) -> ColumnElement[bool]:
        value = bindparam(None, self._match_string(stems, any_term), type_=String)
        return literal_column("idea_search").bool_op("MATCH")(value)

    def ids(self, query: SearchQuery, conditions=(), *, any_term: bool = False) -> Select:
        statement = select(_fts.c.rowid.label("idea_id")).where(self._match(query.stems, any_term))
        if conditions:
            joined = _IndexFirst(_fts, Idea.__table__, Idea.id == _fts.c.rowid)
            statement = statement.select_from(joined).where(*conditions)
        return statement

    def condition(self, query: SearchQuery, dense: bool) -> ColumnElement[bool]:
        if dense:
            # Correlated: SQLite walks the list's own index in order, tests each idea, and
            # stops when the page is full; cheap when matches are many.
            probe = select(literal(1)).select_from(_fts)
            return probe.where(self._match(query.stems, False), _fts.c.rowid == Idea.id).exists()
        # Few matches: read them all, then sort just those.
        return Idea.id.in_(self.ids(query))

    def ranked(self, query: SearchQuery, conditions=(), *, any_term: bool = False) -> Subquery:
        score = func.bm25(
            literal_column("idea_search"), TITLE_WEIGHT, TEXT_WEIGHT, COMMENT_WEIGHT
        ).label("score")
        candidates = self.ids(query, conditions, any_term=any_term).add_columns(score)
        # FTS5 walks its matches newest first and stops: bm25 runs on the candidates only.
        return candidates.order_by(_fts.c.rowid.desc()).limit(RANK_CANDIDATES).subquery()

    def term_counts(self, query: SearchQuery, cap: int) -> list[int]:
        counts = [
            select(func.count())
            .select_from(select(_fts.c.rowid).where(self._match([s], False)).limit(cap).subquery())
            .scalar_subquery()
            for s in query.stems
        ]
        return list(db.session.execute(select(*counts)).one()) if counts else []

    def write(self, conn: Connection, rows: list[_Row], lang: str) -> None:
        if not rows:
            return
        self.delete(conn, [r.idea_id for r in rows])
        conn.execute(
            text(
                "INSERT INTO idea_search (rowid, title, body, comments, comment_chars) "
                "VALUES (:id, :title, :body, :comments, :chars)"
            ),
            [
                {
                    "id": r.idea_id,
                    "title": " ".join(w.stems(r.title, lang)),
                    "body": " ".join(w.stems(r.text, lang)),
                    "comments": " ".join(w.stems(r.comments, lang)),
                    "chars": r.comment_chars,
                }
                for r in rows
            ],
        )

    def delete(self, conn: Connection, idea_ids: Sequence[int]) -> None:
        if idea_ids:
            conn.execute(delete(_fts).where(_fts.c.rowid.in_(idea_ids)))

    def append_comment(self, conn: Connection, idea_id: int, body: str, lang: str) -> None:
        # Writes on SQLite are serialised (BEGIN IMMEDIATE): reading the budget first is safe.
        used = conn.scalar(select(_fts.c.comment_chars).where(_fts.c.rowid == idea_id))
        if used is None or used >= COMMENT_CHARS:
            return  # not indexed (hidden, or not built yet), or the budget is spent
        piece = body[: COMMENT_CHARS - used]
        conn.execute(
            text(
                "UPDATE idea_search SET comments = comments || ' ' || :stems, "
                "comment_chars = comment_chars + :chars WHERE rowid = :id"
            ),
            {"stems": " ".join(w.stems(piece, lang)), "chars": len(piece), "id": idea_id},
        )

    def remove_stale(self, conn: Connection) -> None:
        conn.execute(text("DELETE FROM idea_search WHERE rowid NOT IN (SELECT id FROM ideas)"))


class _Postgres:
    name = "postgresql"

    @staticmethod
    def _config(lang: str):
        return cast(literal(w.LANGUAGES[lang]), REGCONFIG)

    def _tsquery(self, query: SearchQuery, words: Sequence[str], any_term: bool):
        # Each word holds letters and digits only and is quoted: to_tsquery sees no operators.
        source = (" | " if any_term else " & ").join(f"'{word}'" for word in words)
        # A scalar subquery is computed once per statement. Written inline, to_tsquery would
        # parse and stem the words again for every row ts_rank scores (the configuration's
        # cast is not a constant): half the cost of a ranking.
        return select(
            func.to_tsquery(self._config(query.language), literal(source))
        ).scalar_subquery()

    def _match(self, query: SearchQuery, any_term: bool):
        return _pg.c.document.bool_op("@@")(self._tsquery(query, query.words, any_term))

    def ids(self, query: SearchQuery, conditions=(), *, any_term: bool = False) -> Select:
        statement = select(_pg.c.idea_id).where(self._match(query, any_term))
        if conditions:
            statement = statement.join(Idea, Idea.id == _pg.c.idea_id).where(*conditions)
        return statement

    def condition(self, query: SearchQuery, dense: bool) -> ColumnElement[bool]:
        if dense:
            return Idea.id.in_(self.ids(query))  # the planner picks the way itself
        # Few matches: read them all from the index first, then sort just those. Left to
        # itself the planner walks the list's index and tests each idea's document (read
        # and decompressed, ~50 us an idea): 120 to 180 ms for 993 matches of 100,000 ideas
        # sorted by votes, against a few ms this way. MATERIALIZED keeps it from merging.
        matches = self.ids(query).cte("matches").prefix_with("MATERIALIZED")
        return Idea.id.in_(select(matches.c.idea_id))

    def ranked(self, query: SearchQuery, conditions=(), *, any_term: bool = False) -> Subquery:
        candidates = (
            self.ids(query, conditions, any_term=any_term)
            .add_columns(_pg.c.rank_document)
            .order_by(_pg.c.idea_id.desc())
            .limit(RANK_CANDIDATES)
            .subquery()
        )
        # Ranked outside the LIMIT, so ts_rank reads only the candidates' vectors; and on title
        # and text only, a small vector: a match in comments alone scores 0 and so comes after
        # every match in a title or text.
        tsquery = self._tsquery(query, query.words, any_term)
        score = (-func.ts_rank(candidates.c.rank_document, tsquery, 1)).label("score")
        return select(candidates.c.idea_id, score).subquery()

    def term_counts(self, query: SearchQuery, cap: int) -> list[int]:
        counts = [
            select(func.count())
            .select_from(
                select(_pg.c.idea_id)
                .where(_pg.c.document.bool_op("@@")(self._tsquery(query, [word], False)))
                .limit(cap)
                .subquery()
            )
            .scalar_subquery()
            for word in query.words
        ]
        return list(db.session.execute(select(*counts)).one()) if counts else []

    _IDEA_VECTOR = (
        "setweight(to_tsvector(CAST(:cfg AS regconfig), :title), 'A') || "
        "setweight(to_tsvector(CAST(:cfg AS regconfig), :body), 'B')"
    )
    _COMMENT_VECTOR = "setweight(to_tsvector(CAST(:cfg AS regconfig), :comments), 'D')"

    def write(self, conn: Connection, rows: list[_Row], lang: str) -> None:
        if not rows:
            return
        conn.execute(
            text(
                "INSERT INTO idea_search (idea_id, document, rank_document, comment_chars) "
                "SELECT :id, idea || comments, idea, :chars "
                f"FROM (SELECT {self._IDEA_VECTOR} AS idea, {self._COMMENT_VECTOR} AS comments) v "
                "ON CONFLICT (idea_id) DO UPDATE SET document = excluded.document, "
                "rank_document = excluded.rank_document, comment_chars = excluded.comment_chars"
            ),
            [
                {
                    "id": r.idea_id,
                    "title": r.title,
                    "body": r.text,
                    "comments": r.comments,
                    "chars": r.comment_chars,
                    "cfg": w.LANGUAGES[lang],
                }  # fmt: skip
                for r in rows
            ],
        )

    def delete(self, conn: Connection, idea_ids: Sequence[int]) -> None:
        if idea_ids:
            conn.execute(delete(_pg).where(_pg.c.idea_id.in_(idea_ids)))

    def append_comment(self, conn: Connection, idea_id: int, body: str, lang: str) -> None:
        # One statement: two comments posted at once both land, the budget read under the lock.
        conn.execute(
            text(
                "UPDATE idea_search SET "
                "document = document || setweight(to_tsvector(CAST(:cfg AS regconfig), "
                "left(:body, :budget - comment_chars)), 'D'), "
                "comment_chars = comment_chars + length(left(:body, :budget - comment_chars)) "
                "WHERE idea_id = :id AND comment_chars < :budget"
            ),
            {"cfg": w.LANGUAGES[lang], "body": body, "budget": COMMENT_CHARS, "id": idea_id},
        )

    def remove_stale(self, conn: Connection) -> None:
        pass  # the foreign key removes an idea's row with the idea


def _backend(bind=None) -> _SQLite | _Postgres:
    name = (bind or db.session.get_bind()).dialect.name
    return _Postgres() if name == "postgresql" else _SQLite()


# --- Searching -------------------------------------------------------------------------------


def count_matches(query: SearchQuery, conditions: Sequence = (), *, cap: int) -> int:
    """How many ideas match (and meet ``conditions``), counting no further than ``cap``."""
    ids = _backend().ids(query, list(conditions)).limit(cap).subquery()
    return db.session.scalar(select(func.count()).select_from(ids))


def match_condition(query: SearchQuery, *, matches: int) -> ColumnElement[bool]:
    """A condition on ideas for listing the matches in another order (top, newest, ...).
    ``matches``: about how many there are (from ``count_matches``); it decides the plan."""
    return _backend().condition(query, dense=matches > DENSE_MATCHES)


def ranked_page(
    query: SearchQuery,
    conditions: Sequence = (),
    *,
    limit: int,
    offset: int = 0,
    any_term: bool = False,
    counted: bool = False,
) -> Subquery:
    """One page of matches, best first: a subquery of (idea_id, score), lower score better.
    Ranks at most the newest RANK_CANDIDATES matches that meet ``conditions``.

    ``counted``: each row also carries ``matches``, how many candidates there are (so at most
    RANK_CANDIDATES, which is more than SEARCH_COUNT_CAP): the count a list shows, without a
    second pass over the matches."""
    candidates = _backend().ranked(query, list(conditions), any_term=any_term)
    columns = [candidates.c.idea_id, candidates.c.score]
    if counted:
        columns.append(func.count().over().label("matches"))
    return (
        select(*columns)
        .order_by(candidates.c.score, candidates.c.idea_id.desc())
        .limit(limit)
        .offset(offset)
        .subquery("page")
    )


def _similar(query: SearchQuery, conditions: list, limit: int, *, indexed: bool) -> list[Idea]:
    """Ideas sharing the draft's rarest words (any of them), best first. ``indexed``: the
    text is an existing idea's, which is itself among the matches of each of its words."""
    if not query.usable:
        return []
    backend = _backend()
    counts = backend.term_counts(query, COMMON_WORD_MATCHES)
    # Words nobody else used find nothing; words everybody uses tell nothing and cost the most.
    own = 1 if indexed else 0
    ranked = sorted((count, index) for index, count in enumerate(counts) if count > own)
    if not ranked:
        return []
    chosen = [i for count, i in ranked if count < COMMON_WORD_MATCHES][:SIMILAR_TERMS]
    chosen = sorted(chosen or [i for _, i in ranked[:3]])
    picked = SearchQuery(
        query.text,
        tuple(query.words[i] for i in chosen),
        tuple(query.stems[i] for i in chosen),
        False,
        query.language,
    )
    page = ranked_page(picked, conditions, limit=limit * SIMILAR_CANDIDATES, any_term=True)
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
    return frozenset(_terms(source, lang, SIMILAR_WORDS)[1])


def relevant(draft: frozenset[str], other: frozenset[str]) -> bool:
    """Whether two ideas share enough of their words to be worth comparing by a person."""
    shared = len(draft & other)
    shorter = min(len(draft), len(other))
    if not shorter:
        return False
    return shared >= min(SIMILAR_MIN_SHARED, shorter) and shared / shorter >= SIMILAR_MIN_SHARE


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
    found_words, found_stems, _ = _terms(source, lang, SIMILAR_WORDS)
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


# --- Snippets --------------------------------------------------------------------------------


@dataclass
class Snippet:
    title: Markup  # the title with the matched words marked
    text: Markup | None  # a passage around the first match, or None
    in_comment: bool = False


_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# Markup that would only distract in a snippet: emphasis, code ticks, and the markers that
# start a heading, quote or list item. Anything else the person wrote is kept (and escaped).
_MARKDOWN_MARKS = re.compile(r"\*\*|__|~~|`+|(?m:^[ \t]*(?:#{1,6}|>+|[-*+]|\d+[.)])[ \t]+)")
_SPACE = re.compile(r"\s+")
SNIPPET_CHARS = 220
SNIPPET_LEAD = 60
SNIPPET_COMMENTS = 50  # per idea, read to find the comment that matched


def _plain(source: str) -> str:
    """Markdown source as readable plain text (a snippet shows words, not markup)."""
    source = _MARKDOWN_LINK.sub(r"\1", source)
    return _SPACE.sub(" ", _MARKDOWN_MARKS.sub(" ", source)).strip()


def _marked_spans(
    source: str, stems: frozenset[str], lang: str, *, after: int | None = None
) -> list[tuple[int, int]]:
    """Where the matched words are. With ``after``: stop once a match was found and the text
    has gone ``after`` characters beyond it (a snippet needs no more)."""
    spans: list[tuple[int, int]] = []
    for match in w._WORD.finditer(source):
        if spans and after is not None and match.start() > spans[0][0] + after:
            break
        if not stems.isdisjoint(w.token_stems(match.group(), lang)):
            spans.append(match.span())
    return spans


def _render(source: str, spans: list[tuple[int, int]], start: int, end: int) -> Markup:
    """Escape the text first, then add the marks around the matched words."""
    # Plain strings joined once (Markup's own % and join escape again, at a cost per piece):
    # every piece of the text goes through escape(), the marks and ellipses are ours.
    out = ["…" if start > 0 else ""]
    cursor = start
    for a, b in spans:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        out += (escape(source[cursor:a]), "<mark>", escape(source[a:b]), "</mark>")
        cursor = b
    out.append(escape(source[cursor:end]))
    if end < len(source):
        out.append("…")
    return Markup("".join(out))


def highlight(source: str, stems: Iterable[str], lang: str | None = None) -> Markup:
    """The whole text, escaped, with every matched word in <mark>."""
    return _highlight(source, frozenset(stems), lang or language())[0]


def _highlight(source: str, stems: frozenset[str], lang: str) -> tuple[Markup, bool]:
    """The text marked, and whether any word matched."""
    spans = _marked_spans(source, stems, lang)
    return _render(source, spans, 0, len(source)), bool(spans)


def excerpt(source: str, stems: Iterable[str], lang: str | None = None) -> Markup | None:
    """A short passage around the first matched word, escaped and marked; None if no match."""
    lang = lang or language()
    stems = frozenset(stems)
    if not _could_match(source, stems):
        return None
    source = _plain(source)
    spans = _marked_spans(source, stems, lang, after=SNIPPET_CHARS)
    if not spans:
        return None
    first = spans[0][0]
    start = 0 if first <= SNIPPET_LEAD else source.rfind(" ", 0, first - SNIPPET_LEAD) + 1
    end = start + SNIPPET_CHARS
    if end < len(source):
        cut = source.rfind(" ", first, end)
        end = cut if cut > first else end
    else:
        end = len(source)
    return _render(source, spans, start, end)


def _could_match(text_: str, stems: Iterable[str]) -> bool:
    """A cheap test before stemming a whole comment: does it contain any stem's core?"""
    folded = w.fold(w.normalise(text_))
    return any(s[: max(3, len(s) - 1)] in folded for s in stems)


def snippets(query: SearchQuery, ideas: Sequence[Idea]) -> dict[int, Snippet]:
    """For each idea on a result page: the title marked, and where the words were found."""
    lang = query.language
    stems = frozenset(query.stems)
    result: dict[int, Snippet] = {}
    in_comments: list[int] = []
    for idea in ideas:
        passage = None
        for field in (idea.problem, idea.proposal, idea.benefit):
            passage = excerpt(field or "", stems, lang)
            if passage:
                break
        title, title_matched = _highlight(idea.title, stems, lang)
        result[idea.id] = Snippet(title, passage)
        if passage is None and not title_matched:
            in_comments.append(idea.id)
    if in_comments:
        # The first few comments of each such idea, in one bounded query.
        numbered = (
            select(
                Comment.idea_id,
                Comment.body,
                func.row_number()
                .over(partition_by=Comment.idea_id, order_by=Comment.id)
                .label("n"),
            )
            .where(Comment.idea_id.in_(in_comments), Comment.hidden_reason.is_(None))
            .subquery()
        )
        rows = db.session.execute(
            select(numbered.c.idea_id, numbered.c.body)
            .where(numbered.c.n <= SNIPPET_COMMENTS)
            .order_by(numbered.c.idea_id, numbered.c.n)
        )
        for idea_id, body in rows:
            snippet = result[idea_id]
            if snippet.text is None:
                passage = excerpt(body, stems, lang)
                if passage:
                    snippet.text, snippet.in_comment = passage, True
    return result


# --- Keeping the index in step ---------------------------------------------------------------


def _rows(conn: Connection, idea_ids: Sequence[int], *, moderated: bool = True) -> list[_Row]:
    """The index entries of these ideas, read from the database as it is now. What moderation
    hides is not indexed; ``moderated`` False: a schema from before moderation (migration 0003)."""
    if not idea_ids:
        return []
    visible = [Idea.hidden_reason.is_(None)] if moderated else []
    ideas = conn.execute(
        select(Idea.id, Idea.title, Idea.problem, Idea.proposal, Idea.benefit)
        .where(Idea.id.in_(idea_ids), *visible)
        .order_by(Idea.id)
    ).all()
    comments: dict[int, list[str]] = {i.id: [] for i in ideas}
    used: dict[int, int] = dict.fromkeys(comments, 0)
    stream = conn.execute(
        select(Comment.idea_id, Comment.body)
        .where(
            Comment.idea_id.in_(list(comments)),
            *([Comment.hidden_reason.is_(None)] if moderated else []),
        )
        .order_by(Comment.idea_id, Comment.id)
        .execution_options(yield_per=500)
    )
    for idea_id, body in stream:
        room = COMMENT_CHARS - used[idea_id]
        if room > 0:
            piece = (body or "")[:room]
            comments[idea_id].append(piece)
            used[idea_id] += len(piece)
    return [
        _Row(
            idea_id=i.id,
            title=i.title[:FIELD_CHARS],
            text="\n".join(part[:FIELD_CHARS] for part in (i.problem, i.proposal, i.benefit)),
            comments="\n".join(comments[i.id]),
            comment_chars=used[i.id],
        )
        for i in ideas
    ]


def _reindex_ids(conn: Connection, idea_ids: Sequence[int], lang: str) -> None:
    backend = _backend(conn)
    rows = _rows(conn, list(idea_ids))
    gone = set(idea_ids) - {r.idea_id for r in rows}
    backend.delete(conn, sorted(gone))
    backend.write(conn, rows, lang)


def reindex_idea(idea: Idea) -> None:
    """Index the idea as it now is (title, text, comments), in the current transaction.

    For changes the automatic listener cannot see: raw SQL updates, comments moved or hidden
    by a merge or by moderation."""
    db.session.flush()
    _reindex_ids(db.session.connection(), [idea.id], language())


def remove_from_index(idea: Idea) -> None:
    """Take the idea out of search (e.g. hidden by moderation), in the current transaction.
    Comments posted afterwards do not bring it back; ``reindex_idea`` does."""
    db.session.flush()
    conn = db.session.connection()
    _backend(conn).delete(conn, [idea.id])


def rebuild_index(
    conn: Connection, lang: str, *, batch_size: int = 500, commit=None, moderated: bool = True
) -> int:
    """Index every idea again, in batches of ``batch_size`` ideas. Each batch replaces its own
    rows, so searches keep finding everything while it runs. ``commit`` (optional) is called
    after each batch, to keep write locks short. Returns the number of ideas indexed."""
    backend = _backend(conn)
    backend.remove_stale(conn)
    done, last_id = 0, 0
    while True:
        ids = list(
            conn.scalars(
                select(Idea.id).where(Idea.id > last_id).order_by(Idea.id).limit(batch_size)
            )
        )
        if not ids:
            return done
        backend.write(conn, _rows(conn, ids, moderated=moderated), lang)
        done, last_id = done + len(ids), ids[-1]
        if commit is not None:
            commit()


@event.listens_for(Session, "after_flush")
def _keep_index_in_step(session: Session, _flush_context) -> None:
    """Same transaction as the change: a rolled-back edit leaves the index as it was."""
    reindex: set[int] = set()
    removed: set[int] = set()
    new_comments: list[Comment] = []
    for obj in session.new:
        if isinstance(obj, Idea):
            reindex.add(obj.id)
        elif isinstance(obj, Comment):
            new_comments.append(obj)
    for obj in session.dirty:
        if isinstance(obj, Idea) and _changed(obj, _IDEA_ATTRS_INDEXED):
            reindex.add(obj.id)
        elif isinstance(obj, Comment):
            state = inspect(obj)
            changed = [
                a.key for a in state.mapper.column_attrs
                if a.key not in _COMMENT_ATTRS_NOT_INDEXED
                and state.attrs[a.key].history.has_changes()
            ]  # fmt: skip
            if changed:
                reindex.add(obj.idea_id)
                reindex.update(i for i in state.attrs.idea_id.history.deleted if i)
    for obj in session.deleted:
        if isinstance(obj, Idea):
            removed.add(obj.id)
        elif isinstance(obj, Comment):
            reindex.add(obj.idea_id)
    if not (reindex or removed or new_comments):
        return
    conn = session.connection()
    backend = _backend(conn)
    lang = language()
    reindex -= removed
    if removed:
        backend.delete(conn, sorted(removed))
    if reindex:
        _reindex_ids(conn, sorted(reindex), lang)
    for comment in new_comments:
        if comment.idea_id not in reindex and comment.idea_id not in removed:
            backend.append_comment(conn, comment.idea_id, comment.body or "", lang)


def _changed(obj, keys: Iterable[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[key].history.has_changes() for key in keys)


__all__ = [
    "OPEN_STATUSES",
    "SearchQuery",
    "Snippet",
    "excerpt",
    "highlight",
    "count_matches",
    "match_condition",
    "ranked_page",
    "parse_query",
    "rebuild_index",
    "reindex_idea",
    "remove_from_index",
    "similar_ideas",
    "similar_to_text",
    "snippets",
]
