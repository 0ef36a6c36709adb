"""Moderation: report, hide with a visible reason, the author told, review, show again; and a
hidden item out of search, lists, exports, the API and digests."""

import pytest
from sqlalchemy import select

from suggestions.auth import tokens
from suggestions.core.errors import DomainError, NotAllowed
from suggestions.core.extensions import db
from suggestions.governance import moderation
from suggestions.governance.models import AuditEntry, ModerationStep, Moderator, Report
from suggestions.ideas import rules
from suggestions.notify import digest
from suggestions.notify.models import Notification, OutboxMessage

from ..factories import make_idea

SECRET = "Zebrafinkenhaus"  # a word nothing else contains


def kinds_of(key):
    return [s.kind for s in db.session.scalars(
        select(ModerationStep).where(ModerationStep.target_key == key).order_by(ModerationStep.id)
    )]  # fmt: skip


@pytest.fixture
def reported(org):
    idea = make_idea(org.employee, department=org.service, category=org.red_tape)
    comment = rules.add_comment(idea, org.other_employee, f"Call {SECRET} at home, 0171 555")
    db.session.commit()
    return idea, comment


def test_report_twice_is_refused_clearly(app, org, reported):
    idea, comment = reported
    moderation.report(org.head, idea, comment, "personal_data", "A phone number")
    with pytest.raises(DomainError, match="reported this already"):
        moderation.report(org.head, idea, comment, "offensive", "")
    assert len(db.session.scalars(select(Report)).all()) == 1


def test_report_twice_over_http_keeps_the_form_and_says_why(browser, org, reported):
    idea, comment = reported
    browser.login(org.head)
    url = f"/ideas/{idea.id}/comments/{comment.id}/report"
    assert browser.post(url, {"reason": "offensive"}).status_code == 302
    again = browser.post(url, {"reason": "other", "text": "Still there"})
    page = again.get_data(as_text=True)
    assert again.status_code == 422
    assert "reported this already" in page and "Still there" in page


def test_nobody_reports_their_own_comment(app, org, reported):
    idea, comment = reported
    with pytest.raises(NotAllowed):
        moderation.report(org.other_employee, idea, comment, "offensive", "")


def test_hiding_a_hidden_item_is_refused(app, org, reported):
    idea, comment = reported
    moderation.hide(org.admin, idea, comment, "personal_data")
    with pytest.raises(DomainError, match="hidden already"):
        moderation.hide(org.admin, idea, comment, "offensive")
    assert comment.hidden_reason == "personal_data"


def test_only_moderators_decide(app, org, reported):
    idea, comment = reported
    with pytest.raises(NotAllowed):
        moderation.hide(org.leader, idea, comment, "offensive")
    db.session.add(Moderator(user_id=org.leader.id))
    db.session.flush()
    from flask import g

    g.pop("moderator_flags", None)
    moderation.hide(org.leader, idea, comment, "offensive")
    assert comment.hidden_reason == "offensive"


def test_the_whole_round_is_on_the_record_and_in_the_audit_log(browser, new_browser, org, reported):
    idea, comment = reported
    key = f"comment:{comment.id}"
    moderation.report(org.head, idea, comment, "personal_data", "")
    db.session.commit()

    browser.login(org.admin)
    assert "Comment on" in browser.get("/moderation").get_data(as_text=True)
    response = browser.post(f"/moderation/comment/{comment.id}/hide", {"reason": "personal_data"})
    assert response.status_code == 302
    # In its place, the reason; the words are gone for everyone else.
    reader = new_browser()
    reader.login(org.other_head)
    page = reader.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Hidden by moderation: personal data" in page and SECRET not in page
    # The author is told, sees their words, changes them and asks for a review.
    told = db.session.scalars(
        select(Notification).where(Notification.user_id == org.other_employee.id)
    ).all()
    assert [n.kind for n in told] == ["moderation_hidden"]
    author = new_browser()
    author.login(org.other_employee)
    assert SECRET in author.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert author.post(f"/moderation/comment/{comment.id}/edit",
                       {"body": "Call the hotline."}).status_code == 302  # fmt: skip
    assert author.post(f"/moderation/comment/{comment.id}/review", {}).status_code == 302
    assert "review asked for" in browser.get("/moderation").get_data(as_text=True)
    # The moderator shows it again.
    assert browser.post(f"/moderation/comment/{comment.id}/show", {}).status_code == 302
    page = reader.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Call the hotline." in page and "Hidden by moderation" not in page

    assert kinds_of(key) == ["reported", "hidden", "edited", "review_requested", "shown"]
    logged = [e.kind for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    for kind in ("moderation.reported", "moderation.hidden", "moderation.edited",
                 "moderation.review_requested", "moderation.shown"):  # fmt: skip
        assert kind in logged
    record = browser.get(f"/moderation/comment/{comment.id}").get_data(as_text=True)
    assert org.head.display_name not in record  # who reported is never shown


def test_showing_a_visible_item_and_dismissing_nothing_are_refused(app, org, reported):
    idea, comment = reported
    with pytest.raises(DomainError):
        moderation.show(org.admin, idea, comment)
    with pytest.raises(DomainError):
        moderation.dismiss(org.admin, idea, comment)


def test_a_hidden_comment_is_absent_from_search_exports_api_and_digests(
    browser, app, org, reported
):
    idea, comment = reported
    moderation.hide(org.admin, idea, comment, "personal_data")
    db.session.commit()
    browser.login(org.leader)
    # Search
    found = browser.get(f"/ideas?q={SECRET}").get_data(as_text=True)
    assert f'href="/ideas/{idea.id}"' not in found and "Call" not in found
    # Exports
    for url in ("/ideas/export.csv", "/insights/figures.csv"):
        assert SECRET not in browser.get(url).get_data(as_text=True)
    # API
    token, secret = tokens.create_token(org.leader, name="t", scope="read", expires_in_days=5)
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    listed = browser.client.get(f"/api/v1/ideas/{idea.id}/comments", headers=headers)
    body = listed.get_json()
    assert listed.status_code == 200
    assert SECRET not in listed.get_data(as_text=True)
    assert body["items"][0]["body"] is None and body["items"][0]["hidden"] == "personal_data"
    searched = browser.client.get(f"/api/v1/ideas?q={SECRET}", headers=headers)
    assert searched.status_code == 200 and searched.get_json()["items"] == []
    # Digests
    digest.send_digests(force=True)
    db.session.commit()
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "digest")).all()
    assert mails, "everyone gets the week's top ideas"
    assert all(SECRET not in (m.body_text or "") + (m.body_html or "") for m in mails)


def test_a_hidden_idea_is_out_of_lists_search_api_digest_and_similar_hints(browser, org):
    idea = make_idea(org.employee, department=org.service, category=org.red_tape,
                     title=f"{SECRET} printer paper form")  # fmt: skip
    moderation.hide(org.admin, idea, None, "confidential")
    db.session.commit()
    browser.login(org.other_employee)
    assert SECRET not in browser.get("/ideas").get_data(as_text=True)
    assert f'href="/ideas/{idea.id}"' not in browser.get(f"/ideas?q={SECRET}").get_data(
        as_text=True
    )
    similar = browser.get(f"/ideas/similar?title={SECRET}+printer+paper+form").get_data(
        as_text=True
    )
    assert SECRET not in similar
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Hidden by moderation: confidential" in page and SECRET not in page
    assert [t.title for t in digest.top_new_ideas(idea.created_at.replace(year=2000), 5)] == []
    # Its author still finds it among their own ideas, with the reason.
    browser.logout()
    browser.login(org.employee)
    mine = browser.get("/ideas?mine=1").get_data(as_text=True)
    assert SECRET in mine
    export = browser.get("/ideas/export.csv")
    assert export.status_code == 403  # employees export nothing anyway


def test_moderator_flag_given_by_an_admin(browser, org):
    browser.login(org.admin)
    page = browser.get(f"/admin/users/{org.other_employee.id}").get_data(as_text=True)
    assert "Make moderator" in page
    browser.post(f"/admin/users/{org.other_employee.id}/moderator", {"moderator": "1"})
    assert db.session.get(Moderator, org.other_employee.id) is not None
    logged = db.session.scalars(select(AuditEntry.kind)).all()
    assert "moderator.granted" in logged
    browser.logout()
    browser.login(org.other_employee)
    assert browser.get("/moderation").status_code == 200


class TestHoldForApproval:
    @pytest.fixture
    def config_overrides(self, smtp_port):
        return {"HOLD_NEW_IDEAS": ["Customer Service"], "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": smtp_port}  # fmt: skip

    def test_a_held_idea_waits_and_its_clock_starts_at_approval(self, browser, org, clock=None):
        idea = make_idea(org.employee, department=org.service, category=org.red_tape,
                         title=f"{SECRET} held idea")  # fmt: skip
        other = make_idea(org.other_employee, department=org.sales, category=org.red_tape)
        assert idea.hidden_reason == "awaiting_approval" and other.hidden_reason is None
        submitted = idea.created_at
        browser.login(org.employee)
        page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
        assert "Waiting for approval" in page and SECRET in page
        browser.logout()
        browser.login(org.head)
        assert SECRET not in browser.get("/queue").get_data(as_text=True)
        browser.logout()
        browser.login(org.admin)
        assert SECRET in browser.get("/moderation").get_data(as_text=True)
        assert browser.post(f"/moderation/idea/{idea.id}/show", {}).status_code == 302
        db.session.refresh(idea)
        assert idea.hidden_reason is None and idea.created_at >= submitted
        assert "approved" in kinds_of(f"idea:{idea.id}")


def test_refused_moderation_steps_over_http_say_why(browser, org, reported):
    idea, comment = reported
    browser.login(org.admin)
    base = f"/moderation/comment/{comment.id}"
    shown = browser.post(f"{base}/show", {"note": "Looks fine."})
    assert shown.status_code == 422 and "This is not hidden." in shown.get_data(as_text=True)
    dismissed = browser.post(f"{base}/dismiss", {})
    assert dismissed.status_code == 422
    assert "There is no open report on this." in dismissed.get_data(as_text=True)
    assert browser.post(f"{base}/hide", {"reason": "personal_data"}).status_code == 302
    again = browser.post(f"{base}/hide", {"reason": "offensive", "note": f"Twice {SECRET}"})
    page = again.get_data(as_text=True)
    assert again.status_code == 422
    assert "This is hidden already." in page  # beside the "show again" form it now offers
    db.session.expire_all()
    assert comment.hidden_reason == "personal_data"
    assert kinds_of(moderation.target_key(idea, comment)) == ["hidden"]


def test_the_german_record_names_who_acted_once_and_says_report_as_a_verb(browser, org, reported):
    idea, comment = reported
    moderation.report(org.head, idea, comment, "personal_data", "")
    moderation.hide(org.admin, idea, comment, "personal_data", "")
    moderation.edit_hidden_comment(org.other_employee, idea, comment, "Call the hotline.")
    moderation.ask_review(org.other_employee, idea, comment)
    rules.add_comment(idea, org.head, "We will look at it.")
    org.admin.language = org.employee.language = "de"
    db.session.commit()

    browser.login(org.admin)
    record = browser.get(f"/moderation/comment/{comment.id}").get_data(as_text=True)
    assert '<h2 id="record-title">Verlauf</h2>' in record  # not the ledger's "Erfassen"
    # Who asked stands before the step, named once.
    assert "Otto Other</strong>\n          um Prüfung gebeten" in record
    assert "Autor" not in record
    # Under a comment, "Report" is the verb (not the ledger's kind of document, "Bericht").
    browser.login(org.employee)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert ">Melden</a>" in page and "Bericht" not in page
