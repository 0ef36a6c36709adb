"""Merged into any item of the ledger, in a browser: the head of Customer Service records that
the paper leave form went into Sales' HR tool, found by typing (htmx radio buttons), and the
tool's page lists what was merged into it."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from suggestions.core.extensions import db
from suggestions.ideas.models import Idea
from suggestions.ledger import rules
from suggestions.org.models import Department

from ..ledger.helpers import implemented, make_item

pytestmark = pytest.mark.browser

PAPER = "Paper leave request"
TOOL = "Leave in the HR tool"


def test_a_head_merges_a_form_into_another_departments_tool(site, data, browse, device):
    from suggestions.auth.models import User

    with site.database():
        hanna = db.session.get(User, data.hanna.id)
        adam = db.session.get(User, data.adam.id)
        paper = make_item(hanna, hanna.department, title=PAPER)
        sales = db.session.get(Department, data.departments["Sales"])
        tool = make_item(adam, sales, title=TOOL, kind="tool")
        idea = db.session.get(Idea, data.erikas_idea)
        rules.link_items(idea, [paper.id])
        db.session.commit()
        implemented(idea, hanna, hanna, date.today())
        tool_id = tool.id

    visitor = browse(data.hanna, device)
    page = visitor.page
    visitor.goto(f"/ideas/{data.erikas_idea}")
    page.locator("#ledger summary", has_text="Record what changed").click()
    page.locator("#ledger select[name=kind]").select_option(value="merged")
    page.fill("#merge_q", "HR tool")
    results = page.locator("#merge-results")
    results.get_by_label(re.compile(TOOL)).check()
    expect(results).not_to_contain_text(PAPER)  # never into itself
    visitor.check()
    page.wait_for_function("!document.querySelector('.htmx-request')")
    page.locator("#ledger form[action$='/ledger-changes'] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/ideas/{data.erikas_idea}"))
    expect(page.locator(".flashes")).to_contain_text("The ledger now shows what this idea changed")
    expect(page.locator("#ledger")).to_contain_text(TOOL)
    visitor.goto(f"/ledger/{tool_id}")
    merged_in = page.locator("#merged-in")
    expect(merged_in).to_contain_text("Merged into this item")
    merged_in.get_by_role("link", name=re.compile(PAPER)).click()
    page.wait_for_url(re.compile(r"/ledger/\d+$"))
    expect(page.locator(".timeline")).to_contain_text(f"Merged into #{tool_id} {TOOL}")
    visitor.check()
