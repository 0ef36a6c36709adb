"""Command-line tasks: ``flask --app suggestions <command>``."""

from __future__ import annotations

import time

import click
from flask import Flask, current_app
from flask_migrate import upgrade
from sqlalchemy import func, select

from .auth.accounts import create_user
from .auth.models import Role, User
from .core.errors import DomainError
from .core.extensions import db
from .ideas import search


def init_app(app: Flask) -> None:
    app.cli.add_command(init_db)
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)
    app.cli.add_command(rebuild_search_index)
    app.cli.add_command(seed_bench)


@click.command("init-db")
def init_db() -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    upgrade()
    click.echo("Database schema is up to date.")


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt="Display name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator account."""
    try:
        user = create_user(
            None, email=email, display_name=name, department=None, role=Role.ADMIN,
            password=password,
        )  # fmt: skip
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    user.break_glass = True  # keeps a password even when LOCAL_PASSWORDS is off
    db.session.commit()
    click.echo(f"Administrator {user.email} created.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has users.")
@click.option(
    "--reset", is_flag=True,
    help="Delete every row first, then load the demo again (development only).",
)  # fmt: skip
def seed_demo(if_empty: bool, reset: bool) -> None:
    """Load demo departments, people, ideas, votes and comments."""
    from .devtools import demo  # development tools load only when a command asks for them

    if reset:
        # Deleting everything must never be one typo away from a real organisation's data.
        if current_app.config["FREIRAUM_ENV"] == "production":
            raise click.ClickException(
                "--reset deletes every row: it runs only with FREIRAUM_ENV=development."
            )
        demo.empty()
        click.echo("Every row deleted.")
    elif db.session.scalar(select(func.count()).select_from(User)):
        if if_empty:
            click.echo("The database has data already; demo data not loaded.")
            click.echo(demo.logins_text())
            return
        raise click.ClickException(
            "The database is not empty; demo data goes into a new one (or use --reset)."
        )
    started = time.perf_counter()
    demo.load()
    db.session.commit()
    click.echo(f"Demo data loaded in {time.perf_counter() - started:.1f} s.")
    click.echo(demo.logins_text())


@click.command("rebuild-search-index")
@click.option("--batch-size", default=500, show_default=True, help="Ideas per transaction.")
def rebuild_search_index(batch_size: int) -> None:
    """Index every idea and comment again (after SEARCH_LANGUAGE changed, or to repair).
    Runs in batches: the site stays usable and searches find everything meanwhile."""
    language = search.language()
    with db.engine.connect() as connection:
        count = search.rebuild_index(
            connection, language, batch_size=max(1, batch_size), commit=connection.commit
        )
        connection.commit()
    click.echo(f"Search index rebuilt: {count} ideas ({language}).")


@click.command("seed-bench")
@click.option("--ideas", default=100_000, show_default=True, type=click.IntRange(0))
@click.option("--votes", type=click.IntRange(0), help="Default: 10 per idea.")
@click.option("--comments", type=click.IntRange(0), help="Default: 3 per idea.")
@click.option("--users", default=5_000, show_default=True, type=click.IntRange(1))
@click.option("--departments", default=50, show_default=True, type=click.IntRange(1))
@click.option("--seed", default=2026, show_default=True, help="Same seed, same data.")
@click.option("--force", is_flag=True, help="Delete everything in the database first.")
@click.option(
    "--search-only", is_flag=True,
    help="People, ideas and comments only (no votes, commitments, notifications).",
)  # fmt: skip
def seed_bench(ideas, votes, comments, users, departments, seed, force, search_only) -> None:
    """Fill an empty database with a large data set for benchmarks (bench/README.md)."""
    from .devtools import benchdata  # development tools load only when a command asks for them

    try:
        plan = benchdata.Plan(
            ideas=ideas, votes=votes, comments=comments, users=users,
            departments=departments, seed=seed, search_only=search_only,
        )  # fmt: skip
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    if not benchdata.is_empty():
        if not force:
            raise click.ClickException(
                "The database is not empty. Use a new database, or --force to delete everything "
                "in it first."
            )
        click.echo("--force: deleting every row first.")
        benchdata.empty_database()
    click.echo(
        f"Seeding {plan.ideas:,} ideas, {plan.votes:,} votes, {plan.comments:,} comments, "
        f"{plan.users:,} users, {plan.departments} departments ({db.engine.dialect.name})."
    )
    started = time.perf_counter()
    benchdata.seed(plan, echo=click.echo)
    click.echo(f"Done in {time.perf_counter() - started:.1f} s. Sign in as "
               f"{benchdata.EMPLOYEE_EMAIL} (password {benchdata.PASSWORD}).")  # fmt: skip
