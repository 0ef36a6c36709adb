"""Signing in and one's own account: a wrong password first (announced, the address kept),
the language setting, a new password (a typo first), signing out through the account menu,
and signing in with the new password only."""

import re

import pytest
from playwright.sync_api import expect

from .dataset import PASSWORD

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a much longer passphrase 2026"


def test_sign_in_settings_password_and_sign_out(data, browse, device):
    erika = browse(device=device)
    page = erika.page
    erika.goto("/ideas")  # the login wall sends her to sign in, and back afterwards
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("#email", data.erika.email)
    page.fill("#password", "not my password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Email or password is not correct.")
    expect(page.locator("#email")).to_have_value(data.erika.email)
    expect(page.locator("#password")).to_have_value("")
    erika.check()
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/ideas$"))

    # Settings: the language follows the browser until she chooses one.
    page.locator(".usermenu summary").click()
    page.locator(".usermenu-panel").get_by_role("link", name="Settings", exact=True).click()
    page.wait_for_url(re.compile(r"/account$"))
    expect(page.locator(".facts-inline")).to_contain_text(data.erika.email)
    erika.check()
    page.get_by_label("Language").select_option("de")
    page.locator("#account-save").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("status")).to_be_visible()  # the confirmation is announced
    page.locator("#account-language").select_option("")
    page.locator("#account-save").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # A new password, with a typo in the repetition first.
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD + "!")
    page.get_by_role("button", name="Change password").click()
    confirm = page.locator("#password-confirm")
    expect(confirm).to_have_attribute("aria-invalid", "true")
    expect(confirm).to_have_attribute("aria-describedby", "password-confirm-error")
    expect(page.locator("#password-confirm-error")).to_have_text("The two passwords differ.")
    expect(page.get_by_role("alert")).to_be_focused()
    erika.check()
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".flashes")).to_contain_text("Your password is changed.")

    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login$"))
    expect(page.locator(".flashes")).to_contain_text("You are signed out.")
    erika.goto("/account")
    expect(page).to_have_url(re.compile(r"/login\?next="))

    page.fill("#email", data.erika.email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Email or password is not correct.")
    page.fill("#password", NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/account$"))  # back where she wanted to go
    erika.check()
