"""The list's search box and filter form are kept drawn (ideas/list_filters.py): each page must
show the choices as they are now, its own filter's values only, in the viewer's language."""

from __future__ import annotations

import re

from sqlalchemy import text

from suggestions.core.cache import fragments
from suggestions.core.extensions import db
from suggestions.ideas import list_filters

from ..factories import make_category, make_department, make_idea


def form_of(page: str) -> str:
    start = page.index('<form class="searchbar card"')
    return page[start : page.index("</form>", page.index('<form class="filters card"'))]


def selected(form: str) -> list[str]:
    """The values the form marks: selected options, checked boxes, a typed search."""
    marked = re.findall(r'<option value="([^"]*)" selected>', form)
    marked += re.findall(r'name="(\w+)" value="1" checked>', form)
    marked += re.findall(r'id="f-q" name="q" value="([^"]+)"', form)
    return marked


def test_the_form_is_drawn_once_per_filter_and_then_kept(app, browser, org, monkeypatch):
    make_idea(org.employee, department=org.sales)
    drawn = []
    draw = list_filters._draw
    monkeypatch.setattr(list_filters, "_draw", lambda f: drawn.append(f.sort) or draw(f))
    browser.login(org.employee)
    first = form_of(browser.get("/ideas").get_data(as_text=True))
    assert drawn == ["top"] and len(fragments("list filters", app)) == 1
    assert form_of(browser.get("/ideas").get_data(as_text=True)) == first
    assert form_of(browser.get("/ideas?page=2").get_data(as_text=True)) == first
    assert drawn == ["top"]  # the page is not the form's: the same form
    browser.get("/ideas?sort=new")
    assert drawn == ["top", "new"]
    # A search's form is drawn every time (each typed text would be kept on its own).
    browser.get("/ideas?q=expenses")
    browser.get("/ideas?q=expenses")
    assert drawn == ["top", "new", "relevance", "relevance"]
    assert len(fragments("list filters", app)) == 2
    # Kept or drawn, the same HTML.
    app.config["FRAGMENT_CACHE_SIZE"] = 0
    app.extensions["freiraum.fragments"].clear()
    assert form_of(browser.get("/ideas").get_data(as_text=True)) == first


def test_each_page_marks_its_own_filter_and_no_other(app, new_browser, org):
    category = make_category("Forms")
    db.session.commit()
    first, second = new_browser(), new_browser()
    first.login(org.employee)
    second.login(org.other_employee)
    url = f"/ideas?q=expenses&department={org.sales.id}&category={category.id}&mine=1&overdue=1"
    url += "&status=new&sort=new"
    marked = selected(form_of(first.get(url).get_data(as_text=True)))
    assert sorted(marked) == sorted(
        ["new", "new", str(org.sales.id), str(category.id), "mine", "overdue", "expenses"]
    )
    assert selected(form_of(second.get("/ideas").get_data(as_text=True))) == ["top"]
    other = f"/ideas?department={org.service.id}"
    assert selected(form_of(second.get(other).get_data(as_text=True))) == [
        "top", str(org.service.id),
    ]  # fmt: skip
    # Each value alone, after the plain form was kept: its own form.
    alone = {
        "q=expenses": ["relevance", "expenses"], "mine=1": ["top", "mine"],
        "overdue=1": ["top", "overdue"], "status=new": ["top", "new"],
        f"category={category.id}": ["top", str(category.id)], "sort=discussed": ["discussed"],
    }  # fmt: skip
    for query, marks in alone.items():
        page = second.get(f"/ideas?{query}").get_data(as_text=True)
        assert sorted(selected(form_of(page))) == sorted(marks), query
    # The same filter is the same form for everyone (it holds nothing of the viewer).
    assert form_of(second.get(url).get_data(as_text=True)) == form_of(
        first.get(url).get_data(as_text=True)
    )
    # A typed search is shown as typed, escaped, and only on its own page.
    evil = first.get('/ideas?q="><b>x').get_data(as_text=True)
    assert 'value="&#34;&gt;&lt;b&gt;x"' in form_of(evil)
    assert "&lt;b&gt;" not in form_of(second.get("/ideas").get_data(as_text=True))


def test_a_renamed_or_new_department_and_category_show_on_the_next_page(app, browser, org):
    category = make_category("Forms")
    db.session.commit()
    browser.login(org.employee)
    form = form_of(browser.get("/ideas").get_data(as_text=True))
    assert f">{org.sales.name}<" in form and ">Forms<" in form
    org.sales.name = "Sales and Marketing"
    category.name_en = "Paperwork"
    db.session.commit()
    form = form_of(browser.get("/ideas").get_data(as_text=True))
    assert ">Sales and Marketing<" in form and ">Paperwork<" in form and ">Forms<" not in form
    added = make_department("Zoo Keeping")
    db.session.commit()
    form = form_of(browser.get("/ideas").get_data(as_text=True))
    assert f'<option value="{added.id}" >Zoo Keeping</option>' in form
    # Written by plain SQL, past the app: the triggers move the stamp all the same.
    db.session.execute(text("UPDATE departments SET name = 'Zebras' WHERE id = :id"),
                       {"id": added.id})  # fmt: skip
    db.session.commit()
    form = form_of(browser.get("/ideas").get_data(as_text=True))
    assert ">Zebras<" in form and "Zoo Keeping" not in form


def test_the_form_follows_the_viewers_language(app, new_browser, org):
    make_category("Forms")
    org.other_employee.language = "de"
    db.session.commit()
    english, german = new_browser(), new_browser()
    english.login(org.employee)
    german.login(org.other_employee)
    form = form_of(english.get("/ideas").get_data(as_text=True))
    assert "Only mine" in form and ">Forms<" in form and "Nur meine" not in form
    form = form_of(german.get("/ideas").get_data(as_text=True))
    assert "Nur meine" in form and ">Forms (de)<" in form and "Only mine" not in form
    form = form_of(english.get("/ideas").get_data(as_text=True))
    assert "Only mine" in form and "Nur meine" not in form


def test_the_forms_links_follow_the_script_root(app, browser, org):
    browser.login(org.employee)
    assert 'action="/ideas"' in form_of(browser.get("/ideas").get_data(as_text=True))
    mounted = browser.get("/ideas", environ_overrides={"SCRIPT_NAME": "/freiraum"})
    assert 'action="/freiraum/ideas"' in form_of(mounted.get_data(as_text=True))
