"""The core loop in a real browser: sign in, submit (with a mistake), vote without reload,
comment, and the phone layout. CSP violations show up as console errors and fail the test."""

import pytest

from suggestions.extensions import db

from ..factories import PASSWORD, make_idea

pytestmark = pytest.mark.browser


def sign_in(page, user):
    page.goto(page.base + "/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/ideas")


def test_submit_an_idea_after_fixing_a_mistake(page_factory, org):
    db.session.commit()
    page = page_factory()
    sign_in(page, org.employee)
    page.click("text=New idea")
    page.fill("#title", "Hi")  # too short
    page.fill("#problem", "Three signatures for a stapler.")
    page.fill("#proposal", "Team leads approve small purchases.")
    page.fill("#benefit", "An hour a week for every team.")
    page.select_option("#category", str(org.red_tape.id))
    page.check(f"#affected_departments input[value='{org.sales.id}']")
    page.click("button:has-text('Submit idea')")
    assert "Use between 5 and 150 characters." in page.inner_text("#title-error")
    assert page.input_value("#problem") == "Three signatures for a stapler."
    assert page.is_checked(f"#affected_departments input[value='{org.sales.id}']")
    page.fill("#title", "Team leads approve small purchases")
    page.click("button:has-text('Submit idea')")
    page.wait_for_url("**/ideas/*")
    assert page.inner_text("h1") == "Team leads approve small purchases"
    assert "Thank you!" in page.inner_text(".flashes")
    assert page.console_errors == []


def test_vote_toggles_without_a_page_reload(page_factory, org):
    idea = make_idea(org.employee, department=org.service, title="Vote on me")
    page = page_factory()
    sign_in(page, org.other_employee)
    page.goto(f"{page.base}/ideas/{idea.id}")
    page.evaluate("window.__sameDocument = true")
    button = page.locator(f"#vote-{idea.id} button")
    button.click()
    page.wait_for_selector(f"#vote-{idea.id} button[aria-pressed='true']")
    assert page.inner_text(f"#vote-{idea.id} .vote-count") == "1"
    assert page.evaluate("window.__sameDocument") is True  # no navigation happened
    page.locator(f"#vote-{idea.id} button").click()
    page.wait_for_selector(f"#vote-{idea.id} button[aria-pressed='false']")
    assert page.inner_text(f"#vote-{idea.id} .vote-count") == "0"
    page.reload()
    assert page.inner_text(f"#vote-{idea.id} .vote-count") == "0"
    assert page.console_errors == []


def test_comment_with_markdown(page_factory, org):
    idea = make_idea(org.employee, department=org.service, title="Discuss me")
    page = page_factory()
    sign_in(page, org.head)
    page.goto(f"{page.base}/ideas/{idea.id}")
    page.fill("#body", "We **agree**. Decision on Friday.")
    page.check("#official")
    page.click("button:has-text('Post comment')")
    page.wait_for_selector(".comment-official strong:has-text('agree')")
    assert "Official answer" in page.inner_text(".comment-official")
    assert page.console_errors == []


def test_phone_layout_has_no_sideways_scrolling(page_factory, org):
    for n in range(3):
        make_idea(
            org.employee, department=org.service, title=f"A fairly long idea title number {n}"
        )
    page = page_factory(width=375, height=740)
    sign_in(page, org.employee)
    for path in ("/ideas", "/ideas/new", "/account"):
        page.goto(page.base + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, overflow)
    assert page.console_errors == []


def test_german_browser_gets_german_pages(page_factory, org):
    org.employee.language = None
    db.session.commit()
    page = page_factory(locale="de-DE")
    page.goto(page.base + "/login")
    assert page.inner_text("h2") == "Anmelden"
