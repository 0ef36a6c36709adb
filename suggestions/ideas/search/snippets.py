"""Snippets for a result page: the title with the matched words marked, and a short passage
around the first match (in the text, else in a comment). Every piece of user text is escaped
before the marks are added.

What an idea's title and text give for a search's words is kept per process (``core.cache``),
keyed by the language, the words' stems and a digest of the title and text: an edit is another
key, so a kept snippet is never stale, and it holds nothing of the viewer. A passage found in a
comment is looked up each time (comments come and go without changing the idea's text)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from hashlib import blake2b

from markupsafe import Markup, escape
from sqlalchemy import func, select

from ...core.cache import fragments
from ...core.extensions import db
from .. import words as w
from ..models import Comment, Idea
from .query import SearchQuery, language


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


def _digest(fields: tuple[str, ...]) -> bytes:
    """Tells an idea's title and text apart from any other (the key holds no whole texts)."""
    digest = blake2b(digest_size=16)
    for field in fields:
        digest.update(field.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")  # no two splits of the same characters give one digest
    return digest.digest()


def _marked(fields: tuple[str, ...], stems: frozenset[str], lang: str):
    """The title marked, whether a word matched in it, and a passage from the text or None."""
    title, *text = fields
    passage = None
    for field in text:
        passage = excerpt(field, stems, lang)
        if passage:
            break
    return (*_highlight(title, stems, lang), passage)


def snippets(query: SearchQuery, ideas: Sequence[Idea]) -> dict[int, Snippet]:
    """For each idea on a result page: the title marked, and where the words were found.
    ``ideas``: ideas, or rows with their id, title, problem, proposal and benefit."""
    lang = query.language
    stems = frozenset(query.stems)
    result: dict[int, Snippet] = {}
    in_comments: list[int] = []
    kept = fragments("snippets")
    for idea in ideas:
        fields = (idea.title, idea.problem or "", idea.proposal or "", idea.benefit or "")
        key = (lang, stems, _digest(fields))
        marked = kept.get(key, lambda fields=fields: _marked(fields, stems, lang))
        title, title_matched, passage = marked
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
