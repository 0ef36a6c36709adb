"""Server CPU per request, in-process and one at a time: ``make profile``.

The same scenarios and data sets as ``make bench`` (bench/scenarios.py, bench/run.py), but
without gunicorn and wrk: the application runs in this process with the production settings,
a test client signed in as the bench employee (or the scenario's role) sends each request
``--repeat`` times, and the CPU time of each (``time.process_time``) is recorded. The median
is the figure the speed targets name; the minimum shows the floor. On a busy machine CPU time
moves much less than wall time, but it still moves: compare figures from one run.

``--profile KEY`` writes a cProfile of that scenario to bench/out/KEY.prof and prints the
functions with the most cumulative and own time (``--pyinstrument`` prints a call tree
instead, when pyinstrument is installed).

    .venv/bin/python bench/inprocess.py --only list,idea,vote,search
    .venv/bin/python bench/inprocess.py --only idea --profile idea
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench make profile
"""

from __future__ import annotations

import argparse
import cProfile
import html
import io
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from run import EMAIL, OUT, PASSWORD, data_set, sql_scalar  # noqa: E402
from scenarios import SCENARIOS, Context  # noqa: E402

BASE_URL = "https://127.0.0.1"  # the session cookie is Secure in production


def build_app(database_url: str):
    os.environ.setdefault("FREIRAUM_ENV", "production")
    os.environ.setdefault("SECRET_KEY", "bench-inprocess-" + "x" * 32)
    from suggestions import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "BENCH": True})


def signed_in_client(app, email: str):
    client = app.test_client()
    client.environ_base["HTTP_REFERER"] = BASE_URL + "/"  # CSRF checks the referrer on https
    page = client.get("/login", base_url=BASE_URL).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    answer = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        base_url=BASE_URL,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"signing in as {email} failed (HTTP {answer.status_code})")
    page = client.get("/ideas", base_url=BASE_URL).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    return client, token


def sender(client, method: str, path: str, forms: list[dict], headers: dict):
    """A function sending the n-th request of a scenario (POST bodies in turn)."""

    def send(n: int):
        if method == "POST":
            return client.post(path, data=forms[n % len(forms)], headers=headers,
                               base_url=BASE_URL)  # fmt: skip
        return client.get(path, headers=headers, base_url=BASE_URL)

    return send


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--only", type=lambda v: v.split(","), help="scenario keys")
    parser.add_argument("--profile", help="scenario key to profile")
    parser.add_argument("--pyinstrument", action="store_true")
    parser.add_argument(
        "--search-only", action="store_true",
        help="a data set of people, ideas and comments only (for --only search at scale)",
    )  # fmt: skip
    args = parser.parse_args()

    data = data_set(args.ideas, args.search_only)
    app = build_app(data.url)
    scalar = sql_scalar(data.url)
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    sessions = {}

    def session_of(role: str):
        if role not in sessions:
            email = EMAIL if role == "employee" else scalar(
                f"SELECT email FROM users WHERE role = '{role}' AND active ORDER BY id LIMIT 1"
            )  # fmt: skip
            sessions[role] = signed_in_client(app, email)
        return sessions[role]

    employee = session_of("employee")[0]
    ctx = Context(scalar, lambda path: employee.get(path, base_url=BASE_URL).get_data(as_text=True))
    wanted = [s for s in SCENARIOS if not args.only or s.key in args.only]
    kind = " (search only: people, ideas, comments)" if args.search_only else ""
    print(f"{data.label}, {args.ideas:,} ideas{kind}, {args.repeat} requests per scenario")
    print(f"{'scenario':<48} {'median ms':>9} {'min ms':>7} {'SQL':>4} {'status':>6}")
    for scenario in wanted:
        if scenario.connections or (scenario.needs and scenario.needs not in rules):
            continue
        client, token = session_of(scenario.role)
        path = html.unescape(scenario.resolve(ctx))
        forms = [dict(form, csrf_token=token) for form in scenario.form or [{}]]
        headers = dict(scenario.headers, **({"X-CSRFToken": token} if forms else {}))

        send = sender(client, scenario.method, path, forms, headers)
        for n in range(min(10, args.repeat)):  # warm caches, templates, connections
            answer = send(n)
        cpu = []
        for n in range(args.repeat):
            started = time.process_time()
            answer = send(n)
            cpu.append((time.process_time() - started) * 1000)
        queries = answer.headers.get("X-Query-Count", "?")
        print(
            f"{scenario.name:<48} {statistics.median(cpu):9.2f} {min(cpu):7.2f} "
            f"{queries:>4} {answer.status_code:>6}"
        )
        if args.profile == scenario.key:
            profile(send, args, scenario.key)


def profile(send, args, key: str) -> None:
    OUT.mkdir(exist_ok=True)
    if args.pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        profiler.start()
        for n in range(args.repeat):
            send(n)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(args.repeat):
        send(n)
    profiler.disable()
    target = OUT / f"{key}.prof"
    profiler.dump_stats(target)
    for order in ("cumulative", "tottime"):
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats(order).print_stats(35)
        print(text.getvalue())
    print(f"profile written to {target}")


if __name__ == "__main__":
    main()
