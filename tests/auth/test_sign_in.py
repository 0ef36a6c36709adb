"""Signing in and out, sessions, password hashing, rate limits, security headers."""

import pytest
from werkzeug.security import generate_password_hash

from suggestions.auth import passwords
from suggestions.core.extensions import db

from ..factories import PASSWORD


def test_every_page_but_login_needs_a_signed_in_user(browser, org):
    response = browser.get("/ideas")
    assert response.status_code == 302 and response.location.startswith("/login?next=%2Fideas")
    assert browser.get("/login").status_code == 200


def test_htmx_request_without_session_is_sent_to_the_login_page(browser, org):
    response = browser.client.post("/ideas/1/vote", headers={"HX-Request": "true"})
    # The CSRF check or the login wall answers first; neither leaks anything.
    assert response.status_code in (400, 401)


def test_sign_in_and_go_where_you_wanted(browser, org):
    browser.get("/login")
    response = browser.post(
        "/login?next=/account", {"email": org.employee.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302 and response.location == "/account"
    assert browser.get("/account").status_code == 200


def test_next_never_leaves_the_site(browser, org):
    browser.get("/login")
    response = browser.post(
        "/login?next=//evil.example/x", {"email": org.employee.email, "password": PASSWORD}
    )
    assert response.location == "/ideas"


@pytest.mark.parametrize("case", ["wrong password", "unknown email", "deactivated"])
def test_failed_sign_in_says_the_same_whatever_the_reason(browser, org, case):
    email, password = org.employee.email, PASSWORD
    if case == "wrong password":
        password = "not the password"
    elif case == "unknown email":
        email = "nobody@example.org"
    else:
        org.employee.active = False
        db.session.commit()
    browser.get("/login")
    response = browser.post("/login", {"email": email, "password": password})
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Email or password is not correct." in page
    assert f'value="{email}"' in page  # what was typed stays (but never the password)
    assert password not in page


def test_sign_out_really_ends_the_session(browser, new_browser, org):
    browser.login(org.employee)
    stolen = browser.client.get_cookie("freiraum_session").value
    browser.logout()
    thief = new_browser()
    thief.client.set_cookie("freiraum_session", stolen)
    assert thief.get("/ideas").status_code == 302


def test_remember_me_cookie_survives_the_session_but_not_a_sign_out(browser, new_browser, org):
    browser.login(org.employee, remember="y")
    remember = browser.client.get_cookie("freiraum_remember")
    assert remember is not None and remember.http_only
    other = new_browser()  # the browser was closed: no session cookie, only "remember me"
    other.client.set_cookie("freiraum_remember", remember.value)
    assert other.get("/ideas").status_code == 200
    browser.logout()
    later = new_browser()
    later.client.set_cookie("freiraum_remember", remember.value)
    assert later.get("/ideas").status_code == 302


def test_deactivated_user_is_signed_out_at_once(browser, org):
    browser.login(org.employee)
    org.employee.active = False
    db.session.commit()
    assert browser.get("/ideas").status_code == 302


def test_passwords_are_stored_with_argon2id(org):
    assert org.employee.password_hash.startswith("$argon2id$")
    assert PASSWORD not in org.employee.password_hash


def test_production_hash_parameters_follow_rfc_9106(app):
    app.config.update(ARGON2_TIME_COST=3, ARGON2_MEMORY_COST=65536)
    stored = passwords.hash_password("a long enough password")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,")
    assert passwords.verify_password(stored, "a long enough password")


def test_old_werkzeug_hash_still_works_and_is_upgraded(browser, org):
    org.employee.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256")
    db.session.commit()
    browser.login(org.employee)
    db.session.refresh(org.employee)
    assert org.employee.password_hash.startswith("$argon2id$")


def test_sign_in_attempts_are_rate_limited_per_account(browser, org):
    browser.get("/login")
    for _ in range(5):
        assert (
            browser.post("/login", {"email": org.employee.email, "password": "x"}).status_code
            == 401
        )
    response = browser.post("/login", {"email": org.employee.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    # Another account from the same address is not locked out by this one.
    assert (
        browser.post("/login", {"email": org.head.email, "password": PASSWORD}).status_code == 302
    )


def test_someone_elses_failures_do_not_lock_the_usual_browser_out(browser, new_browser, org):
    browser.login(org.employee)
    browser.logout()
    stranger = new_browser()
    stranger.get("/login")
    for _ in range(4):  # with the owner's own sign-in: the account's 5 attempts a minute
        failed = stranger.post("/login", {"email": org.employee.email, "password": "guess"})
        assert failed.status_code == 401
    # The stranger is locked out of this account; its owner, in their usual browser, is not.
    assert (
        stranger.post("/login", {"email": org.employee.email, "password": PASSWORD}).status_code
        == 429
    )
    browser.get("/login")
    response = browser.post("/login", {"email": org.employee.email, "password": PASSWORD})
    assert response.status_code == 302


def test_a_forged_device_cookie_does_not_lift_the_account_limit(browser, org):
    browser.client.set_cookie("freiraum_device", "forged")
    browser.get("/login")
    for _ in range(5):
        browser.post("/login", {"email": org.employee.email, "password": "guess"})
    response = browser.post("/login", {"email": org.employee.email, "password": PASSWORD})
    assert response.status_code == 429


def test_per_process_limits_are_warned_about_at_start_and_to_the_admin(
    app, browser, org, monkeypatch, caplog
):
    from suggestions.auth import limits

    monkeypatch.setenv("GUNICORN_WORKERS", "2")
    app.config["FREIRAUM_ENV"] = "production"
    with caplog.at_level("WARNING"):
        limits.warn_at_start(app)
    assert "counts in each of up to 2 worker processes" in caplog.text
    browser.login(org.admin)
    warning = "Sign-in limits are counted in each server process"
    assert warning in browser.get("/admin/settings").get_data(as_text=True)
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379"
    assert warning not in browser.get("/admin/settings").get_data(as_text=True)
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    monkeypatch.setenv("GUNICORN_WORKERS", "1")
    assert not limits.per_process_warning(app)


def test_change_password_signs_out_other_devices(browser, new_browser, org):
    laptop, phone = browser, new_browser()
    laptop.login(org.employee)
    phone.login(org.employee)
    response = laptop.post(
        "/account",
        {"password-current": PASSWORD, "password-new": "a brand new secret",
         "password-confirm": "a brand new secret", "password-change": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account").status_code == 302
    laptop.logout()
    laptop.login(org.employee, password="a brand new secret")


def test_wrong_current_password_is_refused(browser, org):
    browser.login(org.employee)
    response = browser.post(
        "/account",
        {"password-current": "wrong", "password-new": "a brand new secret",
         "password-confirm": "a brand new secret", "password-change": "1"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "Your current password is not correct." in response.get_data(as_text=True)


def test_security_headers_on_every_page(browser, org):
    for url in ("/login", "/nowhere"):
        headers = browser.get(url).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in browser.get("/login").headers["Cache-Control"]


def test_session_cookie_flags(browser, org):
    browser.login(org.employee)
    cookie = browser.client.get_cookie("freiraum_session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_missing_csrf_token_gives_a_clear_page(browser, org):
    browser.login(org.employee)
    response = browser.post("/ideas/new", {"title": "Something"}, csrf=False)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Back button: what you typed is still there" in page
    assert "Traceback" not in page
