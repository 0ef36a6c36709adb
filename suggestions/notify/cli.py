"""Commands of the notification workers:

flask --app suggestions send-mail [--loop] [--interval 10]
flask --app suggestions send-digest
flask --app suggestions send-reminders
"""

from __future__ import annotations

import logging
import signal
import threading
import time

import click
from flask import Flask, current_app

from ..core.extensions import db
from . import outbox, reminders, sending
from .digest import send_digests

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    for command in (send_mail, send_digest, send_reminders):
        if command.name not in app.cli.commands:
            app.cli.add_command(command)


@click.command("send-mail")
@click.option("--loop", is_flag=True, help="Keep running; look for due messages every interval.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between looks.")
@click.option("--batch-size", type=click.IntRange(1, 500), help="Messages claimed at once.")
def send_mail(loop: bool, interval: float, batch_size: int | None) -> None:
    """Send the mails and webhook calls waiting in the outbox (with retries)."""
    if not loop:
        outbox.purge_sent()
        stats = sending.run_once(batch_size=batch_size)
        click.echo(f"Outbox: {stats}.")
        return

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    click.echo(f"Sending the outbox every {interval:g} s (Ctrl+C or SIGTERM stops).")
    last_purge = 0.0
    while not stop.is_set():
        try:
            if time.monotonic() - last_purge > 3600:
                outbox.purge_sent()
                last_purge = time.monotonic()
            stats = sending.run_once(batch_size=batch_size)
            if stats.sent or stats.retrying or stats.failed:
                click.echo(f"Outbox: {stats}.")
        except Exception:  # the database may be away for a moment: keep the worker alive
            current_app.logger.exception("The outbox run failed; trying again shortly.")
            db.session.rollback()
        finally:
            db.session.remove()
        stop.wait(interval)
    click.echo("Stopped.")


@click.command("send-digest")
@click.option("--force", is_flag=True, help="Also to people who got one in the last six days.")
def send_digest(force: bool) -> None:
    """Queue the weekly digest mail for everyone who has something in it."""
    count = send_digests(force=force)
    click.echo(f"{count} digest mail(s) queued; `send-mail` sends them.")


@click.command("send-reminders")
def send_reminders() -> None:
    """Remind of commitments due soon or overdue, and of ideas waiting past their SLA."""
    count = reminders.send_reminders()
    db.session.commit()
    if not reminders.SOURCES:  # read when run: sources register as packages load
        click.echo("No reminder sources are registered yet; nothing to do.")
    click.echo(f"{count} reminder(s) delivered.")
