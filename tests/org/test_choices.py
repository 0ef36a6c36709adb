"""Department and category choices are kept per process and read again when the stamp of the
rows kept per process moved (org/queries.py, core/kept.py, migration 0013): a change made
through one worker shows on another worker's next page, whoever made it, and a process never
shows choices it no longer has."""

from __future__ import annotations

import re

from sqlalchemy import select, text

from suggestions.core.extensions import db
from suggestions.core.kept import Stamp
from suggestions.org.queries import category_choices, department_choices

from ..conftest import Browser, make_app
from ..factories import make_category, make_department


def _select(page: str, name: str) -> str:
    start = page.index(f'<select id="f-{name}"')
    return page[start : page.index("</select>", start)]


def _revision() -> int | None:
    return db.session.scalar(select(Stamp.version).where(Stamp.id == 1))


def test_a_change_through_one_worker_shows_on_the_others_next_list(app, database_url, browser, org):
    other = make_app(database_url)  # a second worker: its own process memory, one database
    reader = Browser(other)
    reader.login(org.employee)
    page = reader.get("/ideas").get_data(as_text=True)
    assert "Logistics" not in _select(page, "department")

    browser.login(org.admin)
    assert browser.post("/admin/departments/new", {"name": "Logistics"}).status_code == 302
    browser.post(f"/admin/categories/{org.red_tape.id}",
                 {"name_en": "Paperwork", "name_de": "Papierkram", "position": "0",
                  "active": "y"})  # fmt: skip
    page = reader.get("/ideas").get_data(as_text=True)
    assert "Logistics" in _select(page, "department")
    assert "Paperwork" in _select(page, "category") and "Red tape" not in page

    # Retired: out of the filter on the next page too.
    browser.post(f"/admin/categories/{org.red_tape.id}",
                 {"name_en": "Paperwork", "name_de": "Papierkram", "position": "0"})  # fmt: skip
    assert "Paperwork" not in _select(reader.get("/ideas").get_data(as_text=True), "category")


def test_every_writer_moves_the_revision_even_plain_sql(app, org):
    before = _revision()
    db.session.execute(text("UPDATE departments SET name = 'Field Sales' WHERE name = 'Sales'"))
    db.session.commit()
    moved = _revision()
    assert moved != before
    db.session.execute(text("DELETE FROM categories WHERE name_en = 'Red tape'"))
    db.session.commit()
    assert _revision() != moved
    assert "Field Sales" in dict(department_choices()).values()
    assert "Red tape" not in dict(category_choices()).values()


def test_without_the_stamp_row_the_choices_are_read_every_time(app):
    """A database emptied by hand: nothing is kept, so nothing stale is shown."""
    db.session.execute(Stamp.__table__.delete())
    db.session.commit()
    assert _revision() is None and department_choices() == []
    make_department("Logistics")
    db.session.commit()
    assert [name for _, name in department_choices()] == ["Logistics"]


def test_a_request_sees_its_own_new_choices(app, org):
    with app.test_request_context("/ideas"):
        assert "Logistics" not in dict(department_choices()).values()
        make_department("Logistics")  # not committed
        assert "Logistics" in dict(department_choices()).values()
        db.session.rollback()
        assert "Logistics" not in dict(department_choices()).values()


def test_a_transaction_sees_its_own_new_choices(app, org):
    assert "Logistics" not in dict(department_choices()).values()
    make_department("Logistics")  # flushed, not committed
    assert "Logistics" in dict(department_choices()).values()
    db.session.rollback()
    assert "Logistics" not in dict(department_choices()).values()


def test_categories_in_display_order_a_retired_one_only_when_kept(app, org):
    retired = make_category("Old forms", active=False)
    first = make_category("First")
    first.position = -1
    db.session.commit()
    with app.test_request_context("/ideas"):
        names = [name for _, name in category_choices()]
        assert names[0] == "First" and "Red tape" in names and "Old forms" not in names
        assert (retired.id, "Old forms") in category_choices(keep_id=retired.id)


def test_the_list_offers_the_kept_choices_to_each_language(app, new_browser, org):
    english, german = new_browser(), new_browser()
    english.login(org.employee)
    org.other_employee.language = "de"
    db.session.commit()
    german.login(org.other_employee)
    for _ in range(2):
        assert re.search(r">Red tape<", _select(english.get("/ideas").get_data(as_text=True),
                                               "category"))  # fmt: skip
        assert ">Red tape (de)<" in _select(german.get("/ideas").get_data(as_text=True),
                                            "category")  # fmt: skip
