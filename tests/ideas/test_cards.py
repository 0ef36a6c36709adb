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


def _page_of(page) -> tuple:
    return (
        [i.id for i in page.items], page.voted_ids, page.total, page.capped, page.has_next,
        page.has_previous, page.next_after, page.previous_before,
    )  # fmt: skip


def test_every_filter_shape_pages_and_counts_its_cards_as_its_ideas(app, org, varied):
    """The cards' statements are built once per filter shape with the count in them: each
    shape, cursor and page (past the last too) must list and count what the ideas do, with
    each filter's own values and each viewer's votes."""
    plain, anonymous, own_anonymous, no_department, gone = varied
    hidden = make_idea(org.employee, department=org.sales, title="Hidden")
    hidden.hidden_reason = "spam"
    rules.set_vote(no_department, org.other_employee, True)
    db.session.commit()
    app.config.update(IDEAS_PER_PAGE=2, RESULT_COUNT_CAP=3)
    filters = [
        IdeaFilter(), IdeaFilter(sort="new"), IdeaFilter(sort="discussed", page=2),
        IdeaFilter(page=3), IdeaFilter(page=9), IdeaFilter(mine=True),
        IdeaFilter(department_id=org.sales.id), IdeaFilter(department_id=org.service.id),
        IdeaFilter(category_id=no_department.category_id), IdeaFilter(status="new", page=2),
        IdeaFilter(status="withdrawn"), IdeaFilter(overdue=True), IdeaFilter(mine=True, page=4),
        IdeaFilter(sort="new", after=(no_department.id,), page=2),
        IdeaFilter(sort="new", before=(plain.id,), page=2),
        IdeaFilter(after=(0, 0), page=2),
    ]  # fmt: skip
    seen = set()
    for viewer in (org.employee, org.other_employee):
        for f in filters:
            with app.test_request_context("/ideas"):
                slow = list_ideas(viewer, f)
                fast = list_ideas(viewer, f, cards=True)
            assert _page_of(fast) == _page_of(slow), (viewer.email, f)
            seen.add(_page_of(fast)[2:4])
    # Counts below, at and over the cap, and an empty page, all came up.
    assert {(0, False), (1, False), (3, False), (3, True)} <= seen
    with app.test_request_context("/ideas"):
        everything = list_ideas(org.employee, IdeaFilter(sort="new", page=9), cards=True)
    assert (everything.items, everything.total, everything.capped) == ([], 3, True)


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


# -- kept cards (ideas/cards.py kept_card): a card is drawn once per key, and the key holds
# everything the card shows, so what changed shows at once and nobody sees another's card.


def _vote_fields(card: str) -> tuple[str, str]:
    token = re.search(r'name="csrf_token" value="([^"]*)"', card).group(1)
    back = re.search(r'name="next" value="([^"]*)"', card).group(1)
    return token, back


def _page_token(page: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def test_a_card_already_drawn_is_not_drawn_again(app, browser, org, varied, monkeypatch):
    from suggestions.ideas import cards

    drawn = []
    draw = cards._draw
    monkeypatch.setattr(cards, "_draw", lambda idea, *a: drawn.append(idea.id) or draw(idea, *a))
    browser.login(org.employee)
    first = browser.get("/ideas").get_data(as_text=True)
    assert sorted(drawn) == sorted(idea.id for idea in varied)
    drawn.clear()
    assert _normalised(browser.get("/ideas").get_data(as_text=True)) == _normalised(first)
    assert drawn == []
    rules.set_vote(varied[1], org.other_employee, True)  # one card changes: only it is drawn
    db.session.commit()
    browser.get("/ideas")
    assert drawn == [varied[1].id]


def test_a_kept_card_shows_votes_comments_title_status_and_names_as_they_are_now(
    app, browser, org, varied
):
    plain = varied[0]
    browser.login(org.employee)
    browser.get("/ideas")
    rules.set_vote(plain, org.other_employee, True)  # someone else's vote: the count only
    plain.comment_count += 1
    plain.status = "accepted"
    plain.title = "Sign expenses once"
    org.sales.name = "Sales and Marketing"
    org.other_employee.display_name = "Otto Renamed"
    db.session.commit()
    card = card_of(browser.get("/ideas").get_data(as_text=True), plain.id)
    assert '<span class="vote-count">2</span>' in card and "is-voted" in card
    assert "1 comment" in card and "Sign expenses once" in card
    assert "status-accepted" in card and "Accepted" in card
    assert "Sales and Marketing" in card and "Otto Renamed" in card


def test_a_kept_card_follows_the_viewers_language(app, browser, org, varied):
    browser.login(org.employee)
    english = card_of(browser.get("/ideas").get_data(as_text=True), varied[0].id)
    org.employee.language = "de"
    db.session.commit()
    german = card_of(browser.get("/ideas").get_data(as_text=True), varied[0].id)
    assert "Take back your vote" in english and "Take back your vote" not in german
    assert "Ihre Stimme zurücknehmen" in german


def test_one_viewers_vote_never_shows_on_another_viewers_card(app, new_browser, org, varied):
    plain = varied[0]  # the employee voted for it, the other employee did not
    voter, other = new_browser(), new_browser()
    voter.login(org.employee)
    other.login(org.other_employee)
    for _ in range(2):  # drawn, then kept: the same answer
        mine = card_of(voter.get("/ideas").get_data(as_text=True), plain.id)
        theirs = card_of(other.get("/ideas").get_data(as_text=True), plain.id)
        assert "is-voted" in mine and 'aria-pressed="true"' in mine
        assert "is-voted" not in theirs and 'aria-pressed="false"' in theirs
        assert 'value="remove"' in mine and 'value="add"' in theirs


def test_a_kept_card_carries_each_pages_own_token_and_address(app, new_browser, org, varied):
    one, two = new_browser(), new_browser()
    one.login(org.employee)
    two.login(org.leader)
    for browser, url in ((one, "/ideas"), (two, "/ideas"), (two, "/ideas?sort=new")):
        page = browser.get(url).get_data(as_text=True)
        token, back = _vote_fields(card_of(page, varied[3].id))
        assert token == _page_token(page) and back == url
    assert _page_token(one.get("/ideas").get_data(as_text=True)) != _page_token(
        two.get("/ideas").get_data(as_text=True)
    )
    # The kept card's token is the one this session's vote is accepted with.
    page = two.get("/ideas").get_data(as_text=True)
    token, back = _vote_fields(card_of(page, varied[3].id))
    answer = two.post(f"/ideas/{varied[3].id}/vote", {"vote": "add", "next": back,
                                                       "csrf_token": token})  # fmt: skip
    assert answer.status_code == 302


def test_the_anonymous_authors_own_card_is_never_anyone_elses(app, new_browser, org, varied):
    own_anonymous = varied[2]  # the employee's
    author, other = new_browser(), new_browser()
    author.login(org.employee)
    other.login(org.other_employee)
    for _ in range(2):
        mine = card_of(author.get("/ideas").get_data(as_text=True), own_anonymous.id)
        theirs = card_of(other.get("/ideas").get_data(as_text=True), own_anonymous.id)
        assert "only you see this" in mine
        assert "only you see this" not in theirs and "Anonymous" in theirs
        assert "Erika Employee" not in mine + theirs


def test_a_closed_idea_offers_its_vote_to_nobody_even_when_kept(app, browser, org, varied):
    anonymous = varied[1]  # not voted for by the employee
    browser.login(org.employee)
    assert "disabled" not in card_of(browser.get("/ideas").get_data(as_text=True), anonymous.id)
    anonymous.status = "withdrawn"
    db.session.commit()
    assert "disabled" in card_of(browser.get("/ideas").get_data(as_text=True), anonymous.id)


def test_a_kept_card_ages_and_falls_overdue_with_the_clock(app, browser, org, varied):
    from datetime import timedelta

    from suggestions.core.clock import now, travel_to
    from suggestions.org.queries import org_settings

    plain = varied[0]  # new, no first response: due in 7 days
    browser.login(org.employee)
    card = card_of(browser.get("/ideas").get_data(as_text=True), plain.id)
    assert "today" in card and "overdue" not in card
    later = now() + timedelta(days=2, hours=1)
    with travel_to(later):
        card = card_of(browser.get("/ideas").get_data(as_text=True), plain.id)
        assert "2 days ago" in card and "overdue" not in card
        # The same age, a shorter clock: only the badge tells them apart.
        org_settings().first_response_days = 1
        db.session.commit()
        card = card_of(browser.get("/ideas").get_data(as_text=True), plain.id)
    assert "2 days ago" in card and "overdue · waiting 2 days" in card
