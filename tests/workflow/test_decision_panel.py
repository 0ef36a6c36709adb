"""The decision panel offers one primary step per state and folds the rest; an idea with
nothing left to decide (a merged duplicate) shows no empty boxes."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from suggestions.core.extensions import db
from suggestions.workflow import lifecycle

from ..factories import make_idea


def _panel(page: str) -> str:
    start = page.index('id="decision"')
    return page[start : page.index("</section>", start)]


def _primary_summaries(panel: str) -> list[str]:
    return re.findall(r'<summary class="button button-primary">([^<]+)</summary>', panel)


def test_a_new_idea_has_one_primary_step_and_the_rest_under_more_actions(browser, org):
    idea = make_idea(org.employee, department=org.service)
    browser.login(org.head)
    panel = _panel(browser.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert _primary_summaries(panel) == ["Start review"]
    folded = panel[panel.index('<details class="more-actions"') :]
    for action in ("ask_info", "decline", "mark_duplicate", "estimate_cost", "transfer"):
        assert f"/{action}" in folded, action
    assert "/acknowledge" not in folded


def test_in_review_with_a_cost_accepting_is_the_primary_step(browser, org):
    idea = make_idea(org.employee, department=org.service)
    lifecycle.transition(idea, "acknowledge", org.head)
    lifecycle.estimate_cost(idea, org.head, Decimal(100))
    db.session.commit()
    browser.login(org.head)
    panel = _panel(browser.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert _primary_summaries(panel) == ["Accept and commit"]


def test_a_failed_folded_action_opens_again_with_its_errors(browser, org):
    idea = make_idea(org.employee, department=org.service)
    browser.login(org.head)
    browser.get(f"/ideas/{idea.id}")
    response = browser.post(
        f"/ideas/{idea.id}/decline", {"decline-note": "", "decline-revision": idea.revision}
    )
    assert response.status_code == 422
    panel = _panel(response.get_data(as_text=True))
    assert '<details class="more-actions" open>' in panel
    assert re.search(r'<details class="action" open>\s*<summary class="button">Decline', panel)


def test_a_merged_duplicate_shows_no_empty_card_and_no_decision_box(browser, org):
    survivor = make_idea(org.other_employee, department=org.service, title="The surviving idea")
    idea = make_idea(org.employee, department=org.service)
    lifecycle.mark_duplicate(idea, org.head, survivor)
    db.session.commit()
    for person in (org.head, org.other_employee):
        browser.login(person)
        page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
        assert "The surviving idea" in page  # the way to where the discussion went
        assert 'id="decision"' not in page
        assert not re.search(
            r'<section class="card">\s*<form class="follow"[^>]*>(\s*<input[^>]*>)*\s*</form>', page
        )
        assert "Possible duplicates" not in page
        browser.logout()


def _idea_in(status: str, org):
    """An idea of the head's department, brought to ``status`` through the lifecycle."""
    idea = make_idea(org.employee, department=org.service)
    if status == "new":
        return idea
    lifecycle.transition(idea, "acknowledge", org.head)
    if status == "needs_info":
        lifecycle.transition(idea, "ask_info", org.head, "How often?")
    if status in ("estimated", "above_budget", "accepted", "in_progress"):
        amount = Decimal(90000 if status == "above_budget" else 100)
        lifecycle.estimate_cost(idea, org.head, amount)
    if status in ("accepted", "in_progress"):
        lifecycle.accept(idea, org.head, owner=org.head, promise="We do it.",
                         due_on=date.today() + timedelta(days=30))  # fmt: skip
    if status == "in_progress":
        lifecycle.transition(idea, "start", org.head)
    return idea


# The head's next step in each state: the one primary button of the panel (None: others
# must act first: the author answers, leadership decides above the budget).
HEAD_NEXT_STEP = {
    "new": "Start review",
    "in_review": "Estimate the cost",  # the estimate decides who may accept
    "estimated": "Accept and commit",
    "needs_info": None,
    "above_budget": None,
    "accepted": "Start the work",
    "in_progress": "Record as implemented",
}


@pytest.mark.parametrize("status", HEAD_NEXT_STEP)
def test_the_heads_primary_button_is_the_next_step_in_every_state(browser, org, status):
    idea = _idea_in(status, org)
    db.session.commit()
    browser.login(org.head)
    panel = _panel(browser.get(f"/ideas/{idea.id}").get_data(as_text=True))
    expected = HEAD_NEXT_STEP[status]
    assert _primary_summaries(panel) == ([expected] if expected else [])


def test_above_the_budget_accepting_is_leaderships_primary_step(browser, org):
    idea = _idea_in("above_budget", org)
    db.session.commit()
    browser.login(org.leader)
    panel = _panel(browser.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert _primary_summaries(panel) == ["Accept and commit"]
