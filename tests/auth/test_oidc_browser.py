"""Once in a real browser: the sign-in button, the provider's own pages, back in Freiraum as a
new person, and out again at both ends."""

from __future__ import annotations

import re
import threading

import pytest
from werkzeug.serving import make_server

from suggestions.core.extensions import db

from .. import factories
from ..conftest import CHROMIUM
from .test_oidc import ANNA

pytestmark = pytest.mark.browser


@pytest.fixture
def config_overrides(oidc_provider):
    from .conftest import CLIENT_SECRET

    oidc_provider.set_people({"anna": ANNA})
    return {
        "OIDC_ISSUER": oidc_provider.issuer,
        "OIDC_CLIENT_ID": "freiraum",
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_PROVIDER_NAME": "Example Corp",
        "OIDC_SCOPES": "openid email profile org",
        "OIDC_CLAIM_DEPARTMENT": "department",
    }


@pytest.fixture
def live_app(app, oidc_provider):
    factories.make_department("Customer Service")
    db.session.commit()
    server = make_server("127.0.0.1", oidc_provider.live_port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{oidc_provider.live_port}"
    server.shutdown()


def test_sign_in_and_out_through_the_provider_in_a_browser(live_app):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        # The provider's sample pages load a web font; this machine has no internet.
        page.route(re.compile(r"^https://fonts\."), lambda route: route.abort())
        page.goto(f"{live_app}/login")
        page.get_by_role("link", name="Sign in with Example Corp").click()
        page.fill("input[name=login]", "anna")
        page.fill("input[name=password]", "anything")
        page.get_by_role("button", name="Sign-in").click()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(re.compile(r"/ideas$"))
        expect(page.get_by_text("Anna Berg").first).to_be_visible()

        page.locator("summary", has_text="Anna Berg").click()
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name=re.compile("Yes, sign me out", re.I)).click()
        page.wait_for_url(re.compile(r"/login$"))
        expect(page.get_by_role("link", name="Sign in with Example Corp")).to_be_visible()
        browser.close()
