"""Command-line tasks."""

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from suggestions.auth.models import Role, User
from suggestions.core.extensions import db
from suggestions.devtools import demo
from suggestions.ideas.models import Idea, Vote


def test_create_admin(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-admin",
            "--email",
            "Boss@Example.org",
            "--name",
            "Boss",
            "--password",
            "a very long password",
        ]  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "boss@example.org"))
    assert user.role == Role.ADMIN


def test_create_admin_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "b@example.org", "--name", "B", "--password", "short"]
    )
    assert result.exit_code != 0 and "at least 10 characters" in result.output


def test_seed_demo_fills_an_empty_database_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--if-empty"])
    assert first.exit_code == 0 and "admin@freiraum.example" in first.output
    ideas = db.session.scalar(select(func.count()).select_from(Idea))
    # and the idea of the former colleague who was erased (people.erasure)
    assert ideas == len(demo.IDEAS) + len(demo.MORE_IDEAS) + demo.CAMPAIGN_IDEAS + 1
    # Every stored count equals its rows, even in demo data.
    for idea in db.session.scalars(select(Idea)):
        rows = db.session.scalar(select(func.count()).where(Vote.idea_id == idea.id))
        assert idea.vote_count == rows
    second = runner.invoke(args=["seed-demo", "--if-empty"])
    assert second.exit_code == 0 and "not loaded" in second.output
    assert db.session.scalar(select(func.count()).select_from(Idea)) == ideas
    assert runner.invoke(args=["seed-demo"]).exit_code != 0


@pytest.mark.demo
def test_the_demo_shows_decisions_that_hold(app):
    from suggestions.workflow import breadth, campaigns, declines

    revisit = db.session.scalars(select(declines.Decline).where(
        declines.Decline.revisit_on.is_not(None))).all()  # fmt: skip
    assert revisit and all(d.reason_id for d in revisit)
    counts = breadth.breaches_by_department()
    assert sum(c.guaranteed for c in counts) >= 2 and sum(c.breached for c in counts) >= 1
    opened, closed = campaigns.list_campaigns()
    assert len(opened) == 1 and len(closed) == 1
    results = campaigns.campaign_page(closed[0]).results
    assert all(results[group] for group in ("implemented", "accepted", "declined"))


@pytest.mark.demo
def test_demo_logins_work(app, browser):
    for email, *_ in demo.PEOPLE:
        browser.login(SimpleNamespace(email=email), password=demo.PASSWORD)
        assert browser.logout().status_code == 302


@pytest.mark.demo
def test_seed_demo_reset_loads_the_demo_again(app):
    from suggestions.ideas import search

    runner = app.test_cli_runner()
    people = db.session.scalar(select(func.count()).select_from(User))
    ideas_before = db.session.scalar(select(func.count()).select_from(Idea))
    stray = db.session.scalar(select(Idea).order_by(Idea.id))
    stray.title = "Stray title only the old data had"
    db.session.commit()

    app.config["FREIRAUM_ENV"] = "production"  # deleting everything: never there
    refused = runner.invoke(args=["seed-demo", "--reset"])
    assert refused.exit_code != 0 and "FREIRAUM_ENV=development" in refused.output
    assert db.session.get(Idea, stray.id).title.startswith("Stray")
    app.config["FREIRAUM_ENV"] = "testing"

    result = runner.invoke(args=["seed-demo", "--reset"])
    assert result.exit_code == 0, result.output
    assert "admin@freiraum.example" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == people
    assert db.session.scalar(select(func.count()).select_from(Idea)) == ideas_before
    # The search index was emptied with the ideas: nothing of the old data is found.
    assert search.count_matches(search.parse_query("Stray"), cap=10) == 0


def test_console_mail_transport_prints_what_it_would_send(app):
    from suggestions.notify import outbox
    from suggestions.notify.mail_content import RenderedMail
    from suggestions.notify.models import OutboxMessage, OutboxStatus

    app.config["MAIL_BACKEND"] = "console"
    outbox.enqueue_mails(
        [RenderedMail(recipient="sam@example.org", language="de", kind="status_changed",
                      subject="Ihre Idee wurde angenommen", body_text="Hallo Sam,\nangenommen.",
                      body_html="<p>Hallo Sam</p>")]
    )  # fmt: skip
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "To: sam@example.org" in result.output
    assert "Subject: Ihre Idee wurde angenommen" in result.output
    assert "Hallo Sam,\nangenommen." in result.output
    assert "1 sent" in result.output
    row = db.session.scalar(select(OutboxMessage))
    assert row.status == OutboxStatus.SENT


@pytest.mark.demo
def test_the_demo_is_a_company_big_enough_for_every_figure(app, browser):
    from suggestions.ideas.models import IdeaStatus
    from suggestions.notify.models import OutboxMessage, OutboxStatus
    from suggestions.org.models import Department
    from suggestions.workflow.models import Commitment, CommitmentState

    assert 140 <= db.session.scalar(select(func.count()).select_from(User)) <= 170
    departments = list(db.session.scalars(select(Department)))
    assert 8 <= len(departments) <= 10
    for department in departments:
        assert department.heads, department.name
        staff = select(func.count()).where(User.department_id == department.id)
        assert db.session.scalar(staff) >= 5, department.name  # the dashboard's smallest group
    statuses = set(db.session.scalars(select(Idea.status).distinct()))
    assert statuses == set(IdeaStatus)
    oldest = db.session.scalar(select(func.min(Idea.created_at)))
    assert (db.session.scalar(select(func.max(Idea.created_at))) - oldest).days >= 150
    assert db.session.scalar(select(func.count()).where(Idea.is_anonymous.is_(True))) >= 3
    states = set(db.session.scalars(select(Commitment.state).distinct()))
    assert states == set(CommitmentState)
    # The mails of the demo's past count as sent: the worker of `make run` shows only new ones.
    waiting = select(func.count()).where(OutboxMessage.status == OutboxStatus.PENDING)
    assert db.session.scalar(waiting) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) > 0

    # The leader's dashboard shows every department's participation: none is too small.
    browser.login(SimpleNamespace(email="leader@freiraum.example"), password=demo.PASSWORD)
    page = browser.get("/insights").get_data(as_text=True)
    assert "too small to show" not in page and "zu klein" not in page
    for department in departments:
        assert department.name in page
