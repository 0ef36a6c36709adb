"""Administration: people, departments, categories."""

import re

from sqlalchemy import select

from suggestions.auth.models import Role, User
from suggestions.core.extensions import db
from suggestions.org.models import Category, Department

from ..factories import PASSWORD


def test_admin_creates_a_user_who_can_sign_in_with_the_generated_password(
    browser, new_browser, org
):
    browser.login(org.admin)
    response = browser.post("/admin/users/new", {
        "email": "Neu.Person@Example.org", "display_name": "Neue Person",
        "department": str(org.sales.id), "role": "head", "language": "de",
    })  # fmt: skip
    assert response.status_code == 302
    flash = browser.get(response.location).get_data(as_text=True)
    password = re.search(r"Initial password: (\S+?)</p>", flash).group(1)
    user = db.session.scalar(select(User).where(User.email == "neu.person@example.org"))
    assert (user.role, user.department_id, user.language) == (Role.HEAD, org.sales.id, "de")
    newcomer = new_browser()
    newcomer.get("/login")
    assert newcomer.post("/login", {"email": user.email, "password": password}).status_code == 302


def test_duplicate_email_and_bad_address_are_form_errors(browser, org):
    browser.login(org.admin)
    data = {"email": org.employee.email, "display_name": "Again", "department": "0",
            "role": "employee", "language": "", "password": "long enough password"}  # fmt: skip
    page = browser.post("/admin/users/new", data).get_data(as_text=True)
    assert "There is already an account with this email address." in page
    response = browser.post("/admin/users/new", data | {"email": "not-an-address"})
    assert response.status_code == 422
    assert "Please enter a valid email address." in response.get_data(as_text=True)
    assert 'value="Again"' in response.get_data(as_text=True)


def test_short_initial_password_is_refused(browser, org):
    browser.login(org.admin)
    response = browser.post("/admin/users/new", {
        "email": "short@example.org", "display_name": "Short", "department": "0",
        "role": "employee", "language": "", "password": "short",
    })  # fmt: skip
    assert response.status_code == 422
    assert "Use at least 10 characters." in response.get_data(as_text=True)


def test_deactivate_signs_the_person_out_and_reactivate_lets_them_back(browser, new_browser, org):
    employee = new_browser()
    employee.login(org.employee)
    browser.login(org.admin)
    browser.post(f"/admin/users/{org.employee.id}/active", {"active": "0"})
    assert employee.get("/ideas").status_code == 302
    employee.get("/login")
    assert (
        employee.post("/login", {"email": org.employee.email, "password": PASSWORD}).status_code
        == 401
    )
    browser.post(f"/admin/users/{org.employee.id}/active", {"active": "1"})
    employee.login(org.employee)


def test_admin_cannot_lock_themselves_out(browser, org):
    browser.login(org.admin)
    response = browser.post(f"/admin/users/{org.admin.id}/active", {"active": "0"})
    assert "You cannot deactivate your own account." in browser.get(response.location).get_data(
        as_text=True
    )
    page = browser.post(f"/admin/users/{org.admin.id}", {
        "display_name": "Adam", "department": "0", "role": "employee", "language": "",
    }).get_data(as_text=True)  # fmt: skip
    assert "You cannot take away your own admin role." in page
    db.session.refresh(org.admin)
    assert org.admin.active and org.admin.role == Role.ADMIN


def test_user_search(browser, org):
    browser.login(org.admin)
    page = browser.get("/admin/users?q=otto").get_data(as_text=True)
    assert "Otto Other" in page and "Erika Employee" not in page


def test_departments_with_heads_and_budget(browser, org):
    browser.login(org.admin)
    response = browser.post("/admin/departments/new", {
        "name": "Logistics", "decision_budget": "2500.50", "heads": [str(org.head.id)],
    })  # fmt: skip
    assert response.status_code == 302
    logistics = db.session.scalar(select(Department).where(Department.name == "Logistics"))
    assert str(logistics.decision_budget) == "2500.50"
    assert [h.id for h in logistics.heads] == [org.head.id]
    page = browser.get("/admin/departments").get_data(as_text=True)
    assert "Logistics" in page and "Hanna Head" in page
    # Names are unique, budgets not negative, heads must have the head role.
    assert "exists already" in browser.post("/admin/departments/new", {"name": "sales"}).get_data(
        as_text=True
    )
    assert (
        browser.post("/admin/departments/new", {"name": "X", "decision_budget": "-1"}).status_code
        == 422
    )
    assert (
        browser.post(
            "/admin/departments/new", {"name": "Y", "heads": [str(org.employee.id)]}
        ).status_code
        == 422
    )


def test_categories_can_be_retired(browser, org):
    browser.login(org.admin)
    browser.post(
        f"/admin/categories/{org.red_tape.id}",
        {
            "name_en": "Red tape",
            "name_de": "Bürokratie",
            "position": "0",
        },
    )  # fmt: skip  (no "active": unchecked)
    db.session.refresh(org.red_tape)
    assert not org.red_tape.active
    browser.logout()
    browser.login(org.employee)
    form = browser.get("/ideas/new").get_data(as_text=True)
    assert "Red tape" not in form
    assert db.session.scalar(select(Category).where(Category.name_de == "Bürokratie"))
