"""Every main page, in English and German, on a desktop and on a phone: axe-core finds no
serious or critical violation, nothing scrolls sideways, and on the phone everything a person
taps is at least 44 px high. (axe runs on the phone in English only: the German pages have the
same markup, and their phone layout is still measured.) Each page is photographed into
test-artifacts/screenshots/ for people to look at; axe's full findings (minor ones too) go to
test-artifacts/axe/.

The data set is lived in a little first (``lived_in``): an open commitment, a change that is
live, an idea overdue and above its department's budget, news under Erika's bell, so that the
queues, commitments, notifications and "You said, we did" show rows, not their empty states;
more ideas than one page holds, so the list shows its pager; long German words, names and
reasons, so the layouts meet them.
A page that needs a state first (a form with errors, an open menu) gets a ``prepare`` step.
New pages: add a line to ``PAGES``. (Pages that share a template with one listed here, like
the edit form, are left out to keep the run short; the journeys still measure their layout.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from suggestions.auth.models import Role, User
from suggestions.core.clock import now
from suggestions.core.extensions import db
from suggestions.ideas import rules
from suggestions.ideas.models import Idea
from suggestions.org.models import Department
from suggestions.workflow import lifecycle

from ..factories import make_department, make_idea, make_user
from .steps import open_action
from .visitor import WIDE_DESKTOPS, Visitor

pytestmark = pytest.mark.browser


def _submit_empty(v: Visitor) -> None:
    v.page.locator("main form.form button[type=submit]").first.click()
    expect(v.page.locator("[role=alert]")).to_be_visible()


def _wrong_password(v: Visitor) -> None:
    v.page.fill("#email", "nobody@freiraum.example")
    v.page.fill("#password", "wrong")
    v.page.press("#password", "Enter")
    expect(v.page.locator("[role=alert]")).to_be_visible()


def _open_withdraw(v: Visitor) -> None:
    withdraw = v.page.locator("details.action", has=v.page.locator("form[action$='/withdraw']"))
    withdraw.locator("summary").click()
    expect(withdraw.locator("textarea")).to_be_visible()


def _open_estimate(v: Visitor) -> None:
    estimate = v.page.locator(
        "#decision details.action", has=v.page.locator("form[action$='/estimate_cost']")
    )
    open_action(v.page, estimate)
    expect(estimate.locator("textarea")).to_be_visible()


def _open_account_menu(v: Visitor) -> None:
    v.page.locator(".usermenu summary").click()
    expect(v.page.locator(".usermenu-panel")).to_be_visible()


@dataclass(frozen=True)
class PageCheck:
    name: str
    who: str | None  # an attribute of the data set, or None: signed out
    path: str  # formatted with the data set
    status: int = 200
    prepare: Callable[[Visitor], None] | None = None


PAGES = [
    PageCheck("login", None, "/login"),
    PageCheck("login-error", None, "/login", prepare=_wrong_password),
    PageCheck("ideas", "erika", "/ideas"),
    PageCheck("ideas-menu", "erika", "/ideas?sort=new", prepare=_open_account_menu),
    PageCheck("idea", "erika", "/ideas/{data.popular_idea}"),
    PageCheck("idea-own", "erika", "/ideas/{data.erikas_idea}", prepare=_open_withdraw),
    PageCheck("idea-decision", "hanna", "/ideas/{data.erikas_idea}", prepare=_open_estimate),
    PageCheck("idea-long-words", "erika", "/ideas/{lived.long_words}"),
    PageCheck("search", "erika", "/ideas?q=form"),
    PageCheck("submit", "erika", "/ideas/new"),
    PageCheck("submit-errors", "erika", "/ideas/new", prepare=_submit_empty),
    PageCheck("account", "erika", "/account"),
    PageCheck("error-404", "erika", "/ideas/999999", status=404),
    PageCheck("error-403", "erika", "/admin/users", status=403),
    PageCheck("admin-users", "adam", "/admin/users"),
    PageCheck("admin-user-new", "adam", "/admin/users/new"),
    PageCheck("admin-people-import", "adam", "/admin/people/import"),
    PageCheck("admin-erase", "adam", "/admin/users/{data.otto.id}/erase"),
    PageCheck("admin-departments", "adam", "/admin/departments"),
    PageCheck("admin-department-edit", "adam", "/admin/departments/{data.departments[Sales]}"),
    PageCheck("admin-categories", "adam", "/admin/categories"),
    PageCheck("admin-category-new", "adam", "/admin/categories/new", prepare=_submit_empty),
    PageCheck("you-said-we-did", "erika", "/you-said-we-did"),
    PageCheck("commitments", "erika", "/commitments"),
    PageCheck("notifications", "erika", "/notifications"),
    PageCheck("notification-settings", "erika", "/notifications/settings"),
    PageCheck("queue", "hanna", "/queue"),
    PageCheck("queue-leadership", "lea", "/queue/leadership"),
    PageCheck("insights", "adam", "/insights?range=365"),
    PageCheck("insights-custom-error", "adam", "/insights?range=custom&start=2026-02-01"),
]

LOCALES = {"en": "en-GB", "de": "de-DE"}


@pytest.fixture
def lived_in(data, site) -> Lived:
    """The decision loop has run a while, through the domain functions."""
    with site.database():
        person = {name: db.session.get(User, getattr(data, name).id)
                  for name in ("erika", "otto", "hanna", "lea")}  # fmt: skip
        sales, service = (db.session.get(Department, data.departments[name])
                          for name in ("Sales", "Customer Service"))  # fmt: skip
        today = now().date()

        promised = make_idea(person["otto"], department=sales,
                             title="Print delivery notes on both sides")  # fmt: skip
        lifecycle.accept(promised, person["lea"], owner=person["lea"],
                         due_on=today + timedelta(days=30),
                         promise="Sales prints on both sides by default.")  # fmt: skip

        done = make_idea(person["erika"], department=service, hours_lost_per_month=6,
                         title="Let each team choose its own headsets")  # fmt: skip
        lifecycle.estimate_cost(done, person["hanna"], Decimal("500"))
        lifecycle.accept(done, person["hanna"], owner=person["hanna"], due_on=today,
                         promise="Every team gets a budget for headsets.")  # fmt: skip
        lifecycle.transition(done, "start", person["hanna"])
        lifecycle.implement(done, person["hanna"], change_summary="Teams order their own headsets.")

        waiting = make_idea(person["otto"], department=service, title="A second coffee machine")
        waiting.created_at = now() - timedelta(days=12)  # the first response is overdue
        lifecycle.estimate_cost(waiting, person["hanna"], Decimal("9000"))  # above 2,000

        erikas = db.session.get(Idea, data.erikas_idea)
        rules.add_comment(erikas, person["otto"], "Sales would use that form too.")

        # More ideas than a page of the list holds: the pager (and its disabled "Previous")
        # is on the page axe looks at.
        for n in range(12):
            make_idea(person["otto"], department=sales, title=f"Sales idea number {n + 1}")

        # Long German words and long lines, as real titles, names and reasons have them: a
        # phone must wrap them, a desktop table must still show every column.
        expenses = make_department(LONG_DEPARTMENT)
        maximiliane = make_user(Role.EMPLOYEE, expenses, name=LONG_NAME, language=None)
        long_words = make_idea(maximiliane, department=service, title=LONG_TITLE,
                               problem="Drei Unterschriften für eine Bahnfahrt.")  # fmt: skip
        rules.add_comment(erikas, maximiliane, "Die Reisekostenabrechnungsstelle braucht das auch.")
        make_idea(person["erika"], department=service, title=LONG_LINE)
        broken = make_idea(maximiliane, department=sales,
                           title="Reisekostenvorschussantragsformular abschaffen")  # fmt: skip
        lifecycle.accept(broken, person["lea"], owner=person["lea"],
                         due_on=today + timedelta(days=10),
                         promise="Advances are paid without a form from next month.")  # fmt: skip
        lifecycle.break_commitment(broken, person["lea"], BROKEN_REASON)
        db.session.flush()
        return Lived(long_words=long_words.id)


@dataclass(frozen=True)
class Lived:
    long_words: int  # the idea titled LONG_TITLE


LONG_TITLE = "Reisekostenabrechnungsgenehmigungsverfahren vereinfachen"
LONG_NAME = "Maximiliane Hohenzollern-Sigmaringen-Wittelsbach"
LONG_DEPARTMENT = "Reisekostenabrechnungsstelle und Spesenprüfung"
LONG_LINE = ("Let the support team refund up to 50 francs on the spot, without a sign-off "
             "from headquarters on another continent")  # fmt: skip
BROKEN_REASON = ("The payroll system cannot pay an advance without a signed form before its "
                 "replacement goes live next year; we will ask again then.")  # fmt: skip


@pytest.mark.parametrize("language", list(LOCALES))
def test_main_pages_are_accessible(data, lived_in, browse, device, language):
    visitors: dict[str | None, Visitor] = {}
    for check in PAGES:
        if check.who not in visitors:
            account = getattr(data, check.who) if check.who else None
            visitors[check.who] = browse(account, device, locale=LOCALES[language])
        visitor = visitors[check.who]
        visitor.goto(check.path.format(data=data, lived=lived_in), status=check.status)
        if check.prepare:
            check.prepare(visitor)
            visitor.check()
        expect(visitor.page.locator("html")).to_have_attribute("lang", language)
        name = f"{check.name}-{device.name}-{language}"
        if device.name == "desktop" or language == "en":
            visitor.assert_accessible(name)
        visitor.screenshot(name)


# The pages with tables (and the list and an idea), at the other usual desktop widths: every
# column in sight without a scrollbar (the visitor's check), German labels being the longest.
WIDE_PAGES = ["queue", "commitments", "queue-leadership", "ideas", "idea-long-words",
              "notification-settings", "admin-users", "admin-departments", "insights"]  # fmt: skip


@pytest.mark.parametrize("width", list(WIDE_DESKTOPS))
def test_wide_desktops_show_every_column(data, lived_in, browse, width):
    device = WIDE_DESKTOPS[width]
    checks = {check.name: check for check in PAGES}
    visitors: dict[str | None, Visitor] = {}
    for name in WIDE_PAGES:
        check = checks[name]
        if check.who not in visitors:
            visitors[check.who] = browse(getattr(data, check.who), device, locale="de-DE")
        visitor = visitors[check.who]
        visitor.goto(check.path.format(data=data, lived=lived_in))  # measures the page
        visitor.screenshot(f"{name}-{width}-de")
