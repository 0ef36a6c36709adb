"""The one background process: ``flask --app suggestions worker``.

Every few seconds it sends what waits in the outbox and runs the scheduled jobs whose turn
has come (``core.jobs``; packages add theirs to the ``worker.jobs`` point). Several workers may
run side by side: the outbox claims each message once, and each job's turn goes to one worker.
"""

from __future__ import annotations

import signal
import threading
from datetime import datetime, timedelta

import click
from flask import Flask, current_app

from ..core import jobs, onetime
from ..core.extensions import db
from ..core.registry import contribute


def init_app(app: Flask) -> None:
    """The notification jobs and the housekeeping every installation needs."""
    for job in (
        jobs.Job("digest", timedelta(days=1), _digest),
        jobs.Job("reminders", timedelta(hours=1), _reminders),
        jobs.Job("outbox.purge", timedelta(days=1), _purge_outbox),
        jobs.Job("form_keys.purge", timedelta(days=1), _purge_form_keys),
        jobs.Job("job_runs.purge", timedelta(days=1), jobs.purge_runs),
    ):
        contribute(app, "worker.jobs", job)
    if worker.name not in app.cli.commands:
        app.cli.add_command(worker)


def _digest(moment: datetime) -> int:
    from .digest import send_digests

    # Daily is fine: the digest skips people who got one in the last six days.
    return send_digests(moment=moment)


def _reminders(moment: datetime) -> int:
    from .reminders import send_reminders

    return send_reminders(moment)


def _purge_outbox(moment: datetime) -> int:
    from . import outbox

    return outbox.purge_sent()


def _purge_form_keys(moment: datetime) -> int:
    return onetime.purge_old_keys(moment)


def tick(worker_name: str) -> dict[str, int]:
    """One round: the outbox, then the due jobs. Returns what happened, for the console."""
    from . import sending

    stats = sending.run_once()
    runs = jobs.run_due_jobs(worker_name)
    return {
        "sent": stats.sent,
        "retrying": stats.retrying,
        "failed": stats.failed,
        "jobs": len(runs),
    }


@click.command("worker")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds.")
@click.option("--once", is_flag=True, help="One round, then stop (for cron or a test).")
def worker(interval: float, once: bool) -> None:
    """Send the outbox and run scheduled jobs (digests, reminders, revisit dates, purges)."""
    name = jobs.new_worker_name()
    if once:
        click.echo(f"Worker round: {tick(name)}.")
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    names = ", ".join(job.name for job in jobs.jobs())
    click.echo(f"Worker {name}: outbox every {interval:g} s; jobs: {names} (Ctrl+C stops).")
    while not stop.is_set():
        try:
            done = tick(name)
            if any(done.values()):
                click.echo(f"Worker round: {done}.")
        except Exception:  # the database may be away for a moment: keep the worker alive
            current_app.logger.exception("A worker round failed; trying again shortly.")
            db.session.rollback()
        finally:
            db.session.remove()
        stop.wait(interval)
    click.echo("Stopped.")
