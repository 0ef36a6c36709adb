"""The rules every sign-in method shares: passwords can be switched off (except for the
break-glass admin made on the command line), and deactivation ends every session at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from suggestions.auth.models import Role, User
from suggestions.core.extensions import db
from suggestions.notify.models import OutboxMessage

from .. import factories


@pytest.mark.parametrize("config_overrides", [{}])  # passwords on
def test_deactivating_ends_the_remember_me_cookie_too(browser, new_browser, org):
    browser.login(org.employee, remember="y")
    remember = browser.client.get_cookie("freiraum_remember")
    admin = new_browser()
    admin.login(org.admin)
    admin.get("/admin/users")
    response = admin.post(f"/admin/users/{org.employee.id}/active", {"active": "0"})
    assert response.status_code == 302
    # Its open session is over, and so is "remember me" in a browser opened later.
    assert browser.get("/ideas").status_code == 302
    later = new_browser()
    later.client.set_cookie("freiraum_remember", remember.value)
    assert later.get("/ideas").status_code == 302


@pytest.fixture
def config_overrides():
    return {"LOCAL_PASSWORDS": False}


def test_without_local_passwords_staff_cannot_sign_in_with_one(browser, org):
    browser.get("/login")
    response = browser.post("/login", {"email": org.employee.email, "password": "wrong"})
    assert response.status_code == 401
    from ..factories import PASSWORD

    response = browser.post("/login", {"email": org.employee.email, "password": PASSWORD})
    assert response.status_code == 401  # the right password, and still no
    response = browser.post("/login", {"email": org.admin.email, "password": PASSWORD})
    assert response.status_code == 401  # an admin made in the web page is no exception


def test_the_break_glass_admin_from_the_command_line_still_can(app, browser):
    result = app.test_cli_runner().invoke(args=[
        "create-admin", "--email", "rescue@example.org", "--name", "Rescue",
        "--password", "a long rescue password",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    page = browser.get("/login").get_data(as_text=True)
    assert "Administrator sign-in with a password" in page
    response = browser.post(
        "/login", {"email": "rescue@example.org", "password": "a long rescue password"}
    )
    assert response.status_code == 302


def test_without_local_passwords_no_reset_mail_is_written(browser, org):
    browser.get("/password/forgot")
    browser.post("/password/forgot", {"email": org.employee.email})
    assert (
        db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "password_reset"))
        is None
    )


def test_break_glass_needs_the_admin_role(app):
    person = factories.make_user(Role.EMPLOYEE)
    person.break_glass = True
    db.session.commit()
    from suggestions.auth.accounts import password_sign_in_allowed

    assert not password_sign_in_allowed(db.session.get(User, person.id))
