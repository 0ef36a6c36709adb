"""Forgotten passwords: a link by mail, one use, expires, rate-limited, tells nobody who has
an account, and ends every session."""

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from suggestions.core import clock
from suggestions.core.extensions import db
from suggestions.notify.models import OutboxMessage

from ..factories import PASSWORD

NEW = "a fresh long secret"


@pytest.fixture
def config_overrides():
    # No padding of the answer's time here; one test below measures it.
    return {"PASSWORD_RESET_MIN_SECONDS": 0}


def reset_mails(address: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(
        OutboxMessage.recipient == address, OutboxMessage.kind == "password_reset"
    )
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


def ask_for_link(browser, email: str):
    browser.get("/password/forgot")
    return browser.post("/password/forgot", {"email": email})


def link_path(message: OutboxMessage) -> str:
    match = re.search(r"https://freiraum\.example\.test(/password/reset/\S+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def set_new_password(browser, path: str, password: str = NEW):
    browser.get(path)
    return browser.post(path, {"new": password, "confirm": password})


def test_login_page_offers_the_forgotten_password_link(browser, org):
    page = browser.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page


def test_the_answer_is_the_same_whether_or_not_the_address_exists(browser, new_browser, org):
    known = ask_for_link(browser, org.employee.email)
    unknown = ask_for_link(new_browser(), "nobody@example.org")
    assert known.status_code == unknown.status_code == 200

    def visible(response) -> str:  # the page without its per-session CSRF tokens
        return re.sub(
            r"[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}", "TOKEN", response.get_data(as_text=True)
        )

    assert visible(known) == visible(unknown)
    assert "If an account with a password exists" in visible(known)
    assert len(reset_mails(org.employee.email)) == 1
    assert reset_mails("nobody@example.org") == []


def test_the_link_sets_a_new_password_and_works_once(browser, org):
    ask_for_link(browser, org.employee.email)
    path = link_path(reset_mails(org.employee.email)[0])
    response = set_new_password(browser, path)
    assert response.status_code == 302 and response.location == "/login"
    browser.login(org.employee, password=NEW)
    browser.logout()

    again = browser.get(path)
    assert again.status_code == 410 and "not valid" in again.get_data(as_text=True)
    response = browser.post(path, {"new": "yet another secret!", "confirm": "yet another secret!"})
    assert response.status_code == 410
    browser.login(org.employee, password=NEW)


def test_the_link_expires_after_an_hour(browser, org):
    ask_for_link(browser, org.employee.email)
    path = link_path(reset_mails(org.employee.email)[0])
    with clock.travel_to(clock.now() + timedelta(minutes=59)):
        assert browser.get(path).status_code == 200
    with clock.travel_to(clock.now() + timedelta(minutes=61)):
        response = set_new_password(browser, path)
        assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    browser.login(org.employee, password=PASSWORD)  # unchanged


def test_a_tampered_link_is_refused(browser, org):
    ask_for_link(browser, org.employee.email)
    path = link_path(reset_mails(org.employee.email)[0])
    other = path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb")
    assert browser.get(other).status_code == 410


def test_the_new_password_follows_the_account_pages_rules(browser, org):
    ask_for_link(browser, org.employee.email)
    path = link_path(reset_mails(org.employee.email)[0])
    response = set_new_password(browser, path, "short")
    assert response.status_code == 422 and "at least 10 characters" in response.get_data(
        as_text=True
    )
    response = browser.post(path, {"new": NEW, "confirm": NEW + "x"})
    assert response.status_code == 422
    browser.login(org.employee, password=PASSWORD)  # unchanged, and the link still works
    assert set_new_password(browser, path).status_code == 302


def test_resetting_ends_every_other_session(browser, new_browser, org):
    laptop, phone = browser, new_browser()
    laptop.login(org.employee)
    assert laptop.get("/account").status_code == 200
    ask_for_link(phone, org.employee.email)
    set_new_password(phone, link_path(reset_mails(org.employee.email)[0]))
    assert laptop.get("/account").status_code == 302


def test_requests_are_limited_per_email_address(browser, new_browser, org):
    for _ in range(3):
        assert ask_for_link(new_browser(), org.employee.email).status_code == 200
    assert ask_for_link(new_browser(), org.employee.email).status_code == 429
    assert len(reset_mails(org.employee.email)) == 3
    # Another address is not blocked by this one, and sign-in is not affected.
    assert ask_for_link(browser, org.head.email).status_code == 200
    browser.login(org.employee)


def test_requests_are_limited_per_client_address(app, browser, org):
    app.config["RATELIMIT_RESET_PER_ADDRESS"] = "4 per hour"
    for n in range(4):
        assert ask_for_link(browser, f"someone{n}@example.org").status_code == 200
    assert ask_for_link(browser, org.employee.email).status_code == 429
    assert reset_mails(org.employee.email) == []


def test_the_mail_is_in_the_persons_language(browser, org):
    org.employee.language = "de"
    db.session.commit()
    ask_for_link(browser, org.employee.email)
    (mail,) = reset_mails(org.employee.email)
    assert mail.language == "de"
    assert "Neues Passwort festlegen" in mail.subject
    assert "60 Minuten" in mail.body_text


def test_accounts_without_a_local_password_get_no_mail(browser, org):
    org.employee.password_hash = None  # signs in through single sign-on
    org.head.active = False
    db.session.commit()
    assert ask_for_link(browser, org.employee.email).status_code == 200
    assert ask_for_link(browser, org.head.email).status_code == 200
    assert reset_mails(org.employee.email) == reset_mails(org.head.email) == []


def test_the_link_never_follows_the_requests_host_header(app, browser, org):
    # The test client keeps cookies per host: without CSRF the foreign Host gets through.
    app.config["WTF_CSRF_ENABLED"] = False
    response = browser.post(
        "/password/forgot", {"email": org.employee.email}, csrf=False,
        headers={"Host": "attacker.example"},
    )  # fmt: skip
    assert response.status_code == 200
    (mail,) = reset_mails(org.employee.email)
    assert "attacker.example" not in mail.body_text + mail.body_html
    assert "https://freiraum.example.test/password/reset/" in mail.body_text


def test_known_and_unknown_addresses_take_the_same_time(app, new_browser, org):
    app.config["PASSWORD_RESET_MIN_SECONDS"] = 0.15
    durations = {}
    for email in (org.employee.email, "nobody@example.org"):
        visitor = new_browser()
        visitor.get("/password/forgot")
        started = time.perf_counter()
        assert visitor.post("/password/forgot", {"email": email}).status_code == 200
        durations[email] = time.perf_counter() - started
    # Both wait for the floor; the ceiling only catches a floor applied twice or a slow path
    # (it is loose: on a loaded machine a request's own work varies by a tenth of a second).
    assert all(0.15 <= seconds < 1.0 for seconds in durations.values()), durations
