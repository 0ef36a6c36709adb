"""Command-line tasks."""

from types import SimpleNamespace

from sqlalchemy import func, select

from suggestions import demo
from suggestions.auth.models import Role, User
from suggestions.extensions import db
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
    assert ideas == len(demo.IDEAS)
    # Every stored count equals its rows, even in demo data.
    for idea in db.session.scalars(select(Idea)):
        rows = db.session.scalar(select(func.count()).where(Vote.idea_id == idea.id))
        assert idea.vote_count == rows
    second = runner.invoke(args=["seed-demo", "--if-empty"])
    assert second.exit_code == 0 and "not loaded" in second.output
    assert db.session.scalar(select(func.count()).select_from(Idea)) == ideas
    assert runner.invoke(args=["seed-demo"]).exit_code != 0


def test_demo_logins_work(app, browser):
    app.test_cli_runner().invoke(args=["seed-demo"])
    for email, *_ in demo.PEOPLE:
        browser.login(SimpleNamespace(email=email), password=demo.PASSWORD)
        assert browser.logout().status_code == 302


def test_seed_demo_reset_loads_the_demo_again(app):
    from suggestions.ideas import search

    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    people = db.session.scalar(select(func.count()).select_from(User))
    stray = db.session.scalar(select(Idea).order_by(Idea.id))
    stray.title = "Stray title only the old data had"
    db.session.commit()

    result = runner.invoke(args=["seed-demo", "--reset"])
    assert result.exit_code == 0, result.output
    assert "admin@freiraum.example" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == people
    assert db.session.scalar(select(func.count()).select_from(Idea)) == len(demo.IDEAS)
    # The search index was emptied with the ideas: nothing of the old data is found.
    assert search.count_matches(search.parse_query("Stray"), cap=10) == 0


def test_seed_demo_reset_is_refused_in_production(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    people = db.session.scalar(select(func.count()).select_from(User))
    app.config["FREIRAUM_ENV"] = "production"
    result = runner.invoke(args=["seed-demo", "--reset"])
    assert result.exit_code != 0 and "FREIRAUM_ENV=development" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == people


def test_seeded_demo_leaves_no_mail_waiting(app):
    from suggestions.notify.models import OutboxMessage, OutboxStatus

    app.test_cli_runner().invoke(args=["seed-demo"])
    waiting = select(func.count()).where(OutboxMessage.status == OutboxStatus.PENDING)
    assert db.session.scalar(waiting) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) > 0


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
