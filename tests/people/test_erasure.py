"""An admin erases a person (GDPR art. 17): afterwards nothing of them appears anywhere, and
what they contributed stays, without an author."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from suggestions.auth import tokens
from suggestions.auth.models import Role, User
from suggestions.core.extensions import db
from suggestions.ideas import rules
from suggestions.ideas.models import Comment, Idea, Vote
from suggestions.notify import rules as notify_rules
from suggestions.notify.models import (
    Follow,
    Notification,
    NotificationPreference,
    OutboxMessage,
    Webhook,
)
from suggestions.people import erasure

from ..api.conftest import Api, make_token
from ..factories import make_idea, make_user

NAME = "Zora Zimmermann"
EMAIL = "zora.zimmermann@example.org"


def _zora_and_her_traces(org):
    zora = make_user(Role.HEAD, org.service, name=NAME, email=EMAIL, heads=[org.service])
    zora.external_id = "oidc:https://id.example.org#zora"
    hook = Webhook(name="Teams", url="https://hooks.example.com/x", secret="s" * 32,
                   events="idea.comment idea.submitted", active=True)  # fmt: skip
    db.session.add(hook)
    db.session.commit()
    public = make_idea(zora, department=org.service, category=org.red_tape, title="Zoras idea")
    hidden = make_idea(zora, department=org.service, category=org.red_tape,
                       title="Zoras secret idea", anonymous=True)  # fmt: skip
    others = make_idea(org.employee, department=org.service, category=org.red_tape,
                       title="Erikas idea")  # fmt: skip
    rules.add_comment(others, zora, "I think this is good")
    rules.add_comment(hidden, zora, "More on my secret idea")
    rules.add_comment(public, org.employee, "Erika answers")  # a notification for Zora
    rules.set_vote(others, zora, True)
    notify_rules.follow(others.id, zora.id)
    db.session.add(NotificationPreference(user_id=zora.id, kind="comment", delivery="email"))
    db.session.add(OutboxMessage(channel="email", status="pending", kind="comment",
                                 recipient=EMAIL, subject="Hi", body_text="Hello"))  # fmt: skip
    db.session.add(OutboxMessage(channel="email", status="sent", kind="comment",
                                 recipient=org.employee.email, subject=f"{NAME} commented",
                                 body_text=f"{NAME} wrote a comment",
                                 body_html=f"<p>{NAME} wrote</p>"))  # fmt: skip
    tokens.create_token(zora, name="Zoras bot", scope="write", expires_in_days=9)
    db.session.commit()
    return zora, public, hidden, others


def test_erasure_leaves_nothing_of_the_person(browser, new_browser, org, app):
    zora, public, hidden, others = _zora_and_her_traces(org)
    zid = zora.id
    votes_before = others.vote_count
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.payload.like(f"%{NAME}%"))) >= 1  # a webhook call that names her  # fmt: skip
    zoras_browser = new_browser()
    zoras_browser.login(zora)

    browser.login(org.admin)
    confirm = browser.get(f"/admin/users/{zid}/erase").get_data(as_text=True)
    assert "This cannot be undone." in confirm
    wrong = browser.post(f"/admin/users/{zid}/erase", {"confirm_email": "someone@else.org"})
    assert wrong.status_code == 422 and db.session.get(User, zid).erased_at is None
    done = browser.post(f"/admin/users/{zid}/erase", {"confirm_email": EMAIL.upper()})
    assert done.status_code == 302

    tomb = db.session.get(User, zid)
    db.session.refresh(tomb)
    assert tomb.erased_at is not None and not tomb.active and tomb.external_id is None
    assert tomb.email == erasure.tombstone_email(zid) and tomb.display_name == ""
    assert tomb.password_hash is None and tomb.headed_departments == []
    # Her contributions stay, without an author; her vote stays counted.
    assert db.session.get(Idea, public.id).author_id is None
    assert db.session.get(Idea, hidden.id).author_id is None
    assert db.session.get(Idea, others.id).vote_count == votes_before
    assert db.session.scalar(select(func.count()).select_from(Vote).where(Vote.user_id == zid)) == 1
    assert db.session.scalar(select(func.count()).select_from(Comment)
                             .where(Comment.author_id == zid)) == 0  # fmt: skip
    for model in (Follow, Notification, NotificationPreference, tokens.ApiToken):
        assert not db.session.scalar(select(func.count()).select_from(model)
                                     .where(model.user_id == zid))  # fmt: skip
    # Her session ended.
    assert zoras_browser.get("/ideas").status_code == 302

    # Outbox: her mails gone, her name out of mails and webhook calls to others.
    for message in db.session.scalars(select(OutboxMessage)):
        stored = " ".join(filter(None, (message.recipient, message.subject, message.body_text,
                                        message.body_html, message.payload)))  # fmt: skip
        assert NAME not in stored and EMAIL not in stored and "Zora Zimmermann" not in stored
    payloads = [m.payload for m in db.session.scalars(select(OutboxMessage)) if m.payload]
    assert any("Former employee" in p for p in payloads)
    assert all(json.loads(p) for p in payloads)

    # Every surface, for every role.
    pages = ["/ideas", f"/ideas/{public.id}", f"/ideas/{hidden.id}", f"/ideas/{others.id}",
             "/ideas?q=Zimmermann", "/ideas?q=zora.zimmermann", "/commitments", "/insights",
             "/notifications",
             "/admin/users", "/admin/users?q=zora", "/admin/outbox", "/admin/tokens",
             "/admin/departments", "/ideas/export.csv", "/you-said-we-did"]  # fmt: skip
    for person in (org.admin, org.leader, org.head, org.employee):
        visitor = new_browser()
        visitor.login(person)
        for url in pages:
            response = visitor.get(url)
            body = response.get_data(as_text=True)
            if (
                "?q=" in url and response.status_code == 200
            ):  # the page repeats what was typed: it must find nothing
                nothing = ("Try other or fewer words.", "Nobody matches this search.")
                assert any(text in body for text in nothing), (person, url)
                continue
            assert "Zimmermann" not in body and "zora.zimmermann" not in body, (person, url)
        api = Api(app, make_token(person, "read"))
        for url in [f"/ideas/{public.id}", f"/ideas/{others.id}/comments", "/ideas",
                    f"/ideas/{hidden.id}/comments", "/notifications", "/departments"]:  # fmt: skip
            body = api.get(url).get_data(as_text=True)
            assert "Zimmermann" not in body and "zora.zimmermann" not in body, (person, url)
    idea_page = browser.get(f"/ideas/{public.id}").get_data(as_text=True)
    assert "Former employee" in idea_page
    assert "Former employee" in browser.get(f"/ideas/{others.id}").get_data(as_text=True)


def test_an_erased_account_stays_erased(browser, org):
    zora = make_user(name=NAME, email=EMAIL)
    db.session.commit()
    erasure.erase(org.admin, zora, confirm_email=EMAIL)
    db.session.commit()
    browser.login(org.admin)
    again = browser.post(f"/admin/users/{zora.id}/erase", {"confirm_email": zora.email})
    assert again.status_code == 422 and "erased already" in again.get_data(as_text=True)
    reactivate = browser.post(f"/admin/users/{zora.id}/active", {"active": "1"})
    assert reactivate.status_code == 302
    assert not db.session.get(User, zora.id).active
    # Her address is free again: an import or sign-in with it creates a new, empty person.
    assert db.session.scalar(select(User).where(User.email == EMAIL)) is None


def test_an_admin_cannot_erase_themselves_and_others_cannot_erase(browser, new_browser, org):
    browser.login(org.admin)
    own = browser.post(f"/admin/users/{org.admin.id}/erase", {"confirm_email": org.admin.email})
    assert own.status_code == 422 and "your own account" in own.get_data(as_text=True)
    leader = new_browser()
    leader.login(org.leader)
    refused = leader.post(f"/admin/users/{org.employee.id}/erase",
                          {"confirm_email": org.employee.email})  # fmt: skip
    assert refused.status_code == 403 and db.session.get(User, org.employee.id).erased_at is None


def test_packages_with_their_own_rows_take_part(app, org):
    """Through the extension points: an audit log, say, unnames the person in the same
    transaction and adds its rows to their download."""
    from suggestions.core.registry import contribute
    from suggestions.people import personal_data

    seen = []
    contribute(app, "person.erase", lambda user: seen.append((user.id, user.email)))
    contribute(app, "person.export", lambda user: {"audit.json": [{"who": user.id}]})
    zora = make_user(name=NAME, email=EMAIL)
    db.session.commit()
    assert personal_data.data_of(zora) and "audit.json" in _names(personal_data.export_zip(zora))
    erasure.erase(org.admin, zora, confirm_email=EMAIL)
    assert seen == [(zora.id, EMAIL)]


def _names(data: bytes) -> set[str]:
    import io
    import zipfile

    return set(zipfile.ZipFile(io.BytesIO(data)).namelist())
