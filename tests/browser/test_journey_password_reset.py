"""A forgotten password: the link on the login page, the mail (read from the outbox), the
link, a new password, and signing in with it (the old one no longer works)."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from suggestions.core.extensions import db
from suggestions.notify.models import OutboxMessage

from .dataset import PASSWORD

pytestmark = pytest.mark.browser

NEW_PASSWORD = "forgotten and found again 2026"


def test_forgot_password_mail_link_new_password_sign_in(data, browse, site):
    erika = browse()
    page = erika.page
    erika.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.wait_for_url(re.compile(r"/password/forgot$"))
    erika.check()
    page.get_by_label("Email").fill(data.erika.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("status")).to_contain_text("we have sent a link")

    with site.database():
        mail = db.session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.recipient == data.erika.email,
                OutboxMessage.kind == "password_reset",
            )
        )
        link = re.search(r"https?://\S+(/password/reset/\S+)", mail.body_text).group(1)

    erika.goto(link)
    erika.check()
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set a new password").click()
    page.wait_for_url(re.compile(r"/login$"))
    expect(page.get_by_role("status")).to_contain_text("Your password is set")

    page.fill("#email", data.erika.email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Email or password is not correct.")
    page.fill("#password", NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/ideas$"))

    erika.goto(link, status=410)  # the link worked once
    expect(page.get_by_role("alert")).to_contain_text("not valid")
