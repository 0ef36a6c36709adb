"""The list's cards are read as plain rows and drawn with texts and URLs made once per page:
each shortcut must show exactly what the ORM ideas and ``url_for`` show."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from suggestions.core.extensions import db
from suggestions.ideas import queries, rules
from suggestions.ideas.queries import IdeaFilter, list_ideas
from suggestions.web.templating import UrlPattern, url_pattern

from ..factories import make_category, make_idea


@pytest.fixture
def varied(org):
    """Ideas whose cards differ in every way a card can: anonymous, an author without a
    department, an erased author, customers notice, voted for by the viewer."""
    plain = make_idea(org.other_employee, department=org.sales)
    anonymous = make_idea(org.other_employee, anonymous=True, department=org.service)
    own_anonymous = make_idea(org.employee, anonymous=True)
    no_department = make_idea(org.admin, department=org.sales, category=make_category("Forms"))
    gone = make_idea(org.head, customer_facing=True)
    gone.author_id = None
    rules.set_vote(plain, org.employee, True)
    rules.set_vote(gone, org.other_employee, True)
    db.session.commit()
    return plain, anonymous, own_anonymous, no_department, gone


FIELDS = ("id", "title", "status", "category_id", "owning_department_id", "author_id",
          "is_anonymous", "customer_facing", "done_by_empowerment", "vote_count", "comment_count",
          "created_at", "first_response_at", "decided_at")  # fmt: skip


@pytest.mark.parametrize("sort", ["top", "new", "discussed"])
def test_cards_carry_what_the_ideas_carry(app, org, varied, sort):
    with app.test_request_context("/ideas"):
        slow = list_ideas(org.employee, IdeaFilter(sort=sort))
        fast = list_ideas(org.employee, IdeaFilter(sort=sort), cards=True)
    assert [c.id for c in fast.items] == [i.id for i in slow.items]
    assert fast.voted_ids == slow.voted_ids == {varied[0].id}
    assert (fast.next_after, fast.total, fast.has_next) == (slow.next_after, slow.total, False)
    for card, idea in zip(fast.items, slow.items, strict=True):
        assert [getattr(card, f) for f in FIELDS] == [getattr(idea, f) for f in FIELDS]
        assert card.category.label("de") == idea.category.label("de")
        assert card.category.label("en") == idea.category.label("en")
        assert card.owning_department.name == idea.owning_department.name
        if idea.author is None:
            assert card.author is None
        elif idea.is_anonymous:  # by id only: a card never carries the name
            assert (card.author.id, card.author.display_name) == (idea.author_id, "")
            assert card.author.department is None
        else:
            assert card.author.display_name == idea.author.display_name
            department = idea.author.department
            assert (card.author.department and card.author.department.name) == (
                department and department.name
            )


def card_of(page: str, idea_id: int) -> str:
    start = page.index('<form class="vote', page.index(f'id="vote-{idea_id}"') - 60)
    return page[start : page.index("</article>", start)]


def _normalised(page: str) -> str:
    page = re.sub(r'(name="csrf_token" value=|name="csrf-token" content=)"[^"]+"', r"\1", page)
    return re.sub(r"\s+", " ", page).replace("> <", "><")


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_list_page_from_cards_is_the_page_from_ideas(
    app, browser, org, varied, monkeypatch, language
):
    org.employee.language = language
    db.session.commit()
    browser.login(org.employee)
    urls = ["/ideas", "/ideas?sort=new", "/ideas?mine=1", f"/ideas?department={org.sales.id}"]
    fast = [browser.get(url).get_data(as_text=True) for url in urls]
    real = queries.list_ideas
    monkeypatch.setattr(queries, "list_ideas", lambda *a, cards=False, **k: real(*a, **k))
    slow = [browser.get(url).get_data(as_text=True) for url in urls]
    for fast_page, slow_page in zip(fast, slow, strict=True):
        assert _normalised(fast_page) == _normalised(slow_page)
    # And what the viewer sees is theirs: their vote, their anonymous idea, nobody else's name.
    top = fast[0]
    assert "is-voted" in card_of(top, varied[0].id) and top.count("is-voted") == 1
    you = "nur Sie sehen das" if language == "de" else "only you see this"
    assert top.count(you) == 1
    assert ("Diese Idee unterstützen" if language == "de" else "Vote for this idea") in top


def test_a_card_names_no_anonymous_author_to_anyone_else(app, browser, org, varied):
    browser.login(org.leader)
    page = browser.get("/ideas").get_data(as_text=True)
    assert "Otto Other" in page  # the plain idea
    anonymous_card = card_of(page, varied[1].id)
    assert "Otto Other" not in anonymous_card and "only you see this" not in anonymous_card
    assert "Anonymous" in anonymous_card


@pytest.mark.parametrize("script_root", ["", "/freiraum"])
def test_url_patterns_build_what_url_for_builds(app, script_root):
    with app.test_request_context("/ideas", base_url=f"http://localhost{script_root}/"):
        show, vote = url_pattern("ideas.show", "idea_id"), url_pattern("ideas.vote", "idea_id")
        assert url_pattern("ideas.show", "idea_id") is show  # once per page
        for number in (1, 7, 10, 987654321, 2**40):
            assert show(number) == url_for("ideas.show", idea_id=number)
            assert vote(number) == url_for("ideas.vote", idea_id=number)
        assert show(1).startswith(f"{script_root}/ideas/")
        # What is no plain whole number takes the slow way.
        for odd in (True, -1, "12"):
            assert UrlPattern("ideas.show", "idea_id")(odd) == url_for("ideas.show", idea_id=odd)


def test_a_vote_or_an_edit_shows_on_the_next_page(app, browser, org, varied):
    plain = varied[0]
    browser.login(org.employee)
    browser.get("/ideas")
    plain.title = "A title changed since"
    rules.set_vote(varied[1], org.employee, True)
    db.session.commit()
    page = browser.get("/ideas").get_data(as_text=True)
    assert "A title changed since" in page
    assert "is-voted" in card_of(page, plain.id) and "is-voted" in card_of(page, varied[1].id)
    assert page.count("is-voted") == 2
