"""People: accounts, roles and the departments they belong to or lead."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import now
from ..core.extensions import db
from ..org.models import Department, department_heads


class Role(StrEnum):
    EMPLOYEE = "employee"
    HEAD = "head"
    LEADER = "leader"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True
    )
    role: Mapped[str] = mapped_column(String(16), default=Role.EMPLOYEE)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str | None] = mapped_column(String(5))  # None: follow the browser
    # Part of the login cookie: raising it ends every session of this user (logout, deactivation).
    session_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_login_at: Mapped[datetime | None]
    # Who the company's identity provider says this is ("oidc:<issuer>#<subject>"): stable
    # even when the person's email address changes. None: a local account only.
    external_id: Mapped[str | None] = mapped_column(String(255), unique=True, index=True)
    # The department the provider named when no department of that name exists: the person
    # sits in the default department and the admin sees them as "unmapped".
    unmapped_department: Mapped[str | None] = mapped_column(String(120))
    # Created on the command line: may still sign in with a password when LOCAL_PASSWORDS is
    # off (the way in when the identity provider is down).
    break_glass: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Erased on request (GDPR art. 17): the row stays as a tombstone so votes stay counted
    # and ids stay consistent; everything that named the person is gone (people.erasure).
    erased_at: Mapped[datetime | None]

    department: Mapped[Department | None] = relationship()
    headed_departments: Mapped[list[Department]] = relationship(
        secondary=department_heads, back_populates="heads", order_by="Department.name"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
