"""Steps several journeys share, done the way a person does them (click, type, read)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from .visitor import Visitor

PROBLEM = "Three signatures for a stapler."


def fill_idea_form(
    v: Visitor, *, title: str, problem: str = PROBLEM,
    proposal: str = "Team leads approve small purchases.",
    benefit: str = "An hour a week for every team.", category: str | None = None,
    also_affects: tuple[str, ...] = (), anonymous: bool = False,
) -> None:  # fmt: skip
    page = v.page
    page.fill("#title", title)
    page.fill("#problem", problem)
    page.fill("#proposal", proposal)
    page.fill("#benefit", benefit)
    if category:
        page.select_option("#category", label=category)
    for department in also_affects:
        page.locator("#affected_departments").get_by_label(department, exact=True).check()
    if anonymous:
        page.check("#anonymous")


def submit_idea(v: Visitor, title: str, **fields) -> int:
    """From any page: the "New idea" button, the form, the idea page. Returns the idea's id."""
    v.page.locator(".topbar").get_by_role("link", name="New idea").click()
    # Typing asks for similar ideas after a pause; leaving the page while that request is on
    # its way would abort it (htmx logs that as an error). Let the answer to what was typed
    # arrive first, as a person would.
    typed = {"title": [title], "problem": [fields.get("problem", PROBLEM)]}

    def asks_about_what_was_typed(response) -> bool:
        url = urlsplit(response.url)
        asked = parse_qs(url.query, keep_blank_values=True)
        same = all(asked.get(key) == want for key, want in typed.items())
        return url.path == "/ideas/similar" and same

    with v.page.expect_response(asks_about_what_was_typed):
        fill_idea_form(v, title=title, **fields)
    expect(v.page.locator(".htmx-request")).to_have_count(0)  # swapped in, nothing on its way
    v.page.locator("main form.idea-form button[type=submit]").click()
    v.page.wait_for_url(re.compile(r"/ideas/\d+$"))
    expect(v.page.locator("h1")).to_have_text(title)
    v.check()
    return int(v.page.url.rsplit("/", 1)[1])


def vote(v: Visitor, idea_id: int, *, expect_count: int) -> None:
    """Press the vote button and see it change in place: no page load happens (htmx)."""
    page = v.page
    page.evaluate("window.__sameDocument = true")
    button = page.locator(f"#vote-button-{idea_id}")
    was = button.get_attribute("aria-pressed")
    button.click()
    now = "false" if was == "true" else "true"
    expect(page.locator(f"#vote-button-{idea_id}")).to_have_attribute("aria-pressed", now)
    expect(page.locator(f"#vote-{idea_id} .vote-count")).to_have_text(str(expect_count))
    settled(v, f"#vote-{idea_id}")
    assert page.evaluate("window.__sameDocument") is True, "the vote reloaded the page"
    v.check()


def settled(v: Visitor, selector: str) -> None:
    """Wait until htmx has taken over what it swapped in (about 20 ms after the swap)."""
    expect(v.page.locator(selector)).not_to_have_class(re.compile(r"\bhtmx-added\b"))


def comment(v: Visitor, text: str) -> None:
    """Write a comment on the open idea page and see it posted."""
    v.page.fill("#body", text)
    v.page.locator(".comment-form button[type=submit]").click()
    v.page.wait_for_url(re.compile(r"#comments$"))
    v.check()


def open_idea_from_list(v: Visitor, title: str) -> int:
    v.page.locator(".mainnav").get_by_role("link").first.click()  # "Ideas", in any language
    v.page.wait_for_url(re.compile(r"/ideas$"))
    card = v.page.locator("article.idea-card").filter(has_text=title)
    card.get_by_role("link", name=title).click()
    v.page.wait_for_url(re.compile(r"/ideas/\d+$"))
    v.check()
    return int(v.page.url.rsplit("/", 1)[1])


def navigate(v: Visitor, name: str) -> None:
    """Follow a link of the main navigation. On a phone the places beyond the first three sit
    under "More"."""
    nav = v.page.locator(".mainnav")
    link = nav.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        nav.locator(".nav-more summary").click()
    href = link.get_attribute("href")
    link.click()
    v.page.wait_for_url(lambda url: urlsplit(url).path == href)
    v.check()


def open_action(page, details) -> None:
    """Open one action of the decision panel, opening "More actions" first when it is folded
    there (as a person would)."""
    summary = details.locator(":scope > summary")
    if not summary.is_visible():
        page.locator("#decision details.more-actions > summary").click()
    summary.click()


def decide(v: Visitor, action: str, fields: dict[str, str] | None = None) -> None:
    """On the open idea page: open one action of the decision panel, fill its form (labels to
    values; a select is chosen by its visible text) and send it."""
    page = v.page
    details = page.locator(
        "#decision details.action", has=page.locator(f"form[action$='/{action}']")
    )
    form = details.locator("form")
    open_action(page, details)
    expect(form).to_be_visible()
    for label, value in (fields or {}).items():
        control = form.get_by_label(label, exact=True)
        if control.evaluate("el => el.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    v.check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator(".flashes .flash-success")).to_be_visible()  # not a form error
    v.check()
