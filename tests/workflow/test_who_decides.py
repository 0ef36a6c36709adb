"""Who decides an idea: the head of its department, or leadership when the department has
nobody to decide (no head, or only heads whose account is gone). One answer for the page,
the queues and the notifications."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from suggestions.auth.models import Role
from suggestions.core.extensions import db
from suggestions.notify.models import Notification
from suggestions.workflow import lifecycle, queries

from ..factories import make_department, make_idea, make_user


def _notified(user, idea) -> list[str]:
    query = select(Notification.kind).where(
        Notification.user_id == user.id, Notification.idea_id == idea.id
    )
    return list(db.session.scalars(query))


@pytest.fixture
def human_resources():
    return make_department("Human Resources")


def test_an_idea_for_a_department_without_head_is_decided_by_leadership(org, human_resources):
    idea = make_idea(org.employee, department=human_resources, title="Holiday requests on paper")

    decider = lifecycle.authority(idea)
    assert decider.leadership and decider.reason == lifecycle.DecidedBy.NO_HEAD
    assert idea.id in [i.id for i in queries.leadership_queue().items]
    assert "new_idea" in _notified(org.leader, idea)  # leadership is told of it
    # Leadership may act on it as the department's head would.
    assert "acknowledge" in lifecycle.available_actions(idea, org.leader)


def test_an_idea_for_a_department_with_a_head_stays_with_the_head(org):
    idea = make_idea(org.employee, department=org.service)

    assert not lifecycle.authority(idea).leadership
    assert idea.id not in [i.id for i in queries.leadership_queue().items]
    assert "new_idea" in _notified(org.head, idea)
    assert _notified(org.leader, idea) == []


def test_a_head_who_left_leaves_the_department_to_leadership(org, human_resources):
    gone = make_user(Role.HEAD, human_resources, heads=[human_resources])
    gone.active = False
    demoted = make_user(Role.EMPLOYEE, human_resources, heads=[human_resources])
    db.session.commit()
    idea = make_idea(org.employee, department=human_resources)

    assert lifecycle.authority(idea).reason == lifecycle.DecidedBy.NO_HEAD
    assert "new_idea" in _notified(org.leader, idea)
    assert _notified(gone, idea) == [] and _notified(demoted, idea) == []


def test_the_page_and_queue_say_leadership_decides(browser, new_browser, org, human_resources):
    idea = make_idea(org.employee, department=human_resources, title="Holiday requests on paper")
    browser.login(org.employee)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Leadership decides: Human Resources has no head." in page
    assert "The head of Human Resources decides" not in page

    leader = new_browser()
    leader.login(org.leader)
    queue = leader.get("/queue/leadership").get_data(as_text=True)
    assert "Holiday requests on paper" in queue and "no head" in queue


def test_the_admin_is_warned_of_departments_without_head(browser, org, human_resources):
    browser.login(org.admin)
    page = browser.get("/admin/departments").get_data(as_text=True)
    assert "1 department has no head" in page
    assert f'href="/admin/departments/{human_resources.id}"' in page
    assert "no head: leadership decides" in page


def test_the_page_reads_who_decides_with_the_idea_and_sees_a_change_at_once(
    browser, org, human_resources
):
    head = make_user(Role.HEAD, human_resources, heads=[human_resources])
    db.session.commit()
    idea = make_idea(org.employee, department=human_resources)
    browser.login(org.employee)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "The head of Human Resources decides" in page and "has no head" not in page
    head.active = False  # the head left: the next page says so, in no statement of its own
    db.session.commit()
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Leadership decides: Human Resources has no head." in page
