"""The anonymity crawl, through the API: no response names, mails or identifies the author of
an anonymous idea, for a token of any role. Uses the page crawl's fixture (the same ideas,
through the whole decision loop)."""

from __future__ import annotations

import pytest

from suggestions.core.extensions import db
from suggestions.ideas import rules

from ..test_anonymity import SECRET_EMAIL, SECRET_NAME, anonymous_idea  # noqa: F401


def api_urls(org, idea, named):
    for sort in ("top", "new", "discussed"):
        yield f"/ideas?sort={sort}&limit=100"
    yield f"/ideas?department={org.service.id}"
    yield "/ideas?status=withdrawn"
    yield "/ideas?mine=1"
    yield "/ideas?overdue=1"
    yield "/ideas?q=anonymous"
    for idea_id in range(idea.id, named.id + 1):
        yield f"/ideas/{idea_id}"
        yield f"/ideas/{idea_id}/comments"
    yield "/commitments"
    yield "/commitments/1"
    yield "/notifications"
    yield "/me"


def people_in(value):
    """Every person-shaped object in a JSON document (id, name and department)."""
    if isinstance(value, dict):
        if {"id", "name", "department"} <= value.keys():
            yield value
        for item in value.values():
            yield from people_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from people_in(item)


@pytest.mark.parametrize("role", ["employee", "head", "other_head", "leader", "admin"])
def test_no_api_response_reveals_the_anonymous_author(org, anonymous_idea, api_for, role):  # noqa: F811
    author, idea, named = anonymous_idea
    # The author's own comment on their (still open) anonymous idea.
    open_one = db.session.get(type(idea), idea.id + 1)
    rules.add_comment(open_one, author, "The author adds a detail.")
    db.session.commit()
    api = api_for(getattr(org, role))
    read = 0
    for url in api_urls(org, idea, named):
        response = api.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        text = response.get_data(as_text=True)
        assert SECRET_NAME not in text, url
        assert SECRET_EMAIL not in text, url
        assert all(person["id"] != author.id for person in people_in(response.json)), url
        read += response.status_code == 200
    assert read > 20
    comments = api.get(f"/ideas/{open_one.id}/comments").json["items"]
    assert comments[-1]["author"] == {"id": None, "name": "The author", "department": None}


def test_the_author_sees_it_is_theirs(org, anonymous_idea, api_for):  # noqa: F811
    author, idea, _named = anonymous_idea
    api = api_for(author)
    shown = api.get(f"/ideas/{idea.id}").json
    assert shown["author"]["name"] == SECRET_NAME and shown["anonymous"] is True
    assert idea.id in [i["id"] for i in api.get("/ideas?mine=1&status=withdrawn").json["items"]]
