"""Personal access tokens: made on the account page, shown once, stored hashed, revocable;
bearer-only authentication."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from suggestions.auth import accounts, tokens
from suggestions.auth.tokens import ApiToken
from suggestions.core.clock import now, travel_to
from suggestions.core.extensions import db

from .conftest import Api, make_token


def test_token_made_on_the_account_page_is_shown_once_and_stored_hashed(app, browser, org):
    browser.login(org.employee)
    page = browser.get("/account")
    assert "/account/tokens" in page.get_data(as_text=True)
    browser.get("/account/tokens")
    response = browser.post(
        "/account/tokens", {"name": "Teams bot", "scope": "write", "expires": "30"}
    )
    html = response.get_data(as_text=True)
    secret = re.search(r'id="new-token">([^<]+)<', html).group(1)
    stored = db.session.scalar(select(ApiToken))
    assert stored.secret_hash == tokens.hash_secret(secret)
    assert secret not in (stored.shown_prefix + stored.secret_hash)
    assert stored.shown_prefix == secret[: tokens.SHOWN_CHARS]
    # Listed afterwards by its prefix only.
    again = browser.get("/account/tokens").get_data(as_text=True)
    assert "Teams bot" in again and stored.shown_prefix in again and secret not in again
    me = Api(app, secret).get("/me")
    assert me.status_code == 200 and me.json["email"] == org.employee.email
    assert db.session.get(ApiToken, stored.id).last_used_at is not None


def test_requests_without_a_valid_token_are_refused_as_problems(app, org):
    for secret in (None, "frm_not-a-real-token", "Basic abc"):
        response = Api(app, secret).get("/me")
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_session_cookie_does_not_authenticate_the_api(app, browser, org):
    browser.login(org.employee)
    response = browser.get("/api/v1/me")
    assert response.status_code == 401


def test_a_read_token_cannot_write(app, org, api_for):
    api = api_for(org.employee, "read")
    assert api.get("/ideas").status_code == 200
    response = api.post("/ideas", json={"title": "x"})
    assert response.status_code == 403
    assert "insufficient_scope" in response.headers["WWW-Authenticate"]


def test_revoked_and_expired_tokens_stop_working(app, org, browser):
    secret = make_token(org.employee)
    api = Api(app, secret)
    assert api.get("/me").status_code == 200
    token = db.session.scalar(select(ApiToken))
    with travel_to(now() + timedelta(days=31)):
        assert api.get("/me").status_code == 401
    browser.login(org.employee)
    browser.get("/account/tokens")
    browser.post(f"/account/tokens/{token.id}/revoke")
    assert api.get("/me").status_code == 401


def test_an_admin_sees_and_revokes_any_token(app, org, browser):
    secret = make_token(org.employee, name="Erika's script")
    token = db.session.scalar(select(ApiToken))
    browser.login(org.admin)
    page = browser.get("/admin/tokens").get_data(as_text=True)
    assert "Erika&#39;s script" in page or "Erika's script" in page
    browser.post(f"/account/tokens/{token.id}/revoke", {"from": "admin"})
    assert Api(app, secret).get("/me").status_code == 401


def test_nobody_else_may_revoke_a_token(app, org, browser):
    make_token(org.employee)
    token = db.session.scalar(select(ApiToken))
    browser.login(org.other_employee)
    browser.get("/account/tokens")
    assert browser.post(f"/account/tokens/{token.id}/revoke").status_code == 403
    assert browser.get("/admin/tokens").status_code == 403
    assert db.session.get(ApiToken, token.id).revoked_at is None


def test_deactivating_a_person_revokes_their_tokens(app, org):
    secret = make_token(org.employee)
    accounts.set_active(org.admin, org.employee, False)
    db.session.commit()
    accounts.set_active(org.admin, org.employee, True)  # back, but the token stays revoked
    db.session.commit()
    assert Api(app, secret).get("/me").status_code == 401
