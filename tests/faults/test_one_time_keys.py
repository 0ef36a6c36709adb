"""A form sent twice (a retry after a dropped connection, a double click, Back then submit)
creates its idea, comment, progress update or answer once; the repeat leads to the first."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from suggestions.core.clock import now
from suggestions.core.extensions import db
from suggestions.ideas.models import Comment, Idea, IdeaEvent
from suggestions.workflow import lifecycle
from suggestions.workflow.models import Commitment, CommitmentUpdate

from ..conftest import Browser
from ..factories import make_idea


def form_key(page: str, name: str = "form_key") -> str:
    tag = re.search(rf'<input [^>]*name="{name}"[^>]*>', page).group(0)
    assert 'type="hidden"' in tag and "data-form-key" in tag  # app.js keeps it on Back
    return re.search(r'value="([^"]+)"', tag).group(1)


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_an_idea_sent_twice_is_filed_once_and_the_repeat_shows_it(browser, org):
    browser.login(org.employee)
    page = browser.get("/ideas/new").get_data(as_text=True)
    form = {
        "title": "Approve travel under 300 in the team", "problem": "Three signatures.",
        "proposal": "The team lead signs.", "benefit": "Days saved.",
        "category": org.red_tape.id, "owning_department": org.service.id,
        "form_key": form_key(page),
    }  # fmt: skip
    before = count(Idea)
    first = browser.post("/ideas/new", form)
    second = browser.post("/ideas/new", form)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert count(Idea) == before + 1
    shown = browser.get(second.headers["Location"]).get_data(as_text=True)
    assert "You had sent this already" in shown
    # A new form is a new key: the same text sent from it is a second idea, as asked.
    form["form_key"] = form_key(browser.get("/ideas/new").get_data(as_text=True))
    assert browser.post("/ideas/new", form).headers["Location"] != first.headers["Location"]
    assert count(Idea) == before + 2


def test_a_comment_sent_twice_is_posted_once(browser, org):
    idea = make_idea(org.employee, department=org.service)
    browser.login(org.other_employee)
    key = form_key(browser.get(f"/ideas/{idea.id}").get_data(as_text=True))
    form = {"body": "Same in Sales.", "form_key": key}
    first = browser.post(f"/ideas/{idea.id}/comments", form)
    second = browser.post(f"/ideas/{idea.id}/comments", form)
    assert count(Comment) == 1
    comment = db.session.scalars(select(Comment)).one()
    assert first.headers["Location"].endswith("#comments")
    assert second.headers["Location"].endswith(f"#comment-{comment.id}")
    db.session.refresh(idea)
    assert idea.comment_count == 1


def test_a_retried_comment_racing_the_first_is_posted_once(app, org):
    idea = make_idea(org.employee, department=org.service)
    db.session.commit()
    idea_id = idea.id
    browsers = []
    for _ in range(6):  # the same person, the same form, six connections
        browser = Browser(app)
        browser.login(org.other_employee)
        browsers.append(browser)
    key = form_key(browsers[0].get(f"/ideas/{idea_id}").get_data(as_text=True))
    start, statuses = threading.Barrier(len(browsers)), []

    def send(browser: Browser) -> None:
        start.wait()
        data = {"body": "Once.", "form_key": key, "csrf_token": browser.csrf_token}
        statuses.append(browser.client.post(f"/ideas/{idea_id}/comments", data=data).status_code)

    threads = [threading.Thread(target=send, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302] * len(browsers)
    assert count(Comment) == 1


def test_a_progress_update_and_an_answer_sent_twice_count_once(browser, new_browser, org):
    idea = make_idea(org.employee, department=org.service)
    lifecycle.estimate_cost(idea, org.head, Decimal(100))
    lifecycle.accept(
        idea, org.head, owner=org.head, promise="We do it.", due_on=now().date() + timedelta(30)
    )
    asked = make_idea(org.employee, department=org.service)
    lifecycle.transition(asked, "ask_info", org.head, "Which form exactly?")
    db.session.commit()

    head = new_browser()
    head.login(org.head)
    key = form_key(head.get(f"/ideas/{idea.id}").get_data(as_text=True), "update-form_key")
    commitment_id = db.session.scalar(select(Commitment.id).where(Commitment.idea_id == idea.id))
    form = {"update-body": "Finance agreed.", "update-form_key": key}
    head.post(f"/commitments/{commitment_id}/updates", form)
    repeat = head.post(f"/commitments/{commitment_id}/updates", form)
    assert repeat.headers["Location"].endswith(f"/ideas/{idea.id}#commitments")
    assert count(CommitmentUpdate) == 1

    browser.login(org.employee)
    page = browser.get(f"/ideas/{asked.id}").get_data(as_text=True)
    form = {
        "provide_info-note": "Form T-12.", "provide_info-revision": asked.revision,
        "provide_info-form_key": form_key(page, "provide_info-form_key"),
    }  # fmt: skip
    events = count(IdeaEvent)
    assert browser.post(f"/ideas/{asked.id}/provide_info", form).status_code == 302
    repeat = browser.post(f"/ideas/{asked.id}/provide_info", form)
    assert repeat.headers["Location"].endswith(f"/ideas/{asked.id}")
    assert count(IdeaEvent) == events + 1
    shown = browser.get(repeat.headers["Location"]).get_data(as_text=True)
    assert "You had sent this already" in shown and "not possible" not in shown


@pytest.fixture
def config_overrides():
    return {"RATELIMIT_ENABLED": False}  # six sign-ins of one person in a second
