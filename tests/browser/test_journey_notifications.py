"""Following and the bell, on a desktop and on a phone: Otto follows a colleague's idea on
purpose and comments on it; its author Erika follows it by writing it. The head starts the
review. Erika's bell counts both, Otto's only the head's step (nobody hears of their own
comment). Erika marks one as read in place and opens the other, which leads to the idea; Otto
marks all as read. (Mail goes through the outbox and is tested in tests/notify; here the bell
is the witness.)"""

import re

import pytest
from playwright.sync_api import expect

from . import steps
from .visitor import Visitor

pytestmark = pytest.mark.browser

TITLE = "One form for address changes"  # Erika's new idea in the data set


def unread(v: Visitor) -> int:
    """The count on the bell, as shown and as read out."""
    bell = v.page.locator(".topbar .bell")
    label = bell.get_attribute("aria-label")
    if v.page.locator(".bell-count").count() == 0:
        assert label == "Notifications", label
        return 0
    count = int(v.page.locator(".bell-count").inner_text())
    assert label == f"Notifications, {count} unread", label
    return count


def test_followers_hear_of_comments_and_decisions(data, browse, device):
    erika = browse(data.erika, device)
    otto = browse(data.otto, device)
    assert unread(erika) == 0
    otto_before = unread(otto)

    # Otto follows the idea; the button changes in place. Erika wrote it: she follows already.
    otto.goto(f"/ideas/{data.erikas_idea}")
    otto.page.evaluate("window.__sameDocument = true")
    follow = otto.page.locator(".follow-button")
    expect(follow).to_have_attribute("aria-pressed", "false")
    follow.click()
    expect(otto.page.locator(".follow-button")).to_have_attribute("aria-pressed", "true")
    expect(otto.page.locator(".follow-button")).to_have_text("Following")
    steps.settled(otto, f"#follow-{data.erikas_idea}")
    assert otto.page.evaluate("window.__sameDocument") is True, "following reloaded the page"
    erika.goto(f"/ideas/{data.erikas_idea}")
    expect(erika.page.locator(".follow-button")).to_have_attribute("aria-pressed", "true")

    # Otto comments; the head starts the review with a word to the author.
    steps.comment(otto, "Sales types the same address three times a day.")
    hanna = browse(data.hanna, device)
    hanna.goto(f"/ideas/{data.erikas_idea}")
    steps.decide(hanna, "acknowledge", {"Note (optional)": "We look at it this week."})

    # Erika: two unread on the bell; the list says what happened.
    erika.goto("/ideas")
    assert unread(erika) == 2
    erika.page.locator(".topbar .bell").click()
    erika.page.wait_for_url(re.compile(r"/notifications$"))
    erika.check()
    items = erika.page.locator("li.notification")
    expect(items).to_have_count(2)
    expect(erika.page.locator("li.notification.is-unread")).to_have_count(2)
    status = items.filter(has_text="Hanna Head changed the status")
    expect(status.locator(".notification-text")).to_have_text(
        f"Unread: Hanna Head changed the status of “{TITLE}” to In review."
    )
    expect(status.locator(".notification-detail")).to_have_text("We look at it this week.")
    comment = items.filter(has_text="Otto Other commented")
    expect(comment.locator(".notification-text")).to_contain_text(f"commented on “{TITLE}”.")

    # Mark one as read where it is (no page load) ...
    erika.page.evaluate("window.__sameDocument = true")
    comment.get_by_role("button", name="Mark as read").click()
    expect(comment).not_to_have_class(re.compile(r"\bis-unread\b"))
    expect(comment.get_by_role("button", name="Mark as read")).to_have_count(0)
    assert erika.page.evaluate("window.__sameDocument") is True
    erika.check()
    # ... and open the other: it leads to the idea, and the bell is quiet.
    status.locator(".notification-text").click()
    erika.page.wait_for_url(re.compile(rf"/ideas/{data.erikas_idea}$"))
    erika.check()
    expect(erika.page.locator(".idea-meta .badge")).to_have_text("In review")
    assert unread(erika) == 0
    erika.goto("/notifications")
    expect(erika.page.locator("li.notification.is-unread")).to_have_count(0)
    expect(erika.page.get_by_role("button", name="Mark all as read")).to_have_count(0)

    # Otto heard of the head's step, not of his own comment, and clears all at once.
    otto.goto("/notifications")
    assert unread(otto) == otto_before + 1
    news = otto.page.locator("li.notification.is-unread").filter(has_text=TITLE)
    expect(news).to_have_count(1)
    expect(news).to_contain_text("Hanna Head changed the status")
    otto.page.get_by_role("button", name="Mark all as read").click()
    expect(otto.page.locator(".flashes")).to_contain_text("All notifications are marked as read.")
    otto.check()
    expect(otto.page.locator("li.notification.is-unread")).to_have_count(0)
    assert unread(otto) == 0
