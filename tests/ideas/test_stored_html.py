"""Markdown rendered when written: an idea's texts and a comment's body are stored as the
cleaned HTML ``core.text.stored_markdown`` makes of them, by every writer, and pages show what
is stored (a row without it is rendered when shown)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from suggestions.core.extensions import db
from suggestions.core.text import stored_markdown
from suggestions.devtools import benchdata
from suggestions.governance import moderation
from suggestions.ideas import rules
from suggestions.ideas.models import Comment, Idea

from ..factories import make_idea

IDEA_TEXTS = (("problem", "problem_html"), ("proposal", "proposal_html"),
              ("benefit", "benefit_html"))  # fmt: skip


def _stored_as_written(idea: Idea) -> None:
    for source, html in IDEA_TEXTS:
        assert getattr(idea, html) == stored_markdown(getattr(idea, source)), source


def test_submit_edit_and_comments_store_the_cleaned_html(org):
    idea = make_idea(org.employee, department=org.service, problem="**Three** signatures")
    assert idea.problem_html == "<p><strong>Three</strong> signatures</p>\n"
    _stored_as_written(idea)

    text = rules.IdeaText(
        title=idea.title, problem="Now *two*.", proposal="Ask <script>x()</script> once.",
        benefit="[ok](javascript:alert(1))", category=idea.category,
        owning_department=idea.owning_department, affected_departments=[],
    )  # fmt: skip
    rules.edit_idea(idea, org.employee, text)
    db.session.commit()
    db.session.expire_all()
    assert idea.problem_html == "<p>Now <em>two</em>.</p>\n"
    assert "<script" not in idea.proposal_html and "&lt;script&gt;" in idea.proposal_html
    assert "href" not in idea.benefit_html  # no javascript: link, the text shown as typed
    _stored_as_written(idea)

    comment = rules.add_comment(idea, org.other_employee, "Call **Otto**.")
    db.session.commit()
    assert comment.body_html == "<p>Call <strong>Otto</strong>.</p>\n"
    moderation.hide(org.admin, idea, comment, "personal_data")
    moderation.edit_hidden_comment(org.other_employee, idea, comment, "Call _the hotline_.")
    db.session.commit()
    db.session.expire_all()
    assert comment.body_html == "<p>Call <em>the hotline</em>.</p>\n"


def test_the_bench_seeder_stores_the_cleaned_html(app):
    plan = benchdata.Plan(ideas=8, votes=8, comments=20, users=10, departments=2)
    benchdata.empty_database()
    benchdata.seed(plan, echo=lambda _: None, analyze=False)
    ideas = db.session.scalars(select(Idea)).all()
    assert len(ideas) == 8
    for idea in ideas:
        _stored_as_written(idea)
    comments = db.session.scalars(select(Comment)).all()
    assert comments and all(c.body_html == stored_markdown(c.body) for c in comments)


@pytest.mark.demo
def test_the_demo_stores_the_cleaned_html(app):
    for idea in db.session.scalars(select(Idea)):
        _stored_as_written(idea)
    for comment in db.session.scalars(select(Comment)):
        assert comment.body_html == stored_markdown(comment.body)


def test_the_page_shows_the_stored_html_and_renders_rows_without_it(browser, org):
    idea = make_idea(org.employee, department=org.service, problem="**Rendered** now")
    comment = rules.add_comment(idea, org.other_employee, "A _comment_.")
    db.session.commit()
    # What is stored is what is shown (never rendered again from the source)...
    db.session.execute(
        update(Idea).where(Idea.id == idea.id).values(problem_html="<p>as stored</p>")
    )
    db.session.execute(
        update(Comment).where(Comment.id == comment.id).values(body_html="<p>stored too</p>")
    )
    db.session.commit()
    browser.login(org.employee)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "<p>as stored</p>" in page and "<strong>Rendered</strong>" not in page
    assert "<p>stored too</p>" in page and "<em>comment</em>" not in page
    # ...and a row from before (no stored HTML) is rendered when shown, cleaned the same way.
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(problem_html=None))
    db.session.execute(update(Comment).where(Comment.id == comment.id).values(body_html=None))
    db.session.commit()
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "<p><strong>Rendered</strong> now</p>" in page and "<p>A <em>comment</em>.</p>" in page
