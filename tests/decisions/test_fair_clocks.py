"""Fair clocks: the decision clock stands still while the idea waits for its author, an
official answer is a first response (unless only decisions count), and the SQL twin agrees
with the Python at every step."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from suggestions.core import clock as app_clock
from suggestions.core.extensions import db
from suggestions.ideas import rules as idea_rules
from suggestions.ideas.models import Idea
from suggestions.org.queries import org_settings
from suggestions.workflow import lifecycle
from suggestions.workflow.clocks import clock, overdue_clause
from suggestions.workflow.decision_settings import save_decision_settings

from ..factories import make_idea

START = datetime(2027, 3, 1, 9, 0)


def _agree(idea, days: float, *, only_decisions: bool | None = None):
    at = START + timedelta(days=days)
    db.session.refresh(idea)
    state = clock(idea, org_settings(), at, only_decisions=only_decisions)
    query = select(func.count()).where(
        Idea.id == idea.id, overdue_clause(org_settings(), at, only_decisions=only_decisions)
    )
    in_sql = db.session.scalar(query) == 1
    assert in_sql is state.overdue, (days, state)
    return state


def _about(duration, expected) -> bool:
    return abs(duration - expected) < timedelta(minutes=1)  # the clock ticks during a test


def _at(days: float):
    return app_clock.travel_to(START + timedelta(days=days))


def test_the_decision_clock_pauses_while_the_author_is_asked_and_runs_on(app, org):
    with _at(0):
        idea = make_idea(org.employee)
    with _at(2):
        lifecycle.transition(idea, "acknowledge", org.head)
        db.session.commit()
    with _at(10):
        lifecycle.transition(idea, "ask_info", org.head, "Which form exactly?")
        db.session.commit()
    # Waiting for the author from day 10: on day 35 the clock has run 10 days, not 35.
    state = _agree(idea, 35)
    assert state.paused_now and _about(state.paused, timedelta(days=25))
    assert not state.overdue
    with _at(40):
        lifecycle.transition(idea, "provide_info", org.employee, "Form 27b.")
        db.session.commit()
    # 30 paused days: due on day 60 instead of day 30.
    state = _agree(idea, 59.9)
    assert _about(state.paused, timedelta(days=30)) and not state.paused_now
    assert _about(state.due, START + timedelta(days=60))
    assert state.days_waiting == 29
    assert _agree(idea, 60.1).overdue
    assert not _agree(idea, 50).overdue


def test_pauses_add_up(app, org):
    with _at(0):
        idea = make_idea(org.employee)
    for asked, answered in ((10, 40), (50, 55)):
        with _at(asked):
            lifecycle.transition(idea, "ask_info", org.head, "Which form?")
            db.session.commit()
        with _at(answered):
            lifecycle.transition(idea, "provide_info", org.employee, "That one.")
            db.session.commit()
    state = _agree(idea, 64.9)  # 30 days plus 30 and 5 paused: due on day 65
    assert _about(state.paused, timedelta(days=35)) and not state.overdue
    assert _agree(idea, 65.1).overdue


def test_an_official_answer_is_the_first_response(app, org):
    with _at(0):
        idea = make_idea(org.employee)
    assert _agree(idea, 8).waiting_for == "first_response"
    with _at(3):
        idea_rules.add_comment(idea, org.head, "We look into it.", official=True)
        db.session.commit()
    state = _agree(idea, 8)
    assert state.waiting_for == "decision" and not state.overdue


def test_a_plain_comment_of_a_head_is_no_first_response(app, org):
    with _at(0):
        idea = make_idea(org.employee)
    with _at(3):
        idea_rules.add_comment(idea, org.head, "Hm.")
        db.session.commit()
    assert _agree(idea, 8).overdue


def test_when_only_decisions_count_a_review_is_no_first_response(app, org):
    save_decision_settings(supporters=25, departments=3, only_decisions=True)
    db.session.commit()
    with _at(0):
        idea = make_idea(org.employee)
    with _at(2):
        lifecycle.transition(idea, "acknowledge", org.head)
        db.session.commit()
    state = _agree(idea, 8)
    assert state.waiting_for == "first_response" and state.overdue
    with _at(9):
        lifecycle.transition(idea, "decline", org.head, "No.")
        db.session.commit()
    assert not _agree(idea, 10).overdue
    assert not _agree(idea, 8, only_decisions=False).overdue


def test_the_idea_page_and_the_queue_show_the_pause(app, org, new_browser):
    with _at(0):
        idea = make_idea(org.employee)
    with _at(1):
        lifecycle.transition(idea, "ask_info", org.head, "Which form?")
        db.session.commit()
    head = new_browser()
    head.login(org.head)
    # Half a day past the fourth: the clock ticks on inside a block, so a whole number of
    # days could read 3 days 23:59 under load.
    with _at(5.5):
        page = head.get(f"/ideas/{idea.id}").get_data(as_text=True)
        assert "The clock is paused while the idea waits for its author (4 days so far)." in page
        queue = head.get("/queue").get_data(as_text=True)
        assert "paused: waits for the author" in queue


def _comes_back_on_day(idea, org, reasons, declined_on: float, back_on: float):
    from suggestions.workflow import declines

    with _at(declined_on):
        declines.decline(
            idea, org.head, reason_id=reasons["Already planned"].id, note="Not this year.",
            revisit_on=(START + timedelta(days=back_on)).date(),
        )  # fmt: skip
        db.session.commit()
    with _at(back_on):
        assert declines.revisit_due(app_clock.now())["returned"] == 1


@pytest.mark.parametrize("only_decisions", [False, True])
def test_an_idea_back_on_its_revisit_date_gets_a_fresh_decision_clock(
    app, org, reasons, only_decisions
):
    with _at(0):
        idea = make_idea(org.employee)
    with _at(2):
        lifecycle.transition(idea, "ask_info", org.head, "Which form?")
        db.session.commit()
    with _at(12):
        lifecycle.transition(idea, "provide_info", org.employee, "That one.")
        db.session.commit()
    # Declined on day 20, back in the queue on day 100 (at 9:00 on START's clock).
    _comes_back_on_day(idea, org, reasons, declined_on=20, back_on=100)
    state = _agree(idea, 101.5, only_decisions=only_decisions)
    assert not state.overdue  # not "overdue" at once: the clock counts from day 100
    assert state.days_waiting == 1
    assert _about(state.paused, timedelta(0))  # the pause before the decline is over
    if only_decisions:  # the answer the idea is owed now is the decision
        assert state.waiting_for == "first_response"
        assert _about(state.due, START + timedelta(days=107))
        assert _agree(idea, 107.1, only_decisions=True).overdue
    else:
        assert state.waiting_for == "decision"
        assert _about(state.due, START + timedelta(days=130))
        assert not _agree(idea, 129.9).overdue
        assert _agree(idea, 130.1).overdue


def test_a_pause_after_the_return_moves_the_fresh_clock(app, org, reasons):
    with _at(0):
        idea = make_idea(org.employee)
    _comes_back_on_day(idea, org, reasons, declined_on=5, back_on=50)
    with _at(60):
        lifecycle.transition(idea, "ask_info", org.head, "Still the same form?")
        db.session.commit()
    with _at(70):
        lifecycle.transition(idea, "provide_info", org.employee, "Yes.")
        db.session.commit()
    state = _agree(idea, 89.9)  # 30 days from day 50, plus 10 paused: due on day 90
    assert _about(state.due, START + timedelta(days=90)) and not state.overdue
    assert _agree(idea, 90.1).overdue
