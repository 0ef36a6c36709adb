"""The bell, the notifications page, following and settings, through the pages."""

import re

from sqlalchemy import insert, select

from suggestions.core.clock import now
from suggestions.core.extensions import db
from suggestions.ideas import rules as idea_rules
from suggestions.notify import rules
from suggestions.notify.models import Follow, Notification, NotificationPreference
from suggestions.workflow.lifecycle import transition

from ..factories import make_idea, make_user

BELL = re.compile(r'<span class="bell-count" aria-hidden="true">([^<]+)</span>')


def bell(browser) -> str | None:
    match = BELL.search(browser.get("/ideas").get_data(as_text=True))
    return match.group(1) if match else None


def test_the_bell_counts_unread_and_the_page_links_each_to_its_idea(browser, org):
    idea = make_idea(org.employee, department=org.service, title="Fewer signatures")
    idea_rules.add_comment(idea, org.other_employee, "Yes please.")
    idea_rules.add_comment(idea, org.head, "We answer by Friday.", official=True)
    db.session.commit()
    browser.login(org.employee)
    assert bell(browser) == "2"
    page = browser.get("/notifications").get_data(as_text=True)
    assert "Otto Other commented on “Fewer signatures”." in page
    assert "Hanna Head gave the official answer on “Fewer signatures”." in page
    assert 'aria-label="Notifications, 2 unread"' in browser.get("/ideas").get_data(as_text=True)

    first = db.session.scalars(
        select(Notification).where(Notification.user_id == org.employee.id)
        .order_by(Notification.id)
    ).first()  # fmt: skip
    response = browser.post(f"/notifications/{first.id}/open")
    assert response.status_code == 302
    cid = first.comment_id
    assert response.location == f"/ideas/{idea.id}?comment={cid}#comment-{cid}"
    assert bell(browser) == "1"

    response = browser.post("/notifications/read-all")
    assert response.status_code == 302
    assert bell(browser) is None
    assert "Mark all as read" not in browser.get("/notifications").get_data(as_text=True)


def test_marking_one_read_works_with_htmx_and_without(browser, org):
    idea = make_idea(org.employee, department=org.service)
    idea_rules.add_comment(idea, org.other_employee, "One")
    idea_rules.add_comment(idea, org.other_employee, "Two")
    db.session.commit()
    ids = list(db.session.scalars(
        select(Notification.id).where(Notification.user_id == org.employee.id)
    ))  # fmt: skip
    browser.login(org.employee)
    browser.get("/notifications")
    fragment = browser.post(f"/notifications/{ids[0]}/read", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and body.lstrip().startswith("<li")
    assert "is-unread" not in body and "Mark as read" not in body
    plain = browser.post(f"/notifications/{ids[1]}/read", {"next": "/notifications"})
    assert plain.status_code == 302 and plain.location == "/notifications"
    assert bell(browser) is None


def test_nobody_opens_someone_elses_notification(browser, org):
    idea = make_idea(org.employee, department=org.service)
    idea_rules.add_comment(idea, org.other_employee, "Hello")
    db.session.commit()
    theirs = db.session.scalars(
        select(Notification).where(Notification.user_id == org.employee.id)
    ).one()
    browser.login(org.other_employee)
    assert browser.post(f"/notifications/{theirs.id}/open").status_code == 403
    assert browser.post(f"/notifications/{theirs.id}/read").status_code == 403
    assert browser.post("/notifications/999999/read").status_code == 404
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_the_list_is_paged_and_the_bell_is_capped(app, browser, org):
    idea = make_idea(org.employee, department=org.service)
    moment = now()
    db.session.execute(insert(Notification), [
        {"user_id": org.employee.id, "kind": "comment", "idea_id": idea.id, "actor_id":
         org.other_employee.id, "by_author": False, "delivery": "in_app", "created_at": moment}
        for _ in range(120)
    ])  # fmt: skip
    db.session.commit()
    browser.login(org.employee)
    assert bell(browser) == "99+"
    first = browser.get("/notifications").get_data(as_text=True)
    per_page = app.config["NOTIFICATIONS_PER_PAGE"]
    assert first.count('class="notification card') == per_page
    older = re.search(r'href="(/notifications\?before=\d+)"', first).group(1)
    second = browser.get(older).get_data(as_text=True)
    assert second.count('class="notification card') == per_page
    # Walk to the end: every notification exactly once.
    seen, url = 0, "/notifications"
    while url:
        page = browser.get(url).get_data(as_text=True)
        seen += page.count('class="notification card')
        match = re.search(r'href="(/notifications\?before=\d+)"', page)
        url = match.group(1).replace("&amp;", "&") if match else None
    assert seen == 120


def test_follow_and_unfollow_with_a_plain_form_and_with_htmx(browser, org):
    idea = make_idea(org.employee, department=org.service)
    browser.login(org.other_employee)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert 'name="follow" value="add"' in page and ">\n    Follow\n" in page.replace("  \n", "\n")
    response = browser.post(f"/ideas/{idea.id}/follow", {"follow": "add"})
    assert response.status_code == 302 and response.location == f"/ideas/{idea.id}"
    assert rules.is_following(idea.id, org.other_employee.id)
    assert 'name="follow" value="remove"' in browser.get(f"/ideas/{idea.id}").get_data(as_text=True)

    fragment = browser.post(
        f"/ideas/{idea.id}/follow", {"follow": "remove"}, headers={"HX-Request": "true"}
    )
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and body.lstrip().startswith('<form class="follow"')
    assert 'value="add"' in body
    assert not rules.is_following(idea.id, org.other_employee.id)
    # Unfollowed: a status change no longer reaches them.
    transition(idea, "withdraw", org.employee, None)
    db.session.commit()
    assert not db.session.scalars(
        select(Notification).where(Notification.user_id == org.other_employee.id)
    ).all()


def test_a_withdrawn_idea_can_be_unfollowed_but_not_followed(browser, new_browser, org):
    idea = make_idea(org.employee, department=org.service)
    transition(idea, "withdraw", org.employee, None)
    db.session.commit()
    browser.login(org.other_employee)
    assert browser.post(f"/ideas/{idea.id}/follow", {"follow": "add"}).status_code == 403
    author = new_browser()
    author.login(org.employee)
    assert author.post(f"/ideas/{idea.id}/follow", {"follow": "remove"}).status_code == 302
    assert db.session.get(Follow, (idea.id, org.employee.id)).following is False


def test_settings_are_saved_per_kind_and_linked_from_the_account_page(browser, org):
    browser.login(org.employee)
    assert "/notifications/settings" in browser.get("/account").get_data(as_text=True)
    page = browser.get("/notifications/settings").get_data(as_text=True)
    assert 'name="status" value="email" checked' in page
    assert 'name="top_ideas" value="email"' not in page  # not a choice for the digest kind
    choices = {kind: "in_app" for kind in rules.PREFERENCES} | {
        "status": "digest", "comment": "off", "top_ideas": "off"
    }  # fmt: skip
    response = browser.post("/notifications/settings", choices)
    assert response.status_code == 302
    stored = dict(db.session.execute(
        select(NotificationPreference.kind, NotificationPreference.delivery)
        .where(NotificationPreference.user_id == org.employee.id)
    ).all())  # fmt: skip
    assert stored["status"] == "digest" and stored["comment"] == "off"
    assert 'name="comment" value="off" checked' in browser.get("/notifications/settings").get_data(
        as_text=True
    )
    bad = browser.post("/notifications/settings", choices | {"status": "carrier-pigeon"})
    assert bad.status_code == 422


def test_notifications_never_show_an_anonymous_authors_name(new_browser, org):
    author = make_user(department=org.service, name="Wilhelmine Secret")
    idea = make_idea(author, department=org.service, anonymous=True, title="Quiet idea")
    idea_rules.set_vote(idea, org.other_employee, True)
    idea_rules.add_comment(idea, author, "Context from the author.")
    transition(idea, "withdraw", author, "Solved.")
    db.session.commit()
    expectations = [
        (org.other_employee, "The author changed the status"),
        (org.head, "The author submitted a new idea for Customer Service"),
    ]
    for viewer, expected in expectations:
        browser = new_browser()
        browser.login(viewer)
        page = browser.get("/notifications").get_data(as_text=True)
        assert expected in page
        assert "Wilhelmine" not in page
    # The author sees their own notifications like anyone else.
    idea2 = make_idea(author, department=org.service, anonymous=True)
    idea_rules.add_comment(idea2, org.head, "A question.", official=True)
    db.session.commit()
    browser = new_browser()
    browser.login(author)
    assert "Hanna Head gave the official answer" in browser.get("/notifications").get_data(
        as_text=True
    )


def test_the_newest_come_first_by_time_on_the_page_and_in_the_api(app, browser, org):
    """Rows written later for an earlier moment (the demo, an import, a worker catching up)
    sort by when it happened; read ones keep their place; pages walk on without repeats."""
    from datetime import timedelta

    from ..api.conftest import Api, make_token

    titles = ["Three days ago", "Just now", "Last week", "Yesterday"]
    ages = [timedelta(days=3), timedelta(0), timedelta(days=7), timedelta(days=1)]
    for title, age in zip(titles, ages, strict=True):
        idea = make_idea(org.employee, department=org.service, title=title)
        db.session.add(Notification(
            user_id=org.employee.id, kind="comment", idea_id=idea.id,
            actor_id=org.other_employee.id, delivery="in_app", created_at=now() - age,
            read_at=now() if title == "Yesterday" else None,
        ))  # fmt: skip
    db.session.commit()
    newest_first = ["Just now", "Yesterday", "Three days ago", "Last week"]

    app.config["NOTIFICATIONS_PER_PAGE"] = 3
    browser.login(org.employee)
    first = browser.get("/notifications").get_data(as_text=True)
    older = re.search(r'href="(/notifications\?before=\d+)"', first).group(1)
    second = browser.get(older).get_data(as_text=True)
    shown = [t for page in (first, second) for t in sorted(
        (t for t in titles if t in page), key=page.index)]  # fmt: skip
    assert shown == newest_first

    api = Api(app, make_token(org.employee))
    body = api.get("/notifications").get_json()
    listed = [item["idea_title"] for item in body["items"]]
    more = api.get(f"/notifications?before={body['next_before']}").get_json()
    listed += [item["idea_title"] for item in more["items"]]
    assert listed == newest_first
