"""Which language a person sees: their own choice first, then (signed out) the language
cookie, then what the browser asks for. Demo people have chosen nothing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from suggestions.auth.models import Role, User
from suggestions.core.extensions import db
from suggestions.devtools import demo

LEADER = "leader@freiraum.example"
HEAD = "head.service@freiraum.example"


def page_language(browser, url: str = "/ideas") -> str:
    html = browser.get(url).get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.demo
def test_demo_heads_and_leaders_follow_the_browser(app, new_browser):
    chosen = select(User.language).where(User.language.is_not(None), User.role != Role.EMPLOYEE)
    assert db.session.scalars(chosen).all() == []
    for email in (LEADER, HEAD):
        for asked in ("en-GB,en;q=0.9", "de-DE,de;q=0.9"):
            browser = new_browser()
            browser.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = asked
            browser.login(SimpleNamespace(email=email), password=demo.PASSWORD)
            assert page_language(browser) == asked[:2], (email, asked)


def test_a_persons_own_choice_wins_over_the_browser(app, browser, org):
    browser.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    org.head.language = None
    browser.login(org.head)
    assert page_language(browser) == "en"
    browser.post("/language", {"language": "de", "next": "/ideas"})
    assert page_language(browser) == "de"
    db.session.refresh(org.head)
    assert org.head.language == "de"
