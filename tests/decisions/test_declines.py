"""Reasoned declines: a reason, the public text, what would change the decision, and a
revisit date on which the idea comes back by itself, once, even with two workers."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from suggestions.core import clock, jobs
from suggestions.core.errors import DomainError
from suggestions.core.extensions import db
from suggestions.ideas.models import IdeaEvent, IdeaStatus
from suggestions.notify.models import Notification
from suggestions.notify.rules import follow
from suggestions.workflow import declines

from ..factories import make_idea

START = datetime(2027, 3, 1, 9, 0)


def _decline(idea, org, reasons, revisit_in_days=30, **extra):
    in_days = revisit_in_days
    revisit_on = (clock.now() + timedelta(days=in_days)).date() if in_days is not None else None
    row = declines.decline(
        idea, org.head, reason_id=reasons["Already planned"].id,
        note="We replace the system next spring.",
        change_our_mind=extra.pop("change_our_mind", "If the new system slips."),
        revisit_on=revisit_on,
    )  # fmt: skip
    db.session.commit()
    return row


def test_a_decline_records_its_reason_and_revisit_date(app, org, reasons):
    with clock.travel_to(START):
        idea = make_idea(org.employee)
        row = _decline(idea, org, reasons)
    assert idea.status == IdeaStatus.DECLINED
    assert row.reason.name_en == "Already planned"
    assert row.department_id == org.service.id
    assert row.revisit_on == (START + timedelta(days=30)).date()
    assert declines.latest_decline(idea).id == row.id


def test_the_revisit_date_must_be_in_the_future(app, org, reasons):
    idea = make_idea(org.employee)
    with pytest.raises(DomainError):
        _decline(idea, org, reasons, revisit_in_days=0)
    db.session.rollback()
    assert db.session.get(type(idea), idea.id).status == IdeaStatus.NEW


def test_a_retired_reason_cannot_be_chosen(app, org, reasons):
    idea = make_idea(org.employee)
    reason = reasons["Legal requirement"]
    reason.active = False
    db.session.commit()
    with pytest.raises(DomainError):
        declines.decline(idea, org.head, reason_id=reason.id, note="No.")


def test_on_its_revisit_date_the_idea_comes_back_once_with_two_workers(app, org, reasons):
    with clock.travel_to(START):
        idea = make_idea(org.employee)
        follow(idea.id, org.other_employee.id)
        db.session.commit()
        _decline(idea, org, reasons, revisit_in_days=10)
    job = next(job for job in jobs.jobs() if job.name == "declines.revisit")

    with clock.travel_to(START + timedelta(days=9)):
        assert declines.revisit_due(clock.now()) == {"returned": 0, "skipped": 0}
        db.session.commit()  # SQLite: the workers below need the write lock

    barrier = threading.Barrier(2)
    won = []

    def worker(name):
        with app.app_context():
            try:
                barrier.wait()
                won.append(jobs.run_job(job, name, START + timedelta(days=10, hours=1)))
            finally:
                db.session.remove()

    with clock.travel_to(START + timedelta(days=10, hours=1)):
        threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # A second turn (the next day) finds nothing left to bring back.
        assert declines.revisit_due(clock.now() + timedelta(days=1))["returned"] == 0

    db.session.expire_all()
    assert db.session.get(type(idea), idea.id).status == IdeaStatus.IN_REVIEW
    events = db.session.scalars(
        select(IdeaEvent).where(IdeaEvent.idea_id == idea.id, IdeaEvent.kind == "revisited")
    ).all()
    assert len(events) == 1
    assert events[0].actor_id is None
    told = db.session.scalar(
        select(func.count()).where(
            Notification.user_id == org.other_employee.id, Notification.event_id == events[0].id
        )
    )
    assert told == 1
    assert sum(1 for run in won if run is not None) == 1


def test_an_idea_reopened_by_hand_is_not_brought_back_by_an_old_date(app, org, reasons):
    from suggestions.workflow import lifecycle

    with clock.travel_to(START):
        idea = make_idea(org.employee)
        _decline(idea, org, reasons, revisit_in_days=5)
        lifecycle.transition(idea, "reopen", org.leader, "Budget found after all.")
        db.session.commit()
    with clock.travel_to(START + timedelta(days=6)):
        assert declines.revisit_due(clock.now()) == {"returned": 0, "skipped": 1}


def test_declines_by_reason_per_department(app, org, reasons):
    for department, reason in (
        (org.service, "Already planned"), (org.service, "Already planned"),
        (org.sales, "Legal requirement"),
    ):  # fmt: skip
        idea = make_idea(org.employee, department=department)
        head = org.head if department == org.service else org.other_head
        declines.decline(idea, head, reason_id=reasons[reason].id, note="No.")
    db.session.commit()
    counts = {(c.department, c.reason): c.count for c in declines.declines_by_reason("en")}
    assert counts == {
        ("Customer Service", "Already planned"): 2,
        ("Sales", "Legal requirement"): 1,
    }


# -- on the web --------------------------------------------------------------------------------


def test_a_head_declines_with_a_reason_and_everyone_sees_it(app, org, reasons, new_browser):
    idea = make_idea(org.employee)
    head = new_browser()
    head.login(org.head)
    page = head.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Already planned" in page  # the reasons offered
    revisit = (clock.now() + timedelta(days=60)).date().isoformat()
    response = head.post(f"/ideas/{idea.id}/decline", {
        "decline-reason": reasons["Already planned"].id,
        "decline-note": "The new system is coming.",
        "decline-change_our_mind": "If the new system is **late**.",
        "decline-revisit_on": revisit,
        "decline-revision": idea.revision,
    })  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    employee = new_browser()
    employee.login(org.other_employee)
    page = employee.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Why it was declined" in page
    assert "Already planned" in page
    assert "<strong>late</strong>" in page
    assert revisit in page


def test_a_past_revisit_date_shows_the_form_again_with_what_was_typed(
    app, org, reasons, new_browser
):
    idea = make_idea(org.employee)
    head = new_browser()
    head.login(org.head)
    response = head.post(f"/ideas/{idea.id}/decline", {
        "decline-reason": reasons["Already planned"].id,
        "decline-note": "Typed with care.",
        "decline-revisit_on": "2001-01-01",
        "decline-revision": idea.revision,
    })  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The revisit date must be in the future." in page
    assert "Typed with care." in page


def test_admins_keep_the_list_of_reasons(app, org, reasons, new_browser):
    admin = new_browser()
    admin.login(org.admin)
    assert "Cost out of proportion" in admin.get("/admin/decisions").get_data(as_text=True)
    response = admin.post("/admin/decline-reasons/new", {
        "name_en": "Works council objects", "name_de": "Betriebsrat widerspricht",
        "position": 50, "active": "y",
    })  # fmt: skip
    assert response.status_code == 302
    assert "Works council objects" in [r.name_en for r in declines.reasons()]
    again = admin.post("/admin/decline-reasons/new", {
        "name_en": "Works council objects", "name_de": "Anders", "position": 1,
    })  # fmt: skip
    assert again.status_code == 422


def test_a_reason_named_twice_is_refused_over_http_and_the_names_are_kept(browser, org, reasons):
    browser.login(org.admin)
    response = browser.post("/admin/decline-reasons/new", {
        "name_en": "Legal requirement", "name_de": "Rechtlich verlangt", "position": "5",
        "active": "y",
    })  # fmt: skip
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "A reason with this name exists already." in page and "Rechtlich verlangt" in page
    assert len(declines.reasons(include_retired=True)) == len(reasons)
