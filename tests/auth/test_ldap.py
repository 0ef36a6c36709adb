"""Signing in against a real LDAP directory (slapd on loopback): the password form, checked by
the directory; the person created from their entry; a directory that is down says so."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from suggestions.auth.models import User
from suggestions.core.extensions import db

from .. import factories
from .conftest import LDAP_SERVICE_DN, LDAP_SERVICE_PASSWORD, _free_port

ERIKA_PASSWORD = "erika's directory password"


@pytest.fixture
def config_overrides(ldap_directory):
    return {
        "LDAP_URL": ldap_directory.url,
        "LDAP_BIND_DN": LDAP_SERVICE_DN,
        "LDAP_BIND_PASSWORD": LDAP_SERVICE_PASSWORD,
        "LDAP_BASE_DN": f"ou=people,{ldap_directory.base}",
        "LDAP_ATTR_DEPARTMENT": "departmentNumber",
    }


@pytest.fixture
def service(app):
    department = factories.make_department("Customer Service")
    db.session.commit()
    return department


def _people() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def _login(browser, login: str, password: str):
    browser.get("/login")
    return browser.post("/login", {"email": login, "password": password})


@pytest.mark.parametrize("login", ["erika", "erika@example.com"])
def test_the_directory_password_signs_the_person_in(browser, service, login):
    response = _login(browser, login, ERIKA_PASSWORD)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    person = db.session.scalar(select(User).where(User.email == "erika@example.com"))
    assert (person.display_name, person.department_id) == ("Erika Muster", service.id)
    assert person.password_hash is None  # the password stays in the directory
    assert person.external_id == "ldap:uid=erika,ou=people,dc=example,dc=com"


@pytest.mark.parametrize(
    "login, password",
    [("erika", "wrong"), ("nobody", ERIKA_PASSWORD), ("*", ERIKA_PASSWORD), ("erika", "")],
)
def test_a_wrong_login_signs_no_one_in(browser, service, login, password):
    response = _login(browser, login, password)
    assert response.status_code == 401
    assert _people() == 0


def test_a_directory_that_is_down_says_so(app, browser, service, caplog):
    app.config["LDAP_URL"] = f"ldap://127.0.0.1:{_free_port()}"
    response = _login(browser, "erika", ERIKA_PASSWORD)
    assert response.status_code == 401
    assert "The company directory cannot be reached" in response.get_data(as_text=True)
    assert "directory server unreachable" in caplog.text and _people() == 0


def test_a_local_password_still_works_beside_the_directory(browser, service):
    person = factories.make_user(email="local@example.org")
    db.session.commit()
    assert _login(browser, person.email, factories.PASSWORD).status_code == 302


def test_start_tls_checks_the_directory_certificate(app, browser, service, ldap_directory):
    app.config |= {"LDAP_START_TLS": True, "LDAP_CA_FILE": ldap_directory.ca_file}
    assert _login(browser, "erika", ERIKA_PASSWORD).status_code == 302


def test_start_tls_refuses_a_certificate_it_cannot_trust(app, browser, service):
    app.config |= {"LDAP_START_TLS": True, "LDAP_CA_FILE": None}  # the system CAs only
    response = _login(browser, "erika", ERIKA_PASSWORD)
    assert response.status_code == 401 and _people() == 0
