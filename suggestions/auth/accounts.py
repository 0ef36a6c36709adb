"""Accounts: signing in and out, creating and changing users."""

from __future__ import annotations

import secrets

from flask import current_app
from flask_babel import lazy_gettext as _
from sqlalchemy import func, select

from ..core.clock import now
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.signals import user_activation_changed, user_changed
from ..org.models import Department
from ..policy import require
from . import tokens
from .models import Role, User
from .passwords import hash_password, needs_rehash, verify_password
from .permissions import is_admin

MIN_PASSWORD_LENGTH = 10


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None. The caller cannot tell (and so
    cannot show) whether the address exists."""
    user = find_by_email(email)
    if user is None:
        verify_password(None, password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if not password_sign_in_allowed(user):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now()
    return user


def password_sign_in_allowed(user: User) -> bool:
    """With LOCAL_PASSWORDS off, people sign in through the company; only an admin created
    on the command line keeps a password (break-glass)."""
    if current_app.config["LOCAL_PASSWORDS"]:
        return True
    return user.break_glass and is_admin(user)


def end_sessions(user: User) -> None:
    """Invalidate every login cookie of this user, remembered ones included."""
    user.session_version += 1


def check_password_strength(password: str, *, email: str = "") -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError(_("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if email and password.lower() == normalise_email(email):
        raise DomainError(_("Your password must not be your email address."))


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_user(
    admin: User | None,
    *,
    email: str,
    display_name: str,
    department: Department | None,
    role: Role | str = Role.EMPLOYEE,
    language: str | None = None,
    password: str,
) -> User:
    """Create an account. ``admin`` is None only for the command line."""
    if admin is not None:
        require(admin, "admin.manage")
    email = normalise_email(email)
    if db.session.scalar(select(func.count()).where(User.email == email)):
        raise DomainError(_("There is already an account with this email address."))
    check_password_strength(password, email=email)
    user = User(
        email=email,
        display_name=display_name.strip(),
        department=department,
        role=Role(role),
        language=language or None,
        password_hash=hash_password(password),
        active=True,
        session_version=0,
        created_at=now(),
    )
    db.session.add(user)
    db.session.flush()
    return user


def update_user(
    admin: User,
    user: User,
    *,
    display_name: str,
    department: Department | None,
    role: Role | str,
    language: str | None,
) -> None:
    require(admin, "admin.manage")
    _refuse_erased(user)
    if user.id == admin.id and Role(role) != Role.ADMIN:
        raise DomainError(_("You cannot take away your own admin role."))
    before = _account_facts(user)
    user.display_name = display_name.strip()
    user.department = department
    if user.role != role:
        end_sessions(user)  # new rights take effect at the next sign-in
    user.role = Role(role)
    user.language = language or None
    if user.role != Role.HEAD:
        user.headed_departments = []
    user_changed.send(admin, actor=admin, user=user, before=before, after=_account_facts(user))


def _account_facts(user: User) -> dict:
    return {
        "display_name": user.display_name,
        "role": str(user.role),
        "department_id": user.department.id if user.department else None,
        "language": user.language,
    }


def _refuse_erased(user: User) -> None:
    if user.erased_at is not None:  # a tombstone stays one (people.erasure)
        raise DomainError(_("This account is erased already."))


def set_active(admin: User, user: User, active: bool) -> None:
    require(admin, "admin.manage")
    _refuse_erased(user)
    if user.id == admin.id and not active:
        raise DomainError(_("You cannot deactivate your own account."))
    changed = user.active != active
    user.active = active
    if not active:
        end_sessions(user)
        tokens.revoke_all(user)  # a script must not keep the access its owner lost
    if changed:
        user_activation_changed.send(admin, actor=admin, user=user, active=active)


def set_password(user: User, password: str) -> None:
    check_password_strength(password, email=user.email)
    user.password_hash = hash_password(password)


def change_own_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise DomainError(_("Your current password is not correct."))
    set_password(user, new)
    end_sessions(user)  # other devices must sign in again
