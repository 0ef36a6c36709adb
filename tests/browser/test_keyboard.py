"""Keyboard only: the skip link, submitting an idea, voting and commenting, without a mouse.
Every element that takes the focus shows it, and the focus moves in reading order."""

import re

import pytest
from playwright.sync_api import expect

from . import steps
from .visitor import Visitor

pytestmark = pytest.mark.browser

# Whatever has the focus: its id (or text), whether a focus ring is drawn, whether it is on
# screen and not hidden under the sticky top bar.
FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const ring = style.boxShadow !== "none" ||
                 (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0);
    const box = el.getBoundingClientRect();
    const bar = document.querySelector(".topbar").getBoundingClientRect();
    const inBar = !!el.closest(".topbar") || el.classList.contains("skip-link");
    return {id: el.id || el.textContent.trim().slice(0, 40), tag: el.tagName.toLowerCase(),
            ring, inMain: !!el.closest("main"),
            onScreen: box.bottom > 0 && box.top < innerHeight && box.width > 0,
            underTheBar: !inBar && box.top < bar.bottom};
}"""


def tab(v: Visitor, key: str = "Tab") -> dict:
    v.page.keyboard.press(key)
    focused = v.page.evaluate(FOCUSED)
    assert focused["ring"], f"no visible focus on {focused}"
    assert focused["onScreen"], f"the focus is off screen: {focused}"
    assert not focused["underTheBar"], f"the sticky top bar hides the focus: {focused}"
    return focused


def tab_to(v: Visitor, element_id: str, limit: int = 40) -> None:
    for _ in range(limit):
        if tab(v)["id"] == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def test_skip_link_leads_to_the_content(data, browse):
    erika = browse(data.erika)
    erika.goto("/ideas/new")
    first = tab(erika)
    assert first["tag"] == "a" and first["id"] == "Skip to content"
    expect(erika.page.locator(".skip-link")).to_be_in_viewport()
    erika.page.keyboard.press("Enter")
    # The page jumped to the content, and its heading is not hidden under the sticky bar.
    heading_top = erika.page.locator("main h1").bounding_box()["y"]
    bar = erika.page.locator(".topbar").bounding_box()
    assert heading_top >= bar["y"] + bar["height"], (heading_top, bar)
    after = tab(erika)
    assert after["inMain"], after  # the header's links are skipped


def test_submit_vote_and_comment_with_the_keyboard_only(data, browse):
    erika = browse(data.erika)
    page = erika.page
    erika.goto("/ideas/new")
    tab(erika)  # the skip link
    page.keyboard.press("Enter")

    # The form's fields come in the order they are read, and each can be filled by keys.
    order = []
    entries = {
        "title": "Printer paper without an approval",
        "problem": "Ordering paper needs a signature from the head.",
        "proposal": "Everyone may order paper.",
        "benefit": "No waiting, no running around.",
        "hours_lost_per_month": "3",
    }
    while True:
        focused = tab(erika)
        if focused["tag"] == "button":
            break
        order.append(focused["id"])
        if focused["id"] in entries:
            page.keyboard.type(entries[focused["id"]])
        elif focused["id"] == "affected_departments-2":  # Sales
            page.keyboard.press("Space")
    assert order == [
        "title", "problem", "proposal", "benefit", "category", "owning_department",
        "affected_departments-0", "affected_departments-1", "affected_departments-2",
        "ledger_q", "hours_lost_per_month", "customer_facing", "anonymous",
    ]  # fmt: skip
    assert focused["id"] == "Submit idea"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ideas/\d+(#main)?$"))  # the skip link's #main stays on
    idea_id = int(re.search(r"/ideas/(\d+)", page.url).group(1))
    expect(page.locator("h1")).to_have_text("Printer paper without an approval")
    expect(page.locator(".facts")).to_contain_text("Sales")

    # Vote: Enter presses the button, the count changes in place, the focus stays on it.
    erika.goto(f"/ideas/{data.popular_idea}")
    tab_to(erika, f"vote-button-{data.popular_idea}")
    page.keyboard.press("Enter")
    button = page.locator(f"#vote-button-{data.popular_idea}")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_be_focused()
    steps.settled(erika, f"#vote-{data.popular_idea}")
    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_be_focused()

    # Comment: reach the box, send it empty by mistake: the focus comes back to the box, which
    # is marked and described by its error. Write, Tab to the button, Enter.
    erika.goto(f"/ideas/{idea_id}")
    tab_to(erika, "body")
    assert tab(erika)["id"] == "Post comment"
    page.keyboard.press("Enter")
    body = page.locator("#body")
    expect(body).to_be_focused()
    expect(body).to_have_attribute("aria-invalid", "true")
    expect(body).to_have_attribute("aria-describedby", re.compile(r"\bbody-error\b"))
    expect(page.locator("#body-error")).to_have_text("Please fill in this field.")
    page.keyboard.type("Paper is cheaper than the signature.")
    assert tab(erika)["id"] == "Post comment"
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("Your comment is posted.")
    expect(page.locator(".comment")).to_contain_text("Paper is cheaper than the signature.")


def test_every_decision_action_opens_with_the_keyboard(data, browse):
    """The folded actions of the decision panel: Tab to "More actions", Enter opens it, each
    action inside opens with Enter and its form takes the focus next."""
    hanna = browse(data.hanna)
    page = hanna.page
    hanna.goto(f"/ideas/{data.erikas_idea}")
    tab_to(hanna, "Start review")
    assert tab(hanna)["id"] == "More actions"
    page.keyboard.press("Enter")
    folded = page.locator("#decision details.more-actions details.action > summary")
    labels = [label.strip() for label in folded.all_inner_texts()]
    assert "Decline" in labels and "Hand over to another department" in labels
    for label in labels:
        tab_to(hanna, label, limit=10)
        page.keyboard.press("Enter")
        action = page.locator("#decision details.action", has_text=label)
        expect(action.locator("form")).to_be_visible()
        page.keyboard.press("Enter")  # closed again: the next action is one Tab away
        expect(action.locator("form")).to_be_hidden()
    hanna.check()
