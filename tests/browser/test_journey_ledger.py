"""The ledger in a browser: a head adds a form to the ledger; an employee names it on a new
idea by searching while typing (htmx), and the idea page and the item's page point at each
other."""

import re

import pytest
from playwright.sync_api import expect

from . import steps

pytestmark = pytest.mark.browser

FORM = "Travel request form B7"


def test_an_idea_names_the_form_it_wants_gone(data, browse, device):
    hanna = browse(data.hanna, device)
    page = hanna.page
    hanna.goto("/ledger")
    page.get_by_role("link", name="Add an item").click()
    page.select_option("#kind", label="Form")
    page.fill("#title", FORM)
    page.fill("#cases_per_month", "120")
    page.fill("#minutes_per_case", "25")
    page.fill("#signatures", "3")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/ledger/\d+$"))
    expect(page.locator("h1")).to_have_text(FORM)
    expect(page.locator(".timeline")).to_contain_text("Added to the ledger")
    hanna.check()

    erika = browse(data.erika, device)
    page = erika.page
    page.locator(".topbar").get_by_role("link", name="New idea").click()
    steps.fill_idea_form(erika, title="One travel form instead of three", category="Red tape")
    page.fill("#ledger_q", "travel req")
    results = page.locator("#ledger-results")
    results.get_by_label(re.compile(FORM)).check()
    page.wait_for_timeout(700)
    page.wait_for_function("!document.querySelector('.htmx-request')")
    page.locator("main form.idea-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ideas/\d+$"))
    part = page.locator("#ledger")
    expect(part).to_contain_text("Red tape this touches")
    part.get_by_role("link", name=FORM).click()
    page.wait_for_url(re.compile(r"/ledger/\d+$"))
    expect(page.locator("main")).to_contain_text("One travel form instead of three")
    erika.check()
