"""The bell's unread count kept per process: one worker's page shows a notification added,
read or removed by another worker, by the worker's jobs or by SQL typed by hand at its next
request, and never one person's count to another. Two apps on one database stand for two
workers (tests/core/test_kept.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from suggestions.core.extensions import db
from suggestions.core.kept import PERSON_STAMPED_TABLES, person_stamp
from suggestions.ideas import rules as idea_rules
from suggestions.notify.models import Notification

from ..conftest import Browser
from ..factories import make_idea
from .test_pages import bell


def statements(browser: Browser, path: str = "/account") -> int:
    return int(browser.get(path).headers["X-Query-Count"])


def test_a_comment_written_in_one_worker_rings_the_bell_in_another(
    app, org, other_worker, new_browser
):
    idea = make_idea(org.employee, department=org.service)
    db.session.commit()
    person = Browser(other_worker)
    person.login(org.employee)
    assert bell(person) is None
    assert bell(person) is None  # kept in that worker now
    writer = new_browser()
    writer.login(org.other_employee)
    writer.get(f"/ideas/{idea.id}")
    assert writer.post(f"/ideas/{idea.id}/comments", {"body": "Yes!"}).status_code == 302
    assert bell(person) == "1"


def test_read_in_one_worker_the_bell_goes_quiet_in_another(app, org, other_worker, browser):
    idea = make_idea(org.employee, department=org.service)
    idea_rules.add_comment(idea, org.other_employee, "One")
    idea_rules.add_comment(idea, org.other_employee, "Two")
    db.session.commit()
    person = Browser(other_worker)
    person.login(org.employee)
    assert bell(person) == "2"
    browser.login(org.employee)  # the same person in the first worker
    first = db.session.scalars(
        select(Notification.id).where(Notification.user_id == org.employee.id)
    ).first()
    browser.get("/notifications")
    assert browser.post(f"/notifications/{first}/read").status_code == 302
    assert bell(person) == "1"
    assert browser.post("/notifications/read-all").status_code == 302
    assert bell(person) is None


def test_changes_by_hand_in_sql_show_at_the_next_request(app, org, other_worker):
    idea = make_idea(org.employee, department=org.service)
    idea_rules.add_comment(idea, org.other_employee, "One")
    db.session.commit()
    person = Browser(other_worker)
    person.login(org.employee)
    assert bell(person) == "1"
    for statement, expected in [
        ("UPDATE notifications SET read_at = CURRENT_TIMESTAMP WHERE user_id = :id", None),
        ("UPDATE notifications SET read_at = NULL WHERE user_id = :id", "1"),
        ("DELETE FROM notifications WHERE user_id = :id", None),
    ]:
        db.session.execute(text(statement), {"id": org.employee.id})
        db.session.commit()
        assert bell(person) == expected, statement


def test_notifications_gone_with_their_idea_leave_the_bell(app, org, other_worker):
    idea = make_idea(org.employee, department=org.service)
    idea_rules.add_comment(idea, org.other_employee, "One")
    db.session.commit()
    person = Browser(other_worker)
    person.login(org.employee)
    assert bell(person) == "1"
    # The database removes the notifications with the idea (ON DELETE CASCADE).
    db.session.execute(text("DELETE FROM ideas WHERE id = :id"), {"id": idea.id})
    db.session.commit()
    assert bell(person) is None


def test_one_persons_count_is_never_shown_to_another(app, org, other_worker):
    idea = make_idea(org.employee, department=org.service)
    idea_rules.add_comment(idea, org.other_employee, "One")
    db.session.commit()
    author, other = Browser(other_worker), Browser(other_worker)
    author.login(org.employee)
    other.login(org.other_employee)
    assert bell(author) == "1"
    assert bell(other) is None
    theirs = make_idea(org.other_employee, department=org.sales)
    idea_rules.add_comment(theirs, org.head, "Two")
    db.session.commit()
    assert bell(other) == "1"
    assert bell(author) == "1"
    idea_rules.add_comment(idea, org.head, "Three")
    db.session.commit()
    assert bell(author) == "2"
    assert bell(other) == "1"


def test_the_bell_costs_a_statement_only_after_a_change(app, org, other_worker):
    idea = make_idea(org.employee, department=org.service)
    idea_rules.add_comment(idea, org.other_employee, "One")
    db.session.commit()
    person = Browser(other_worker)
    person.login(org.employee)
    assert bell(person) == "1"
    assert statements(person) == 1  # the stamp, which brings the person's stamp along
    idea_rules.add_comment(idea, org.other_employee, "Two")
    db.session.commit()
    assert statements(person) > 1  # counted again, once
    assert statements(person) == 1
    assert bell(person) == "2"


def test_a_change_rolled_back_leaves_the_kept_count_right(app, org, other_worker):
    idea = make_idea(org.employee, department=org.service)
    idea_rules.add_comment(idea, org.other_employee, "One")
    db.session.commit()
    person = Browser(other_worker)
    person.login(org.employee)
    assert bell(person) == "1"
    with other_worker.test_request_context():
        db.session.execute(
            text("UPDATE notifications SET read_at = CURRENT_TIMESTAMP WHERE user_id = :id"),
            {"id": org.employee.id},
        )
        from suggestions.notify.queries import badge

        assert badge(org.employee) is None  # its own, uncommitted change
        db.session.rollback()
    assert bell(person) == "1"


@pytest.mark.parametrize("table", PERSON_STAMPED_TABLES)
def test_every_change_to_a_persons_rows_moves_their_stamp_only(app, org, table):
    idea = make_idea(org.employee, department=org.service)
    idea_rules.add_comment(idea, org.other_employee, "One")
    db.session.commit()
    changes = [
        f"UPDATE {table} SET read_at = CURRENT_TIMESTAMP WHERE user_id = :id",
        f"DELETE FROM {table} WHERE user_id = :id",
    ]
    for statement in changes:
        before = person_stamp(org.employee.id), person_stamp(org.other_employee.id)
        db.session.execute(text(statement), {"id": org.employee.id})
        db.session.commit()
        mine, theirs = person_stamp(org.employee.id), person_stamp(org.other_employee.id)
        assert mine != before[0], statement
        assert theirs == before[1], statement
