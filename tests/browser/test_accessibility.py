"""Every main page, in English and German, on a desktop and on a phone: axe-core finds no
serious or critical violation, nothing scrolls sideways, and on the phone everything a person
taps is at least 44 px high. (axe runs on the phone in English only: the German pages have the
same markup, and their phone layout is still measured.) Each page is photographed into
test-artifacts/screenshots/ for people to look at; axe's full findings (minor ones too) go to
test-artifacts/axe/.

A page that needs a state first (a form with errors, an open menu) gets a ``prepare`` step.
New pages: add a line to ``PAGES``. (Pages that share a template with one listed here, like
the edit form, are left out to keep the run short; the journeys still measure their layout.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from .visitor import Visitor

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
    PageCheck("submit", "erika", "/ideas/new"),
    PageCheck("submit-errors", "erika", "/ideas/new", prepare=_submit_empty),
    PageCheck("account", "erika", "/account"),
    PageCheck("error-404", "erika", "/ideas/999999", status=404),
    PageCheck("error-403", "erika", "/admin/users", status=403),
    PageCheck("admin-users", "adam", "/admin/users"),
    PageCheck("admin-user-new", "adam", "/admin/users/new"),
    PageCheck("admin-departments", "adam", "/admin/departments"),
    PageCheck("admin-department-edit", "adam", "/admin/departments/{data.departments[Sales]}"),
    PageCheck("admin-categories", "adam", "/admin/categories"),
    PageCheck("admin-category-new", "adam", "/admin/categories/new", prepare=_submit_empty),
    PageCheck("you-said-we-did", "erika", "/you-said-we-did"),
    PageCheck("insights", "adam", "/insights?range=365"),
    PageCheck("insights-custom-error", "adam", "/insights?range=custom&start=2026-02-01"),
]

LOCALES = {"en": "en-GB", "de": "de-DE"}


@pytest.mark.parametrize("language", list(LOCALES))
def test_main_pages_are_accessible(data, browse, device, language):
    visitors: dict[str | None, Visitor] = {}
    for check in PAGES:
        if check.who not in visitors:
            account = getattr(data, check.who) if check.who else None
            visitors[check.who] = browse(account, device, locale=LOCALES[language])
        visitor = visitors[check.who]
        visitor.goto(check.path.format(data=data), status=check.status)
        if check.prepare:
            check.prepare(visitor)
            visitor.check()
        expect(visitor.page.locator("html")).to_have_attribute("lang", language)
        name = f"{check.name}-{device.name}-{language}"
        if device.name == "desktop" or language == "en":
            visitor.assert_accessible(name)
        visitor.screenshot(name)
