"""The button an htmx vote answers with is kept drawn (suggestions/ideas/vote_button.py): it
must be the markup the pages draw, and never show a stale count, another viewer's vote or
permission, another language, another session's token or another page's address."""

from __future__ import annotations

import re

from suggestions.core.extensions import db

from ..factories import make_idea

HTMX = {"HX-Request": "true"}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def vote(browser, idea, step: str, next_url: str = "/ideas", token: str | None = None) -> str:
    data = {"vote": step, "next": next_url}
    if token:
        data["csrf_token"] = token
    response = browser.post(f"/ideas/{idea.id}/vote", data, headers=HTMX)
    assert response.status_code == 200 and response.mimetype == "text/html"
    return response.get_data(as_text=True)


def button_on_page(page: str, idea_id: int) -> str:
    start = page.index('<form class="vote')
    assert f'id="vote-{idea_id}"' in page[start : start + 120]
    return page[start : page.index("</form>", start) + len("</form>")]


def without_token(html: str) -> str:
    return TOKEN.sub('name="csrf_token" value="TOKEN"', html)


def count_and_pressed(answer: str) -> tuple[str, str]:
    count = re.search(r'<span class="vote-count">([^<]*)</span>', answer).group(1)
    return count, re.search(r'aria-pressed="(\w+)"', answer).group(1)


def test_the_answer_is_the_button_the_idea_page_draws(app, browser, org):
    idea = make_idea(org.other_employee, department=org.sales)
    browser.login(org.employee)
    here = f"/ideas/{idea.id}"
    for step in ("add", "remove", "add", "remove"):  # drawn twice, then kept twice
        answer = vote(browser, idea, step, here)
        page = browser.get(here).get_data(as_text=True)
        assert without_token(answer).strip() == without_token(button_on_page(page, idea.id))


def test_a_kept_button_is_not_drawn_again(app, browser, org, monkeypatch):
    from suggestions.ideas import vote_button

    drawn = []
    draw = vote_button._draw
    monkeypatch.setattr(
        vote_button, "_draw", lambda idea, *a: drawn.append(idea.id) or draw(idea, *a)
    )
    idea = make_idea(org.other_employee, department=org.sales)
    browser.login(org.employee)
    first = [vote(browser, idea, step) for step in ("add", "remove")]
    assert drawn == [idea.id, idea.id]
    again = [vote(browser, idea, step) for step in ("add", "remove")]
    assert drawn == [idea.id, idea.id]
    assert [without_token(a) for a in again] == [without_token(a) for a in first]


def test_the_count_and_the_vote_are_each_viewers_own_and_current(app, new_browser, org):
    idea = make_idea(org.head, department=org.sales)
    one, two = new_browser(), new_browser()
    one.login(org.employee)
    two.login(org.other_employee)
    steps = [(one, "add", ("1", "true")), (two, "add", ("2", "true")),
             (one, "remove", ("1", "false")), (two, "remove", ("0", "false")),
             (two, "add", ("1", "true")), (one, "add", ("2", "true")),
             (two, "remove", ("1", "false"))]  # fmt: skip
    for browser, step, shown in steps:
        answer = vote(browser, idea, step)
        assert count_and_pressed(answer) == shown
        assert ('value="remove"' in answer) == (shown[1] == "true")


def test_each_answer_carries_its_own_sessions_token_and_page_address(app, new_browser, org):
    idea = make_idea(org.head, department=org.sales)
    one, two = new_browser(), new_browser()
    one.login(org.employee)
    two.login(org.other_employee)
    # The same button for both (count 1, not voted by the viewer): kept once, filled per answer.
    vote(one, idea, "add")
    first = vote(two, idea, "remove", "/ideas?sort=new&department=3")
    second = vote(two, idea, "remove", "/ideas?sort=top")
    assert 'name="next" value="/ideas?sort=new&amp;department=3"' in first
    assert 'name="next" value="/ideas?sort=top"' in second
    theirs = TOKEN.search(vote(one, idea, "add")).group(1)
    mine = TOKEN.search(second).group(1)
    assert mine != theirs
    # The answer's token is the one this session's next vote is accepted with, not the other's.
    refused = two.client.post(f"/ideas/{idea.id}/vote", data={"vote": "add", "csrf_token": theirs},
                              headers=HTMX)  # fmt: skip
    assert refused.status_code == 400
    assert count_and_pressed(vote(two, idea, "add", token=mine)) == ("2", "true")


def test_a_kept_button_offers_the_vote_only_to_who_may_still_vote(app, new_browser, org):
    idea = make_idea(org.head, department=org.sales)
    one, two = new_browser(), new_browser()
    one.login(org.employee)
    two.login(org.other_employee)
    vote(one, idea, "add")
    vote(two, idea, "add")
    open_answer = vote(one, idea, "remove")  # count 1, not voted, may vote
    assert count_and_pressed(open_answer) == ("1", "false") and "disabled" not in open_answer
    vote(one, idea, "add")
    idea.status = "withdrawn"
    db.session.commit()
    closed_answer = vote(one, idea, "remove")  # the same count and vote, but closed now
    assert count_and_pressed(closed_answer) == ("1", "false") and "disabled" in closed_answer


def test_a_kept_button_follows_the_viewers_language(app, browser, org):
    idea = make_idea(org.other_employee, department=org.sales)
    browser.login(org.employee)
    english = vote(browser, idea, "add")
    vote(browser, idea, "remove")
    org.employee.language = "de"
    db.session.commit()
    german = vote(browser, idea, "add")
    assert count_and_pressed(english) == count_and_pressed(german) == ("1", "true")
    assert "Take back your vote" in english and "Ihre Stimme zurücknehmen" in german
    assert "Take back your vote" not in german
