"""Sentences Freiraum writes itself (the escalation above the budget) are stored as a key and
read in the reader's language, whoever's language was on when they were written."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from suggestions.core.extensions import db
from suggestions.ideas.models import EventKind, IdeaEvent
from suggestions.notify.models import Notification

from ..api.conftest import Api, make_token
from ..factories import make_idea

ENGLISH = "Above the department's decision budget."
GERMAN = "Über dem Entscheidungsbudget der Abteilung."


@pytest.fixture
def escalated_by_a_german_head(org, browser):
    """A head whose language is German estimates above the budget on the idea page."""
    org.head.language = "de"
    idea = make_idea(org.employee, department=org.service, title="New laptops for the team")
    browser.login(org.head)
    page = browser.get(f"/ideas/{idea.id}")
    assert "Kosten schätzen" in page.get_data(as_text=True)  # the head reads German
    response = browser.post(
        f"/ideas/{idea.id}/estimate_cost",
        {"estimate_cost-amount": "90000", "estimate_cost-revision": str(idea.revision)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.expire_all()
    return idea


def test_the_stored_row_holds_the_key_not_a_sentence(escalated_by_a_german_head):
    idea = escalated_by_a_german_head
    event = db.session.scalars(
        select(IdeaEvent).where(IdeaEvent.idea_id == idea.id, IdeaEvent.kind == EventKind.ESCALATED)
    ).one()
    assert event.note_key == "above_budget" and event.written_note is None


def test_an_english_reader_reads_english_and_a_german_reader_german(
    escalated_by_a_german_head, org, new_browser
):
    idea = escalated_by_a_german_head
    org.employee.language = "en"
    org.other_employee.language = "de"
    english, german = new_browser(), new_browser()
    english.login(org.employee)
    german.login(org.other_employee)

    english_page = english.get(f"/ideas/{idea.id}").get_data(as_text=True)
    german_page = german.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert ENGLISH.replace("'", "&#39;") in english_page and GERMAN not in english_page
    assert GERMAN in german_page and ENGLISH.replace("'", "&#39;") not in german_page


def test_leadership_hears_of_it_in_its_own_language_under_the_bell_and_in_the_api(
    escalated_by_a_german_head, org, app, new_browser
):
    idea = escalated_by_a_german_head
    org.leader.language = "en"
    db.session.commit()
    stored = db.session.scalars(
        select(Notification).where(Notification.user_id == org.leader.id,
                                   Notification.kind == "escalated")
    ).one()  # fmt: skip
    assert stored.detail_key == "above_budget" and stored.written_detail is None

    leader = new_browser()
    leader.login(org.leader)
    bell = leader.get("/notifications").get_data(as_text=True)
    assert ENGLISH.replace("'", "&#39;") in bell and GERMAN not in bell

    api = Api(app, make_token(org.leader))
    timeline = api.get(f"/ideas/{idea.id}").get_json()["timeline"]
    assert ENGLISH in [step["note"] for step in timeline]
    details = [n["detail"] for n in api.get("/notifications").get_json()["items"]]
    assert ENGLISH in details and GERMAN not in details
