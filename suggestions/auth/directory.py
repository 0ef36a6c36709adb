"""People as the company's directory describes them: the one place that turns what an identity
provider says (email, name, department, groups) into a Freiraum account.

Every company sign-in method (OpenID Connect today; the proxy header and LDAP use the same
function) hands an :class:`Identity` to :func:`sign_in_external`. It creates the person on the
first sign-in ("just in time") and, when the admin chose so, keeps name, department and role
in step with the directory on later ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _
from sqlalchemy import func, select

from ..core.clock import now
from ..core.errors import DomainError
from ..core.extensions import db
from ..org.models import Department
from .accounts import normalise_email
from .models import Role, User

# When groups map to several roles, the one with the most rights wins.
_ROLE_RANK = {Role.EMPLOYEE: 0, Role.HEAD: 1, Role.LEADER: 2, Role.ADMIN: 3}


@dataclass(frozen=True)
class Identity:
    """A person as a sign-in method reported them, before any account is touched."""

    external_id: str  # stable id, e.g. "oidc:<issuer>#<sub>"
    email: str
    display_name: str = ""
    department: str | None = None
    groups: tuple[str, ...] = field(default_factory=tuple)
    # False when the provider says it did not verify the address: such an identity may
    # create a new account but never take over an existing one by its email.
    email_verified: bool = True


def role_for_groups(groups: Iterable[str], mapping: Mapping[str, str]) -> Role | None:
    """The role the groups give, or None when no group mapping is configured."""
    if not mapping:
        return None
    roles = [Role(mapping[group]) for group in groups if group in mapping]
    return max(roles, key=_ROLE_RANK.__getitem__, default=Role.EMPLOYEE)


def _department_named(name: str | None) -> Department | None:
    name = (name or "").strip()
    if not name:
        return None
    return db.session.scalar(select(Department).where(func.lower(Department.name) == name.lower()))


def _place(user: User, department_name: str | None) -> None:
    """Put the person in the department the directory names, or in the default one (and
    remember the unknown name so the admin can map it)."""
    department = _department_named(department_name)
    if department is not None or not (department_name or "").strip():
        user.department = department or user.department
        user.unmapped_department = None
        return
    user.department = _department_named(current_app.config["SSO_DEFAULT_DEPARTMENT"])
    user.unmapped_department = department_name.strip()[:120]


def _set_role(user: User, role: Role) -> None:
    if user.role == role:
        return
    user.role = role
    user.session_version += 1  # the person's other devices pick up the new rights too
    if role == Role.HEAD:
        # A head from the directory heads their own department.
        if user.department is not None and user.department not in user.headed_departments:
            user.headed_departments.append(user.department)
    else:
        user.headed_departments = []


def sign_in_external(identity: Identity, *, group_roles: Mapping[str, str]) -> User:
    """The account for this identity, created or brought up to date. Raises DomainError
    (and changes nothing) when it must not sign in."""
    email = normalise_email(identity.email)
    if not email or "@" not in email:
        raise DomainError(_("The identity provider did not send an email address."))
    user = db.session.scalar(select(User).where(User.external_id == identity.external_id))
    if user is None:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            # An account created before (by an admin or an import) is linked on the first
            # company sign-in: only with a verified address, and never to a second identity.
            if user.external_id is not None or not identity.email_verified:
                raise DomainError(
                    _("An account with this email address exists already. Please ask an admin.")
                )
            if not user.active:
                raise DomainError(_("This account is deactivated."))
            user.external_id = identity.external_id
            _update(user, identity, email=email, group_roles=group_roles)
        else:
            user = _create(identity, email=email, group_roles=group_roles)
    else:
        if not user.active:
            raise DomainError(_("This account is deactivated."))
        _update(user, identity, email=email, group_roles=group_roles)
    user.last_login_at = now()
    return user


def _create(identity: Identity, *, email: str, group_roles: Mapping[str, str]) -> User:
    user = User(
        email=email,
        display_name=(identity.display_name or email.split("@")[0]).strip()[:120],
        password_hash=None,  # signs in through the company only
        role=Role.EMPLOYEE,
        active=True,
        session_version=0,
        external_id=identity.external_id,
        created_at=now(),
    )
    db.session.add(user)
    _place(user, identity.department)
    role = role_for_groups(identity.groups, group_roles)
    if role is not None:
        _set_role(user, role)
        user.session_version = 0
    db.session.flush()
    return user


def _update(user: User, identity: Identity, *, email: str, group_roles: Mapping[str, str]) -> None:
    if not current_app.config["SSO_UPDATE_FROM_DIRECTORY"]:
        return
    if identity.display_name.strip():
        user.display_name = identity.display_name.strip()[:120]
    if email != user.email and db.session.scalar(
        select(func.count()).where(User.email == email, User.id != user.id)
    ):
        raise DomainError(
            _("An account with this email address exists already. Please ask an admin.")
        )
    user.email = email
    if identity.department is not None:
        _place(user, identity.department)
    role = role_for_groups(identity.groups, group_roles)
    if role is not None:
        _set_role(user, role)
