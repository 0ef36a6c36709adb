"""A mail is in its recipient's language from the first line to the footer: every string the
mail templates translate has a German entry, and a German mail carries no English part."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext, ngettext

from suggestions.notify.mail_content import render

MAIL_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "notify" / "mail"
# _('...'), gettext('...') and the singular of ngettext('...', '...', n) in the templates.
MSGID = re.compile(r"""\b(_|gettext|ngettext)\(\s*(['"])(.+?)\2""")


def _template_msgids() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(MAIL_TEMPLATES.iterdir()):
        for call, _quote, msgid in MSGID.findall(path.read_text(encoding="utf-8")):
            found.append((path.name, call, msgid))
    return found


@pytest.mark.parametrize(("template", "call", "msgid"), _template_msgids())
def test_every_string_of_the_mail_templates_has_a_german_translation(app, template, call, msgid):
    with app.app_context(), force_locale("de"):
        german = ngettext(msgid, msgid, 2) if call == "ngettext" else gettext(msgid)
    assert german != msgid, f"{template}: no German for {msgid!r}"


def test_a_german_notification_mail_ends_with_a_german_footer(app):
    with app.app_context():
        text, html = render(
            "notification", "de", headline="Hanna Head hat geantwortet", note=None, quote=None,
            link="https://freiraum.example/ideas/1", link_label="Idee öffnen",
            reason="Sie folgen dieser Idee.", settings_link="https://freiraum.example/s",
            language="de",
        )  # fmt: skip
    footer = text.split("\n-- \n", 1)[1]
    assert "Wählen Sie, was Sie erhalten und wie: https://freiraum.example/s" in footer
    for part in (text, html):
        assert "Choose what you receive" not in part


def test_a_german_digest_ends_with_a_german_footer(app):
    with app.app_context():
        text, html = render(
            "digest", "de", items=[], more=0, ideas=[], reason="Wöchentlich.",
            settings_link="https://freiraum.example/s", all_link="https://freiraum.example/n",
            language="de",
        )  # fmt: skip
    assert "Wählen Sie, was Sie erhalten und wie: https://freiraum.example/s" in text
    for part in (text, html):
        assert "Choose what you receive" not in part and "Your week" not in part
