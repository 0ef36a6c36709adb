"""What a person typed: the installation's language, and a search made safe and bounded."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, has_app_context

from .. import words as w
from . import limits

DEFAULT_LANGUAGE = "en"  # outside an application (a bare migration run): English stems


def language() -> str:
    """The installation's search language ("de" or "en"), set by SEARCH_LANGUAGE."""
    if has_app_context():
        return current_app.config["SEARCH_LANGUAGE"]
    return DEFAULT_LANGUAGE


@dataclass(frozen=True)
class SearchQuery:
    """A search as it will run: the words kept, and their stems (for matching and marks)."""

    text: str
    words: tuple[
        str, ...
    ]  # normalised, no stop words, one per stem, at most limits.MAX_QUERY_TERMS
    stems: tuple[str, ...]
    truncated: bool  # some of what was typed was left out (too long, too many words)
    language: str

    @property
    def usable(self) -> bool:
        return bool(self.stems)


def terms(source: str, lang: str, max_terms: int) -> tuple[list[str], list[str], bool]:
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
    kept = raw[: limits.MAX_QUERY_CHARS]
    found_words, found_stems, cut = terms(kept, lang, limits.MAX_QUERY_TERMS)
    truncated = cut or len(raw) > limits.MAX_QUERY_CHARS
    return SearchQuery(kept, tuple(found_words), tuple(found_stems), truncated, lang)
