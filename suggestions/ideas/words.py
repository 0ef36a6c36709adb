"""Words for search: how text is split, which words are too common to count, and stemming.

The index and the query go through the same functions, so whatever a person types meets the
stored text in the same form. Only letters and digits ever leave this module: nothing a person
types can reach a search engine's query syntax.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

LANGUAGES = {"de": "german", "en": "english"}

# Letters and digits, in any script. Underscores, quotes, operators and punctuation separate.
_WORD = re.compile(r"[^\W_]+")
# Combining accents after NFD: removed so "café" meets "cafe". German umlauts are dealt with by
# the German stemmer itself (it folds ä, ö, ü), so folding happens after stemming.
_COMBINING = re.compile("[\u0300-\u036f]")
# A longer "word" is a hash, a URL fragment or noise; it would only bloat the index.
MAX_WORD_CHARS = 60

# The Snowball stop word lists (the ones PostgreSQL ships for its "english" and "german"
# configurations), so both databases drop the same words.
_STOP_EN = """
a about above after again against all am an and any are as at be because been before being
below between both but by can did do does doing don down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over
own same she should so some such t than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who
whom why will with you your yours yourself yourselves s
"""
_STOP_DE = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
anderm andern anderr anders auch auf aus bei bin bis bist da damit dann der den des dem die das
dass daß derselbe derselben denselben desselben demselben dieselbe dieselben dasselbe dazu dein
deine deinem deinen deiner deines denn derer dessen dich dir du dies diese diesem diesen dieser
dieses doch dort durch ein eine einem einen einer eines einig einige einigem einigen einiger
einiges einmal er ihn ihm es etwas euer eure eurem euren eurer eures für gegen gewesen hab habe
haben hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren ihrer ihres euch im in
indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein keine
keinem keinen keiner keines können könnte machen man manche manchem manchen mancher manches mein
meine meinem meinen meiner meines mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr
sein seine seinem seinen seiner seines selbst sich sie ihnen sind so solche solchem solchen
solcher solches soll sollte sondern sonst über um und uns unsere unserem unseren unser unseres
unter viel vom von vor während war waren warst was weg weil weiter welche welchem welchen welcher
welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte würde würden zu zum zur
zwar zwischen
"""
STOP_WORDS = {"en": frozenset(_STOP_EN.split()), "de": frozenset(_STOP_DE.split())}

# Snowball stemmers keep state while they work: one per thread (waitress and gthread serve
# requests from several threads at once).
_local = threading.local()


def _stemmer(language: str):
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(LANGUAGES[language])
    return stemmers[language]


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def fold(text: str) -> str:
    """Without accents; the form stems are stored and compared in. Composed again afterwards,
    so a mark outside the accents (Arabic, Indic) stays part of its letter."""
    return unicodedata.normalize("NFC", _COMBINING.sub("", unicodedata.normalize("NFD", text)))


def words(text: str | None) -> list[str]:
    """The words of a text, lower-cased, in order (stop words included)."""
    return _WORD.findall(normalise(text or ""))


def is_searchable(word: str, language: str) -> bool:
    return len(word) <= MAX_WORD_CHARS and word not in STOP_WORDS[language]


@lru_cache(maxsize=100_000)
def stem(word: str, language: str) -> str:
    """The stem of one normalised word: "genehmigungen" -> "genehmig", "approvals" -> "approv"."""
    return fold(_stemmer(language).stemWord(word))


def stems(text: str | None, language: str) -> list[str]:
    """The stems of every searchable word, in order: what the SQLite index stores."""
    return [stem(w, language) for w in words(text) if is_searchable(w, language)]


@lru_cache(maxsize=100_000)
def token_stems(token: str, language: str) -> tuple[str, ...]:
    """Stems of one token as it appears in a text (before normalising): for marking matches.
    Usually one; more when normalising splits it (a ligature, a fraction)."""
    return tuple(stem(part, language) for part in words(token))
