"""Signing in through a real OpenID Connect provider: the whole flow over HTTP, and every way
the provider's answer can be wrong (each refused with a message, creating or changing no one)."""

from __future__ import annotations

import re
import time
from html import unescape
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlalchemy import func, select

from suggestions.auth.models import Role, User
from suggestions.core.extensions import db

from .. import factories
from .conftest import CALLBACK, CLIENT_SECRET

ANNA = {
    "email": "anna.berg@example.com",
    "email_verified": True,
    "name": "Anna Berg",
    "department": "Customer Service",
    "groups": ["staff", "freiraum-heads"],
}


@pytest.fixture
def config_overrides(oidc_provider):
    oidc_provider.set_people({"anna": ANNA})
    return {
        "OIDC_ISSUER": oidc_provider.issuer,
        "OIDC_CLIENT_ID": "freiraum",
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_PROVIDER_NAME": "Example Corp",
        "OIDC_SCOPES": "openid email profile org",
        "OIDC_CLAIM_DEPARTMENT": "department",
        "OIDC_CLAIM_GROUPS": "groups",
        "OIDC_GROUP_ROLES": {"freiraum-heads": "head", "freiraum-admins": "admin"},
        "SSO_DEFAULT_DEPARTMENT": "Unassigned",
    }


@pytest.fixture
def departments(app):
    service = factories.make_department("Customer Service")
    unassigned = factories.make_department("Unassigned")
    db.session.commit()
    return service, unassigned


def _form(page: str, base: str) -> tuple[str, dict[str, str]]:
    """The first form of a provider page: its absolute action and its hidden fields."""
    action = re.search(r'<form[^>]*action="([^"]+)"', page).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    return urljoin(base, unescape(action)), fields


def _at_provider(provider_url: str, login: str = "anna", session=None) -> str:
    """Walk the provider's login and consent pages as a person would; return the URL the
    provider sends the browser back to (our callback, with code and state)."""
    session = session or requests.Session()
    url, method, data = provider_url, "GET", None
    for _step in range(12):
        response = session.request(method, url, data=data, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url, method, data = urljoin(url, response.headers["Location"]), "GET", None
            if url.startswith(CALLBACK):
                return url
            continue
        page = response.text
        assert response.status_code == 200, page[:500]
        url, data = _form(page, url)
        if 'name="login"' in page:
            data |= {"login": login, "password": "any"}
        method = "POST"
    raise AssertionError("the provider never sent the browser back")


def _start(browser) -> str:
    response = browser.get("/login/oidc")
    assert response.status_code == 302
    return response.headers["Location"]


def _callback_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _finish(browser, callback_url: str):
    response = browser.get(_callback_path(callback_url))
    if response.status_code == 302:
        browser.get("/ideas")  # the session was renewed at sign-in: take its new form token
    return response


def _sign_in(browser, login: str = "anna", session=None):
    return _finish(browser, _at_provider(_start(browser), login, session))


def _people() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_login_page_offers_the_provider_by_name(browser, departments):
    page = browser.get("/login").get_data(as_text=True)
    assert "Sign in with Example Corp" in page


def test_sign_in_uses_pkce_state_and_nonce(browser, departments):
    query = parse_qs(urlsplit(_start(browser)).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0]
    assert query["response_type"] == ["code"]


def test_first_sign_in_creates_the_person_from_the_claims(browser, departments):
    service, _ = departments
    response = _sign_in(browser)
    assert response.status_code == 302 and response.headers["Location"].endswith("/ideas")
    person = db.session.scalar(select(User).where(User.email == "anna.berg@example.com"))
    assert person.display_name == "Anna Berg"
    assert person.department_id == service.id and person.unmapped_department is None
    assert person.role == Role.HEAD and [d.id for d in person.headed_departments] == [service.id]
    assert person.password_hash is None
    assert browser.get("/ideas").status_code == 200  # signed in


def test_later_sign_in_updates_name_department_and_role(browser, new_browser, departments,
                                                        oidc_provider):  # fmt: skip
    _sign_in(browser)
    factories.make_department("Finance")
    db.session.commit()
    oidc_provider.set_people({"anna": ANNA | {
        "name": "Anna Berg-Meier", "department": "Finance", "groups": ["freiraum-admins"],
    }})  # fmt: skip
    _sign_in(new_browser())
    person = db.session.scalar(select(User).where(User.email == "anna.berg@example.com"))
    db.session.refresh(person)
    assert (person.display_name, person.department.name, person.role) == (
        "Anna Berg-Meier", "Finance", Role.ADMIN
    )  # fmt: skip
    assert person.headed_departments == []
    assert _people() == 1  # the same person, not a second account


def test_updates_can_be_switched_off(app, browser, new_browser, departments, oidc_provider):
    app.config["SSO_UPDATE_FROM_DIRECTORY"] = False
    _sign_in(browser)
    oidc_provider.set_people({"anna": ANNA | {"name": "Someone Else"}})
    _sign_in(new_browser())
    person = db.session.scalar(select(User).where(User.email == "anna.berg@example.com"))
    assert person.display_name == "Anna Berg"


def test_unknown_department_puts_the_person_in_the_default_one_and_lists_them(
    browser, new_browser, departments, oidc_provider
):
    _, unassigned = departments
    oidc_provider.set_people({"anna": ANNA | {"department": "Night Shift"}})
    _sign_in(browser)
    person = db.session.scalar(select(User).where(User.email == "anna.berg@example.com"))
    assert person.department_id == unassigned.id
    assert person.unmapped_department == "Night Shift"

    admin = factories.make_user(Role.ADMIN)
    db.session.commit()
    admin_browser = new_browser()
    admin_browser.login(admin)
    page = admin_browser.get("/admin/users?unmapped=1").get_data(as_text=True)
    assert "Anna Berg" in page and "Night Shift" in page
    assert admin.display_name not in page.split("<tbody>")[1]  # only the unmapped ones


def test_an_existing_account_is_linked_by_its_email(browser, departments):
    existing = factories.make_user(email="anna.berg@example.com", name="Anna")
    db.session.commit()
    assert _sign_in(browser).status_code == 302
    db.session.refresh(existing)
    assert existing.external_id.endswith("#anna") and _people() == 1


def test_a_deactivated_person_cannot_sign_in(browser, departments):
    _sign_in(browser)
    person = db.session.scalar(select(User).where(User.email == "anna.berg@example.com"))
    person.active = False
    db.session.commit()
    response = _sign_in(browser)
    assert response.status_code == 401
    assert "This account is deactivated." in response.get_data(as_text=True)


def _assert_refused(response, message: str, people_before: int = 0):
    assert response.status_code == 401
    assert message in unescape(response.get_data(as_text=True))
    assert _people() == people_before


def test_a_replayed_answer_is_refused(browser, departments, caplog):
    callback = _at_provider(_start(browser))
    assert _finish(browser, callback).status_code == 302
    assert browser.logout().status_code == 302
    callback = _callback_path(callback)
    before = _people()
    _assert_refused(browser.get(callback), "not started here or is finished already", before)
    assert "state does not match" in caplog.text


def test_a_wrong_state_is_refused(browser, departments):
    callback = _at_provider(_start(browser))
    forged = re.sub(r"state=[^&]+", "state=forged", _callback_path(callback))
    _assert_refused(browser.get(forged), "not started here or is finished already")


def test_a_used_code_is_refused_even_with_a_fresh_state(browser, new_browser, departments):
    first = _at_provider(_start(browser))
    assert browser.get(_callback_path(first)).status_code == 302
    other = new_browser()
    fresh_state = parse_qs(urlsplit(_start(other)).query)["state"][0]
    code = parse_qs(urlsplit(first).query)["code"][0]
    _assert_refused(
        other.get(f"/login/oidc/callback?code={code}&state={fresh_state}"),
        "The sign-in was not confirmed by Example Corp.",
        before := _people(),
    )
    assert before == 1


def test_an_expired_code_is_refused(app, browser, departments):
    app.extensions["freiraum_oidc"].client_id = "short-lived"  # codes live one second
    callback = _at_provider(_start(browser))
    time.sleep(1.6)
    _assert_refused(browser.get(_callback_path(callback)), "not confirmed by Example Corp")


def test_the_person_cancelling_at_the_provider_is_refused(browser, departments):
    state = parse_qs(urlsplit(_start(browser)).query)["state"][0]
    _assert_refused(
        browser.get(f"/login/oidc/callback?error=access_denied&state={state}"),
        "not confirmed by Example Corp",
    )


@pytest.fixture
def forge(app, monkeypatch, oidc_provider):
    """Let the real code exchange happen, then hand the app a changed ID token."""
    client = app.extensions["freiraum_oidc"]
    real = client.fetch_access_token

    def install(change):
        def fetch(**params):
            token = real(**params)
            claims = jwt.decode(token["id_token"], oidc_provider.signing_key).claims
            key, claims = change(dict(claims))
            token["id_token"] = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, key)
            return token

        monkeypatch.setattr(client, "fetch_access_token", fetch)

    return install


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda key, c: (key, c | {"aud": "another-app"}), id="other-audience"),
        pytest.param(lambda key, c: (key, c | {"nonce": "not-ours"}), id="wrong-nonce"),
        pytest.param(lambda key, c: (key, c | {"iss": "https://evil.example"}), id="other-issuer"),
        pytest.param(lambda key, c: (key, c | {"exp": int(time.time()) - 3600}), id="expired"),
        pytest.param(
            lambda key, c: (RSAKey.generate_key(2048, private=True), c), id="bad-signature"
        ),
    ],
)
def test_a_bad_id_token_is_refused(browser, departments, forge, oidc_provider, change, caplog):
    forge(lambda claims: change(oidc_provider.signing_key, claims))
    _assert_refused(_sign_in(browser), "could not be verified. Nobody was signed in.")
    assert "ID token rejected" in caplog.text


def test_the_refusal_is_in_german_for_a_german_browser(browser, departments):
    response = browser.get(
        "/login/oidc/callback?code=x&state=forged", headers={"Accept-Language": "de"}
    )
    assert response.status_code == 401
    assert "nicht hier begonnen" in unescape(response.get_data(as_text=True))


def test_logout_ends_the_session_at_the_provider_too(browser, departments, oidc_provider):
    provider = requests.Session()
    assert _sign_in(browser, session=provider).status_code == 302
    response = browser.logout()
    logout = response.headers["Location"]
    assert logout.startswith(f"{oidc_provider.issuer}/session/end")
    assert parse_qs(urlsplit(logout).query)["id_token_hint"][0]
    # The provider asks whether to sign out everywhere; yes, and it sends the browser back.
    page = provider.get(logout, timeout=10)
    action, fields = _form(page.text, logout)
    back = provider.post(action, data=fields | {"logout": "yes"}, allow_redirects=False)
    assert back.headers["Location"] == "http://localhost/login"
    # The next sign-in asks for the password again (the provider's session ended).
    page = provider.get(_start(browser), timeout=10)
    assert 'name="login"' in page.text


def test_pages_let_the_sign_out_form_reach_the_provider(browser, departments, oidc_provider):
    # Browsers check form-action on the redirect after the sign-out form is sent.
    csp = browser.get("/login").headers["Content-Security-Policy"]
    assert f"form-action 'self' {oidc_provider.issuer};" in csp
