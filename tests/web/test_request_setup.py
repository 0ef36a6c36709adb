"""What every request pays for, made cheaper without changing what it guarantees: the session
cookie is sent again only when it changed or aged, the rate limiter looks only where limits
are, and the security headers are on every answer."""

from __future__ import annotations

import pytest

from suggestions.core.extensions import limiter

SESSION_COOKIE = "freiraum_session"


def _sets_session_cookie(response) -> bool:
    return any(
        value.startswith(SESSION_COOKIE + "=") for value in response.headers.getlist("Set-Cookie")
    )


@pytest.mark.parametrize("config_overrides", [{"SESSION_REFRESH_SECONDS": 3600}])
def test_an_unchanged_young_session_cookie_is_not_sent_again(browser, org):
    browser.login(org.employee)
    assert not _sets_session_cookie(browser.get("/ideas"))
    assert browser.get("/ideas").status_code == 200  # still signed in with the old cookie


@pytest.mark.parametrize("config_overrides", [{"SESSION_REFRESH_SECONDS": 0}])
def test_an_aged_session_cookie_is_sent_again_so_the_session_slides(browser, org):
    browser.login(org.employee)
    assert _sets_session_cookie(browser.get("/ideas"))


@pytest.mark.parametrize("config_overrides", [{"SESSION_REFRESH_SECONDS": 3600}])
def test_a_changed_session_is_sent_at_once(browser, org):
    browser.login(org.employee)
    response = browser.post("/logout")
    assert _sets_session_cookie(response)
    assert browser.get("/ideas").status_code == 302  # signed out: the cookie did change


def test_the_limiter_looks_only_before_the_blueprints_that_have_limits(app):
    check = limiter._check_request_limit
    assert check not in app.before_request_funcs[None]
    assert app.before_request_funcs["api"][0] == check


def test_sign_in_is_still_limited_per_address(browser, org):
    browser.get("/login")
    codes = [
        browser.post("/login", {"email": f"nobody{n}@example.org", "password": "wrong"}).status_code
        for n in range(21)
    ]
    assert codes[:20] == [401] * 20
    assert codes[20] == 429


@pytest.mark.parametrize("path", ["/login", "/ideas", "/no-such-page"])
def test_every_answer_carries_the_security_headers(browser, org, path):
    browser.login(org.employee)
    headers = browser.get(path, base_url="https://localhost").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "private, no-store"
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert len(headers.getlist("Content-Security-Policy")) == 1


def test_a_nul_byte_in_a_query_is_refused_but_a_literal_percent_00_is_not(browser, org):
    browser.login(org.employee)
    assert browser.get("/ideas?q=a%00b").status_code == 400
    assert browser.get("/ideas?q=%2500").status_code == 200
