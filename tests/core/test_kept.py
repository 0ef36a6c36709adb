"""Rows kept per process (the signed-in person, the settings) and the stamp that ends them:
a change made by one worker, by a command or by SQL typed by hand applies in every other
worker at its next request. Two apps on one database stand for two workers (a request of the
test's own app would share the test's app context, and so its session)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from suggestions.core.extensions import db
from suggestions.core.kept import STAMPED_TABLES, kept_row, stamp
from suggestions.org.models import Department
from suggestions.org.queries import org_settings
from suggestions.workflow.decision_settings import decision_settings

from ..conftest import Browser


def test_a_person_deactivated_in_one_worker_is_signed_out_in_another_at_once(
    app, org, other_worker, new_browser
):
    person = Browser(other_worker)
    person.login(org.employee)
    assert person.get("/ideas").status_code == 200  # kept in that worker now
    admin = new_browser()
    admin.login(org.admin)
    admin.get("/admin/users")
    assert admin.post(f"/admin/users/{org.employee.id}/active", {"active": "0"}).status_code == 302
    assert person.get("/ideas").status_code == 302


def test_a_name_changed_by_hand_in_sql_shows_at_the_next_request(app, org, other_worker):
    person = Browser(other_worker)
    person.login(org.employee)
    assert "Erika Employee" in person.get("/ideas").get_data(as_text=True)  # kept now
    db.session.execute(
        text("UPDATE users SET display_name = 'Erika Neu' WHERE id = :id"), {"id": org.employee.id}
    )
    db.session.commit()
    assert "Erika Neu" in person.get("/ideas").get_data(as_text=True)


def test_a_settings_change_in_one_worker_applies_in_another_at_the_next_request(
    app, org, other_worker
):
    with other_worker.test_request_context():
        assert org_settings().decision_days == 30
        assert decision_settings().breadth_supporters == 25
    org_settings().decision_days = 12  # this worker's admin saves the settings
    db.session.commit()
    db.session.execute(
        text(
            "INSERT INTO decision_settings (id, breadth_supporters, "
            "breadth_departments, only_decisions_respond) VALUES (1, 9, 2, false)"
        )
    )
    db.session.commit()  # fmt: skip
    with other_worker.test_request_context():
        assert org_settings().decision_days == 12
        assert decision_settings().breadth_supporters == 9


def test_a_kept_row_is_read_once_per_stamp_and_each_request_gets_its_own_copy(
    app, org, other_worker
):
    with other_worker.test_request_context():
        first = kept_row(Department, org.sales.id, lambda: db.session.get(Department, org.sales.id))
        first.name = "Changed in this request only"  # never committed
        db.session.rollback()
    with other_worker.test_request_context():
        calls = []
        again = kept_row(Department, org.sales.id, lambda: calls.append(1))
        assert calls == []  # from the process, not the database
        assert again is not first and again.name == "Sales"


def test_a_row_changed_by_the_loading_request_itself_is_not_kept(app, org, other_worker):
    with other_worker.test_request_context():
        stamp()
        db.session.execute(text("UPDATE departments SET name = 'Not yet' WHERE id = :id"),
                           {"id": org.sales.id})  # fmt: skip
        loaded = kept_row(
            Department, org.sales.id, lambda: db.session.get(Department, org.sales.id)
        )
        assert loaded.name == "Not yet"
        db.session.rollback()
    with other_worker.test_request_context():
        assert kept_row(
            Department, org.sales.id, lambda: db.session.get(Department, org.sales.id)
        ).name == "Sales"  # fmt: skip


@pytest.mark.parametrize("table", STAMPED_TABLES)
def test_every_change_to_a_stamped_table_moves_the_stamp(app, org, table):
    changes = {
        "users": "UPDATE users SET language = 'de'",
        "departments": "UPDATE departments SET name = name || '!'",
        "categories": "UPDATE categories SET position = position + 1",
        "org_settings": "UPDATE org_settings SET decision_days = 31",
        "decision_settings": "INSERT INTO decision_settings (id, breadth_supporters, "
        "breadth_departments, only_decisions_respond) VALUES (1, 9, 2, false)",
    }
    removals = {"decision_settings": "DELETE FROM decision_settings"}
    for statement in filter(None, (changes[table], removals.get(table))):
        before = stamp()
        db.session.execute(text(statement))
        db.session.commit()
        assert stamp() != before, statement
