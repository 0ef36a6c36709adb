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
