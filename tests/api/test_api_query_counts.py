"""The API's idea list costs a fixed number of statements, whatever the database holds."""

from __future__ import annotations

from sqlalchemy import event

from suggestions.core.extensions import db
from suggestions.ideas import rules

from .. import factories

BOUND = 4  # the token with its person, the clocks' settings, the count, the page with votes


def _statements(api, url: str) -> int:
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = api.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(seen)


def _add_ideas(org, n: int) -> None:
    people = [factories.make_user(department=org.sales) for _ in range(3)]
    for i in range(n):
        author = people[i % 3]
        idea = factories.make_idea(author, department=org.service, category=org.red_tape)
        rules.set_vote(idea, org.employee, True)
        rules.add_comment(idea, org.other_employee, "Yes")
    db.session.commit()


def test_the_list_costs_the_same_with_more_ideas(org, api_for):
    api = api_for(org.employee)
    urls = ["/ideas?limit=50", "/ideas?sort=new&limit=2", "/ideas?status=new&sort=discussed"]
    _add_ideas(org, 3)
    api.get("/me")  # the token's "last used" is written at most once a minute: done here
    small = {url: _statements(api, url) for url in urls}
    _add_ideas(org, 30)
    large = {url: _statements(api, url) for url in urls}
    assert small == large
    assert max(large.values()) <= BOUND, large
    cursor = api.get("/ideas?sort=new&limit=2").json["next_cursor"]
    assert _statements(api, f"/ideas?sort=new&limit=2&cursor={cursor}") == large[urls[1]]
