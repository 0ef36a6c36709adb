"""The breadth guarantee: N supporters from K departments (counted as they were when they
voted) are owed a leadership answer within the decision clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from suggestions.auth.models import Role
from suggestions.core import clock
from suggestions.core.extensions import db
from suggestions.ideas import rules
from suggestions.workflow import breadth, lifecycle, queries
from suggestions.workflow.decision_settings import save_decision_settings

from ..factories import make_department, make_idea, make_user

START = datetime(2027, 3, 1, 9, 0)


@pytest.fixture
def rules_of_breadth(app):
    save_decision_settings(supporters=4, departments=3, only_decisions=False)
    db.session.commit()


def _voters(org, departments):
    return [make_user(Role.EMPLOYEE, department) for department in departments]


def _vote(idea, voters):
    for voter in voters:
        rules.set_vote(idea, voter, True)
    db.session.commit()


def test_one_supporter_short_is_no_guarantee(app, org, rules_of_breadth):
    idea = make_idea(org.employee)
    _vote(idea, _voters(org, [org.sales, org.service, make_department()]))
    assert breadth.guarantee_of(idea) is None


def test_enough_supporters_from_enough_departments_are_owed_an_answer(app, org, rules_of_breadth):
    with clock.travel_to(START):
        idea = make_idea(org.employee)
        _vote(idea, _voters(org, [org.sales, org.service, org.service, make_department()]))
    guarantee = breadth.guarantee_of(idea)
    assert (guarantee.supporters, guarantee.departments) == (4, 3)
    assert abs(guarantee.due_at - (START + timedelta(days=30))) < timedelta(minutes=1)
    assert idea.id in [i.id for i in queries.leadership_queue().items]


def test_enough_supporters_from_too_few_departments_are_no_guarantee(app, org, rules_of_breadth):
    idea = make_idea(org.employee)
    _vote(idea, _voters(org, [org.sales, org.sales, org.service, org.service, org.service]))
    assert breadth.guarantee_of(idea) is None
    assert idea.id not in [i.id for i in queries.leadership_queue().items]


def test_departments_count_as_they_were_when_the_vote_was_cast(app, org, rules_of_breadth):
    idea = make_idea(org.employee)
    third = make_department()
    early = _voters(org, [org.sales, third])
    _vote(idea, early)
    for voter in early:  # both move to Customer Service after voting
        voter.department = org.service
    db.session.commit()
    _vote(idea, _voters(org, [org.service, org.service]))
    assert breadth.guarantee_of(idea).departments == 3


def test_the_guarantee_is_recorded_once_with_the_support_it_was_reached_with(
    app, org, rules_of_breadth
):
    with clock.travel_to(START):
        idea = make_idea(org.employee)
        _vote(idea, _voters(org, [org.sales, org.service, make_department(), make_department()]))
    with clock.travel_to(START + timedelta(days=5)):
        later = _voters(org, [make_department(), org.sales])
        _vote(idea, later)
        rules.set_vote(idea, later[0], False)
        _vote(idea, later[:1])
    db.session.expire_all()
    guarantee = breadth.guarantee_of(idea)
    assert (guarantee.supporters, guarantee.departments) == (4, 4)
    assert abs(guarantee.reached_at - START) < timedelta(minutes=1)
    assert abs(guarantee.due_at - (START + timedelta(days=30))) < timedelta(minutes=1)
    assert breadth.support_of(idea.id) == breadth.Support(6, 5)


def test_the_vote_from_the_missing_department_crosses_with_every_supporter_counted(
    app, org, rules_of_breadth
):
    idea = make_idea(org.employee)
    without_department = [make_user(Role.EMPLOYEE, None) for _ in range(3)]
    _vote(idea, _voters(org, [org.sales, org.sales, org.service]) + without_department)
    assert breadth.guarantee_of(idea) is None  # 6 supporters, 2 departments (none not counted)
    _vote(idea, _voters(org, [make_department()]))
    guarantee = breadth.guarantee_of(idea)
    assert (guarantee.supporters, guarantee.departments) == (7, 3)


def test_a_missed_date_is_a_breach_and_a_decision_in_time_is_not(app, org, rules_of_breadth):
    with clock.travel_to(START):
        missed = make_idea(org.employee, title="Missed")
        kept = make_idea(org.employee, title="Kept")
        for idea in (missed, kept):
            _vote(idea, _voters(org, [org.sales, org.service, make_department(), org.sales]))
    with clock.travel_to(START + timedelta(days=10)):
        lifecycle.transition(kept, "decline", org.leader, "Not now.")
        db.session.commit()
    counts = breadth.breaches_by_department(at=START + timedelta(days=31))
    assert [(c.department, c.guaranteed, c.breached) for c in counts] == [
        ("Customer Service", 2, 1)
    ]


def test_the_idea_page_says_by_when_leadership_answers(app, org, rules_of_breadth, new_browser):
    idea = make_idea(org.employee)
    _vote(idea, _voters(org, [org.sales, org.service, make_department(), org.sales]))
    visitor = new_browser()
    visitor.login(org.other_employee)
    page = visitor.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Supported across 3 departments: leadership answers by" in page
    leader = new_browser()
    leader.login(org.leader)
    assert "broad support: leadership answers by" in leader.get("/queue/leadership").get_data(
        as_text=True
    )


def test_the_decisions_dashboard_shows_declines_by_reason_and_breaches(
    app, org, rules_of_breadth, new_browser
):
    from suggestions.workflow import declines

    declines.add_default_reasons()
    idea = make_idea(org.employee)
    reason = declines.reasons()[0]
    declines.decline(idea, org.head, reason_id=reason.id, note="No.")
    db.session.commit()
    leader = new_browser()
    leader.login(org.leader)
    page = leader.get("/insights/decisions").get_data(as_text=True)
    assert "Declines by reason" in page and reason.name_en in page
    employee = new_browser()
    employee.login(org.employee)
    assert employee.get("/insights/decisions").status_code == 403
