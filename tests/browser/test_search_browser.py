"""Search and similar ideas in a real browser: suggestions appear while typing (htmx under the
strict CSP), "vote for this instead" lands on that idea, results show marked snippets."""

import re

import pytest
from playwright.sync_api import expect

from suggestions.auth.models import User
from suggestions.core.extensions import db
from suggestions.ideas import rules

from ..factories import make_idea

pytestmark = pytest.mark.browser


def test_similar_ideas_appear_while_typing_and_a_vote_goes_there(data, browse, site):
    with site.database():
        otto = db.session.get(User, data.otto.id)
        twin_id = make_idea(otto, title="Laptop replacement takes three months",
                            problem="A broken laptop means weeks without work.").id  # fmt: skip
        make_idea(otto, title="Canteen menu in English")
    erika = browse(data.erika)
    page = erika.page
    erika.goto("/ideas/new")
    page.evaluate("window.__sameDocument = true")
    page.locator("#title").press_sequentially("My laptop is broken", delay=20)
    page.wait_for_selector("#similar-ideas .similar-item")
    similar = page.locator("#similar-ideas")
    expect(similar).to_contain_text("Laptop replacement takes three months")
    expect(similar).not_to_contain_text("Canteen")
    assert page.evaluate("window.__sameDocument") is True  # no reload
    erika.screenshot("similar-while-typing")
    similar.get_by_role("button", name=re.compile("Vote for this instead")).first.click()
    page.wait_for_url(re.compile(rf"/ideas/{twin_id}$"))
    expect(page.locator(f"#vote-button-{twin_id}")).to_have_attribute("aria-pressed", "true")
    erika.check()


def test_search_results_with_marked_snippets(data, browse, site):
    with site.database():
        erika = db.session.get(User, data.erika.id)
        otto = db.session.get(User, data.otto.id)
        hanna = db.session.get(User, data.hanna.id)
        make_idea(erika, title="Travel approvals take three signatures",
                  problem="Every <b>trip</b> needs approval from three managers.")  # fmt: skip
        other = make_idea(
            otto, title="Parking for visitors", problem="None left.",
            proposal="Reserve two spaces.", benefit="Guests arrive on time.",
        )  # fmt: skip
        rules.add_comment(other, hanna, "Visitors also wait for travel approval at reception.")
    head = browse(data.hanna)
    page = head.page
    head.goto("/ideas")
    page.fill("#f-q", "approval")
    page.press("#f-q", "Enter")
    page.wait_for_url(re.compile(r"/ideas\?q=approval"))
    cards = page.locator(".idea-card")
    expect(cards).to_have_count(2)
    head.screenshot("search-results")
    expect(cards.nth(0).locator("mark").first).to_have_text("approvals")
    expect(cards.nth(1)).to_contain_text("In a comment:")
    expect(cards.nth(0)).to_contain_text("<b>trip</b>")  # shown as text, not as markup
    head.check()
