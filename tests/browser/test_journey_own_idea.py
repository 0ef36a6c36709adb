"""An author's own idea: edit it while it is new (the page says it was edited, the timeline
shows it), then withdraw it with a note. Others still see it, with its history, and can no
longer vote or comment."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_edit_then_withdraw_an_idea(data, browse, device):
    erika = browse(data.erika, device)
    page = erika.page
    erika.goto(f"/ideas/{data.erikas_idea}")

    page.locator(".side-actions").get_by_role("link", name="Edit").click()
    expect(page.locator("#title")).to_have_value("One form for address changes")
    erika.check()
    page.fill("#title", "One form for every change of address")
    page.get_by_label("Sales", exact=True).check()
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(rf"/ideas/{data.erikas_idea}$"))
    expect(page.locator("h1")).to_have_text("One form for every change of address")
    expect(page.locator(".flashes")).to_contain_text("Your changes are saved.")
    expect(page.locator(".idea-head")).to_contain_text("edited")
    expect(page.locator(".timeline li")).to_have_count(2)
    expect(page.locator(".timeline li").last).to_contain_text("edited the idea")
    expect(page.locator(".facts")).to_contain_text("Sales")
    erika.check()

    withdraw = page.locator("details.action", has=page.locator("form[action$='/withdraw']"))
    withdraw.locator("summary").click()
    withdraw.get_by_label("Note (optional)").fill("The new CRM already does this.")
    erika.check()
    withdraw.get_by_role("button", name="Withdraw my idea").click()
    expect(page.locator(".flashes")).to_contain_text("Your idea is withdrawn.")
    expect(page.locator(".facts .badge")).to_have_text("Withdrawn")
    expect(page.locator(".timeline blockquote")).to_have_text("The new CRM already does this.")
    expect(page.locator(".side-actions")).to_have_count(0)  # no more editing
    expect(page.locator("form[action$='/withdraw']")).to_have_count(0)
    erika.check()

    otto = browse(data.otto, device)
    otto.goto(f"/ideas/{data.erikas_idea}")
    expect(otto.page.locator(".idea-meta .badge")).to_have_text("Withdrawn")
    expect(otto.page.locator(f"#vote-button-{data.erikas_idea}")).to_be_disabled()
    expect(otto.page.locator(".comment-form")).to_have_count(0)
    otto.goto("/ideas?status=withdrawn")
    expect(otto.page.locator("article.idea-card")).to_have_count(1)
