"""Small factories that build data through the domain functions."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from suggestions.auth.accounts import create_user
from suggestions.auth.models import Role, User
from suggestions.core.extensions import db
from suggestions.ideas import rules
from suggestions.ideas.models import Idea
from suggestions.org.models import Category, Department

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_department(name: str | None = None, budget=None) -> Department:
    department = Department(name=name or f"Department {next(_counter)}", decision_budget=budget)
    db.session.add(department)
    db.session.flush()
    return department


def make_category(name: str | None = None, active: bool = True) -> Category:
    n = next(_counter)
    category = Category(
        name_en=name or f"Category {n}", name_de=f"Kategorie {n}" if not name else f"{name} (de)",
        position=n, active=active,
    )  # fmt: skip
    db.session.add(category)
    db.session.flush()
    return category


def make_user(
    role: Role = Role.EMPLOYEE,
    department: Department | None = None,
    *,
    name: str | None = None,
    email: str | None = None,
    heads: list[Department] | None = None,
    language: str | None = "en",
) -> User:
    n = next(_counter)
    user = create_user(
        None,
        email=email or f"person{n}@example.org",
        display_name=name or f"Person {n}",
        department=department,
        role=role,
        language=language,
        password=PASSWORD,
    )
    if heads:
        user.headed_departments = heads
    db.session.flush()
    return user


def make_idea(
    author: User,
    *,
    department: Department | None = None,
    category: Category | None = None,
    title: str | None = None,
    anonymous: bool = False,
    affected: list[Department] | None = None,
    **fields,
) -> Idea:
    n = next(_counter)
    department = department or author.department or make_department()
    text = rules.IdeaText(
        title=title or f"Idea number {n}",
        problem=fields.pop("problem", "Three signatures for a stapler."),
        proposal=fields.pop("proposal", "Let the team lead decide."),
        benefit=fields.pop("benefit", "An hour a week for everyone."),
        category=category or make_category(),
        owning_department=department,
        affected_departments=affected or [],
        **fields,
    )
    idea = rules.submit_idea(author, text, anonymous=anonymous)
    db.session.commit()
    return idea


@dataclass
class Org:
    sales: Department
    service: Department
    red_tape: Category
    employee: User
    other_employee: User
    head: User  # head of service
    other_head: User  # head of sales
    leader: User
    admin: User

    @property
    def everyone(self) -> list[User]:
        return [self.employee, self.other_employee, self.head, self.other_head, self.leader,
                self.admin]  # fmt: skip


def make_org() -> Org:
    sales = make_department("Sales")
    service = make_department("Customer Service")
    org = Org(
        sales=sales,
        service=service,
        red_tape=make_category("Red tape"),
        employee=make_user(Role.EMPLOYEE, service, name="Erika Employee"),
        other_employee=make_user(Role.EMPLOYEE, sales, name="Otto Other"),
        head=make_user(Role.HEAD, service, name="Hanna Head", heads=[service]),
        other_head=make_user(Role.HEAD, sales, name="Sven Saleshead", heads=[sales]),
        leader=make_user(Role.LEADER, sales, name="Lea Leader"),
        admin=make_user(Role.ADMIN, None, name="Adam Admin"),
    )
    db.session.commit()
    return org
