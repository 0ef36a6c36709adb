"""Imported and erased people meet the real OpenID Connect provider: an imported person's
first company sign-in lands on the imported account; an erased person's old identity finds
nothing of the old account and makes a new, empty one."""

from __future__ import annotations

from sqlalchemy import select

from suggestions.auth.models import Role, User
from suggestions.core.extensions import db
from suggestions.ideas.models import Idea
from suggestions.people import erasure, importer

from .. import factories
from .test_oidc import ANNA, _people, _sign_in, config_overrides, departments  # noqa: F401


def test_an_imported_person_signs_in_to_the_imported_account(browser, departments):  # noqa: F811
    admin = factories.make_user(Role.ADMIN)
    db.session.commit()
    text = f"email;name;department;role\n{ANNA['email']};Anna (imported);Customer Service;head\n"
    importer.apply_import(admin, text)
    db.session.commit()
    imported = db.session.scalar(select(User).where(User.email == ANNA["email"]))
    assert imported.external_id is None and imported.password_hash is None
    response = _sign_in(browser)
    assert response.status_code == 302 and response.headers["Location"].endswith("/ideas")
    db.session.refresh(imported)
    assert imported.external_id.endswith("#anna") and imported.last_login_at is not None
    assert _people() == 2  # the admin and Anna: no second account


def test_an_erased_person_signing_in_again_is_a_new_person(browser, new_browser, departments):  # noqa: F811
    service, _ = departments
    _sign_in(browser)
    anna = db.session.scalar(select(User).where(User.email == ANNA["email"]))
    category = factories.make_category()
    idea = factories.make_idea(anna, department=service, category=category)
    admin = factories.make_user(Role.ADMIN)
    db.session.commit()
    old_id = anna.id
    erasure.erase(admin, anna, confirm_email=ANNA["email"])
    db.session.commit()
    assert browser.get("/ideas").status_code == 302  # her session is over
    again = new_browser()
    assert _sign_in(again).status_code == 302
    new = db.session.scalar(select(User).where(User.email == ANNA["email"]))
    assert new.id != old_id and new.external_id.endswith("#anna")
    assert db.session.get(Idea, idea.id).author_id is None  # no link to the old rows
    page = again.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Former employee" in page and "Anna Berg" not in page.split("<main")[1].split(
        "</main>")[0]  # fmt: skip
