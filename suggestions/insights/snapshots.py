"""The dashboard's figures, worked out once per scope and kept for a few minutes.

Working the figures out reads a quarter's votes, comments and ideas (about a second with
100,000 ideas); reading them back costs a few milliseconds. So the figures of a *scope* (the
range, the departments in view, the settings they depend on) are kept in the database as JSON
for ``INSIGHTS_CACHE_SECONDS`` (default 300; 0 turns this off), and every reader of that
scope gets the same figures with the time they were worked out ("as of 14:05").

- **Scopes never mix.** The key is the scope itself: the whole organisation, or exactly the
  departments a head sees (or the one department chosen). A head's figures are only ever
  read by a request of the same scope. What is kept is data only (numbers, names, titles):
  labels and formats are applied when the page is drawn, in the reader's language.
- **One computation per scope**, however many read at once, on any number of app servers:
  whoever finds the figures missing or stale claims the refresh with a conditional UPDATE
  (a lease of ``LEASE_SECONDS``, in case a server dies while computing). The others meanwhile
  show the figures they have, a little older; only when there are none yet do they wait up to
  ``WAIT_SECONDS`` for the first ones (then they work them out themselves).
- Writes use their own short transaction, never the request's: a page view stays a reader.
  Reads use the request's transaction. Called from page views (GET requests).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache
from threading import Lock
from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from flask import current_app
from sqlalchemy import Engine, create_engine, delete, or_, select, update
from sqlalchemy.pool import NullPool

from ..core.database import insert_ignoring_duplicates
from ..core.extensions import db
from ..core.registry import contributions
from ..org.models import OrgSettings
from . import metrics
from .models import FiguresSnapshot

LEASE_SECONDS = 120  # a computation that takes longer may be started a second time
WAIT_SECONDS = 10.0  # how long a reader waits for the very first figures of a scope
POLL_SECONDS = 0.1
KEEP = timedelta(days=2)  # snapshots older than this are deleted when a new one is stored
# Part of every key: change it when the figures' dataclasses change, and older snapshots
# are simply not found again.
FORMAT = 1

_table = FiguresSnapshot.__table__


@dataclass
class Figures:
    """The dashboard's figures and the moment they were worked out."""

    dashboard: metrics.Dashboard
    as_of: datetime
    cached: bool  # read back (True) or worked out for this request (False)
    key: str | None = None  # the scope's key (None: not kept)

    @property
    def version(self) -> tuple[str, datetime] | None:
        """Names these very figures: the same on every server that reads them."""
        return (self.key, self.as_of) if self.key else None


class Recent:
    """The last few values per process, for things that never change once made (keyed by
    what they were made from). Safe for a server's threads."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def recent(name: str, size: int = 32) -> Recent:
    """This application's memo called ``name`` (one per app: tests make many apps)."""
    memos = current_app.extensions.setdefault("insights_recent", {})
    if name not in memos:
        memos[name] = Recent(size)
    return memos[name]


def cache_seconds() -> int:
    return int(current_app.config["INSIGHTS_CACHE_SECONDS"])


def scope_key(scope: metrics.Scope, settings: OrgSettings) -> str:
    """Everything the figures depend on besides the data: range, departments, settings."""
    departments = (
        "all" if scope.department_ids is None else ",".join(map(str, sorted(scope.department_ids)))
    )
    parts = [
        FORMAT, scope.start.isoformat(), scope.end.isoformat(), departments,
        settings.first_response_days, settings.decision_days, metrics.min_group_size(),
        metrics.MAX_RANKED_VALUES,
    ]  # fmt: skip
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def dashboard_figures(scope: metrics.Scope, settings: OrgSettings) -> Figures:
    """The figures of the scope: kept ones if fresh enough, else worked out (by one request
    per scope at a time; see the module's docstring)."""
    seconds = cache_seconds()
    if seconds <= 0:
        return Figures(metrics.dashboard(scope, settings), scope.at, cached=False)
    key = scope_key(scope, settings)
    at = scope.at
    fresh_after = at - timedelta(seconds=seconds)
    kept = _read(key)
    if kept is not None and _fresh(kept, fresh_after, at):
        return _load(key, scope, kept)
    if _claim(key, at, fresh_after, exists=kept is not None):
        return _compute_and_keep(key, scope, settings)
    if kept is not None and kept.has_figures and kept.computed_at <= at:
        return _load(key, scope, kept)  # someone is refreshing them: these meanwhile
    # Nobody has any figures of this scope yet, and someone is working them out: wait.
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        kept = _read(key, latest=True)
        if kept is not None and kept.has_figures and kept.computed_at <= at:
            return _load(key, scope, kept, latest=True)
    return Figures(metrics.dashboard(scope, settings), at, cached=False)


@dataclass
class _Kept:
    computed_at: datetime | None
    has_figures: bool


def _read(key: str, *, latest: bool = False) -> _Kept | None:
    """When the scope's figures were worked out (not the figures: this server may have read
    them already)."""
    row = _first(
        select(_table.c.computed_at, _table.c.figures.is_not(None)).where(_table.c.key == key),
        latest=latest,
    )
    return _Kept(row[0], bool(row[1])) if row is not None else None


def _first(query, *, latest: bool):
    """The first row, read in the request's own transaction (no second connection per view).
    ``latest``: what others stored meanwhile must be seen (while waiting for their figures).
    PostgreSQL shows each statement what is committed; SQLite shows a transaction the
    database as it was when it began, so there the row is read outside it."""
    if not latest or db.session.get_bind().dialect.name != "sqlite":
        return db.session.execute(query).first()
    with _side_engine().connect() as conn:
        row = conn.execute(query).first()
        conn.rollback()
    return row


def _side_engine() -> Engine:
    """Connections outside the request's transaction, for the short writes that others must
    see at once (the lease, the figures). Not from the application's pool: a request already
    holds a connection of that pool, and threads waiting there for a second one could block
    each other. Opened rarely (a few times per scope and refresh)."""
    engine = current_app.extensions.get("insights_side_engine")
    if engine is None:
        engine = create_engine(db.engine.url, poolclass=NullPool)
        for told in contributions("engine.created"):
            told(engine)  # e.g. the bench's X-Query-Count counts every statement
        current_app.extensions["insights_side_engine"] = engine
    return engine


def _fresh(kept: _Kept, fresh_after: datetime, at: datetime) -> bool:
    # Figures "from the future" (a clock moved back, as tests do) count as stale.
    return kept.has_figures and fresh_after < kept.computed_at <= at


def _load(key: str, scope: metrics.Scope, kept: _Kept, *, latest: bool = False) -> Figures:
    """The kept figures: from this process's memory if it read them before, else from the
    database (once per server and refresh)."""
    memo = recent("figures")
    computed_at = kept.computed_at
    dashboard = memo.get((key, computed_at))
    if dashboard is None:
        text, computed_at = _first(
            select(_table.c.figures, _table.c.computed_at).where(_table.c.key == key),
            latest=latest,
        )  # perhaps newer than a moment ago: never older
        # The scope is the request's (the key says it is the same), with the figures' "now".
        dashboard = decode(text, replace(scope, at=computed_at))
        memo.put((key, computed_at), dashboard)
    return Figures(dashboard, computed_at, cached=True, key=key)


def _claim(key: str, at: datetime, fresh_after: datetime, *, exists: bool) -> bool:
    """Take the lease on refreshing the scope's figures; False if someone else holds it or
    fresh figures arrived meanwhile."""
    until = at + timedelta(seconds=LEASE_SECONDS)
    with _side_engine().begin() as conn:  # the write comes first: it waits its turn (busy_timeout)
        if not exists:
            inserted = conn.execute(
                insert_ignoring_duplicates(_table)
                .values(key=key, refreshing_until=until)
                .returning(_table.c.key)  # a row back: ours (rowcount says -1 on psycopg)
            ).first()
            if inserted is not None:
                return True
        claimed = conn.execute(
            update(_table)
            .where(
                _table.c.key == key,
                or_(_table.c.refreshing_until.is_(None), _table.c.refreshing_until <= at),
                or_(
                    _table.c.computed_at.is_(None),
                    _table.c.computed_at <= fresh_after,
                    _table.c.computed_at > at,
                ),
            )
            .values(refreshing_until=until)
        )
        return claimed.rowcount == 1


def _compute_and_keep(key: str, scope: metrics.Scope, settings: OrgSettings) -> Figures:
    try:
        dashboard = metrics.dashboard(scope, settings)
    except BaseException:
        with _side_engine().begin() as conn:  # let the next reader try at once
            conn.execute(update(_table).where(_table.c.key == key).values(refreshing_until=None))
        raise
    at = scope.at
    with _side_engine().begin() as conn:
        conn.execute(
            update(_table)
            .where(
                _table.c.key == key,
                # A computation that outlived its lease never replaces newer figures.
                or_(_table.c.computed_at.is_(None), _table.c.computed_at < at),
            )
            .values(figures=encode(dashboard), computed_at=at, refreshing_until=None)
        )
        conn.execute(
            delete(_table).where(
                or_(
                    _table.c.computed_at < at - KEEP,
                    _table.c.computed_at.is_(None) & (_table.c.refreshing_until < at - KEEP),
                )
            )
        )
    recent("figures").put((key, at), dashboard)
    return Figures(dashboard, at, cached=False, key=key)


# -- JSON, both ways: plain data only, read back by the dataclasses' type hints ---------------


def encode(dashboard: metrics.Dashboard) -> str:
    data = _plain(dashboard)
    del data["scope"]  # part of the key
    return json.dumps(data, separators=(",", ":"))


def decode(text: str, scope: metrics.Scope) -> metrics.Dashboard:
    hints = _hints(metrics.Dashboard)
    data = json.loads(text)
    return metrics.Dashboard(
        scope=scope, **{name: _typed(hints[name], value) for name, value in data.items()}
    )


@cache
def _hints(kind: type) -> dict[str, Any]:
    return get_type_hints(kind)


def _plain(value: Any) -> Any:
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):  # keys may be numbers or None: kept as pairs, in order
        return [[_plain(k), _plain(v)] for k, v in value.items()]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _typed(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    origin, args = get_origin(kind), get_args(kind)
    if origin in (Union, UnionType):
        (kind,) = [a for a in args if a is not NoneType]
        return _typed(kind, value)
    if is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{f.name: _typed(hints[f.name], value[f.name]) for f in fields(kind)})
    if origin is dict:
        return {_typed(args[0], k): _typed(args[1], v) for k, v in value}
    if origin is list:
        return [_typed(args[0], v) for v in value]
    if origin is tuple:
        return tuple(_typed(a, v) for a, v in zip(args, value, strict=True))
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is float:
        return float(value)
    return value
