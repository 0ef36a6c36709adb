"""What the benchmark measures: one entry per scenario.

An entry names the scenario, its method, its path (or a function of the context that finds
one in the data set), the form bodies a POST sends in turn, the URL rule it needs and who is
signed in. A scenario whose rule is not in the application's url_map is reported as "not
built yet" instead of measured, so the list can name pages that are still being written.

``scale=True`` puts a scenario on the scale curve (10,000 / 100,000 / 1,000,000 ideas).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class Context:
    """What a path factory may ask: SQL on the bench database, and pages as the signed-in
    bench employee sees them."""

    def __init__(self, scalar: Callable[[str], Any], get: Callable[[str], str]):
        self.scalar = scalar
        self.get = get

    def next_link(self, path: str) -> str:
        """The pager's "next" link on a page, as a person would click it."""
        match = re.search(r'<a href="([^"]+)" rel="next"', self.get(path))
        if not match:
            raise LookupError(f"no next link on {path}")
        return html.unescape(match.group(1))


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    path: str | Callable[[Context], str]
    form: list[dict] | None = None  # POST bodies, sent in turn (the CSRF token is added)
    needs: str | None = None  # a URL rule; missing from url_map: "not built yet"
    headers: dict[str, str] = field(default_factory=dict)
    scale: bool = False
    key: str = ""  # short name used by the targets
    role: str = "employee"  # who is signed in: employee, head, leader or admin
    connections: int | None = None  # None: the run's --connections

    def resolve(self, ctx: Context) -> str:
        return self.path(ctx) if callable(self.path) else self.path


def _idea_with_comments(ctx: Context) -> str:
    # An idea with a full first page of comments (50), the middle one of those by id.
    idea = ctx.scalar(
        "SELECT id FROM ideas WHERE comment_count BETWEEN 50 AND 120 "
        "AND status NOT IN ('withdrawn', 'duplicate') ORDER BY id LIMIT 1 OFFSET "
        "(SELECT COUNT(*) / 2 FROM ideas WHERE comment_count BETWEEN 50 AND 120 "
        "AND status NOT IN ('withdrawn', 'duplicate'))"
    )
    return f"/ideas/{idea}"


def _most_discussed(ctx: Context) -> str:
    # The idea with the most comments (300 in the 100,000 set): its page shows the first 50.
    idea = ctx.scalar(
        "SELECT id FROM ideas WHERE status NOT IN ('withdrawn', 'duplicate') "
        "ORDER BY comment_count DESC, id LIMIT 1"
    )
    return f"/ideas/{idea}"


def _latest_comment_link(ctx: Context) -> str:
    # A link to that idea's newest comment (from a notification or a mail): its last page.
    path = _most_discussed(ctx)
    idea = int(path.rsplit("/", 1)[1])
    comment = ctx.scalar(f"SELECT MAX(id) FROM comments WHERE idea_id = {idea}")
    return f"{path}?comment={comment}"


def _vote_idea(ctx: Context) -> str:
    idea = ctx.scalar(
        "SELECT id FROM ideas WHERE status IN ('new', 'in_review') "
        "ORDER BY vote_count DESC, id DESC LIMIT 1"
    )
    return f"/ideas/{idea}/vote"


def _comment_idea(ctx: Context) -> str:
    return _vote_idea(ctx).removesuffix("/vote") + "/comments"


def _busy_department(ctx: Context) -> str:
    department = ctx.scalar(
        "SELECT owning_department_id FROM ideas GROUP BY owning_department_id "
        "ORDER BY COUNT(*) DESC LIMIT 1"
    )
    return f"/ideas?sort=new&department={department}"


SCENARIOS: list[Scenario] = [
    Scenario("ceiling: 20 rows through Jinja", "GET", "/bench/ceiling", key="ceiling"),
    Scenario("list top, page 1", "GET", "/ideas", scale=True, key="list"),
    # Row 50,000 reached as a person does: the "next" link of page 2,500 (keyset).
    Scenario(
        "list top, deep page (next link at row 50,000)",
        "GET",
        lambda ctx: ctx.next_link("/ideas?page=2500"),
        key="deep",
    ),  # fmt: skip
    # The same rows asked for by page number: OFFSET 50,000 in the covering index.
    Scenario("list top, page 2,501 by number", "GET", "/ideas?page=2501", key="deep_offset"),
    Scenario("list newest, filtered by department", "GET", _busy_department, key="department"),
    Scenario("idea page with 50 comments", "GET", _idea_with_comments, scale=True, key="idea"),
    Scenario(
        "idea page, the most comments (first 50 shown)", "GET", _most_discussed, key="idea_most"
    ),  # fmt: skip
    Scenario(
        "link to its newest comment (last page)", "GET", _latest_comment_link, key="idea_latest"
    ),  # fmt: skip
    Scenario(
        "vote toggle (htmx POST, add/remove)",
        "POST",
        _vote_idea,
        form=[{"vote": "add"}, {"vote": "remove"}],
        headers={"HX-Request": "true"},
        key="vote",
    ),  # fmt: skip
    # Concurrent writes on SQLite: the write lock is held only from the first write to the
    # commit, and a lock still taken after busy_timeout is tried again. The target: no 5xx.
    Scenario(
        "vote toggle, 32 connections at once",
        "POST",
        _vote_idea,
        form=[{"vote": "add"}, {"vote": "remove"}],
        headers={"HX-Request": "true"},
        key="write_votes",
        connections=32,
    ),  # fmt: skip
    Scenario(
        "comment post, 16 connections at once (302 to the page)",
        "POST",
        _comment_idea,
        form=[{"body": "Same here: the form takes longer than the trip."}],
        key="write_comments",
        connections=16,
    ),  # fmt: skip
    Scenario("submit form (GET)", "GET", "/ideas/new", key="submit"),
    Scenario("account page", "GET", "/account", key="account"),
    # Full-text search on the list (German and English stems), best match first.
    Scenario("search", "GET", "/ideas?q=Formular+Freigabe", scale=True, key="search"),
    Scenario("commitments page", "GET", "/commitments", needs="/commitments", key="commitments"),
    Scenario(
        "dashboard (leadership)",
        "GET",
        "/insights",
        needs="/insights",
        key="dashboard",
        role="leader",
    ),  # fmt: skip
    Scenario(
        "notifications page", "GET", "/notifications", needs="/notifications", key="notifications"
    ),  # fmt: skip
]
