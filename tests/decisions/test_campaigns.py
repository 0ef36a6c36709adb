"""Campaigns: leadership asks with a deadline, optionally some departments; ideas are filed
from the campaign's page; after the deadline the page shows the results."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from suggestions.core import clock
from suggestions.core.errors import DomainError, NotAllowed
from suggestions.core.extensions import db
from suggestions.policy import can
from suggestions.workflow import campaigns, lifecycle

from ..factories import make_idea

START = datetime(2027, 3, 1, 9, 0)


def _campaign(org, **extra):
    found = campaigns.create_campaign(
        org.leader, question="Which approval step could we drop?",
        deadline=extra.pop("deadline", START.date() + timedelta(days=14)), **extra,
    )  # fmt: skip
    db.session.commit()
    return found


def test_only_leadership_asks_and_not_into_the_past(app, org):
    with pytest.raises(NotAllowed):
        campaigns.create_campaign(org.head, question="?", deadline=date(2199, 1, 1))
    with clock.travel_to(START), pytest.raises(DomainError):
        _campaign(org, deadline=START.date() - timedelta(days=1))


def test_a_campaign_for_some_departments_takes_ideas_from_them_until_its_deadline(app, org):
    with clock.travel_to(START):
        found = _campaign(org, departments=[org.service])
        assert can(org.employee, "campaign.file_idea", found)  # Customer Service
        assert not can(org.other_employee, "campaign.file_idea", found)  # Sales
    with clock.travel_to(START + timedelta(days=15)):
        assert not can(org.employee, "campaign.file_idea", found)  # after the deadline


def test_from_question_to_results(app, org, new_browser):
    with clock.travel_to(START):
        leader = new_browser()
        leader.login(org.leader)
        response = leader.post("/campaigns/new", {
            "question": "Ideas for the new customer portal",
            "deadline": (START.date() + timedelta(days=14)).isoformat(),
        })  # fmt: skip
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        found = db.session.scalars(db.select(campaigns.Campaign)).one()
        employee = new_browser()
        employee.login(org.employee)
        page = employee.get(f"/campaigns/{found.id}").get_data(as_text=True)
        assert "Answer with an idea" in page
        form = employee.get(f"/campaigns/{found.id}/ideas/new").get_data(as_text=True)
        assert "Ideas for the new customer portal" in form
        response = employee.post(f"/campaigns/{found.id}/ideas/new", {
            "title": "Let customers fix typos in their own order",
            "problem": "Nobody may correct a started order.",
            "proposal": "An edit button for ten minutes.",
            "benefit": "Fewer calls.",
            "category": org.red_tape.id,
            "owning_department": org.service.id,
        })  # fmt: skip
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        filed = db.session.scalars(db.select(campaigns.CampaignIdea)).one()
        second = make_idea(org.employee, title="Second idea")
        campaigns.file_idea(found, second, org.employee)
        db.session.commit()
        page = employee.get(f"/campaigns/{found.id}").get_data(as_text=True)
        assert "2 ideas" in page and "Results" not in page
    idea = db.session.get(type(second), filed.idea_id)
    with clock.travel_to(START + timedelta(days=5)):
        lifecycle.accept(idea, org.leader, owner=org.head, promise="Build it.",
                         due_on=START.date() + timedelta(days=40))  # fmt: skip
        lifecycle.transition(second, "decline", org.head, "Already planned.")
        db.session.commit()
    with clock.travel_to(START + timedelta(days=15)):
        page = new_browser()
        page.login(org.other_employee)
        text = page.get(f"/campaigns/{found.id}").get_data(as_text=True)
        assert "Results" in text and "Closed on" in text
        assert "Answer with an idea" not in text
        results = campaigns.campaign_page(found).results
        assert [i.title for i in results["accepted"]] == [idea.title]
        assert [i.title for i in results["declined"]] == ["Second idea"]
        assert page.get(f"/campaigns/{found.id}/ideas/new").status_code == 403


def test_the_idea_page_links_the_campaign_the_idea_answers(app, org, browser):
    with clock.travel_to(START):
        found = _campaign(org)
        filed = make_idea(org.employee, title="Drop the second signature")
        campaigns.file_idea(found, filed, org.employee)
        other = make_idea(org.employee, title="Not in any campaign")
        db.session.commit()
        browser.login(org.other_employee)
        page = browser.get(f"/ideas/{filed.id}").get_data(as_text=True)
        link = f'href="/campaigns/{found.id}"'
        assert "Filed in answer to:" in page and link in page
        assert "Which approval step could we drop?" in page
        page = browser.get(f"/ideas/{other.id}").get_data(as_text=True)
        assert "Filed in answer to:" not in page and link not in page
        org.other_employee.language = "de"
        db.session.commit()
        page = browser.get(f"/ideas/{filed.id}").get_data(as_text=True)
        assert "Eingereicht als Antwort auf:" in page


def test_a_campaign_into_the_past_is_refused_over_http_and_the_question_kept(browser, org):
    with clock.travel_to(START):
        browser.login(org.leader)
        response = browser.post("/campaigns/new", {
            "question": "Which report does nobody read?",
            "deadline": (START.date() - timedelta(days=1)).isoformat(),
        })  # fmt: skip
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "Which report does nobody read?" in page
        assert "The deadline cannot be in the past." in page
        assert db.session.scalars(db.select(campaigns.Campaign)).all() == []
