"""The language switch in the footer: German and back, before and after signing in.

The assertions read the page's language (``<html lang>``), the pressed switch button and
localised data (category names, dates), not the wording of translated texts, which is
still being written.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def switch_to(v, language: str) -> None:
    v.page.locator(f".langswitch button[value={language}]").click()
    expect(v.page.locator("html")).to_have_attribute("lang", language)
    expect(v.page.locator(f".langswitch button[value={language}]")).to_have_attribute(
        "aria-pressed", "true"
    )
    v.check()


def test_switch_to_german_and_back(data, browse, device):
    otto = browse(device=device)  # an English browser, not signed in yet
    otto.goto("/login")
    expect(otto.page.locator("html")).to_have_attribute("lang", "en")

    # Signed out, the choice is remembered in a cookie and survives signing in.
    switch_to(otto, "de")
    assert otto.page.url.endswith("/login")
    otto.sign_in(data.otto)
    expect(otto.page.locator("html")).to_have_attribute("lang", "de")
    expect(otto.page.locator(".idea-card-meta").filter(has_text="Kundenservice")).to_have_count(1)

    # Signed in, the switch keeps the person on the page they were reading.
    otto.goto(f"/ideas/{data.popular_idea}")
    switch_to(otto, "en")
    assert otto.page.url.endswith(f"/ideas/{data.popular_idea}")
    expect(otto.page.locator(".idea-meta")).to_contain_text("Customer service")
    switch_to(otto, "de")
    expect(otto.page.locator(".idea-meta")).to_contain_text("Kundenservice")
    german_date = re.compile(r"\d{2}\.\d{2}\.\d{4}")
    expect(otto.page.locator(".idea-head p.muted")).to_contain_text(german_date)

    # The choice belongs to the person now: another device shows German too, and back.
    phone = browse(data.otto, device, locale="en-GB")
    expect(phone.page.locator("html")).to_have_attribute("lang", "de")
    switch_to(phone, "en")
    otto.page.reload()
    expect(otto.page.locator("html")).to_have_attribute("lang", "en")
