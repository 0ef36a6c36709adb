"""An imported person signs in with their directory password (a real slapd) and lands on the
imported account; after erasure the same directory entry makes a new, empty account."""

from __future__ import annotations

from sqlalchemy import select

from suggestions.auth.models import Role, User
from suggestions.core.extensions import db
from suggestions.people import erasure, importer

from .. import factories
from .test_ldap import ERIKA_PASSWORD, _login, _people, config_overrides, service  # noqa: F401


def test_an_imported_person_signs_in_through_the_directory(browser, service):  # noqa: F811
    admin = factories.make_user(Role.ADMIN)
    db.session.commit()
    importer.apply_import(
        admin, "email;name;department\nerika@example.com;Erika;Customer Service\n"
    )
    db.session.commit()
    imported = db.session.scalar(select(User).where(User.email == "erika@example.com"))
    assert _login(browser, "erika", ERIKA_PASSWORD).status_code == 302
    db.session.refresh(imported)
    assert imported.external_id == "ldap:uid=erika,ou=people,dc=example,dc=com"
    assert _people() == 2
    erasure.erase(admin, imported, confirm_email="erika@example.com")
    db.session.commit()
    assert _login(browser, "erika", ERIKA_PASSWORD).status_code == 302
    new = db.session.scalar(select(User).where(User.email == "erika@example.com"))
    assert new.id != imported.id and _people() == 3
