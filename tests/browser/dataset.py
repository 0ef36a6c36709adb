"""The known small data set every browser journey starts from.

Built through the domain functions (and the suite's factories) inside the test process's own
app context and committed before any browser looks. It returns plain values, not ORM objects:
the server runs in another process, so the tests only need names, emails and ids.

Everyone shares ``PASSWORD`` and has no language of their own, so the browser's language
(the context's locale) decides until someone chooses one.
"""

from __future__ import annotations

from dataclasses import dataclass

from suggestions.auth.models import Role
from suggestions.core.extensions import db
from suggestions.ideas import rules
from suggestions.org.models import Category

from ..factories import PASSWORD, make_department, make_idea, make_user

__all__ = ["PASSWORD", "Account", "Dataset", "seed"]


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    email: str
    department: str | None


@dataclass(frozen=True)
class Dataset:
    erika: Account  # employee, Customer Service
    otto: Account  # employee, Sales: the colleague from another department
    hanna: Account  # head of Customer Service
    lea: Account  # leadership
    adam: Account  # administrator
    wilhelmine: Account  # employee who will write anonymously
    departments: dict[str, int]
    categories: dict[str, int]
    popular_idea: int  # by Otto, owned by Sales, with votes and comments
    erikas_idea: int  # by Erika, still new: she may edit and withdraw it


def _category(name_en: str, name_de: str, position: int) -> Category:
    category = Category(name_en=name_en, name_de=name_de, position=position, active=True)
    db.session.add(category)
    db.session.flush()
    return category


def _account(user) -> Account:
    return Account(
        user.id, user.display_name, user.email, user.department.name if user.department else None
    )


def seed() -> Dataset:
    service = make_department("Customer Service", budget=2000)
    sales = make_department("Sales", budget=5000)
    it = make_department("IT and Operations")
    red_tape = _category("Red tape", "Bürokratie", 1)
    customers = _category("Customer service", "Kundenservice", 2)
    tools = _category("Tools & IT", "Werkzeuge & IT", 3)

    def person(role, department, name, email, heads=None):
        return make_user(role, department, name=name, email=email, heads=heads, language=None)

    erika = person(Role.EMPLOYEE, service, "Erika Employee", "erika@freiraum.example")
    otto = person(Role.EMPLOYEE, sales, "Otto Other", "otto@freiraum.example")
    hanna = person(Role.HEAD, service, "Hanna Head", "hanna@freiraum.example", heads=[service])
    lea = person(Role.LEADER, it, "Lea Leader", "lea@freiraum.example")
    adam = person(Role.ADMIN, None, "Adam Admin", "adam@freiraum.example")
    wilhelmine = person(
        Role.EMPLOYEE, service, "Wilhelmine Whistleblower", "wilhelmine@freiraum.example"
    )

    popular = make_idea(
        otto, department=sales, category=customers, affected=[service],
        title="Customers should correct a mistyped order themselves within 30 minutes",
        problem="A customer mistypes an order and nobody can fix it, *because the process "
                "has already started*. Nobody can say who may decide.",
        proposal="Let customers change or cancel an order online during the first 30 minutes.",
        benefit="Fewer calls for us, no angry customers, no manual credit notes.",
        hours_lost_per_month=40, customer_facing=True,
    )  # fmt: skip
    rules.set_vote(popular, hanna, True)
    rules.set_vote(popular, lea, True)
    rules.add_comment(popular, erika, "We get about ten of these calls **every day**.")
    rules.add_comment(popular, lea, "Good point. Sales, please look into it.", official=True)
    erikas = make_idea(
        erika, department=service, category=red_tape,
        title="One form for address changes",
        problem="Customers fill in three different forms for one new address.",
        proposal="One form that updates billing, delivery and contracts.",
        benefit="Less typing for customers, fewer errors for us.",
    )  # fmt: skip
    make_idea(
        hanna, department=it, category=tools, title="Single sign-on for the ticket system",
        hours_lost_per_month=12,
    )  # fmt: skip
    db.session.commit()
    return Dataset(
        erika=_account(erika),
        otto=_account(otto),
        hanna=_account(hanna),
        lea=_account(lea),
        adam=_account(adam),
        wilhelmine=_account(wilhelmine),
        departments={d.name: d.id for d in (service, sales, it)},
        categories={c.name_en: c.id for c in (red_tape, customers, tools)},
        popular_idea=popular.id,
        erikas_idea=erikas.id,
    )
