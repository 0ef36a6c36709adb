"""Comments a page at a time: a link to one comment opens the page that holds it, wherever the
link comes from (the idea page itself, notifications, mails, moderation)."""

import re

import pytest
from sqlalchemy import select

from suggestions.core.extensions import db
from suggestions.ideas import rules
from suggestions.notify.models import Notification

from ..factories import make_idea

PER_PAGE = 3


@pytest.fixture
def config_overrides():
    return {"COMMENTS_PER_PAGE": PER_PAGE}


def comment_ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="comment-(\d+)"', page)]


def discussed(org, count: int):
    idea = make_idea(org.employee, department=org.service)
    comments = [rules.add_comment(idea, org.other_employee, f"Remark {n}") for n in range(count)]
    db.session.commit()
    return idea, [c.id for c in comments]


def test_a_link_to_a_comment_opens_the_page_that_holds_it(browser, org):
    idea, ids = discussed(org, 8)  # pages: 3, 3, 2
    browser.login(org.employee)
    assert comment_ids(browser.get(f"/ideas/{idea.id}").get_data(as_text=True)) == ids[:3]
    for index, wanted in enumerate(ids):
        page = browser.get(f"/ideas/{idea.id}?comment={wanted}").get_data(as_text=True)
        start = index // PER_PAGE * PER_PAGE
        assert comment_ids(page) == ids[start : start + PER_PAGE]
    # A page asked for by number wins; an unknown comment (or another idea's) opens page 1.
    page = browser.get(f"/ideas/{idea.id}?comments=2&comment={ids[0]}").get_data(as_text=True)
    assert comment_ids(page) == ids[3:6]
    other, other_ids = discussed(org, 1)
    for stranger in (other_ids[0], 999999, 2**40):
        page = browser.get(f"/ideas/{idea.id}?comment={stranger}").get_data(as_text=True)
        assert comment_ids(page) == ids[:3]


def test_posting_and_marking_official_land_on_the_comment(browser, org):
    idea, ids = discussed(org, 7)
    browser.login(org.head)
    response = browser.post(f"/ideas/{idea.id}/comments", {"body": "We decide on Friday."})
    assert response.status_code == 302
    posted = max(comment_ids(browser.get(response.location).get_data(as_text=True)))
    assert posted > ids[-1]
    response = browser.post(f"/ideas/{idea.id}/comments/{ids[1]}/official", {"official": "1"})
    assert response.location == f"/ideas/{idea.id}?comment={ids[1]}#comment-{ids[1]}"
    assert ids[1] in comment_ids(browser.get(response.location).get_data(as_text=True))


def test_a_notification_about_a_late_comment_opens_its_page(browser, org):
    idea, ids = discussed(org, 7)
    rules.add_comment(idea, org.head, "The answer.", official=True)
    db.session.commit()
    notification = db.session.scalars(
        select(Notification).where(
            Notification.user_id == org.employee.id, Notification.comment_id.is_not(None)
        ).order_by(Notification.id.desc())
    ).first()  # fmt: skip
    browser.login(org.employee)
    response = browser.post(f"/notifications/{notification.id}/open")
    cid = notification.comment_id
    assert response.location == f"/ideas/{idea.id}?comment={cid}#comment-{cid}"
    page = browser.get(response.location).get_data(as_text=True)
    assert cid in comment_ids(page) and ids[0] not in comment_ids(page)


def test_later_comments_load_in_place_with_htmx_and_as_a_plain_link(browser, org):
    idea, ids = discussed(org, 8)
    browser.login(org.employee)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    later = re.search(r'<a href="([^"]+)" rel="next" hx-get="([^"]+)"', page)
    assert later.group(1) == f"/ideas/{idea.id}?comments=2#comments"  # works without JavaScript
    assert "Page 1 of 3" in page and 'rel="prev"' not in page
    fragment = browser.get(later.group(2), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "comment-form" not in fragment  # the comments alone
    assert comment_ids(fragment) == ids[3:6]
    assert 'id="comments-more"' in fragment and 'rel="next"' in fragment
    assert 'rel="prev"' not in fragment  # appended under the first page: nothing to go back to
    last = browser.get(f"/ideas/{idea.id}?comments=3", headers={"HX-Request": "true"})
    assert comment_ids(last.get_data(as_text=True)) == ids[6:]
    assert 'rel="next"' not in last.get_data(as_text=True)
    plain = browser.get(f"/ideas/{idea.id}?comments=2").get_data(as_text=True)
    assert comment_ids(plain) == ids[3:6] and 'rel="prev"' in plain and "<html" in plain
