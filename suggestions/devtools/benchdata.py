"""A large, realistic data set for measuring pages at scale (``flask seed-bench``).

Rows go in through Core ``insert()`` with lists of dicts (executemany), in chunks, with
explicit ids so no row has to be read back. Every idea's ``vote_count`` and
``comment_count`` equal its rows exactly. Texts are German and English, so full-text search
has real words to chew. The same seed always gives the same data.
"""

from __future__ import annotations

import gc
import itertools
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import Connection, Table, func, insert, select, text

from ..auth.models import Role, User
from ..auth.passwords import hash_password
from ..core.clock import now
from ..core.extensions import db
from ..core.text import stored_markdown
from ..ideas import search
from ..ideas.models import (
    Comment,
    EventKind,
    Idea,
    IdeaEvent,
    IdeaStatus,
    Vote,
    idea_affected_departments,
)
from ..notify.models import Follow, Notification
from ..org.models import Category, Department, department_heads
from ..workflow.models import Commitment, CommitmentState, CommitmentUpdate

# Raise when the generated data changes (not for changes in how it is loaded): the benchmark
# keeps data sets and makes them again when this differs.
DATA_VERSION = 3
PASSWORD = "freiraum-bench"
# The account the benchmark signs in with: an ordinary employee.
EMPLOYEE_EMAIL = "bench.employee@freiraum.example"
ADMIN_EMAIL = "bench.admin@freiraum.example"
CHUNK = 20_000
HISTORY_DAYS = 3 * 365
MAX_COMMENTS = 300


@dataclass
class Plan:
    ideas: int = 100_000
    votes: int | None = None  # default: 10 per idea
    comments: int | None = None  # default: 3 per idea
    users: int = 5_000
    departments: int = 50
    seed: int = 2026
    # Only what search reads: people, ideas and their comments (the same text generator); no
    # votes, commitments or notifications. For measuring search at a million ideas.
    search_only: bool = False

    def __post_init__(self) -> None:
        if self.votes is None:
            self.votes = 0 if self.search_only else 10 * self.ideas
        if self.comments is None:
            self.comments = 3 * self.ideas
        self.departments = max(1, self.departments)
        # heads, an admin, leaders and the bench employee need accounts of their own
        self.users = max(self.users, self.departments + 8)
        if self.votes > self.ideas * max(1, self.users // 2):
            raise ValueError("Too many votes: at most half of the people vote for one idea.")
        if self.comments > self.ideas * MAX_COMMENTS:
            raise ValueError(f"Too many comments: at most {MAX_COMMENTS} per idea.")


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


# Configuration rows the migrations write (the organisation's settings, the default decline
# reasons, the stamp of the rows kept per process): not data, kept.
SETTINGS_TABLES = {"org_settings", "decline_reasons", "stamps"}


# The audit log is append-only (a trigger refuses DELETE and TRUNCATE): it outlives an emptied
# database, and its entries do not make a database count as holding data.
KEPT_TABLES = {"audit_entries", "audit_prune_permits"}


def _data_tables():
    return [t for t in db.metadata.sorted_tables if t.name not in SETTINGS_TABLES | KEPT_TABLES]


def is_empty() -> bool:
    for table in _data_tables():
        if db.session.execute(select(text("1")).select_from(table).limit(1)).first():
            return False
    return True


def empty_database() -> None:
    """Delete every row of data (``--force``); the organisation's settings stay."""
    db.session.close()
    tables = list(reversed(_data_tables()))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(t.name for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


def seed(plan: Plan, echo: Callable[[str], None] = print, *, analyze: bool = True) -> Report:
    """Fill an empty database following ``plan``; ``analyze`` refreshes the planner's
    statistics afterwards (skipped by tests, which seed tiny sets often)."""
    db.session.close()
    report = Report()
    generator = _Generator(plan, random.Random(plan.seed))
    # Millions of small long-lived objects (rows waiting for their turn): the cyclic garbage
    # collector would scan them all again and again; nothing here makes cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _load(generator, report, echo, analyze)
    finally:
        if collecting:
            gc.enable()
    return report


def _load(generator: _Generator, report: Report, echo, analyze: bool) -> None:
    with db.engine.connect() as conn:
        _fast_load(conn)
        # Secondary indexes are built once the rows are in: sorting a column once is far
        # cheaper than inserting a million random keys into a B-tree (at a million ideas,
        # minutes instead of an hour). They are rebuilt whatever happens.
        indexes = [index for table in BULK_TABLES for index in table.indexes]
        for index in indexes:
            index.drop(conn)
        conn.commit()
        try:
            for step in generator.steps():
                for table, rows in step():
                    started = time.perf_counter()
                    count = _insert_chunks(conn, table, rows)
                    conn.commit()
                    report.counts[table.name] = count
                    report.seconds[table.name] = time.perf_counter() - started
                    echo(
                        f"  {table.name:<26} {count:>10,} rows {report.seconds[table.name]:6.1f} s"
                    )
        finally:
            conn.rollback()
            started = time.perf_counter()
            for index in indexes:
                index.create(conn)
            conn.commit()
            report.seconds["indexes"] = time.perf_counter() - started
        echo(f"  {'(indexes)':<26} {'':>10}      {report.seconds['indexes']:6.1f} s")
        # Rows came in below the ORM, past the listener that keeps the search index.
        started = time.perf_counter()
        indexed = search.rebuild_index(conn, search.language(), batch_size=2000, commit=conn.commit)
        conn.commit()
        report.seconds["search index"] = time.perf_counter() - started
        seconds = report.seconds["search index"]
        echo(f"  {'(search index)':<26} {indexed:>10,} ideas {seconds:5.1f} s")
        started = time.perf_counter()
        _finish(conn, analyze)
        report.seconds["analyze"] = time.perf_counter() - started
        echo(f"  {'(analyze)':<26} {'':>10}      {report.seconds['analyze']:6.1f} s")


def _fast_load(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        # Only for this connection and this load: a crash mid-load means "seed again".
        raw = conn.connection.dbapi_connection
        raw.execute("PRAGMA synchronous=OFF")
        raw.execute("PRAGMA cache_size=-1048576")  # 1 GiB
        raw.execute("PRAGMA temp_store=MEMORY")
    else:
        conn.execute(text("SET LOCAL synchronous_commit TO OFF"))


def _insert_chunks(conn: Connection, table: Table, rows: Iterator[dict]) -> int:
    count = 0
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            conn.execute(insert(table), chunk)
            count += len(chunk)
            chunk = []
            if count % (10 * CHUNK) == 0:
                conn.commit()  # keeps the SQLite WAL (and PostgreSQL's undo) small
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SET LOCAL synchronous_commit TO OFF"))
    if chunk:
        conn.execute(insert(table), chunk)
        count += len(chunk)
    return count


def _finish(conn: Connection, analyze: bool) -> None:
    if conn.dialect.name == "postgresql":
        # Rows came with explicit ids: move each sequence past them, or the next insert fails.
        for table in db.metadata.sorted_tables:
            if "id" in table.c and table.c.id.primary_key:
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"
                    )
                )
        conn.commit()
        if analyze:
            autocommit = conn.execution_options(isolation_level="AUTOCOMMIT")
            autocommit.execute(text("VACUUM ANALYZE"))
    elif analyze:
        conn.execute(text("ANALYZE"))
        conn.commit()
        conn.connection.dbapi_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


BULK_TABLES = [
    Idea.__table__, idea_affected_departments, IdeaEvent.__table__, Vote.__table__,
    Comment.__table__, Commitment.__table__, CommitmentUpdate.__table__,
    Notification.__table__, Follow.__table__,
]  # fmt: skip


# --- the generator ---------------------------------------------------------------------------

FUNCTIONS = [
    "Customer Service", "Finance", "Human Resources", "IT", "Legal", "Marketing", "Operations",
    "Sales", "Procurement", "Logistics", "Facility Management", "Controlling", "Quality",
    "Research", "Communications", "Compliance", "Training", "Payroll", "Field Service",
    "Warehouse", "Product", "Data Protection", "Accounting", "Claims", "Billing",
]  # fmt: skip
SITES = ["Berlin", "Hamburg", "München", "Zürich", "Wien", "Köln", "Leipzig", "Basel"]
CATEGORIES = [
    ("Red tape", "Bürokratie"), ("Customer service", "Kundenservice"), ("Process", "Prozess"),
    ("Tools & IT", "Werkzeuge & IT"), ("Workplace", "Arbeitsplatz"), ("Other", "Sonstiges"),
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannah", "Ivan", "Jana",
    "Kemal", "Lea", "Mehmet", "Nina", "Oskar", "Paula", "Quentin", "Rosa", "Sven", "Tanja",
    "Ulrich", "Vera", "Wanda", "Xaver", "Yasmin", "Zoe", "Aylin", "Björn", "Chiara", "Dragan",
    "Emma", "Fatima", "Georg", "Hugo", "Ines", "Jonas", "Katarina", "Lukas", "Mia", "Noah",
]  # fmt: skip
LAST_NAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Yilmaz",
    "Kaya", "Novak", "Rossi", "Huber", "Gruber", "Keller", "Brunner", "Baumann", "Frei",
    "Costa", "Nowak", "Jensen", "Dubois", "Smith", "Brown", "García", "Kowalski", "Popescu",
]  # fmt: skip

# (thing, change) pairs per language; titles combine them, texts fill sentence templates.
TEXT = {
    "de": {
        "things": [
            "Reisekostenabrechnung",
            "Urlaubsanträge",
            "Bestellungen unter 500 Euro",
            "Kulanzgutschriften",
            "Zugangsanträge für Software",
            "Überstundenmeldungen",
            "Vertragsfreigaben",
            "Rechnungsprüfung",
            "Krankmeldungen",
            "Dienstwagenbuchung",
            "Besprechungsraumbuchung",
            "Onboarding neuer Kolleginnen",
            "Monatsbericht",
            "Lieferantenanlage",
            "Retourenbearbeitung",
            "Passwortrücksetzung",
            "Druckerbestellung",
            "Schichtplanung",
            "Spesenbelege",
            "Kundenbeschwerden",
        ],
        "changes": [
            "ein Formular statt drei",
            "Freigabe durch die Teamleitung",
            "ohne Ausdruck",
            "digital statt auf Papier",
            "ohne Rückfrage bis 100 Euro",
            "am selben Tag",
            "ohne zweite Unterschrift",
            "direkt im Portal",
            "einmal statt jeden Monat",
            "abschaffen, niemand liest ihn",
            "automatisch erinnern",
            "mit klarer Zuständigkeit",
        ],
        "problem": [
            "Für {thing} brauchen wir heute drei Unterschriften, oft aus einem anderen Standort.",
            "Jede {thing} wird ausgedruckt, unterschrieben, eingescannt und per Mail verschickt.",
            "Bei {thing} wartet die Kundin im Schnitt {days} Tage auf eine Antwort.",
            "Niemand weiß, wer bei {thing} entscheiden darf, also entscheidet niemand.",
            "Wir tragen dieselben Daten für {thing} in {n} verschiedene Systeme ein.",
            "Die Genehmigung für {thing} dauert länger als die eigentliche Arbeit.",
        ],
        "proposal": [
            "{thing}: {change}. Eine monatliche Stichprobe reicht als Kontrolle.",
            "Die Teamleitung entscheidet über {thing} selbst, bis zu einem festen Budget.",
            "Ein einziges Formular im Portal, das alle Schritte füttert: {change}.",
            "Drei Monate lang aussetzen und schauen, ob es jemand vermisst.",
            "Eine verantwortliche Person pro Prozessschritt, sichtbar für alle.",
        ],
        "benefit": [
            "Etwa {hours} Stunden pro Monat weniger Aufwand, schnellere Antworten für Kunden.",
            "Weniger Nachfragen, weniger Papier, zufriedenere Kolleginnen und Kollegen.",
            "Kundinnen und Kunden bekommen ihre Lösung im ersten Gespräch.",
        ],
        "comments": [
            "Das kenne ich aus dem Vertrieb genauso. **Unbedingt** ändern!",
            "Aus Sicht der Buchhaltung spricht nichts dagegen, solange es dokumentiert ist.",
            "Wir haben das im Lager schon ausprobiert:\n\n- weniger Fehler\n- schnellere Abläufe",
            "Gute Idee. Wer wäre dafür verantwortlich?",
            "Bitte auch an den Datenschutz denken, sonst gern.",
            "Letzte Woche hat uns genau das einen Kunden gekostet.",
            "Wir prüfen das gemeinsam mit der IT und melden uns bis Monatsende.",
        ],
    },
    "en": {
        "things": [
            "Travel expense reports",
            "Holiday requests",
            "Purchase orders under 500 euros",
            "Goodwill refunds",
            "Software access requests",
            "Overtime reports",
            "Contract approvals",
            "Invoice checks",
            "Sick notes",
            "Company car bookings",
            "Meeting room bookings",
            "Onboarding new colleagues",
            "The monthly report",
            "New supplier set-up",
            "Returns handling",
            "Password resets",
            "Printer orders",
            "Shift planning",
            "Expense receipts",
            "Customer complaints",
        ],
        "changes": [
            "one form instead of three",
            "approved by the team lead",
            "no printout needed",
            "online instead of on paper",
            "no questions asked up to 100 euros",
            "the same day",
            "without a second signature",
            "right in the portal",
            "once instead of monthly",
            "stop it, nobody reads it",
            "automatic reminders",
            "one clear owner",
        ],
        "problem": [
            "{thing} need three signatures today, often from another site.",
            "Every one of the {thing} is printed, signed, scanned and e-mailed.",
            "With {thing}, a customer waits {days} days for an answer on average.",
            "Nobody knows who may decide on {thing}, so nobody decides.",
            "We type the same data for {thing} into {n} different systems.",
            "Getting approval for {thing} takes longer than the work itself.",
        ],
        "proposal": [
            "{thing}: {change}. A monthly sample is enough as a check.",
            "Team leads decide on {thing} themselves, within a fixed budget.",
            "One form in the portal that feeds every step: {change}.",
            "Pause it for three months and see whether anyone misses it.",
            "One accountable person per process step, visible to everyone.",
        ],
        "benefit": [
            "About {hours} hours a month less effort, faster answers for customers.",
            "Fewer follow-up questions, less paper, happier colleagues.",
            "Customers get their problem solved in the first call.",
        ],
        "comments": [
            "Same in Sales. **Please** change this!",
            "From Finance: no objection, as long as it is documented.",
            "We tried this in the warehouse:\n\n- fewer mistakes\n- faster hand-offs",
            "Good idea. Who would own it?",
            "Please keep data protection in mind, otherwise yes.",
            "Last week exactly this cost us a customer.",
            "We are looking at this with IT and will answer by the end of the month.",
        ],
    },
}

# Share of ideas per status, and the path each status took from "new".
STATUS_MIX = [
    (IdeaStatus.NEW, 30), (IdeaStatus.IN_REVIEW, 15), (IdeaStatus.NEEDS_INFO, 3),
    (IdeaStatus.ACCEPTED, 10), (IdeaStatus.IN_PROGRESS, 7), (IdeaStatus.IMPLEMENTED, 15),
    (IdeaStatus.DECLINED, 12), (IdeaStatus.DUPLICATE, 4), (IdeaStatus.WITHDRAWN, 4),
]  # fmt: skip
PATHS = {
    IdeaStatus.NEW: [],
    IdeaStatus.IN_REVIEW: [IdeaStatus.IN_REVIEW],
    IdeaStatus.NEEDS_INFO: [IdeaStatus.IN_REVIEW, IdeaStatus.NEEDS_INFO],
    IdeaStatus.ACCEPTED: [IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED],
    IdeaStatus.IN_PROGRESS: [IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED, IdeaStatus.IN_PROGRESS],
    IdeaStatus.IMPLEMENTED: [
        IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED, IdeaStatus.IN_PROGRESS, IdeaStatus.IMPLEMENTED
    ],
    IdeaStatus.DECLINED: [IdeaStatus.IN_REVIEW, IdeaStatus.DECLINED],
    IdeaStatus.DUPLICATE: [IdeaStatus.DUPLICATE],
    IdeaStatus.WITHDRAWN: [IdeaStatus.WITHDRAWN],
}  # fmt: skip
COSTS = [150, 400, 900, 2_500, 6_000, 15_000, 60_000]
PROMISES = [
    "Wir stellen das Formular bis Quartalsende auf das Portal um.",
    "Die Teamleitungen bekommen ein eigenes Budget; Stichprobe monatlich.",
    "We pilot this with two teams and roll it out if it holds.",
    "We remove the second signature and review the effect after three months.",
]
UPDATES = [
    "Pilot läuft in zwei Teams, erste Rückmeldungen positiv.",
    "IT hat die Änderung eingeplant.",
    "Legal has signed off; rollout next month.",
    "Delayed: the supplier needs two more weeks.",
]
BROKEN_REASON = "Rechtlich doch nicht möglich. / Not possible under the retention rules."
NOTES = {
    IdeaStatus.IN_REVIEW: "Danke, wir schauen uns das an. / Thanks, we are looking into it.",
    IdeaStatus.NEEDS_INFO: "Wie viele Fälle pro Monat sind das? / How many cases a month?",
    IdeaStatus.DECLINED: "Rechtlich nicht möglich (Aufbewahrungspflicht). / Legally not possible.",
    IdeaStatus.IMPLEMENTED: "Seit Montag live. / Live since Monday.",
}


class _Generator:
    def __init__(self, plan: Plan, rng: random.Random):
        self.plan = plan
        self.rng = rng
        self.now = now().replace(microsecond=0)
        self.start = self.now - timedelta(days=HISTORY_DAYS)
        self.password_hash = hash_password(PASSWORD)
        self.heads: list[int] = []  # index: department id - 1
        self.vote_counts: list[int] = []
        self.comment_counts: list[int] = []
        self.created: list[datetime] = []
        # Accepted ideas: (idea id, department, accepted at, implemented at).
        self.promised: list[tuple[int, int, datetime, datetime | None]] = []
        self.events: list[tuple[int, datetime, int | None, list, bool, int]] = []
        # Big departments have more people and write more (Zipf-like, the largest ~12 %).
        self._department_ids = list(range(1, plan.departments + 1))
        self._department_weights = list(
            itertools.accumulate(1 / k**0.7 for k in self._department_ids)
        )

    def department_of(self, rng: random.Random) -> int:
        return rng.choices(self._department_ids, cum_weights=self._department_weights)[0]

    def steps(self):
        if self.plan.search_only:
            return [self.departments, self.categories, self.users, self.ideas, self.comments]
        return [
            self.departments,
            self.categories,
            self.users,
            self.ideas,
            self.votes,
            self.comments,
            self.commitments,
            self.notifications,
        ]

    # -- organisation

    def departments(self):
        names = [f"{f} {s}" for s in SITES for f in FUNCTIONS]
        if self.plan.departments > len(names):
            names += [f"Department {n}" for n in range(len(names), self.plan.departments)]
        rows = (
            {
                "id": i + 1,
                "name": names[i],
                "decision_budget": Decimal(self.rng.choice([500, 1000, 2000, 5000]))
                if i % 3
                else None,
                "created_at": self.start,
            }
            for i in range(self.plan.departments)
        )
        yield Department.__table__, rows

    def categories(self):
        rows = (
            {"id": i + 1, "name_en": en, "name_de": de, "position": i, "active": True}
            for i, (en, de) in enumerate(CATEGORIES)
        )
        yield Category.__table__, rows

    def users(self):
        plan, rng = self.plan, self.rng
        d = plan.departments
        self.heads = list(range(2, 2 + d))  # user 1 is the bench employee; then one head each

        def role_of(user_id: int) -> str:
            if user_id == 1:
                return Role.EMPLOYEE
            if user_id <= 1 + d:
                return Role.HEAD
            if user_id == 2 + d:
                return Role.ADMIN
            if user_id <= 7 + d:
                return Role.LEADER
            return Role.EMPLOYEE

        def rows():
            for user_id in range(1, plan.users + 1):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                if user_id == 1:
                    email = EMPLOYEE_EMAIL
                elif user_id == 2 + d:
                    email = ADMIN_EMAIL
                else:
                    email = f"{_ascii(first)}.{_ascii(last)}.{user_id}@bench.example"
                department = (
                    (user_id - 2) % d + 1 if 1 < user_id <= 1 + d else self.department_of(rng)
                )
                yield {
                    "id": user_id,
                    "email": email,
                    "display_name": f"{first} {last}",
                    "password_hash": self.password_hash,
                    "department_id": department if user_id != 2 + d else None,
                    "role": role_of(user_id),
                    "active": user_id <= 7 + d or rng.random() > 0.02,
                    "language": rng.choice(["de", "de", "de", "en", "en", None]),
                    "session_version": 0,
                    "created_at": self.start,
                    "last_login_at": None,
                }

        yield User.__table__, rows()
        heads = ({"department_id": i + 1, "user_id": h} for i, h in enumerate(self.heads))
        yield department_heads, heads

    # -- ideas and what hangs on them

    def ideas(self):
        plan, rng = self.plan, self.rng
        # Long tails, capped: at most half the staff vote for one idea, 300 comment on it.
        self.vote_counts = _spread(
            rng, plan.votes, plan.ideas, cap=max(1, plan.users // 2), alpha=1.3
        )
        self.comment_counts = _spread(
            rng,
            plan.comments,
            plan.ideas,
            cap=MAX_COMMENTS,
            alpha=1.6,
            hot=max(1, plan.ideas // 2000),
        )
        span = HISTORY_DAYS * 86400
        # ids grow with time, as they do in a real database
        offsets = sorted(rng.randrange(span) for _ in range(plan.ideas))
        self.created = [self.start + timedelta(seconds=s) for s in offsets]
        statuses = [s for s, _ in STATUS_MIX]
        weights = [w for _, w in STATUS_MIX]
        status_of = rng.choices(statuses, weights, k=plan.ideas)
        # (idea id, created, author, steps, anonymous, owning department), in id order
        events = self.events
        owners: list[int] = []
        promised = self.promised

        def idea_rows():
            for index in range(plan.ideas):
                idea_id = index + 1
                language = "de" if rng.random() < 0.6 else "en"
                words = TEXT[language]
                thing, change = rng.choice(words["things"]), rng.choice(words["changes"])
                fill = {
                    "thing": thing, "change": change, "days": rng.randint(2, 30),
                    "n": rng.randint(2, 5), "hours": rng.randint(5, 400),
                }  # fmt: skip
                created = self.created[index]
                status = status_of[index]
                author_roll = rng.random()
                author = None if author_roll < 0.01 else rng.randint(1, plan.users)
                if idea_id == 1:  # the bench employee always has an idea of their own
                    author, author_roll = 1, 0.5
                owner = self.department_of(rng)
                owners.append(owner)
                # The way the idea went, step by step, answered by its department's head.
                steps, moment = [], created
                for step in PATHS[status]:
                    moment = min(moment + timedelta(days=rng.randint(1, 10)), self.now)
                    actor = author if step == IdeaStatus.WITHDRAWN else self.heads[owner - 1]
                    steps.append((step, moment, actor))
                anonymous = 0.01 <= author_roll < 0.06
                events.append((idea_id, created, author, steps, anonymous, owner))
                at = {step: moment for step, moment, _ in steps}
                answered = [m for st, m, _ in steps if st != IdeaStatus.WITHDRAWN]
                decided = at.get(IdeaStatus.ACCEPTED) or at.get(IdeaStatus.DECLINED)
                implemented = at.get(IdeaStatus.IMPLEMENTED)
                if IdeaStatus.ACCEPTED in at:
                    promised.append((idea_id, owner, decided, implemented))
                costed = status not in (IdeaStatus.NEW, IdeaStatus.WITHDRAWN)
                problem = " ".join(
                    rng.choice(words["problem"]).format(**fill) for _ in range(rng.randint(2, 4))
                )
                proposal = rng.choice(words["proposal"]).format(**fill)
                benefit = rng.choice(words["benefit"]).format(**fill)
                yield {
                    "id": idea_id,
                    "title": f"{thing}: {change}"[:150],
                    "problem": problem,
                    "proposal": proposal,
                    "benefit": benefit,
                    # Core inserts pass the ORM by: the stored HTML as every writer makes it.
                    "problem_html": stored_markdown(problem),
                    "proposal_html": stored_markdown(proposal),
                    "benefit_html": stored_markdown(benefit),
                    "category_id": rng.randint(1, len(CATEGORIES)),
                    "author_id": author,
                    "owning_department_id": owner,
                    "is_anonymous": anonymous,
                    "customer_facing": rng.random() < 0.3,
                    "hours_lost_per_month": rng.randint(1, 300) if rng.random() < 0.6 else None,
                    "status": status,
                    "vote_count": self.vote_counts[index],
                    "comment_count": self.comment_counts[index],
                    "version": 1,
                    "created_at": created,
                    "updated_at": moment,
                    "status_changed_at": moment,
                    "estimated_cost": (
                        Decimal(rng.choice(COSTS)) if costed and rng.random() < 0.7 else None
                    ),
                    "first_response_at": answered[0] if answered else None,
                    "decided_at": decided,
                    "implemented_at": implemented,
                    "implemented_on": implemented.date() if implemented else None,
                    "change_summary": (
                        rng.choice(words["benefit"]).format(**fill) if implemented else None
                    ),
                    "done_by_empowerment": bool(implemented) and rng.random() < 0.05,
                    "duplicate_of_id": (
                        rng.randint(1, idea_id - 1)
                        if status == IdeaStatus.DUPLICATE and idea_id > 1
                        else None
                    ),
                }

        yield Idea.__table__, idea_rows()

        def affected_rows():
            d = plan.departments
            for index, owner in enumerate(owners):
                # the owning department is always among the affected ones
                affected = {owner, *rng.sample(range(1, d + 1), min(d, rng.choice([0, 0, 1, 2])))}
                for department_id in sorted(affected):
                    yield {"idea_id": index + 1, "department_id": department_id}

        yield idea_affected_departments, affected_rows()

        def event_rows():
            event_id = 0
            for idea_id, created, author, steps, _anonymous, _owner in events:
                event_id += 1
                yield {
                    "id": event_id, "idea_id": idea_id, "actor_id": author,
                    "kind": EventKind.SUBMITTED, "from_status": None,
                    "to_status": IdeaStatus.NEW, "note": None, "created_at": created,
                }  # fmt: skip
                previous = IdeaStatus.NEW
                for step, moment, actor in steps:
                    event_id += 1
                    yield {
                        "id": event_id, "idea_id": idea_id, "actor_id": actor,
                        "kind": EventKind.STATUS_CHANGED, "from_status": previous,
                        "to_status": step, "note": NOTES.get(step), "created_at": moment,
                    }  # fmt: skip
                    previous = step

        yield IdeaEvent.__table__, event_rows()

    def votes(self):
        plan, rng = self.plan, self.rng
        users = range(1, plan.users + 1)

        def rows():
            for index, count in enumerate(self.vote_counts):
                if not count:
                    continue
                created = self.created[index]
                age = max(1, int((self.now - created).total_seconds()))
                for user_id in sorted(rng.sample(users, count)):
                    yield {
                        "idea_id": index + 1,
                        "user_id": user_id,
                        "created_at": created + timedelta(seconds=rng.randrange(age)),
                    }

        yield Vote.__table__, rows()

    def _comment_stream(self):
        """(comment id, idea index, author, official, language, moment) for every comment, the
        same on every call: comments and the notifications about them read it in turn."""
        plan, rng = self.plan, random.Random(plan_seed(self.plan, "comments"))
        head_of = self.heads
        comment_id = 0
        for index, count in enumerate(self.comment_counts):
            if not count:
                continue
            created = self.created[index]
            age = max(60, int((self.now - created).total_seconds()))
            for moment in sorted(rng.randrange(age) for _ in range(count)):
                comment_id += 1
                official = rng.random() < 0.03
                author = head_of[rng.randrange(len(head_of))] if official else None
                if author is None:
                    author = None if rng.random() < 0.01 else rng.randint(1, plan.users)
                language = "de" if rng.random() < 0.6 else "en"
                body = rng.randrange(len(TEXT[language]["comments"]))
                yield (
                    comment_id,
                    index,
                    author,
                    official,
                    (language, body),
                    created + timedelta(seconds=moment),
                )

    def comments(self):
        def rows():
            for comment_id, index, author, official, (
                language,
                body,
            ), moment in self._comment_stream():
                yield {
                    "id": comment_id,
                    "idea_id": index + 1,
                    "author_id": author,
                    "body": TEXT[language]["comments"][body],
                    "body_html": stored_markdown(TEXT[language]["comments"][body]),
                    "is_official": official,
                    "official_marked_by_id": author if official else None,
                    "created_at": moment,
                }

        yield Comment.__table__, rows()

    def commitments(self):
        """A public promise for every accepted idea: kept (on time or late) once implemented,
        a few broken, the rest open (some overdue); progress updates by their owners."""
        rng = self.rng
        updates: list[tuple[int, int, datetime]] = []

        def rows():
            for number, (idea_id, department, accepted, implemented) in enumerate(
                self.promised, start=1
            ):
                owner = self.heads[department - 1]
                due = (accepted + timedelta(days=rng.randint(30, 120))).date()
                state, closed, delivered, reason = CommitmentState.OPEN, None, None, None
                if implemented:
                    delivered = implemented.date()
                    state = CommitmentState.KEPT if delivered <= due else CommitmentState.KEPT_LATE
                    closed = implemented
                elif rng.random() < 0.06:
                    state, reason = CommitmentState.BROKEN, BROKEN_REASON
                    closed = min(accepted + timedelta(days=rng.randint(20, 200)), self.now)
                for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
                    moment = min(accepted + timedelta(days=rng.randint(1, 90)), self.now)
                    updates.append((number, owner, moment))
                yield {
                    "id": number, "idea_id": idea_id, "department_id": department,
                    "owner_id": owner, "created_by_id": owner, "promise": rng.choice(PROMISES),
                    "due_on": due, "state": state, "created_at": accepted, "closed_at": closed,
                    "delivered_on": delivered, "close_reason": reason,
                }  # fmt: skip

        yield Commitment.__table__, rows()

        def update_rows():
            for number, (commitment_id, author, moment) in enumerate(updates, start=1):
                yield {
                    "id": number, "commitment_id": commitment_id, "author_id": author,
                    "body": rng.choice(UPDATES), "created_at": moment,
                }  # fmt: skip

        yield CommitmentUpdate.__table__, update_rows()

    def notifications(self):
        """What authors heard under the bell: every answer on their ideas and every comment
        by someone else; read after a few hours, except the last week's. Authors follow
        their ideas."""
        rng = random.Random(plan_seed(self.plan, "notifications"))
        week_ago = self.now - timedelta(days=7)

        def row(number, user, idea_id, kind, moment, owner, **fields):
            read = moment < week_ago or rng.random() < 0.3
            return {
                "id": number, "user_id": user, "idea_id": idea_id, "kind": kind,
                "comment_id": None, "event_id": None, "actor_id": None, "by_author": False,
                "to_status": None, "department_id": owner, "detail": None,
                "delivery": "in_app", "created_at": moment,
                "read_at": moment + timedelta(hours=rng.randint(1, 48)) if read else None,
                "digested_at": None, **fields,
            }  # fmt: skip

        def rows():
            number, event_id = 0, 0
            for idea_id, _created, author, steps, _anonymous, owner in self.events:
                event_id += 1  # submitted: nobody is told of their own idea
                for step, moment, actor in steps:
                    event_id += 1
                    if author is None or actor == author:
                        continue
                    number += 1
                    kind = "needs_info" if step == IdeaStatus.NEEDS_INFO else "status_changed"
                    yield row(
                        number, author, idea_id, kind, moment, owner, event_id=event_id,
                        actor_id=actor, to_status=step, detail=NOTES.get(step),
                    )  # fmt: skip
            for comment_id, index, commenter, official, _text, moment in self._comment_stream():
                idea_id, _created, author, _steps, _anonymous, owner = self.events[index]
                if author is None or commenter == author:
                    continue
                number += 1
                kind = "official_answer" if official else "comment"
                yield row(
                    number, author, idea_id, kind, moment, owner, comment_id=comment_id,
                    actor_id=commenter,
                )  # fmt: skip

        yield Notification.__table__, rows()
        follows = (
            {"idea_id": idea_id, "user_id": author, "following": True, "created_at": created}
            for idea_id, created, author, _steps, _anonymous, _owner in self.events
            if author is not None
        )
        yield Follow.__table__, follows


def plan_seed(plan: Plan, part: str) -> int:
    """A seed of its own for one part of the data, derived from the plan's seed."""
    return plan.seed * 1_000_003 + sum(ord(c) for c in part)


def _spread(
    rng: random.Random, total: int, n: int, *, cap: int | None, alpha: float, hot: int = 0
) -> list[int]:
    """Split ``total`` over ``n`` items with a long tail; each item at most ``cap``.

    ``hot`` items get 50 to 120 first (ideas with a full page of comments)."""
    counts = [0] * n
    if not n or not total:
        return counts
    remaining = total
    if hot:
        for index in rng.sample(range(n), min(hot, n)):
            take = min(remaining, rng.randint(50, 120))
            counts[index] = take
            remaining -= take
    weights = [rng.paretovariate(alpha) for _ in range(n)]
    scale = remaining / sum(weights)
    limit = cap if cap is not None else total
    for index, weight in enumerate(weights):
        add = min(int(weight * scale), limit - counts[index])
        counts[index] += add
        remaining -= add
    while remaining > 0:  # rounding and capping leftovers, one by one
        index = rng.randrange(n)
        if counts[index] < limit:
            counts[index] += 1
            remaining -= 1
    return counts


_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "í": "i"})


def _ascii(name: str) -> str:
    return name.lower().translate(_ASCII).encode("ascii", "ignore").decode()


def summary() -> dict[str, int]:
    """Row counts of the main tables (for the command's last line and for checks)."""
    counts = {}
    for model in (Department, User, Idea, Vote, Comment, IdeaEvent):
        counts[model.__tablename__] = db.session.scalar(
            select(func.count()).select_from(model.__table__)
        )
    return counts
