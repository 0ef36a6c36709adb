"""The worker: scheduled jobs run on their turn, once however many workers race for it,
and every run is logged."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta

from sqlalchemy import func, select

from suggestions.core import clock, jobs
from suggestions.core.extensions import db
from suggestions.core.onetime import FormKey
from suggestions.core.registry import contribute


def _counting_job(app, name="count", every=timedelta(hours=1)):
    calls = []
    lock = threading.Lock()

    def run(moment: datetime):
        with lock:
            calls.append(moment)
        return {"things": 3}

    job = jobs.Job(name, every, run)
    contribute(app, "worker.jobs", job)
    return job, calls


def test_a_job_runs_once_per_turn_and_is_logged(app):
    job, calls = _counting_job(app)
    start = clock.now()
    assert jobs.run_job(job, "w1", start).outcome == "ok"
    assert jobs.run_job(job, "w2", start + timedelta(minutes=5)) is None  # not its turn yet
    assert jobs.run_job(job, "w2", start + timedelta(hours=1, seconds=1)) is not None
    assert len(calls) == 2
    runs = db.session.scalars(select(jobs.JobRun).order_by(jobs.JobRun.id)).all()
    assert [(r.job, r.worker, r.outcome) for r in runs] == [("count", "w1", "ok"),
                                                           ("count", "w2", "ok")]  # fmt: skip
    assert json.loads(runs[0].counts) == {"things": 3}
    assert runs[0].finished_at is not None


def test_two_workers_racing_run_a_job_exactly_once(app):
    job, calls = _counting_job(app)
    moment = clock.now()
    barrier = threading.Barrier(4)
    results = []

    def worker(name):
        with app.app_context():
            barrier.wait()
            try:
                results.append(jobs.run_job(job, name, moment) is not None)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    assert len(calls) == 1
    assert db.session.scalar(select(func.count()).select_from(jobs.JobRun)) == 1


def test_a_held_lease_keeps_others_out_until_it_expires(app):
    job = jobs.Job("slow", timedelta(seconds=0), lambda moment: None, lease=timedelta(minutes=10))
    moment = clock.now()
    assert jobs.acquire(job, "w1", moment)  # w1 dies while running: no release
    assert not jobs.acquire(job, "w2", moment + timedelta(minutes=5))
    assert jobs.acquire(job, "w2", moment + timedelta(minutes=11))


def test_a_failing_job_is_logged_and_the_others_still_run(app):
    def broken(moment):
        raise RuntimeError("boom")

    contribute(app, "worker.jobs", jobs.Job("broken", timedelta(hours=1), broken))
    _, calls = _counting_job(app, "after")
    runs = jobs.run_due_jobs("w1")
    outcomes = {run.job: run.outcome for run in runs}
    assert outcomes["broken"] == "failed"
    assert outcomes["after"] == "ok"
    assert calls


def test_the_worker_purges_form_keys_older_than_a_day(app, org):
    old = clock.now() - timedelta(days=2)
    db.session.add(FormKey(user_id=org.employee.id, key="old", created_at=old))
    db.session.add(FormKey(user_id=org.employee.id, key="fresh", created_at=clock.now()))
    db.session.commit()
    jobs.run_due_jobs("w1")
    assert db.session.scalars(select(FormKey.key)).all() == ["fresh"]


def test_the_worker_command_runs_one_round(app):
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Worker round" in result.output
    names = set(db.session.scalars(select(jobs.JobRun.job)))
    assert {"digest", "reminders", "form_keys.purge"} <= names
