"""Moderation and internal notes in a real browser. Otto writes a comment with a phone number
on Erika's idea; Erika reports it; Adam (admin, so a moderator) takes it from the queue to
hidden: Erika sees the reason in its place, Otto sees his words, changes them and asks for a
review; Adam shows it again. Hanna, head of the owning department, writes an internal note
and picks Lea from the suggestions while typing "@Le"; Lea is told, Erika sees none of it."""

import re

import pytest
from playwright.sync_api import expect

from . import steps

pytestmark = pytest.mark.browser

NUMBER = "0171 5550 123"


def test_a_reported_comment_goes_from_the_queue_to_hidden_and_back(data, browse):
    otto = browse(data.otto)
    otto.goto(f"/ideas/{data.erikas_idea}")
    steps.comment(otto, f"Call Frau Meier directly: {NUMBER}")

    erika = browse(data.erika)
    erika.goto(f"/ideas/{data.erikas_idea}")
    comment = erika.page.locator(".comment").filter(has_text=NUMBER)
    comment.get_by_role("link", name="Report").click()
    erika.page.get_by_label("What is wrong?").select_option("personal_data")
    erika.page.get_by_role("button", name="Send report").click()
    expect(erika.page.locator(".flashes")).to_contain_text("Moderation will look at it.")
    erika.check()

    adam = browse(data.adam)
    steps.navigate(adam, "Moderation")  # under "More" below 1600 px
    adam.page.wait_for_url(re.compile(r"/moderation$"))
    row = adam.page.locator("tbody tr").filter(has_text="Comment on")
    expect(row).to_contain_text("Personal data")
    row.get_by_role("link").click()
    adam.page.get_by_label("Reason shown in its place").select_option("personal_data")
    adam.page.get_by_role("button", name="Hide").click()
    expect(adam.page.locator(".flashes")).to_contain_text("Hidden.")
    adam.check()

    erika.goto(f"/ideas/{data.erikas_idea}")
    expect(erika.page.locator(".comments")).to_contain_text("Hidden by moderation: personal data")
    expect(erika.page.locator(".comments")).not_to_contain_text(NUMBER)

    otto.goto(f"/ideas/{data.erikas_idea}")
    mine = otto.page.locator(".comment").filter(has_text="Hidden by moderation")
    expect(mine).to_contain_text(NUMBER)  # the author still reads his own words
    mine.get_by_role("link", name="Change your comment").click()
    otto.page.get_by_label("Your comment").fill("Call the service desk.")
    otto.page.get_by_role("button", name="Save").click()
    otto.page.locator(".comment").filter(has_text="Call the service desk.").get_by_role(
        "button", name="Ask moderation for a review"
    ).click()
    expect(otto.page.locator(".flashes")).to_contain_text("Moderation will look at it again.")
    otto.check()

    adam.goto("/moderation")
    row = adam.page.locator("tbody tr").filter(has_text="review asked for")
    row.get_by_role("link").click()
    expect(adam.page.locator(".timeline")).to_contain_text("Otto Other asked for a review")
    adam.page.get_by_role("button", name="Show again").click()
    expect(adam.page.locator(".flashes")).to_contain_text("Shown again.")
    adam.check()

    erika.goto(f"/ideas/{data.erikas_idea}")
    expect(erika.page.locator(".comments")).to_contain_text("Call the service desk.")
    expect(erika.page.locator(".comments")).not_to_contain_text("Hidden by moderation")


def test_a_head_mentions_a_colleague_in_an_internal_note(data, browse):
    hanna = browse(data.hanna)
    hanna.goto(f"/ideas/{data.erikas_idea}")
    note = hanna.page.get_by_role("textbox", name="Internal note")
    note.fill("Legal checked it. @Le")
    suggestion = hanna.page.locator(".mention-suggestions [data-mention]")
    expect(suggestion).to_have_text("@Lea Leader")
    suggestion.click()
    expect(note).to_have_value("Legal checked it. @Lea Leader ")
    note.press_sequentially("please decide.")
    hanna.page.get_by_role("button", name="Save internal note").click()
    expect(hanna.page.locator(".flashes")).to_contain_text("Lea Leader is told.")
    expect(hanna.page.locator("#internal-notes")).to_contain_text("please decide.")
    hanna.check()

    lea = browse(data.lea)
    lea.goto("/notifications")
    expect(lea.page.locator("li.notification").first).to_contain_text(
        "Hanna Head mentioned you in an internal note"
    )
    erika = browse(data.erika)
    erika.goto(f"/ideas/{data.erikas_idea}")
    expect(erika.page.locator("body")).not_to_contain_text("Legal checked it.")
    expect(erika.page.locator("#internal-notes")).to_have_count(0)
