"""Ideas through the pages: submit, validate, list, read, vote, comment."""

import re

import pytest
from sqlalchemy import func, select

from suggestions.core.extensions import db
from suggestions.ideas.models import Comment, Idea, IdeaVersion, Vote

from ..factories import make_category, make_idea


def form_for(org, **changes):
    data = {
        "title": "Refunds up to 100 francs on the spot",
        "problem": "I paid 50 francs out of my own pocket.",
        "proposal": "Give agents a budget per case.",
        "benefit": "Customers get help in one call.",
        "category": str(org.red_tape.id),
        "owning_department": str(org.service.id),
        "affected_departments": [str(org.sales.id)],
        "hours_lost_per_month": "40",
        "customer_facing": "y",
    }
    return data | changes


def test_submit_an_idea_and_land_on_its_page(browser, org):
    browser.login(org.employee)
    response = browser.post("/ideas/new", form_for(org))
    assert response.status_code == 302
    idea = db.session.scalars(select(Idea)).one()
    assert response.location == f"/ideas/{idea.id}"
    page = browser.get(response.location).get_data(as_text=True)
    assert "Refunds up to 100 francs on the spot" in page
    assert "Erika Employee" in page and "Customer Service" in page and "Sales" in page
    assert "submitted the idea" in page  # the timeline
    assert idea.hours_lost_per_month == 40 and idea.customer_facing


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"title": ""}, "title", "Please fill in this field."),
        ({"title": "abc"}, "title", "Use between 5 and 150 characters."),
        ({"title": "x" * 151}, "title", "Use between 5 and 150 characters."),
        ({"problem": "   "}, "problem", "Please fill in this field."),
        ({"problem": "y" * 10001}, "problem", "This text is too long."),
        ({"hours_lost_per_month": "lots"}, "hours_lost_per_month", "Not a valid integer value."),
        ({"hours_lost_per_month": "-3"}, "hours_lost_per_month", "between 0 and 100,000"),
        ({"category": "99999"}, "category", "Not a valid choice"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_typed_is_lost(
    browser, org, changes, field, message
):
    browser.login(org.employee)
    data = form_for(org, **changes)
    response = browser.post("/ideas/new", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    errors = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', page, re.S)
    assert errors and message in errors.group(1)
    assert "Customers get help in one call." in page  # other fields keep their text
    assert 'aria-invalid="true"' in page
    assert db.session.scalar(select(func.count()).select_from(Idea)) == 0


def test_validation_errors_are_localised(browser, org):
    org.employee.language = "de"
    browser.login(org.employee)
    page = browser.post("/ideas/new", form_for(org, title="")).get_data(as_text=True)
    assert "Bitte füllen Sie dieses Feld aus." in page


def test_oversized_request_gets_a_clear_page(browser, org):
    browser.login(org.employee)
    response = browser.post("/ideas/new", form_for(org, problem="z" * 1_100_000))
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_edit_keeps_the_previous_version_and_is_closed_once_review_starts(browser, org):
    idea = make_idea(org.employee, department=org.service, title="First wording")
    browser.login(org.employee)
    form = browser.get(f"/ideas/{idea.id}/edit").get_data(as_text=True)
    assert 'value="First wording"' in form
    response = browser.post(f"/ideas/{idea.id}/edit", form_for(org, title="Second wording"))
    assert response.status_code == 302
    db.session.refresh(idea)
    assert idea.title == "Second wording"
    assert (
        db.session.scalar(select(IdeaVersion.title).where(IdeaVersion.idea_id == idea.id))
        == "First wording"
    )
    idea.status = "in_review"
    db.session.commit()
    assert browser.get(f"/ideas/{idea.id}/edit").status_code == 403
    assert browser.post(f"/ideas/{idea.id}/edit", form_for(org)).status_code == 403


def test_withdraw_from_the_idea_page(browser, org):
    idea = make_idea(org.employee, department=org.service)
    browser.login(org.employee)
    assert "Withdraw my idea" in browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    response = browser.post(f"/ideas/{idea.id}/withdraw", {"withdraw-note": "Fixed it myself"})
    assert response.status_code == 302
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Withdrawn" in page and "Fixed it myself" in page
    assert "Withdraw my idea" not in page


def test_vote_with_htmx_returns_only_the_button(browser, org):
    idea = make_idea(org.employee, department=org.service)
    browser.login(org.other_employee)
    response = browser.post(
        f"/ideas/{idea.id}/vote", {"vote": "add"}, headers={"HX-Request": "true"}
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert fragment.lstrip().startswith("<form") and "<html" not in fragment
    assert 'aria-pressed="true"' in fragment and '<span class="vote-count">1</span>' in fragment
    assert 'name="vote" value="remove"' in fragment


def test_the_swapped_vote_button_still_returns_to_the_page(browser, org):
    # Without htmx (or before htmx has taken over the new button) the form posts normally
    # and must come back to the page, not to the POST-only vote address.
    idea = make_idea(org.employee, department=org.service)
    browser.login(org.other_employee)
    fragment = browser.post(
        f"/ideas/{idea.id}/vote", {"vote": "add", "next": "/ideas?sort=new"},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)  # fmt: skip
    assert 'name="next" value="/ideas?sort=new"' in fragment
    fragment = browser.post(
        f"/ideas/{idea.id}/vote", {"vote": "remove"}, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert f'name="next" value="/ideas/{idea.id}"' in fragment


def test_vote_without_javascript_redirects_back(browser, org):
    idea = make_idea(org.employee, department=org.service)
    browser.login(org.other_employee)
    response = browser.post(f"/ideas/{idea.id}/vote", {"vote": "add", "next": "/ideas?sort=new"})
    assert response.status_code == 302 and response.location == "/ideas?sort=new"
    response = browser.post(
        f"/ideas/{idea.id}/vote", {"vote": "add", "next": "https://evil.example"}
    )
    assert response.location == f"/ideas/{idea.id}"
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 1
    browser.post(f"/ideas/{idea.id}/vote", {"vote": "remove"})
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_who_voted_is_shown_to_nobody(browser, org):
    idea = make_idea(org.employee, department=org.service)
    voter = browser
    voter.login(org.other_employee)
    voter.post(f"/ideas/{idea.id}/vote", {"vote": "add"})
    voter.logout()
    browser.login(org.leader)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    # Leadership's accept form offers everyone as the commitment's owner: a list of all
    # people says nothing about who voted.
    page = re.sub(r'<select[^>]*name="accept-owner".*?</select>', "", page, flags=re.S)
    assert "Otto Other" not in page


def test_comment_markdown_is_rendered_and_sanitised(browser, org):
    idea = make_idea(org.employee, department=org.service)
    browser.login(org.other_employee)
    body = (
        "**Same** in Sales <script>alert(1)</script> "
        "[click](javascript:alert(2)) <img src=x onerror=alert(3)> [ok](https://example.org)"
    )
    response = browser.post(f"/ideas/{idea.id}/comments", {"body": body})
    assert response.status_code == 302
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "<strong>Same</strong>" in page
    assert "<script>alert(1)" not in page and "<img src=x" not in page  # shown as text, inert
    assert 'href="javascript' not in page
    assert 'href="https://example.org" rel="noopener noreferrer nofollow"' in page
    assert "Otto Other" in page and "Sales" in page  # commenter with department
    # What the page shows was stored when written: the cleaned HTML, never the raw text.
    stored = db.session.scalar(select(Comment.body_html).where(Comment.idea_id == idea.id))
    assert "<strong>Same</strong>" in stored and f'<div class="prose">{stored}</div>' in page
    assert "<script" not in stored and "<img" not in stored and 'href="javascript' not in stored
    assert 'href="https://example.org" rel="noopener noreferrer nofollow"' in stored


def test_titles_and_names_are_escaped(browser, org):
    org.employee.display_name = "<b>Bold</b> Erika"
    idea = make_idea(org.employee, department=org.service, title="<script>alert('t')</script> ok")
    browser.login(org.other_employee)
    for url in ("/ideas", f"/ideas/{idea.id}"):
        page = browser.get(url).get_data(as_text=True)
        assert "<script>alert('t')" not in page and "&lt;script&gt;" in page
        assert "<b>Bold</b>" not in page


def test_an_empty_comment_keeps_the_page_and_says_why(browser, org):
    idea = make_idea(org.employee, department=org.service)
    browser.login(org.other_employee)
    response = browser.post(f"/ideas/{idea.id}/comments", {"body": "  "})
    assert response.status_code == 422
    assert "Please fill in this field." in response.get_data(as_text=True)


def test_head_posts_an_official_answer_and_marks_another(browser, org):
    idea = make_idea(org.employee, department=org.service)
    browser.login(org.head)
    browser.post(f"/ideas/{idea.id}/comments", {"body": "We decide on Friday.", "official": "y"})
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Official answer" in page
    browser.logout()
    browser.login(org.other_employee)
    # Employees cannot post officially; the flag is ignored only by refusing the request.
    assert (
        browser.post(
            f"/ideas/{idea.id}/comments", {"body": "I am official", "official": "y"}
        ).status_code
        == 403
    )


def test_unknown_ids_give_404(browser, org):
    browser.login(org.employee)
    for url in ("/ideas/424242", "/ideas/424242/edit", "/admin/users/424242"):
        response = browser.get(url)
        assert response.status_code in (403, 404)
        assert "Traceback" not in response.get_data(as_text=True)
    assert browser.get("/ideas/424242").status_code == 404
    assert browser.post("/ideas/424242/vote", {"vote": "add"}).status_code == 404


class TestList:
    def ids_on(self, browser, url):
        page = browser.get(url).get_data(as_text=True)
        return [
            int(i) for i in re.findall(r'<h2 class="idea-card-title"><a href="/ideas/(\d+)"', page)
        ]

    def test_sorts_filters_and_count(self, browser, org):
        other_category = make_category("Tools")
        a = make_idea(org.employee, department=org.service, title="Alpha idea")
        b = make_idea(org.other_employee, department=org.sales, title="Bravo idea",
                      category=other_category)  # fmt: skip
        c = make_idea(org.employee, department=org.service, title="Charlie idea")
        from suggestions.ideas import rules

        for voter in (org.head, org.leader):
            rules.set_vote(b, voter, True)
        rules.set_vote(c, org.head, True)
        rules.add_comment(a, org.head, "first")
        rules.add_comment(a, org.leader, "second")
        db.session.commit()
        browser.login(org.employee)
        assert self.ids_on(browser, "/ideas") == [b.id, c.id, a.id]
        assert self.ids_on(browser, "/ideas?sort=new") == [c.id, b.id, a.id]
        assert self.ids_on(browser, "/ideas?sort=discussed") == [a.id, c.id, b.id]
        assert self.ids_on(browser, f"/ideas?department={org.sales.id}") == [b.id]
        assert self.ids_on(browser, f"/ideas?category={other_category.id}") == [b.id]
        assert self.ids_on(browser, "/ideas?mine=1&sort=new") == [c.id, a.id]
        assert self.ids_on(browser, "/ideas?status=withdrawn") == []
        assert "3 ideas" in browser.get("/ideas").get_data(as_text=True)
        # Nonsense in the query string is ignored, not an error.
        assert browser.get("/ideas?sort=evil&status=x&page=-4&department=abc").status_code == 200

    def test_pagination_and_a_capped_count(self, app, browser, org):
        app.config.update(IDEAS_PER_PAGE=2, RESULT_COUNT_CAP=3)
        ideas = [make_idea(org.employee, department=org.service) for _ in range(5)]
        browser.login(org.employee)
        first = browser.get("/ideas?sort=new").get_data(as_text=True)
        assert "More than 3 ideas" in first and 'rel="next"' in first
        assert self.ids_on(browser, "/ideas?sort=new&page=3") == [ideas[0].id]
        app.config.update(RESULT_COUNT_CAP=100)
        last = browser.get("/ideas?sort=new&page=3").get_data(as_text=True)
        assert "Page 3 of 3" in last and 'rel="next"' not in last
