"""Every main page issues a fixed number of SQL statements, whatever the database holds.

The same pages are read with a small and a larger data set (10 and 200 ideas, with votes,
comments and people to match); the counts must be equal (no N+1) and within the bound written
here. Counts come from the X-Query-Count header the BENCH setting adds (suggestions/bench.py).
"""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import delete, select, update

from suggestions.auth.models import Role, User
from suggestions.core.extensions import db
from suggestions.devtools import benchdata
from suggestions.ideas.models import Idea
from suggestions.workflow.models import Commitment

SMALL = benchdata.Plan(ideas=10, votes=10, comments=10, users=15, departments=3)
LARGE = benchdata.Plan(ideas=200, votes=2_000, comments=600, users=60, departments=12)

# page -> the most statements it may issue. Every page: the stamp of the rows kept per process
# (the signed-in person with their department, the organisation's and the decision settings
# come from there while it stands: core/kept.py; the bell's unread count too, while the
# person's own stamp, read in the same statement, stands). A head's idea
# page adds their departments and the decision panel's choices. A list reads its cards and
# their count in one statement. Lists and idea pages: +1 the pauses of the page's clocks in
# one query; idea pages +1 the breadth guarantee; the head's idea page +1 the decline reasons,
# +1 the scorecards.
BOUNDS = {
    "list top": 3,
    "list newest": 3,
    "list most discussed": 3,
    "list by status": 3,
    "list by department": 3,
    "list by category": 3,
    "list mine": 3,
    "list newest in a department": 3,
    "list page 2 by number": 3,
    "list next page (keyset)": 3,
    "search": 3,
    # Who decides an idea (does its department have an acting head?) and whether the viewer
    # follows it come with the idea's own row. Each idea page asks which ledger items it names
    # (one query; more only for accepted ideas); a head also reads the internal notes
    # (governance).
    "idea with most comments": 9,
    "idea, second comment page": 9,
    "idea as the owning department's head": 15,
    "submit form": 1,
    "account": 1,
    "notifications": 2,
    "commitments": 4,
    "vote (htmx)": 5,  # the voter now follows the idea (a savepoint, an insert)
    "admin users": 3,
    "admin departments": 3,
    "admin categories": 2,
    # The dashboard: every figure worked out (once per scope and few minutes), then read back
    # (when the figures were made, and this server already holds them).
    # Two more for the ledger's part: hours per department and red tape removed (grouped).
    "dashboard, figures worked out": 24,
    "dashboard, figures kept": 5,
}


@pytest.fixture
def config_overrides():
    # Small pages, so even the small set has a second page of ideas and of comments.
    return {"BENCH": True, "IDEAS_PER_PAGE": 4, "COMMENTS_PER_PAGE": 5}


def _queries(response) -> int:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return int(response.headers["X-Query-Count"])


def _next_link(page: str) -> str:
    return html.unescape(re.search(r'<a href="([^"]+)" rel="next"', page).group(1))


def _measure(app, new_browser, plan: benchdata.Plan) -> dict[str, int]:
    benchdata.empty_database()
    benchdata.seed(plan, echo=lambda _: None, analyze=False)
    first = db.session.get(Idea, 1)
    busiest = db.session.scalar(select(Idea).order_by(Idea.comment_count.desc()).limit(1))
    # What the decision panel shows depends on the idea's state (actions, commitments): the
    # page is read in the same state in both data sets, a new idea waiting for an answer.
    db.session.execute(delete(Commitment).where(Commitment.idea_id == busiest.id))
    db.session.execute(
        update(Idea)
        .where(Idea.id == busiest.id)
        .values(status="new", first_response_at=None, decided_at=None, implemented_at=None,
                implemented_on=None, duplicate_of_id=None, estimated_cost=None)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    db.session.commit()
    db.session.refresh(busiest)
    head = db.session.scalar(
        select(User).where(
            User.role == Role.HEAD, User.department_id == busiest.owning_department_id
        )
    )
    employee = benchdata.EMPLOYEE_EMAIL
    counts: dict[str, int] = {}

    browser = new_browser()
    browser.login(User(email=employee), password=benchdata.PASSWORD)
    pages = {
        "list top": "/ideas",
        "list newest": "/ideas?sort=new",
        "list most discussed": "/ideas?sort=discussed",
        "list by status": f"/ideas?status={first.status}",
        "list by department": f"/ideas?department={first.owning_department_id}",
        "list by category": f"/ideas?category={first.category_id}",
        "list mine": "/ideas?mine=1",
        "list newest in a department": f"/ideas?sort=new&department={first.owning_department_id}",
        "list page 2 by number": "/ideas?page=2",
        "idea with most comments": f"/ideas/{busiest.id}",
        "idea, second comment page": f"/ideas/{busiest.id}?comments=2",
        "submit form": "/ideas/new",
        "account": "/account",
        "search": "/ideas?q=Formular",
        "notifications": "/notifications",
        "commitments": "/commitments",
    }
    for name, url in pages.items():
        counts[name] = _queries(browser.get(url))
    open_idea = db.session.scalar(select(Idea.id).where(Idea.status == "new").limit(1))
    vote_url, htmx = f"/ideas/{open_idea}/vote", {"HX-Request": "true"}
    browser.post(vote_url, {"vote": "remove"}, headers=htmx)
    counts["vote (htmx)"] = _queries(browser.post(vote_url, {"vote": "add"}, headers=htmx))
    top = browser.get("/ideas").get_data(as_text=True)
    counts["list next page (keyset)"] = _queries(browser.get(_next_link(top)))

    head_browser = new_browser()
    head_browser.login(head, password=benchdata.PASSWORD)
    counts["idea as the owning department's head"] = _queries(
        head_browser.get(f"/ideas/{busiest.id}")
    )

    leader = new_browser()
    leader.login(
        db.session.scalar(select(User).where(User.role == Role.LEADER).limit(1)),
        password=benchdata.PASSWORD,
    )
    counts["dashboard, figures worked out"] = _queries(leader.get("/insights"))
    counts["dashboard, figures kept"] = _queries(leader.get("/insights"))

    admin = new_browser()
    admin.login(User(email=benchdata.ADMIN_EMAIL), password=benchdata.PASSWORD)
    for name, url in {
        "admin users": "/admin/users",
        "admin departments": "/admin/departments",
        "admin categories": "/admin/categories",
    }.items():
        counts[name] = _queries(admin.get(url))
    return counts


def test_pages_cost_the_same_number_of_queries_at_any_size(app, new_browser):
    small = _measure(app, new_browser, SMALL)
    large = _measure(app, new_browser, LARGE)
    assert db.session.scalar(select(db.func.count()).select_from(Idea)) == LARGE.ideas
    assert small == large, {k: (small[k], large[k]) for k in small if small[k] != large[k]}
    over = {page: count for page, count in large.items() if count > BOUNDS[page]}
    assert not over, f"more queries than the bound: {over} (bounds: {BOUNDS})"
    assert set(large) == set(BOUNDS)


def test_the_header_counts_each_statement_of_the_request(app, browser, org):
    browser.login(org.employee)
    response = browser.get("/bench/ceiling")
    # the signed-in person, then the 20 rows: two statements, BEGIN not counted
    assert _queries(response) == 2


def test_without_the_bench_setting_there_is_no_header_and_no_ceiling(database_url):
    from suggestions import create_app

    from ..conftest import _test_config

    plain = create_app(_test_config(database_url))
    assert "/bench/ceiling" not in {rule.rule for rule in plain.url_map.iter_rules()}
    with plain.test_client() as client:
        response = client.get("/healthz")
    assert "X-Query-Count" not in response.headers
