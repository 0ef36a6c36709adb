"""The commitments page with long titles and promises, on a desktop and on a 390 px phone:
the title column wraps, so the owner, the due date and the state keep their width and stay on
one line each; on the phone each commitment is a card and nothing scrolls sideways (the
visitor measures that on every page)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from suggestions.auth.models import User
from suggestions.core.clock import now
from suggestions.core.extensions import db
from suggestions.org.models import Department
from suggestions.workflow import lifecycle

from ..factories import make_idea

pytestmark = pytest.mark.browser

# As long as a title may be (150 characters with the number added).
LONG_TITLE = (
    "Customers should correct a mistyped delivery address themselves within thirty minutes "
    "of ordering, without calling the desk or writing to anyone"
)
LONG_PROMISE = (
    "Sales and IT build a self-service correction form in the customer portal, test it with "
    "twenty customers, and switch it on for everyone once the test shows no wrong deliveries."
)

# The cells of the first row: [width in px, lines of the first text]: promise, owner, due, state.
CELLS = """() => [...document.querySelectorAll('.table tbody tr:first-child td')].map(td => {
    const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT,
        {acceptNode: n => n.textContent.trim() ? NodeFilter.FILTER_ACCEPT
                                               : NodeFilter.FILTER_SKIP});
    const range = document.createRange();
    range.selectNodeContents(walker.nextNode());
    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    return [td.getBoundingClientRect().width, tops.size];
})"""


def test_long_titles_leave_owner_due_date_and_state_readable(data, site, browse, device):
    with site.database():
        lea = db.session.get(User, data.lea.id)
        sales = db.session.get(Department, data.departments["Sales"])
        for n in range(3):
            idea = make_idea(lea, department=sales, title=f"{LONG_TITLE} ({n + 1})")
            lifecycle.accept(idea, lea, owner=lea, promise=LONG_PROMISE,
                             due_on=now().date() + timedelta(days=30 + n))  # fmt: skip

    visitor = browse(data.lea, device)
    visitor.goto("/commitments")  # the visitor's check: no sideways scrolling, every column
    promise, owner, due, state = visitor.page.evaluate(CELLS)
    for name, (width, lines) in {"owner": owner, "due": due, "state": state}.items():
        assert lines == 1, (name, owner, due, state)  # a name, a date: never broken
        assert width >= 80, (name, owner, due, state)
    if not device.phone:  # the title wraps and has the most room, but leaves the rest theirs
        page_width = visitor.page.evaluate("document.documentElement.clientWidth")
        assert promise[1] > 1 and owner[0] + due[0] + state[0] >= 0.3 * page_width
