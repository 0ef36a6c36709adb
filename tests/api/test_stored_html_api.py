"""The API stores an idea's texts and a comment's body as cleaned HTML, as the pages do
(tests/ideas/test_stored_html.py)."""

from __future__ import annotations

from sqlalchemy import select

from suggestions.core.extensions import db
from suggestions.core.text import stored_markdown
from suggestions.ideas.models import Comment, Idea


def test_the_api_stores_the_cleaned_html(api_for, org):
    api = api_for(org.employee)
    created = api.post("/ideas", json={
        "title": "Stapler", "problem": "**Three** signatures", "proposal": "One.",
        "benefit": "Time.", "category": org.red_tape.id, "owning_department": org.service.id,
    })  # fmt: skip
    assert created.status_code == 201, created.get_data(as_text=True)
    idea = db.session.get(Idea, created.get_json()["id"])
    for source in ("problem", "proposal", "benefit"):
        assert getattr(idea, f"{source}_html") == stored_markdown(getattr(idea, source))
    assert idea.problem_html == "<p><strong>Three</strong> signatures</p>\n"
    answer = api_for(org.other_employee).post(
        f"/ideas/{idea.id}/comments", json={"body": "Me *too*."}
    )
    assert answer.status_code == 201, answer.get_data(as_text=True)
    body_html = db.session.scalar(select(Comment.body_html).where(Comment.idea_id == idea.id))
    assert body_html == "<p>Me <em>too</em>.</p>\n"
