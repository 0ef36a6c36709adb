"""Outside testing a failing notification listener costs nobody their action: its work runs
in a savepoint, the error is logged (naming no anonymous author) and rolled back, and the
vote, comment, decision or reset link request stands, with the page's usual answer.

The suite itself runs strict (NOTIFY_STRICT follows TESTING) so that a bug in a listener
fails the test that caused it; the last test here checks that too.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from suggestions.core.extensions import db
from suggestions.ideas import rules as idea_rules
from suggestions.ideas.models import Comment, IdeaEvent, IdeaStatus
from suggestions.notify import outbox, rules, webhooks
from suggestions.notify.models import Notification, OutboxMessage

from ..factories import make_idea


@pytest.fixture
def config_overrides():
    return {"NOTIFY_STRICT": False}


class SimulatedBug(RuntimeError):
    pass


def fail(*args, **kwargs):
    raise SimulatedBug("simulated bug in a listener")


def after_real_work(real, written: list[int]):
    """The real function runs (its rows enter the session; ``written`` notes how many
    notifications exist then), then the listener fails."""

    def work(*args, **kwargs):
        real(*args, **kwargs)
        db.session.flush()
        written.append(count(Notification))
        raise SimulatedBug("simulated bug after the notifications were written")

    return work


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def failures(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "failed; the change itself is kept" in r.getMessage()]


def test_a_half_done_listener_is_rolled_back_and_the_comment_kept(org, monkeypatch, caplog):
    idea = make_idea(org.employee, department=org.service, anonymous=True)
    notifications = count(Notification)
    written: list[int] = []
    monkeypatch.setattr(webhooks, "enqueue_for", after_real_work(webhooks.enqueue_for, written))
    caplog.set_level(logging.ERROR)

    idea_rules.add_comment(idea, org.other_employee, "Still posted.")
    db.session.commit()

    # rules.deliver wrote the author's notification before the webhook step failed: gone.
    assert written == [notifications + 1]
    assert count(Notification) == notifications
    assert db.session.scalar(select(Comment.body).where(Comment.idea_id == idea.id)) == (
        "Still posted."
    )
    [record] = failures(caplog)
    assert record.exc_info and record.exc_info[0] is SimulatedBug
    assert f"idea {idea.id} (comment)" in record.getMessage()
    # The log names the idea, never its anonymous author.
    assert org.employee.display_name not in caplog.text
    assert org.employee.email not in caplog.text


def test_a_decision_through_the_page_stands_when_its_notifications_fail(
    browser, org, monkeypatch, caplog
):
    idea = make_idea(org.employee, department=org.service)
    notifications, events = count(Notification), count(IdeaEvent)
    written: list[int] = []
    monkeypatch.setattr(rules, "deliver", after_real_work(rules.deliver, written))
    caplog.set_level(logging.ERROR)
    browser.login(org.head)

    response = browser.post(f"/ideas/{idea.id}/acknowledge")

    assert response.status_code == 302
    assert response.location.endswith(f"/ideas/{idea.id}")
    with browser.client.session_transaction() as session:
        categories = [category for category, _message in session.get("_flashes", [])]
    assert "error" not in categories
    db.session.expire_all()
    assert db.session.get(type(idea), idea.id).status == IdeaStatus.IN_REVIEW
    assert count(IdeaEvent) == events + 1
    assert written[0] > notifications  # the author's news was written, then rolled back
    assert count(Notification) == notifications
    assert len(failures(caplog)) == 1
    assert "Traceback" not in browser.get(f"/ideas/{idea.id}").get_data(as_text=True)


def test_a_vote_stands_when_following_fails(browser, org, monkeypatch, caplog):
    idea = make_idea(org.employee, department=org.service)
    monkeypatch.setattr(rules, "follow_automatically", fail)
    caplog.set_level(logging.ERROR)
    browser.login(org.other_employee)

    response = browser.post(f"/ideas/{idea.id}/vote", {"vote": "add"})

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(idea), idea.id).vote_count == 1
    assert [f"idea {idea.id} (vote)" in r.getMessage() for r in failures(caplog)] == [True]


def test_a_failing_reset_mail_does_not_change_the_page(browser, org, monkeypatch, caplog):
    caplog.set_level(logging.ERROR)
    unknown = browser.post("/password/forgot", {"email": "nobody@example.org"})
    monkeypatch.setattr(outbox, "enqueue_mails", fail)
    known = browser.post("/password/forgot", {"email": org.employee.email})

    assert known.status_code == unknown.status_code == 200
    assert count(OutboxMessage) == 0
    [record] = failures(caplog)
    assert f"user {org.employee.id} (password reset)" in record.getMessage()
    assert org.employee.email not in caplog.text


def test_strict_mode_lets_the_failure_through(app, org, monkeypatch):
    app.config["NOTIFY_STRICT"] = True
    idea = make_idea(org.employee, department=org.service)
    monkeypatch.setattr(rules, "deliver", fail)
    with pytest.raises(SimulatedBug):
        idea_rules.add_comment(idea, org.other_employee, "Raises in tests.")
    db.session.rollback()
