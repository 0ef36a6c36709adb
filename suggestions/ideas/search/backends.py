"""The two databases, behind one face: an FTS5 table of Python-made stems (SQLite) and a
weighted tsvector with a GIN index (PostgreSQL). Nothing outside this module knows which one
runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Integer,
    Select,
    String,
    Subquery,
    bindparam,
    cast,
    column,
    delete,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import REGCONFIG, TSVECTOR
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import Join

from ...core.extensions import db
from .. import words as w
from ..models import Idea, publicly_visible
from . import limits
from .query import SearchQuery

_fts = table(
    "idea_search",
    column("rowid", Integer),
    column("title", String),  # the stems, space-separated
    column("body", String),
    column("comment_chars", Integer),
)
_pg = table(
    "idea_search",
    column("idea_id", Integer),
    column("document", TSVECTOR),  # everything: title (A), text (B), comments (D)
    column("rank_document", TSVECTOR),  # title and text only: small, cheap to rank
    column("comment_chars", Integer),
)


@dataclass
class IndexRow:
    """One idea's index entry, as plain text (each backend turns it into its own form)."""

    idea_id: int
    title: str
    text: str
    comments: str
    comment_chars: int


def _beyond_the_index(conditions) -> list:
    """The conditions the index does not already meet. It holds publicly visible ideas only
    (index.py leaves hidden ones out and takes an idea out when it is hidden), so the search
    needs no look-up of each match's idea row for that one: at 100,000 ideas the look-ups of
    993 matches cost 4.6 ms, more than finding and ranking them. The page's own rows are
    still checked (queries.list_ideas)."""
    visible = publicly_visible()
    return [c for c in conditions if not c.compare(visible)]


class _IndexFirst(Join):
    """``idea_search CROSS JOIN ideas``: in SQLite, CROSS JOIN fixes the loop order. Without it
    the planner may walk every idea of a status (its index) and probe FTS for each: seconds on
    a large table, where reading the matches first and looking each idea up takes
    milliseconds."""

    inherit_cache = True


@compiles(_IndexFirst, "sqlite")
def _compile_index_first(element, compiler, **kw):
    return compiler.visit_join(element, **kw).replace(" JOIN ", " CROSS JOIN ", 1)


class _WhereFound(FunctionElement):
    """A candidate's score on SQLite by where the words are, lower better: for each stem,
    TITLE_WEIGHT if its title holds it and TEXT_WEIGHT if its text does (the stored stems,
    space-separated). One element, compiled to SQL below: built of SQLAlchemy's operators it
    took about 20 objects a word, 2 ms a request to build."""

    name = "where_found"
    type = Float()
    inherit_cache = True

    def __init__(self, stems: Sequence[str]):
        padded = [
            bindparam(f"search_stem_{n}", f" {stem} ", type_=String) for n, stem in enumerate(stems)
        ]
        super().__init__(_fts.c.title, _fts.c.body, *padded)


@compiles(_WhereFound, "sqlite")
def _compile_where_found(element, compiler, **kw):
    title, body, *stems = (compiler.process(clause, **kw) for clause in element.clauses)
    held = "(instr(' ' || {} || ' ', {}) > 0)"
    return "-({})".format(" + ".join(
        f"{limits.TITLE_WEIGHT} * {held.format(title, s)} + "
        f"{limits.TEXT_WEIGHT} * {held.format(body, s)}"
        for s in stems
    ))  # fmt: skip


def candidates_limit():
    """How many matches a ranking looks at, by name: a kept statement runs with the limit
    as it is now (``limits.RANK_CANDIDATES``)."""
    return bindparam("search_candidates", limits.RANK_CANDIDATES, type_=Integer)


def _named(any_term: bool) -> str:
    """The name of a search's words in a statement (see ``values``): a statement searches
    for one query, so its words have one value wherever they appear."""
    return "search_any" if any_term else "search_all"


class _SQLite:
    name = "sqlite"

    @staticmethod
    def _match_string(stems: Sequence[str], any_term: bool) -> str:
        # Stems hold letters and digits only; the quotes make each one a plain string anyway.
        return (" OR " if any_term else " ").join(f'"{s}"' for s in stems)

    def _match(
        self, stems: Sequence[str], any_term: bool, *, named: bool = True
    ) -> ColumnElement[bool]:
        name = _named(any_term) if named else None
        value = bindparam(name, self._match_string(stems, any_term), type_=String)
        return literal_column("idea_search").bool_op("MATCH")(value)

    def values(self, query: SearchQuery) -> dict:
        """The query's values under their names in a statement built for another query with
        as many words: a kept statement runs with these (ranking.kept_statement)."""
        padded = {f"search_stem_{n}": f" {stem} " for n, stem in enumerate(query.stems)}
        return {_named(False): self._match_string(query.stems, False), **padded}

    def ids(self, query: SearchQuery, conditions=(), *, any_term: bool = False) -> Select:
        statement = select(_fts.c.rowid.label("idea_id")).where(self._match(query.stems, any_term))
        conditions = _beyond_the_index(conditions)
        if conditions:
            joined = _IndexFirst(_fts, Idea.__table__, Idea.id == _fts.c.rowid)
            statement = statement.select_from(joined).where(*conditions)
        return statement

    def condition(self, query: SearchQuery, dense: bool) -> ColumnElement[bool]:
        if dense:
            # Many matches: SQLite walks the list's own index in order and stops when the page
            # is full, testing each idea against the matches read once into a list (the "+ 0"
            # keeps it from reading the matches' rows and sorting them instead). Not a MATCH
            # per idea: about 120 us each, so 220 ms for 20 of 9,900 matches at 1,000,000
            # ideas, against 5 ms this way (about 0.13 us a match read).
            return (Idea.id + 0).in_(self.ids(query))
        # Few matches: read them all, then sort just those.
        return Idea.id.in_(self.ids(query))

    def ranked(self, query: SearchQuery, conditions=(), *, any_term: bool = False) -> Subquery:
        if any_term:
            return self._ranked_by_walks(query, conditions)
        # The newest matches are the candidates (FTS5 walks its matches newest first and
        # stops), each scored as it is read, by where the words are: a word in the title
        # counts more than one in the text; a match in comments alone scores 0. Not bm25,
        # which weighs each word by its rarity and so reads every index entry of the word,
        # however old: a cost that grows with the data. Reading a candidate's stems costs
        # the same at any size (about 7 microseconds each), so the ranking is bounded by
        # RANK_CANDIDATES.
        return (
            self.ids(query, conditions)
            .add_columns(_WhereFound(query.stems).label("score"))
            .order_by(_fts.c.rowid.desc())
            .limit(candidates_limit())
            .subquery()
        )

    def _ranked_by_walks(self, query: SearchQuery, conditions) -> Subquery:
        """Similar ideas (any of a few rare words): each shared word counts, the more the
        better, scored by walks of the index (one per word and part, short for rare words)
        among the newest SIMILAR_RANK_CANDIDATES matches: more of them than a search ranks,
        since an older idea sharing several rare words is still a likely duplicate."""
        candidates = (
            self.ids(query, conditions, any_term=True)
            .order_by(_fts.c.rowid.desc())
            .limit(limits.SIMILAR_RANK_CANDIDATES)
            .cte("candidates")
            .prefix_with("MATERIALIZED")
        )
        # Only within the candidates' range of ids: bounded whatever the size.
        oldest = select(func.min(candidates.c.idea_id)).scalar_subquery()

        def hit(column: str, stem: str) -> ColumnElement:
            value = bindparam(None, f"{{{column}}}: ({self._match_string([stem], False)})")
            found = select(_fts.c.rowid).where(
                literal_column("idea_search").bool_op("MATCH")(value), _fts.c.rowid >= oldest
            )
            return cast(candidates.c.idea_id.in_(found), Integer)

        title, body = limits.TITLE_WEIGHT, limits.TEXT_WEIGHT
        parts = [title * hit("title", s) + body * hit("body", s) for s in query.stems]
        score = (-sum(parts[1:], parts[0])).label("score")
        return select(candidates.c.idea_id, score).subquery()

    def term_counts(self, query: SearchQuery, cap: int) -> list[int]:
        counts = [
            select(func.count())
            .select_from(
                select(_fts.c.rowid)
                .where(self._match([s], False, named=False))
                .limit(cap)
                .subquery()
            )
            .scalar_subquery()
            for s in query.stems
        ]
        return list(db.session.execute(select(*counts)).one()) if counts else []

    def write(self, conn: Connection, rows: list[IndexRow], lang: str) -> None:
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
        if used is None or used >= limits.COMMENT_CHARS:
            return  # not indexed (hidden, or not built yet), or the budget is spent
        piece = body[: limits.COMMENT_CHARS - used]
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

    @staticmethod
    def _source(words: Sequence[str], any_term: bool) -> str:
        # Each word holds letters and digits only and is quoted: to_tsquery sees no operators.
        return (" | " if any_term else " & ").join(f"'{word}'" for word in words)

    def _tsquery(self, query: SearchQuery, words: Sequence[str], any_term: bool, *, named=True):
        name = _named(any_term) if named else None
        source = bindparam(name, self._source(words, any_term), type_=String)
        # A scalar subquery is computed once per statement. Written inline, to_tsquery would
        # parse and stem the words again for every row ts_rank scores (the configuration's
        # cast is not a constant): half the cost of a ranking.
        return select(func.to_tsquery(self._config(query.language), source)).scalar_subquery()

    def _match(self, query: SearchQuery, any_term: bool):
        return _pg.c.document.bool_op("@@")(self._tsquery(query, query.words, any_term))

    def values(self, query: SearchQuery) -> dict:
        """As _SQLite.values."""
        return {_named(False): self._source(query.words, False)}

    def ids(self, query: SearchQuery, conditions=(), *, any_term: bool = False) -> Select:
        statement = select(_pg.c.idea_id).where(self._match(query, any_term))
        conditions = _beyond_the_index(conditions)
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
            .limit(limits.SIMILAR_RANK_CANDIDATES if any_term else candidates_limit())
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
                .where(
                    _pg.c.document.bool_op("@@")(self._tsquery(query, [word], False, named=False))
                )
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

    def write(self, conn: Connection, rows: list[IndexRow], lang: str) -> None:
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
            {"cfg": w.LANGUAGES[lang], "body": body, "budget": limits.COMMENT_CHARS, "id": idea_id},
        )

    def remove_stale(self, conn: Connection) -> None:
        pass  # the foreign key removes an idea's row with the idea


def backend(bind=None) -> _SQLite | _Postgres:
    name = (bind or db.session.get_bind()).dialect.name
    return _Postgres() if name == "postgresql" else _SQLite()
