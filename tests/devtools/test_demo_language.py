"""The demo speaks one language per idea: a German idea is discussed, decided and promised in
German, an English one in English (no "We do it:" in front of a German proposal)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from suggestions.core.extensions import db
from suggestions.ideas.models import Comment, Idea, IdeaEvent
from suggestions.workflow.models import Commitment


@pytest.mark.demo
def test_every_text_on_an_idea_is_in_the_language_of_the_idea(app):
    ideas = {i.id: i for i in db.session.scalars(select(Idea))}
    language = {i.id: _language(i.title, i.problem, i.proposal) for i in ideas.values()}
    assert set(language.values()) == {"de", "en"}

    texts = [(c.idea_id, c.promise) for c in db.session.scalars(select(Commitment))]
    texts += [(e.idea_id, e.written_note) for e in db.session.scalars(select(IdeaEvent))]
    texts += [(c.idea_id, c.body) for c in db.session.scalars(select(Comment))]
    texts += [(i.id, i.change_summary) for i in ideas.values()]
    mixed = [
        (ideas[idea_id].title, text)
        for idea_id, text in texts
        if text and _words_of(_other(language[idea_id]), text)
    ]
    assert mixed == []


ENGLISH = {"the", "and", "is", "with", "we", "our", "it", "do", "done"}
GERMAN = {"der", "die", "das", "und", "ist", "wir", "mit", "nicht", "für"}


def _language(*texts: str) -> str:
    words = " ".join(texts).lower().split()
    german = sum(w in GERMAN or any(c in w for c in "äöüß") for w in words)
    return "de" if german > sum(w in ENGLISH for w in words) else "en"


def _other(language: str) -> set[str]:
    return ENGLISH if language == "de" else GERMAN


def _words_of(vocabulary: set[str], text: str) -> set[str]:
    """The words of ``vocabulary`` in ``text`` (another language's common words)."""
    return vocabulary & set(text.lower().replace(":", " ").replace(",", " ").split())
