"""Every string the code marks for translation has a German translation: a string that is
missing shows up in English in the middle of a German page, and no page test notices."""

import re
from collections import Counter
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "suggestions/translations/de/LC_MESSAGES/messages.po"
METHODS = [("suggestions/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {
    "_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
    "pgettext": ((1, "c"), 2),
}  # fmt: skip


def _marked_strings() -> set[tuple[str | None, str]]:
    """(context, message) of every marked string."""
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, options_map={"**.html": {}}
    ):
        found.add((context, message[0] if isinstance(message, tuple) else message))
    return found


def test_every_marked_string_has_a_german_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    translated = {
        (message.context, message.id[0] if isinstance(message.id, tuple) else message.id)
        for message in catalogue
        if message.id
        and not message.fuzzy
        and all(message.string if isinstance(message.string, tuple) else [message.string])
    }
    missing = sorted(_marked_strings() - translated, key=str)
    assert missing == []


def test_no_message_is_in_the_catalogue_twice():
    # The catalogue keeps the first of two entries with the same text: a word that means two
    # things ("Report": a kind of document, and "report to moderation") shows the first
    # meaning everywhere. Such words carry a context (pgettext) instead.
    entries = re.findall(
        r'^(?:msgctxt "(.*)"\n)?msgid "(.*)"\n((?:".*"\n)*)', CATALOGUE.read_text("utf-8"), re.M
    )
    counted = Counter((context, first + rest) for context, first, rest in entries)
    assert [entry for entry, n in counted.items() if n > 1 and entry[1]] == []
