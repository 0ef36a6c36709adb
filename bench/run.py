"""The benchmark: ``make bench`` (one data set, every scenario) and ``make bench-scale``
(the scale curve over 10,000 / 100,000 / 1,000,000 ideas).

For each data set it starts the application under gunicorn with the production settings
(gunicorn.conf.py, FREIRAUM_ENV=production) plus the BENCH setting, on 127.0.0.1, signs in
as the bench employee, and drives each scenario of bench/scenarios.py with wrk from a second
process: one request first (status, size, SQL statements from X-Query-Count), a warm-up,
then the measured run. It prints the results and writes them into bench/RESULTS.md.

SQLite by default (data sets in bench/data/, generated on first use and kept); PostgreSQL
when BENCH_DATABASE_URL is set: database ``<name>_<ideas>`` next to the one named, created
and seeded on first use.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from scenarios import SCENARIOS, Context, Scenario  # noqa: E402

BIN = Path(sys.executable).parent
DATA = BENCH / "data"
OUT = BENCH / "out"
RESULTS = BENCH / "RESULTS.md"
LUA = BENCH / "wrk" / "scenario.lua"
ALONE_SECONDS = 3  # one connection, before the load
EMAIL = "bench.employee@freiraum.example"
PASSWORD = "freiraum-bench"

# Targets from the performance brief (README, "Performance").
RATIO_TARGET = 0.5
P99_TARGET_MS = 100
DEEP_FACTOR = 2.0
SCALE_FACTOR = 1.5
DASHBOARD_P50_MS = 300
SEARCH_P50_MS = 50


# --- data sets -------------------------------------------------------------------------------


def generator_tag() -> str:
    """Changes when the generated data does (benchdata.DATA_VERSION): an old data set is
    then made again. Later migrations are applied to kept data sets (init-db)."""
    source = (ROOT / "suggestions" / "devtools" / "benchdata.py").read_text()
    return "v" + re.search(r"^DATA_VERSION = (\d+)", source, re.M).group(1)


def flask(args: list[str], database_url: str, **kwargs) -> subprocess.CompletedProcess:
    env = os.environ | {
        "FREIRAUM_ENV": "production",
        "SECRET_KEY": "bench-" + secrets.token_hex(16),
        "DATABASE_URL": database_url,
    }
    return subprocess.run(
        [str(BIN / "flask"), "--app", "suggestions", *args], cwd=ROOT, env=env, check=True,
        **kwargs,
    )  # fmt: skip


def seed(database_url: str, ideas: int, search_only: bool = False) -> float:
    flask(["init-db"], database_url, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.perf_counter()
    only = ["--search-only"] if search_only else []
    flask(["seed-bench", "--ideas", str(ideas), *only], database_url)
    return time.perf_counter() - started


@dataclass
class DataSet:
    ideas: int
    url: str
    label: str
    seeded_seconds: float | None = None  # None: an existing data set was reused


def sqlite_data_set(ideas: int, search_only: bool = False) -> DataSet:
    DATA.mkdir(parents=True, exist_ok=True)
    kind = f"{ideas}-search" if search_only else f"{ideas}"
    path = DATA / f"freiraum-{kind}-{generator_tag()}.sqlite"
    data_set = DataSet(ideas, f"sqlite:///{path}", f"SQLite {sqlite3.sqlite_version}")
    if not path.exists():
        for stale in DATA.glob(f"freiraum-{kind}-v*.sqlite*"):
            stale.unlink()
        partial = path.with_suffix(".partial")
        for leftover in DATA.glob(partial.name + "*"):
            leftover.unlink()
        print(f"Generating the data set with {ideas:,} ideas (kept in {path.relative_to(ROOT)})")
        data_set.seeded_seconds = seed(f"sqlite:///{partial}", ideas, search_only)
        partial.rename(path)
    # Later migrations (new tables) apply to a kept data set too.
    flask(["init-db"], data_set.url, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return data_set


def postgres_data_set(base_url: str, ideas: int, search_only: bool = False) -> DataSet:
    import psycopg
    from sqlalchemy import make_url

    url = make_url(base_url)
    name = f"{url.database}_{ideas}" + ("_search" if search_only else "")
    admin = url.set(drivername="postgresql", database="postgres")
    conninfo = admin.render_as_string(hide_password=False)
    tag = f"freiraum bench {generator_tag()}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
        fresh = row is None or row[0] != tag
        if fresh:
            # The <name>_<ideas> databases belong to the benchmark: remade when out of date.
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    database_url = url.set(database=name).render_as_string(hide_password=False)
    data_set = DataSet(ideas, database_url, f"PostgreSQL {version}")
    if fresh:
        print(f"Generating the data set with {ideas:,} ideas in PostgreSQL database {name}")
        data_set.seeded_seconds = seed(database_url, ideas, search_only)
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{tag}'")
    else:
        flask(["init-db"], database_url, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return data_set


def data_set(ideas: int, search_only: bool = False) -> DataSet:
    """The data set of this size (made once, then kept). ``search_only``: people, ideas and
    comments only (``flask seed-bench --search-only``), for the search scenario at scale."""
    base = os.environ.get("BENCH_DATABASE_URL")
    if base:
        return postgres_data_set(base, ideas, search_only)
    return sqlite_data_set(ideas, search_only)


# --- the server and a small HTTP client ----------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with gunicorn.conf.py and the production settings, BENCH on."""

    def __init__(self, database_url: str, log: Path):
        self.port = free_port()
        self.env = os.environ | {
            "FREIRAUM_ENV": "production",
            "SECRET_KEY": "bench-" + secrets.token_hex(16),
            "DATABASE_URL": database_url,
            "FREIRAUM_BENCH": "true",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
        }
        self.log = log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        log = self.log.open("ab")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
            env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {self.log}")
            try:
                if Client(self.port).request("GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within 60 s; see {self.log}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def cpu_seconds(self) -> float:
        """CPU time used so far by gunicorn and its workers (user + system)."""
        ticks = os.sysconf("SC_CLK_TCK")
        pids = [self.process.pid] + [
            int(child) for child in Path(f"/proc/{self.process.pid}/task").glob("*/children")
            for child in child.read_text().split()
        ]  # fmt: skip
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def describe(self) -> str:
        code = (
            "import runpy, json; c = runpy.run_path('gunicorn.conf.py'); "
            "print(json.dumps({k: c[k] for k in ('workers', 'worker_class', 'threads')}))"
        )
        config = json.loads(
            subprocess.run(
                [sys.executable, "-c", code],
                cwd=ROOT,
                env=self.env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout  # fmt: skip
        )
        return (
            f"gunicorn {config['worker_class']}, {config['workers']} workers x "
            f"{config['threads']} threads"
        )


class Client:
    """Just enough HTTP for signing in: cookies by hand (the session cookie is Secure in
    production, and this runs on plain http://127.0.0.1)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body, sent)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name] = value
        conn.close()
        return response.status, response.headers, text

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def csrf_token(self, path: str) -> str:
        status, _, text = self.request("GET", path)
        match = re.search(r'name="csrf-token" content="([^"]+)"', text)
        if status != 200 or not match:
            raise RuntimeError(f"no CSRF token on {path} (HTTP {status})")
        return match.group(1)

    def sign_in(self, email: str) -> str:
        token = self.csrf_token("/login")
        status, _, _ = self.request(
            "POST", "/login", {"email": email, "password": PASSWORD, "csrf_token": token}
        )
        if status != 302:
            raise RuntimeError(f"signing in as {email} failed (HTTP {status})")
        # The session is renewed at sign-in: the token of the new session, from a page.
        return self.csrf_token("/ideas")


# --- measuring -------------------------------------------------------------------------------


@dataclass
class Result:
    scenario: Scenario
    path: str = ""
    skipped: str = ""  # why it was not measured
    status: int = 0
    queries: int | None = None
    kilobytes: float = 0.0
    requests_per_second: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    server_cpu_ms: float | None = None  # server CPU per request: robust on a busy machine
    alone_ms: float = 0.0  # p50 with one connection: one person, nothing else in flight
    raw: dict = field(default_factory=dict)

    @property
    def measured(self) -> bool:
        return not self.skipped


@dataclass
class Settings:
    duration: int
    warmup: int
    connections: int


def run_wrk(url: str, seconds: int, connections: int, headers: dict, bodies: Path | None):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s",
               str(LUA)]  # fmt: skip
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    if bodies:
        command += ["--", str(bodies)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    match = re.search(r"^BENCH_JSON (.*)$", done.stdout, re.M)
    if done.returncode or not match:
        raise RuntimeError(f"wrk failed: {done.stdout}\n{done.stderr}")
    return json.loads(match.group(1))


def measure(
    scenario: Scenario, ctx: Context, client: Client, token: str, rules: set[str],
    settings: Settings, server: Server,
) -> Result:  # fmt: skip
    result = Result(scenario)
    if scenario.needs and scenario.needs not in rules:
        result.skipped = f"not built yet (no route {scenario.needs})"
        return result
    try:
        result.path = scenario.resolve(ctx)
    except Exception as error:  # noqa: BLE001 - reported, the run goes on
        result.skipped = f"no path: {error}"
        return result
    headers = {"Cookie": client.cookie_header(), **scenario.headers}
    bodies = None
    first_form = None
    if scenario.method == "POST":
        headers["X-CSRFToken"] = token
        forms = [dict(form, csrf_token=token) for form in scenario.form or [{}]]
        first_form = forms[0]
        with tempfile.NamedTemporaryFile("w", suffix=".bodies", dir=OUT, delete=False) as handle:
            handle.write("\n".join(urllib.parse.urlencode(form) for form in forms) + "\n")
        bodies = Path(handle.name)
    # One request alone: status, size and SQL statements.
    status, response_headers, text = client.request(
        scenario.method, result.path, first_form, scenario.headers
    )
    result.status = status
    result.kilobytes = len(text.encode()) / 1024
    count = response_headers.get("X-Query-Count")
    result.queries = int(count) if count is not None else None
    if status != 200 and not (scenario.method == "POST" and status in (302, 303)):
        result.skipped = f"HTTP {status} on {result.path}"
        return result
    url = f"http://127.0.0.1:{client.port}{result.path}"
    connections = scenario.connections or settings.connections
    if settings.warmup:
        run_wrk(url, settings.warmup, connections, headers, bodies)
    # One person at a time: the latency someone sees when the server is not busy.
    result.alone_ms = run_wrk(url, ALONE_SECONDS, 1, headers, bodies)["p50_us"] / 1000
    cpu_before = server.cpu_seconds()
    raw = run_wrk(url, settings.duration, connections, headers, bodies)
    cpu_used = server.cpu_seconds() - cpu_before
    if raw["requests"]:
        result.server_cpu_ms = cpu_used * 1000 / raw["requests"]
    if bodies:
        bodies.unlink()
    result.raw = raw
    result.requests_per_second = raw["requests"] / (raw["duration_us"] / 1e6)
    result.p50_ms = raw["p50_us"] / 1000
    result.p99_ms = raw["p99_us"] / 1000
    result.errors = sum(raw[k] for k in raw if k.endswith("errors") or k == "timeouts")
    return result


def route_rules(database_url: str) -> set[str]:
    """The URL rules of the application as the server runs it (BENCH on)."""
    code = (
        "from suggestions import create_app\n"
        "app = create_app({'FREIRAUM_ENV': 'testing', 'SECRET_KEY': 'x', 'BENCH': True,"
        f" 'SQLALCHEMY_DATABASE_URI': {database_url!r}}})\n"
        "print('\\n'.join(sorted({r.rule for r in app.url_map.iter_rules()})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(done.stdout.split())


def sql_scalar(database_url: str):
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)

    def scalar(statement: str):
        with engine.connect() as conn:
            return conn.execute(text(statement)).scalar()

    return scalar


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def run_scenarios(
    data: DataSet, scenarios: list[Scenario], settings: Settings, log: Path
) -> tuple[list[Result], str]:
    rules = route_rules(data.url)
    scalar = sql_scalar(data.url)
    with Server(data.url, log) as server:
        sessions: dict[str, tuple[Client, str]] = {}

        def signed_in(role: str) -> tuple[Client, str]:
            if role not in sessions:
                client = Client(server.port)
                email = EMAIL if role == "employee" else scalar(
                    f"SELECT email FROM users WHERE role = '{role}' AND active ORDER BY id LIMIT 1"
                )  # fmt: skip
                sessions[role] = (client, client.sign_in(email))
            return sessions[role]

        employee = signed_in("employee")[0]
        ctx = Context(scalar, lambda path: employee.request("GET", path)[2])
        results = []
        for scenario in scenarios:
            print(f"  {scenario.name:<48}", end="", flush=True)
            client, token = signed_in(scenario.role)
            result = measure(scenario, ctx, client, token, rules, settings, server)
            results.append(result)
            if result.measured:
                print(
                    f"{result.requests_per_second:7.0f} req/s  p50 {result.p50_ms:6.1f} ms  "
                    f"p99 {result.p99_ms:6.1f} ms  {result.queries} queries  "
                    f"CPU {result.server_cpu_ms:.1f} ms"
                )
            else:
                print(result.skipped)
        return results, server.describe()


# --- the report ------------------------------------------------------------------------------


def machine_line(load_start: str, load_end: str) -> str:
    return (
        f"{os.cpu_count()} cores (`nproc`), load average {load_start} at start and {load_end} "
        f"at the end (1, 5, 15 min). **The machine is shared**: other people run test suites "
        f"on it, and the load generator runs on the same cores as the server."
    )


def git_revision() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def ceiling_of(results: list[Result]) -> float:
    rates = [r.requests_per_second for r in results if r.scenario.key == "ceiling" and r.measured]
    return sum(rates) / len(rates) if rates else 0.0


def ceiling_cpu_of(results: list[Result]) -> float:
    costs = [r.server_cpu_ms for r in results if r.scenario.key == "ceiling" and r.server_cpu_ms]
    return sum(costs) / len(costs) if costs else 0.0


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def targets(results: list[Result]) -> list[str]:
    by_key = {r.scenario.key: r for r in results if r.scenario.key != "ceiling"}
    ceiling = ceiling_of(results)
    lines = []
    for key in ("list", "idea", "vote"):
        r = by_key.get(key)
        if not r or not r.measured:
            lines.append(f"- {key}: not measured ({r.skipped if r else 'no scenario'})")
            continue
        ratio = r.requests_per_second / ceiling if ceiling else 0
        cpu = ceiling_cpu_of(results) / r.server_cpu_ms if r.server_cpu_ms else 0
        lines.append(
            f"- {r.scenario.name}: throughput {ratio:.2f} of the ceiling (target "
            f">= {RATIO_TARGET}): {verdict(ratio >= RATIO_TARGET)} (by server CPU per "
            f"request: {cpu:.2f}); p99 {r.p99_ms:.1f} ms (target < {P99_TARGET_MS} ms): "
            f"{verdict(r.p99_ms < P99_TARGET_MS)}"
        )
    first, deep = by_key.get("list"), by_key.get("deep")
    if first and deep and first.measured and deep.measured:
        factor = deep.p50_ms / first.p50_ms
        lines.append(
            f"- deep page (row 50,000, next link) p50 {deep.p50_ms:.1f} ms = {factor:.2f} x "
            f"page 1 (target <= {DEEP_FACTOR} x): {verdict(factor <= DEEP_FACTOR)}"
        )
    offset = by_key.get("deep_offset")
    if first and offset and first.measured and offset.measured:
        factor = offset.p50_ms / first.p50_ms
        lines.append(
            f"- page 2,501 by number (OFFSET 50,000 in the index) p50 {offset.p50_ms:.1f} ms "
            f"= {factor:.2f} x page 1: {verdict(factor <= DEEP_FACTOR)}"
        )
    for key, limit in (("dashboard", DASHBOARD_P50_MS), ("search", SEARCH_P50_MS)):
        r = by_key.get(key)
        if not r or not r.measured:
            lines.append(f"- {key}: {r.skipped if r else 'no scenario'}")
        elif r.errors:
            lines.append(
                f"- {r.scenario.name}: **missed**: {r.errors} of the requests under load failed "
                f"or timed out (5 s); one at a time its p50 is {r.alone_ms:.0f} ms "
                f"(target p50 < {limit} ms)"
            )
        else:
            lines.append(
                f"- {r.scenario.name}: p50 {r.p50_ms:.1f} ms under load (target < {limit} ms)"
                f": {verdict(r.p50_ms < limit)}; one at a time {r.alone_ms:.1f} ms: "
                f"{verdict(r.alone_ms < limit)}"
            )
    return lines


def main_table(results: list[Result]) -> list[str]:
    ceiling = ceiling_of(results)
    ceiling_cpu = ceiling_cpu_of(results)
    lines = [
        "| scenario | req/s | p50 ms | p99 ms | p50 alone ms | SQL per request | KB | vs ceiling "
        "| server CPU ms/request | CPU vs ceiling | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if not r.measured:
            lines.append(f"| {r.scenario.name} | {r.skipped} | | | | | | | | | |")
            continue
        ratio = r.requests_per_second / ceiling if ceiling else 0
        cpu_ratio = ceiling_cpu / r.server_cpu_ms if r.server_cpu_ms and ceiling_cpu else 0
        lines.append(
            f"| {r.scenario.name} | {r.requests_per_second:.0f} | {r.p50_ms:.1f} | "
            f"{r.p99_ms:.1f} | {r.alone_ms:.1f} | {r.queries} | {r.kilobytes:.0f} | {ratio:.2f} | "
            f"{r.server_cpu_ms or 0:.1f} | {cpu_ratio:.2f} | {r.errors} |"
        )
    return lines


def section_suffix() -> str:
    """SQLite and PostgreSQL results are kept side by side in RESULTS.md."""
    return "-postgresql" if os.environ.get("BENCH_DATABASE_URL") else ""


def write_section(name: str, lines: list[str]) -> None:
    begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    body = "\n".join([begin, *lines, end])
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if begin in text and end in text:
        text = text[: text.index(begin)] + body + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + body + "\n"
    RESULTS.write_text(text)
    print(f"Written to {RESULTS.relative_to(ROOT)} ({name}).")


def header_lines(title: str, settings: Settings, server: str, load_start: str, load_end: str):
    return [
        f"## {title}",
        "",
        f"- {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {git_revision()}, Python "
        f"{platform.python_version()}.",
        f"- Machine: {machine_line(load_start, load_end)}",
        f"- Server: {server}, production settings (gunicorn.conf.py, FREIRAUM_ENV=production) "
        "plus FREIRAUM_BENCH (the ceiling route, X-Query-Count).",
        f"- Load: wrk, 1 thread, {settings.connections} connections, {settings.warmup} s warm-up "
        f"then {settings.duration} s per scenario, signed in as an employee (the dashboard: as a "
        "leader). SQL per request: one request alone, counted by the server. p50 alone: one "
        f"connection for {ALONE_SECONDS} s (one person at a time).",
    ]


# --- the two runs ----------------------------------------------------------------------------


def main_run(args, settings: Settings) -> None:
    load_start = load_average()
    started = time.perf_counter()
    data = data_set(args.ideas)
    chosen = [s for s in SCENARIOS if not args.only or any(o in s.key for o in args.only)]
    ceiling = next(s for s in SCENARIOS if s.key == "ceiling")
    # The ceiling first and last: the machine is shared, its mood is measured twice.
    scenarios = [ceiling, *[s for s in chosen if s.key != "ceiling"], ceiling]
    print(f"Main run: {data.ideas:,} ideas on {data.label}; load average {load_start}")
    results, server = run_scenarios(data, scenarios, settings, OUT / "gunicorn-main.log")
    load_end = load_average()
    elapsed = time.perf_counter() - started
    ceilings = [f"{r.requests_per_second:.0f}" for r in results if r.scenario.key == "ceiling"]
    lines = header_lines(
        f"Main run: {data.ideas:,} ideas, {data.label}", settings, server, load_start, load_end
    )
    seeded = (
        f"generated in {data.seeded_seconds:.0f} s for this run"
        if data.seeded_seconds is not None
        else "kept from an earlier run"
    )
    lines += [
        f"- Data set: {data.ideas:,} ideas, 10 votes and 3 comments per idea on average, 5,000 "
        f"people, 50 departments ({seeded}). Whole run: {elapsed:.0f} s.",
        f"- Ceiling measured first and last: {' and '.join(ceilings)} req/s; ratios use the mean.",
        "",
        *main_table(results),
        "",
        "Targets:",
        "",
        *targets(results),
    ]
    print("\n".join(lines))
    if not args.no_write:
        write_section("main" + section_suffix(), lines)


def scale_run(args, settings: Settings) -> None:
    load_start = load_average()
    ceiling = next(s for s in SCENARIOS if s.key == "ceiling")
    curve = [s for s in SCENARIOS if s.scale]
    per_size: dict[int, list[Result]] = {}
    notes = []
    server = ""
    for ideas in args.sizes:
        try:
            data = data_set(ideas)
        except subprocess.CalledProcessError as error:
            notes.append(f"- {ideas:,} ideas: the data set could not be generated ({error}).")
            continue
        if data.seeded_seconds is not None:
            notes.append(f"- {ideas:,} ideas generated in {data.seeded_seconds:.0f} s.")
        print(f"Scale run: {ideas:,} ideas on {data.label}; load average {load_average()}")
        results, server = run_scenarios(
            data, [ceiling, *curve], settings, OUT / f"gunicorn-{ideas}.log"
        )
        per_size[ideas] = results
    load_end = load_average()
    sizes = sorted(per_size)
    lines = header_lines("Scale curve", settings, server or "gunicorn", load_start, load_end)
    lines += [
        f"- Data sets: {', '.join(f'{n:,}' for n in sizes)} ideas (10 votes and 3 comments per "
        "idea on average).",
        *notes,
        "",
        "| scenario | " + " | ".join(f"{n:,}: p50 / p99 ms, req/s, CPU ms" for n in sizes)
        + " | p50 largest / smallest | CPU largest / smallest |",
        "|---|" + "---:|" * (len(sizes) + 2),
    ]  # fmt: skip
    for scenario in [ceiling, *curve]:
        cells, p50s, cpus = [], [], []
        for n in sizes:
            r = next(r for r in per_size[n] if r.scenario is scenario)
            if r.measured:
                cells.append(
                    f"{r.p50_ms:.1f} / {r.p99_ms:.1f}, {r.requests_per_second:.0f}, "
                    f"{r.server_cpu_ms or 0:.1f}"
                )
                p50s.append(r.p50_ms)
                cpus.append(r.server_cpu_ms or 0)
            else:
                cells.append(r.skipped)
        if len(p50s) == len(sizes) and len(sizes) > 1:
            factor = p50s[-1] / p50s[0]
            ratio = f"{factor:.2f} ({verdict(factor <= SCALE_FACTOR)}, target <= {SCALE_FACTOR})"
            cpu_ratio = f"{cpus[-1] / cpus[0]:.2f}" if cpus[0] else "n/a"
        else:
            ratio = cpu_ratio = "n/a"
        lines.append(f"| {scenario.name} | " + " | ".join(cells) + f" | {ratio} | {cpu_ratio} |")
    print("\n".join(lines))
    if not args.no_write:
        write_section("scale" + section_suffix(), lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", action="store_true", help="the scale curve instead")
    parser.add_argument("--ideas", type=int, default=100_000, help="main run data set")
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help="scale curve data sets (ideas)"
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", type=lambda v: v.split(","), help="scenario keys, e.g. list,idea")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    args.sizes = sorted(int(n) for n in args.sizes.split(","))
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: `apt-get install -y wrk` (make bench tries that first).")
    OUT.mkdir(parents=True, exist_ok=True)
    settings = Settings(args.duration, args.warmup, args.connections)
    if args.scale:
        scale_run(args, settings)
    else:
        main_run(args, settings)


if __name__ == "__main__":
    main()
