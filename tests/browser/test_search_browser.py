"""Search and similar ideas in a real browser: suggestions appear while typing (htmx under the
strict CSP), "vote for this instead" lands on that idea, results show marked snippets."""

import os
from types import SimpleNamespace

import pytest

from suggestions.extensions import db
from suggestions.ideas import rules

from ..factories import make_idea
from .test_core_loop import sign_in

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SCREENSHOT_DIR")  # set it to look at the pages


def enter(page, user):
    """Sign in without keeping a transaction open here: on SQLite it would hold the write
    lock the live server needs."""
    email = user.email
    db.session.commit()
    sign_in(page, SimpleNamespace(email=email))


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_similar_ideas_appear_while_typing_and_a_vote_goes_there(page_factory, org):
    twin = make_idea(org.other_employee, department=org.sales,
                     title="Laptop replacement takes three months",
                     problem="A broken laptop means weeks without work.")  # fmt: skip
    make_idea(org.other_employee, title="Canteen menu in English")
    twin_id = twin.id
    page = page_factory()
    enter(page, org.employee)
    page.goto(page.base + "/ideas/new")
    page.evaluate("window.__sameDocument = true")
    page.locator("#title").press_sequentially("My laptop is broken", delay=20)
    page.wait_for_selector("#similar-ideas .similar-item")
    assert "Laptop replacement takes three months" in page.inner_text("#similar-ideas")
    assert "Canteen" not in page.inner_text("#similar-ideas")
    assert page.evaluate("window.__sameDocument") is True  # no reload
    shot(page, "similar-while-typing")
    page.click("#similar-ideas button:has-text('Vote for this instead')")
    page.wait_for_url(f"**/ideas/{twin_id}")
    assert page.get_attribute(f"#vote-{twin_id} button", "aria-pressed") == "true"
    assert page.console_errors == []


def test_search_results_with_marked_snippets(page_factory, org):
    idea = make_idea(org.employee, department=org.service,
                     title="Travel approvals take three signatures",
                     problem="Every <b>trip</b> needs approval from three managers.")  # fmt: skip
    other = make_idea(org.other_employee, title="Parking for visitors", problem="None left.",
                      proposal="Reserve two spaces.", benefit="Guests arrive on time.")  # fmt: skip
    rules.add_comment(other, org.head, "Visitors also wait for travel approval at reception.")
    idea_id = idea.id
    page = page_factory()
    enter(page, org.head)
    page.fill("#f-q", "approval")
    page.press("#f-q", "Enter")
    page.wait_for_url("**/ideas?q=approval*")
    cards = page.locator(".idea-card")
    assert cards.count() == 2
    shot(page, "search-results")
    assert cards.nth(0).locator("mark").first.inner_text() == "approvals"
    assert "In a comment:" in cards.nth(1).inner_text()
    assert "<b>trip</b>" in cards.nth(0).inner_text()  # shown as text, not as markup
    shot(page, "search-results")
    page.goto(f"{page.base}/ideas/{idea_id}")
    shot(page, "idea-with-duplicate-hints")
    assert page.console_errors == []
