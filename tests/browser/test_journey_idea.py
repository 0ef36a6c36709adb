"""The core loop, on a desktop and on a phone: an employee submits an idea (a mistake first),
finds it in the list, votes without a page load and comments; a colleague from another
department supports and discusses it; the author sees both."""

import re

import pytest
from playwright.sync_api import expect

from . import steps

pytestmark = pytest.mark.browser

TITLE = "Team leads approve purchases up to 200 francs"


def test_an_idea_gathers_support_across_departments(data, browse, device):
    erika = browse(data.erika, device)
    page = erika.page

    # A title that is too short: the form says so next to the field, keeps everything typed,
    # and a screen reader hears it (a focused alert; the field is described by its error).
    page.locator(".topbar").get_by_role("link", name="New idea").click()
    steps.fill_idea_form(erika, title="Pens", category="Red tape", also_affects=("Sales",))
    page.get_by_role("button", name="Submit idea").click()
    expect(page.get_by_role("alert")).to_contain_text("Please check the marked fields")
    expect(page.get_by_role("alert")).to_be_focused()  # read out first; Tab leads on
    title = page.locator("#title")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_attribute("aria-describedby", re.compile(r"\btitle-error\b"))
    expect(page.locator("#title-error")).to_have_text("Use between 5 and 150 characters.")
    expect(page.locator("#problem")).to_have_value("Three signatures for a stapler.")
    expect(page.get_by_label("Sales", exact=True)).to_be_checked()
    erika.check()

    title.fill(TITLE)
    page.get_by_role("button", name="Submit idea").click()
    page.wait_for_url(re.compile(r"/ideas/\d+$"))
    idea_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".flashes")).to_contain_text("Thank you!")
    expect(page.locator(".idea-head .author")).to_have_text("Erika Employee")
    erika.check()

    # In the list, with the others; the vote changes in place.
    assert steps.open_idea_from_list(erika, TITLE) == idea_id
    page.go_back()
    card = page.locator("article.idea-card").filter(has_text=TITLE)
    expect(card).to_have_count(1)
    expect(page.locator("article.idea-card")).to_have_count(4)
    steps.vote(erika, idea_id, expect_count=1)
    card.get_by_role("link", name=TITLE).click()
    expect(page.locator(f"#vote-button-{idea_id}")).to_have_attribute("aria-pressed", "true")
    steps.comment(erika, "The form alone costs me **ten minutes** each time.")
    expect(page.locator(".flashes")).to_contain_text("Your comment is posted.")
    mine = page.locator(".comment").filter(has_text="The form alone costs me")
    expect(mine.locator("strong").first).to_have_text("Erika Employee")
    expect(mine.locator(".prose strong")).to_have_text("ten minutes")  # Markdown, rendered

    # A colleague from Sales finds it, supports it and joins the discussion.
    otto = browse(data.otto, device)
    assert steps.open_idea_from_list(otto, TITLE) == idea_id
    expect(otto.page.locator(f"#vote-button-{idea_id}")).to_have_attribute("aria-pressed", "false")
    steps.vote(otto, idea_id, expect_count=2)
    steps.comment(otto, "Sales waits for the same approvals. +1")
    his = otto.page.locator(".comment").filter(has_text="Sales waits")
    expect(his.locator(".comment-head")).to_contain_text("Otto Other")
    expect(his.locator(".comment-head")).to_contain_text("Sales")
    expect(otto.page.locator("#comments-title")).to_have_text("2 comments")

    # The author sees it all on her next visit.
    erika.goto(f"/ideas/{idea_id}")
    expect(page.locator(f"#vote-{idea_id} .vote-count")).to_have_text("2")
    expect(page.locator(".comment")).to_have_count(2)
    expect(page.locator(".comment").last).to_contain_text("Otto Other")
