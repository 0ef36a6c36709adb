"""The page header (navigation, bell, user menu) kept per process: each person sees the links
their own permissions allow, their own name and CSRF token, the current page marked, and a
change (a new role, a renamed department, another language) at the next request, in every
worker. Two apps on one database stand for two workers (tests/core/test_kept.py)."""

from __future__ import annotations

import re

from sqlalchemy import text

from suggestions.core.cache import fragments
from suggestions.core.extensions import db

from ..conftest import Browser

NAV = re.compile(r'<nav class="mainnav".*?</nav>', re.S)
TOKENS = re.compile(r'name="csrf_token" value="([^"]+)"')
META = re.compile(r'name="csrf-token" content="([^"]+)"')


def links(page: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', NAV.search(page).group(0))


def page_of(browser: Browser, path: str = "/ideas") -> str:
    response = browser.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_person_sees_the_links_of_their_own_role(app, org, new_browser):
    pages = {}
    for person in (org.admin, org.employee, org.leader, org.employee):  # kept after the first
        browser = new_browser()
        browser.login(person)
        pages[person.id] = page_of(browser)
    assert "/admin/users" in links(pages[org.admin.id])
    assert "/admin/users" not in links(pages[org.employee.id])
    assert "/queue/leadership" in links(pages[org.leader.id])
    assert "/queue/leadership" not in links(pages[org.employee.id])
    assert "Erika Employee" in pages[org.employee.id]
    assert "Erika Employee" not in pages[org.admin.id]
    assert len(fragments("topbar", app)) == 3  # one header per kind of page, not per request


def test_the_sign_out_form_carries_the_viewers_own_token(app, org, new_browser):
    tokens = []
    for _ in range(2):  # two sessions of the same person: the same kept header
        browser = new_browser()
        browser.login(org.employee)
        page = page_of(browser)
        meta = META.search(page).group(1)
        assert set(TOKENS.findall(page)) == {meta}  # sign-out and language forms
        tokens.append(meta)
        response = browser.post("/logout", {"csrf_token": TOKENS.findall(page)[0]})
        assert response.status_code == 302
    assert tokens[0] != tokens[1]


def test_the_current_page_is_marked_on_each_page(app, org, browser):
    browser.login(org.employee)
    for path, current in [("/ideas", "/ideas"), ("/commitments", "/commitments"),
                          ("/ideas", "/ideas")]:  # fmt: skip
        nav = NAV.search(page_of(browser, path)).group(0)
        assert re.findall(r'<a href="([^"]+)"[^>]*aria-current="page"', nav) == [current]
    bell = re.compile(r'<a class="bell[^"]*" href="/notifications" aria-current="page"')
    assert bell.search(page_of(browser, "/notifications"))
    assert not bell.search(page_of(browser, "/ideas"))


def test_a_new_role_shows_its_links_at_the_next_request_in_another_worker(app, org, other_worker):
    person = Browser(other_worker)
    person.login(org.employee)
    assert "/queue" not in links(page_of(person))
    db.session.execute(text("UPDATE users SET role = 'head' WHERE id = :id"),
                       {"id": org.employee.id})  # fmt: skip
    db.session.execute(
        text("INSERT INTO department_heads (department_id, user_id) VALUES (:d, :u)"),
        {"d": org.service.id, "u": org.employee.id},
    )
    db.session.commit()
    page = page_of(person)
    assert "/queue" in links(page)
    assert "Department head" in page


def test_a_renamed_department_and_another_language_show_at_once(app, org, other_worker):
    person = Browser(other_worker)
    person.login(org.employee)
    assert "Customer Service" in page_of(person)
    db.session.execute(text("UPDATE departments SET name = 'Kundendienst' WHERE id = :id"),
                       {"id": org.employee.department_id})  # fmt: skip
    db.session.commit()
    page = page_of(person)
    assert "· Kundendienst" in page
    db.session.execute(text("UPDATE users SET language = 'de' WHERE id = :id"),
                       {"id": org.employee.id})  # fmt: skip
    db.session.commit()
    page = page_of(person)
    assert ">Ideen<" in page and ">Abmelden<" in page


def test_links_built_once_follow_the_address_prefix_of_each_request(app, org, browser):
    browser.login(org.employee)
    plain = page_of(browser)
    prefixed = browser.get("/ideas", base_url="http://localhost/intranet")
    assert prefixed.status_code == 200
    page = prefixed.get_data(as_text=True)
    for built in ('href="/intranet/ideas"', 'href="/intranet/privacy"',
                  'action="/intranet/language"', 'src="/intranet/static/'):  # fmt: skip
        assert built in page, built
        assert built not in plain, built
    assert all(url.startswith("/intranet/") for url in links(page))
    assert 'href="/intranet/' not in page_of(browser)  # the plain address again
