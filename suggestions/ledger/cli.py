"""flask --app suggestions ask-for-measurements: ask commitment owners for the figures measured
30 and 90 days after go-live (the scheduled worker calls the same function)."""

from __future__ import annotations

import click
from flask import Flask

from ..core.extensions import db


def init_app(app: Flask) -> None:
    if ask_for_measurements.name not in app.cli.commands:
        app.cli.add_command(ask_for_measurements)


@click.command("ask-for-measurements")
def ask_for_measurements() -> None:
    """Ask for measured figures that are due (safe to run as often as you like)."""
    from .impact import ask_for_measurements as ask

    made = ask()
    db.session.commit()
    click.echo(f"Measurements asked for: {made}.")
