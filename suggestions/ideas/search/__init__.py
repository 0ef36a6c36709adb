"""Full-text search over ideas and their comments, and similar ideas for duplicates.

One index row per idea, in three weighted parts: the title, the idea's text (problem, proposal,
benefit) and its comments. A title match ranks above a match in the text, which ranks above a
match in a comment.

The two databases differ only inside ``backends``:

- SQLite: an FTS5 table ``idea_search`` (rowid = idea id) holding *stems* made in Python
  (Snowball, German or English), because FTS5 itself stems only English. A query is stemmed the
  same way and every term is quoted, so no user text reaches the MATCH syntax. Ranked by
  where the words are (title, text), read from each candidate's stored stems.
- PostgreSQL: a table ``idea_search`` with a weighted ``tsvector`` (A title, B text, D comments)
  and a GIN index; the stemming is PostgreSQL's own "german" or "english" configuration. Ranked
  by ts_rank.

The index is kept in step inside the transaction that changes an idea or comment (a listener on
the app's session, registered by ``init_app``); ``reindex_idea`` and ``remove_from_index`` are
for changes the listener cannot see (raw SQL, moderation), ``rebuild_index`` for the command
line.

Costs stay bounded at any size: a relevance ranking looks at the newest ``RANK_CANDIDATES``
matches at most (and the list says so), counts stop at the list's cap, and similar ideas are
found through a few rare words of the draft rather than all of them.

The parts, one module each: ``query`` (what a person typed), ``backends`` (SQLite FTS5 and
PostgreSQL), ``ranking`` (counts, conditions, a ranked page), ``similar`` (similar ideas and
likely duplicates), ``snippets`` (marked passages, escaped), ``index`` (keeping it in step) and
``limits`` (what a search may cost). The names other packages use are importable from here.
"""

from __future__ import annotations

from .index import init_app, rebuild_index, reindex_idea, remove_from_index
from .limits import MAX_QUERY_CHARS, MAX_QUERY_TERMS, RANK_CANDIDATES, SEARCH_COUNT_CAP
from .query import SearchQuery, language, parse_query
from .ranking import count_matches, kept_statement, match_condition, ranked_page
from .similar import OPEN_STATUSES, relevant, similar_ideas, similar_to_text
from .snippets import Snippet, excerpt, highlight, snippets

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_QUERY_TERMS",
    "OPEN_STATUSES",
    "RANK_CANDIDATES",
    "SEARCH_COUNT_CAP",
    "SearchQuery",
    "Snippet",
    "count_matches",
    "excerpt",
    "highlight",
    "init_app",
    "kept_statement",
    "language",
    "match_condition",
    "parse_query",
    "ranked_page",
    "rebuild_index",
    "reindex_idea",
    "relevant",
    "remove_from_index",
    "similar_ideas",
    "similar_to_text",
    "snippets",
]
