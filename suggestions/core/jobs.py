"""Scheduled jobs: what the worker runs besides the mail outbox (digests, reminders, revisit
dates, purges). A package contributes a ``Job`` to the ``worker.jobs`` point in its
``init_app``; ``run_due_jobs(now)`` runs the ones whose time has come.

Several workers may run at once. Each job has one lease row; a worker takes a job with one
atomic ``UPDATE ... WHERE next_run_at <= now AND (lease expired)`` that also moves the next run
time on, so exactly one worker wins each turn on SQLite and PostgreSQL alike. A worker that dies
mid-run leaves a lease that expires; the turn it claimed is not run twice. Every run is logged
in ``job_runs`` (job, started, finished, outcome, counts).
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import DateTime, Index, Integer, String, Text, delete, or_, update
from sqlalchemy.orm import Mapped, mapped_column

from . import clock
from .database import insert_ignoring_duplicates
from .extensions import db
from .registry import contributions

log = logging.getLogger(__name__)

JobResult = dict[str, int] | int | None


@dataclass(frozen=True)
class Job:
    """``run(now)`` does the work and returns counts (a dict, a number or None). It commits
    its own work; the worker logs the outcome afterwards."""

    name: str
    every: timedelta
    run: Callable[[datetime], JobResult]
    # How long a run may take before another worker may assume this one died.
    lease: timedelta = timedelta(minutes=30)


class JobLease(db.Model):
    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_run_at: Mapped[datetime] = mapped_column(DateTime)
    holder: Mapped[str | None] = mapped_column(String(40))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime)


class JobRun(db.Model):
    __tablename__ = "job_runs"
    __table_args__ = (Index("ix_job_runs_job_started", "job", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(80))
    worker: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(String(12), default="running")  # ok, failed
    counts: Mapped[str | None] = mapped_column(Text)  # JSON: what the run did
    duration_ms: Mapped[int | None] = mapped_column(Integer)


def jobs(app: Flask | None = None) -> list[Job]:
    return list(contributions("worker.jobs", app))


def new_worker_name() -> str:
    return secrets.token_hex(6)


def acquire(job: Job, worker: str, moment: datetime) -> bool:
    """Take this turn of ``job`` for ``worker``: True for exactly one of racing workers."""
    db.session.execute(
        insert_ignoring_duplicates(JobLease.__table__).values(name=job.name, next_run_at=moment)
    )
    taken = db.session.execute(
        update(JobLease)
        .where(
            JobLease.name == job.name,
            JobLease.next_run_at <= moment,
            or_(JobLease.lease_until.is_(None), JobLease.lease_until < moment),
        )
        .values(holder=worker, lease_until=moment + job.lease, next_run_at=moment + job.every)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return taken == 1


def release(job: Job, worker: str) -> None:
    db.session.execute(
        update(JobLease)
        .where(JobLease.name == job.name, JobLease.holder == worker)
        .values(holder=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def run_job(job: Job, worker: str, moment: datetime) -> JobRun | None:
    """Run one turn of ``job`` if this worker wins it; the logged run, or None."""
    if not acquire(job, worker, moment):
        return None
    run = JobRun(job=job.name, worker=worker, started_at=clock.now(), outcome="running")
    db.session.add(run)
    db.session.commit()
    run_id = run.id
    started = clock.now()
    try:
        result = job.run(moment)
        db.session.commit()
        outcome, counts = "ok", _counts(result)
    except Exception as error:  # one failing job must not stop the others
        db.session.rollback()
        log.exception("Job %s failed", job.name)
        outcome, counts = "failed", {"error": type(error).__name__}
    finished = clock.now()
    db.session.execute(
        update(JobRun)
        .where(JobRun.id == run_id)
        .values(
            finished_at=finished,
            outcome=outcome,
            counts=json.dumps(counts),
            duration_ms=int((finished - started).total_seconds() * 1000),
        )
    )
    db.session.commit()
    release(job, worker)
    return db.session.get(JobRun, run_id)


def _counts(result: JobResult) -> dict[str, Any]:
    if result is None:
        return {}
    if isinstance(result, int):
        return {"count": result}
    return dict(result)


def run_due_jobs(worker: str, moment: datetime | None = None) -> list[JobRun]:
    """Every job whose turn has come, once each; the runs this worker made."""
    moment = moment or clock.now()
    runs = []
    for job in jobs():
        run = run_job(job, worker, moment)
        if run is not None:
            runs.append(run)
    return runs


def purge_runs(moment: datetime, keep_days: int = 30) -> int:
    result = db.session.execute(
        delete(JobRun).where(JobRun.started_at < moment - timedelta(days=keep_days))
    )
    return result.rowcount or 0
