"""A reasoned decline: the head declines Erika's idea with a reason from the admin's list,
says what would change the decision and sets a revisit date; a colleague from another
department reads all of it on the idea page, and the campaigns page is one click away."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from suggestions.workflow import declines

from . import steps

pytestmark = pytest.mark.browser


def test_head_declines_with_a_reason_and_a_revisit_date(site, data, browse, device):
    with site.database():
        declines.add_default_reasons()  # the migration's list (the data set empties tables)
    revisit = date.today() + timedelta(days=90)

    hanna = browse(data.hanna, device)
    hanna.goto(f"/ideas/{data.erikas_idea}")
    steps.decide(hanna, "decline", {
        "Reason": "Already planned",
        "Why (shown to everyone)": "The new address system comes in spring.",
        "What would change our mind (optional)": "If the new system slips past summer.",
        "Revisit on (optional)": revisit.isoformat(),
    })  # fmt: skip
    expect(hanna.page.locator(".flashes")).to_contain_text("The idea is declined")

    otto = browse(data.otto, device)
    otto.goto(f"/ideas/{data.erikas_idea}")
    box = otto.page.locator("#decline")
    expect(box).to_contain_text("Why it was declined")
    expect(box).to_contain_text("Already planned")
    expect(box).to_contain_text("If the new system slips past summer.")
    expect(box.locator(f"time[datetime='{revisit.isoformat()}']")).to_be_visible()
    expect(box).to_contain_text("returns to the queue of Customer Service by itself")
    expect(otto.page.locator(".idea-meta .badge")).to_have_text("Declined")
    steps.navigate(otto, "Campaigns")
    otto.page.wait_for_url(re.compile(r"/campaigns$"))
    otto.expect_heading("Campaigns")
