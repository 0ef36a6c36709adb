"""Sign-in by the company proxy's header: believed only from the configured networks."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from suggestions.auth.models import Role, User
from suggestions.core.extensions import db

from .. import factories

PROXY = {"REMOTE_ADDR": "10.20.0.7"}
ELSEWHERE = {"REMOTE_ADDR": "192.168.5.5"}
HEADERS = {"X-Forwarded-User": "anna", "X-Forwarded-Name": "Anna Berg",
           "X-Forwarded-Department": "Customer Service"}  # fmt: skip


@pytest.fixture
def config_overrides():
    return {
        "PROXY_AUTH_HEADER": "X-Forwarded-User",
        "PROXY_AUTH_NETWORKS": ["10.20.0.0/24", "::1/128"],
        "PROXY_AUTH_EMAIL_DOMAIN": "example.com",
        "PROXY_AUTH_NAME_HEADER": "X-Forwarded-Name",
        "PROXY_AUTH_DEPARTMENT_HEADER": "X-Forwarded-Department",
    }


@pytest.fixture
def service(app):
    department = factories.make_department("Customer Service")
    db.session.commit()
    return department


def _people() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_header_from_the_proxy_signs_the_person_in(browser, service):
    response = browser.get("/ideas", headers=HEADERS, environ_base=PROXY)
    assert response.status_code == 200
    person = db.session.scalar(select(User).where(User.email == "anna@example.com"))
    assert (person.display_name, person.department_id, person.role) == (
        "Anna Berg", service.id, Role.EMPLOYEE
    )  # fmt: skip
    # The next request keeps the same session and creates no one.
    assert browser.get("/ideas", headers=HEADERS, environ_base=PROXY).status_code == 200
    assert _people() == 1


def test_header_from_elsewhere_is_ignored_and_logged(browser, service, caplog):
    response = browser.get("/ideas", headers=HEADERS, environ_base=ELSEWHERE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _people() == 0
    assert "ignored: 192.168.5.5 is not a configured proxy network" in caplog.text


@pytest.mark.parametrize("config_overrides", [{"TRUSTED_PROXY_COUNT": 1} | {
    "PROXY_AUTH_HEADER": "X-Forwarded-User", "PROXY_AUTH_NETWORKS": ["10.20.0.0/24"],
    "PROXY_AUTH_EMAIL_DOMAIN": "example.com",
}])  # fmt: skip
def test_a_forged_forwarded_for_does_not_make_an_address_trusted(browser, service):
    response = browser.get(
        "/ideas", headers=HEADERS | {"X-Forwarded-For": "10.20.0.7"}, environ_base=ELSEWHERE
    )
    assert response.status_code == 302 and _people() == 0


@pytest.mark.parametrize("config_overrides", [{}])
def test_header_means_nothing_when_the_method_is_off(browser, service):
    assert browser.get("/ideas", headers=HEADERS, environ_base=PROXY).status_code == 302
    assert _people() == 0


def test_a_new_header_switches_to_that_person(browser, service):
    browser.get("/ideas", headers=HEADERS, environ_base=PROXY)
    other = HEADERS | {"X-Forwarded-User": "bernd", "X-Forwarded-Name": "Bernd Kurz"}
    page = browser.get("/ideas", headers=other, environ_base=PROXY).get_data(as_text=True)
    assert "Bernd Kurz" in page and "Anna Berg" not in page


def test_a_deactivated_person_is_refused(browser, service):
    person = factories.make_user(email="anna@example.com", name="Anna")
    person.active = False
    db.session.commit()
    response = browser.get("/ideas", headers=HEADERS, environ_base=PROXY)
    assert response.status_code == 401
    assert "This account is deactivated." in response.get_data(as_text=True)
