"""Scorecards: heads and leadership score; the queue shows the average and sorts by it;
employees never see a score."""

from __future__ import annotations

import pytest

from suggestions.core.errors import DomainError, NotAllowed
from suggestions.core.extensions import db
from suggestions.workflow import queries, scorecards

from ..factories import make_idea


def _score(idea, user, impact, effort=1, cost=1, risk=1, comment=None):
    scorecards.score(idea, user, impact=impact, effort=effort, cost=cost, risk=risk,
                     comment=comment)  # fmt: skip
    db.session.commit()


def test_the_average_and_how_many_scored(app, org):
    idea = make_idea(org.employee)
    _score(idea, org.head, 5)  # (5 + 5 + 5 + 5) / 4 = 5
    _score(idea, org.leader, 1, 5, 5, 5)  # (1 + 1 + 1 + 1) / 4 = 1
    _score(idea, org.head, 3)  # a second scorecard of the same person replaces the first
    summary = scorecards.summaries_for([idea.id])[idea.id]
    assert summary.scored == 2
    assert summary.average == pytest.approx((4.5 + 1) / 2)
    assert summary.impact == pytest.approx(2)


def test_employees_and_admins_cannot_score(app, org):
    idea = make_idea(org.employee)
    for person in (org.employee, org.admin):
        with pytest.raises(NotAllowed):
            scorecards.score(idea, person, impact=3, effort=3, cost=3, risk=3)


def test_scores_stay_between_one_and_five(app, org):
    idea = make_idea(org.employee)
    with pytest.raises(DomainError):
        scorecards.score(idea, org.head, impact=6, effort=3, cost=3, risk=3)


def test_the_queue_sorts_by_the_average(app, org):
    low = make_idea(org.employee, title="Low")
    high = make_idea(org.employee, title="High")
    unscored = make_idea(org.employee, title="Unscored")
    _score(low, org.head, 1, 5, 5, 5)
    _score(high, org.head, 5)
    page = queries.department_queue([org.service.id], sort="score")
    assert [i.title for i in page.items] == ["High", "Low", "Unscored"]
    assert unscored.id in [i.id for i in queries.department_queue([org.service.id]).items]


def test_a_head_scores_on_the_page_and_employees_never_see_it(app, org, new_browser):
    idea = make_idea(org.employee)
    head = new_browser()
    head.login(org.head)
    assert "Your scorecard" in head.get(f"/ideas/{idea.id}").get_data(as_text=True)
    response = head.post(f"/ideas/{idea.id}/scorecard", {
        "impact": 4, "effort": 2, "cost": 2, "risk": 1, "comment": "Secret-ish remark",
    })  # fmt: skip
    assert response.status_code == 302
    queue = head.get("/queue?sort=score").get_data(as_text=True)
    assert "1 scored" in queue
    wrong = head.post(f"/ideas/{idea.id}/scorecard", {"impact": 9, "comment": "Kept text"})
    assert wrong.status_code == 422
    assert "Kept text" in wrong.get_data(as_text=True)

    employee = new_browser()
    employee.login(org.other_employee)
    page = employee.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Scorecard" not in page and "Secret-ish remark" not in page
    forbidden = employee.post(f"/ideas/{idea.id}/scorecard", {
        "impact": 4, "effort": 2, "cost": 2, "risk": 1,
    })  # fmt: skip
    assert forbidden.status_code == 403


def test_the_page_summary_agrees_with_the_queue_summary(app, org):
    idea = make_idea(org.employee)
    _score(idea, org.head, 4, 2, 3, 1, comment="Worth it")
    _score(idea, org.leader, 2, 4, 1, 5)
    page = scorecards.scores_of(idea, org.head)
    queue = scorecards.summaries_for([idea.id])[idea.id]
    assert page.summary.average == pytest.approx(queue.average)
    assert page.summary.scored == queue.scored == 2
    assert page.comments == ["Worth it"] and page.own.impact == 4
