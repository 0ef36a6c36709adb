"""Mail through the outbox to a real SMTP server (aiosmtpd on 127.0.0.1), sent by the worker
command as in production."""

import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from suggestions.core.extensions import db
from suggestions.ideas import rules as idea_rules
from suggestions.ideas.models import EventKind, IdeaStatus
from suggestions.notify import outbox, rules, sending
from suggestions.notify.models import OutboxMessage, OutboxStatus
from suggestions.workflow.lifecycle import transition

from ..factories import make_idea, make_user

BASE = "https://freiraum.example.test"


def send_mail(app, *args):
    result = app.test_cli_runner().invoke(args=["send-mail", *args])
    assert result.exit_code == 0, result.output
    return result.output


def statuses() -> dict[str, int]:
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    return dict(rows)


def change_status(idea, actor, to_status, note=None):
    previous, idea.status = idea.status, to_status
    idea_rules.record_event(
        idea, actor, EventKind.STATUS_CHANGED, from_status=previous, to_status=to_status, note=note
    )
    db.session.commit()


def text_and_html(message):
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return plain, html


def test_the_author_gets_a_mail_in_their_language_with_a_link_back(app, org, smtp_server):
    org.employee.language = "de"
    db.session.commit()
    idea = make_idea(org.employee, department=org.service, title="Reisekosten vereinfachen")
    change_status(idea, org.head, IdeaStatus.IN_REVIEW, note="Wir schauen es uns an.")
    assert "sent" in send_mail(app)

    mails = smtp_server.recorder.to(org.employee.email)
    assert len(mails) == 1
    mail = mails[0]
    assert mail["To"] == org.employee.email
    assert (
        mail["Subject"].startswith("[Freiraum] ") and "Reisekosten vereinfachen" in mail["Subject"]
    )
    assert mail["Content-Language"] == "de"
    assert mail["Auto-Submitted"] == "auto-generated"
    plain, html = text_and_html(mail)
    link = f"{BASE}/ideas/{idea.id}"
    assert link in plain and f'href="{link}"' in html
    assert "Hanna Head" in plain and "Wir schauen es uns an." in plain
    # Rendered in German: the status label comes from the German catalogue.
    assert "In Prüfung" in plain and "In Prüfung" in mail["Subject"]
    assert "In review" not in plain
    assert '<html lang="de">' in html
    assert f"{BASE}/notifications/settings" in plain
    # The head who acted got nothing about their own action; they got the new idea.
    head_mails = smtp_server.recorder.to(org.head.email)
    assert [m["Subject"] for m in head_mails] == [
        "[Freiraum] New idea for Customer Service: Reisekosten vereinfachen"
    ]
    assert statuses() == {"sent": 2}


def test_english_recipients_get_english_and_mails_escape_user_text(app, org, smtp_server):
    idea = make_idea(org.employee, department=org.service, title="Less <b>paper</b> & more time")
    idea_rules.add_comment(idea, org.head, "<script>alert(1)</script> We do it.", official=True)
    db.session.commit()
    send_mail(app)
    (mail,) = [m for m in smtp_server.recorder.to(org.employee.email) if "Official" in m["Subject"]]
    assert mail["Content-Language"] == "en"
    plain, html = text_and_html(mail)
    assert "Hanna Head gave the official answer" in plain
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>paper</b>" not in html and "&lt;b&gt;paper&lt;/b&gt;" in html
    assert f"{BASE}/ideas/{idea.id}?comment=" in plain and "#comment-" in plain


def test_no_mail_reveals_an_anonymous_author(app, org, smtp_server):
    author = make_user(department=org.service, name="Wilhelmine Secret",
                       email="wilhelmine@example.org")  # fmt: skip
    idea = make_idea(author, department=org.service, anonymous=True, title="Anonymous plan")
    rules.save_preferences(org.other_employee, {"comment": "email"})
    idea_rules.set_vote(idea, org.other_employee, True)
    idea_rules.add_comment(idea, author, "More context from me.")
    transition(idea, "withdraw", author, "Solved otherwise.")
    db.session.commit()
    send_mail(app)
    others = [m for rcpts, m in smtp_server.received if author.email not in rcpts]
    assert len(others) >= 3  # the heads' new-idea mail, the voter's comment and status mails
    for mail in others:
        everything = mail.as_string() + "".join(text_and_html(mail))
        assert "Wilhelmine" not in everything and "wilhelmine" not in everything
    withdrawn = [m for m in smtp_server.recorder.to(org.other_employee.email)
                 if "Withdrawn" in m["Subject"]]  # fmt: skip
    assert "The author changed the status" in text_and_html(withdrawn[0])[0]


def test_a_down_mail_server_loses_nothing_and_delivers_each_mail_once(
    app, org, browser, smtp_server, clock
):
    smtp_server.stop()
    browser.login(org.employee)
    for n in range(3):  # requests finish while the mail server is away
        response = browser.post("/ideas/new", {
            "title": f"Idea while mail is down {n}", "problem": "p", "proposal": "q",
            "benefit": "b", "category": str(org.red_tape.id),
            "owning_department": str(org.service.id),
        })  # fmt: skip
        assert response.status_code == 302
    assert statuses() == {"pending": 3}

    assert "3 to retry" in send_mail(app)
    waiting = db.session.scalars(select(OutboxMessage)).all()
    assert {m.attempts for m in waiting} == {1}
    assert all("Cannot reach the mail server" in m.last_error for m in waiting)
    assert "0 sent, 0 to retry" in send_mail(app)  # backing off: nothing is due yet

    clock.advance(minutes=1, seconds=5)
    assert "3 to retry" in send_mail(app)  # still down: the second attempt
    db.session.expire_all()
    assert {m.attempts for m in db.session.scalars(select(OutboxMessage))} == {2}

    smtp_server.start()
    clock.advance(minutes=1, seconds=5)
    assert "0 sent" in send_mail(app)  # the second wait is two minutes
    clock.advance(minutes=1)
    assert "3 sent" in send_mail(app)
    assert "0 sent" in send_mail(app)
    subjects = sorted(m["Subject"] for _, m in smtp_server.received)
    assert subjects == [f"[Freiraum] New idea for Customer Service: Idea while mail is down {n}"
                        for n in range(3)]  # fmt: skip
    assert statuses() == {"sent": 3}


def test_after_the_last_attempt_a_message_is_failed_and_admins_can_retry(
    app, org, browser, smtp_server, clock
):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 3
    smtp_server.stop()
    make_idea(org.employee, department=org.service)
    for _ in range(3):
        send_mail(app)
        clock.advance(hours=1)
    assert statuses() == {"failed": 1}
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.attempts == 3

    browser.login(org.admin)
    page = browser.get("/admin/outbox").get_data(as_text=True)
    assert org.head.email in page and "Cannot reach the mail server" in page
    response = browser.post(f"/admin/outbox/{message.id}/retry", {})
    assert response.status_code == 302
    db.session.expire_all()
    assert statuses() == {"pending": 1}
    smtp_server.start()
    assert "1 sent" in send_mail(app)
    assert len(smtp_server.received) == 1


def test_an_invalid_address_or_a_refusal_fails_alone_and_the_queue_goes_on(app, org, smtp_server):
    broken = make_user(department=org.sales, email="broken@", name="Broken Address")
    refused = make_user(department=org.sales, email="gone@example.org")
    fine = make_user(department=org.sales, email="fine@example.org")
    smtp_server.recorder.refuse.add("gone@example.org")
    idea = make_idea(org.other_employee, department=org.sales)
    for person in (broken, refused, fine):
        idea_rules.set_vote(idea, person, True)
    db.session.commit()
    change_status(idea, org.other_head, IdeaStatus.IN_REVIEW)
    send_mail(app)
    by_recipient = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
    assert by_recipient["broken@"].status == OutboxStatus.FAILED
    assert "Invalid address" in by_recipient["broken@"].last_error
    assert by_recipient["gone@example.org"].status == OutboxStatus.FAILED
    assert "SMTP 550" in by_recipient["gone@example.org"].last_error
    assert by_recipient["fine@example.org"].status == OutboxStatus.SENT
    assert by_recipient[org.other_employee.email].status == OutboxStatus.SENT
    assert smtp_server.recorder.to("fine@example.org")


def test_two_workers_never_send_the_same_mail_twice(app, org, smtp_server):
    people = [make_user(department=org.sales) for _ in range(24)]
    idea = make_idea(org.other_employee, department=org.sales)
    for person in people:
        idea_rules.set_vote(idea, person, True)
    db.session.commit()
    change_status(idea, org.other_head, IdeaStatus.IN_REVIEW)
    total = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    assert total == 26  # 24 voters + the author + the new-idea mail to the head
    db.session.commit()
    smtp_server.recorder.delay = 0.03

    results = []

    def send():
        with app.app_context():
            results.append(sending.run_once(batch_size=3))
            db.session.remove()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sum(r.sent for r in results) == total
    assert all(r.sent > 0 for r in results)  # both took part
    recipients = [r for rcpts, _ in smtp_server.received for r in rcpts]
    assert len(recipients) == total
    ids = [m["Message-ID"] for _, m in smtp_server.received]
    assert len(set(ids)) == total
    by_person = {p.email: recipients.count(p.email) for p in people}
    assert set(by_person.values()) == {1}


def test_a_worker_that_died_mid_send_is_taken_over_after_its_lease(app, org, smtp_server, clock):
    make_idea(org.employee, department=org.service)
    claimed = outbox.claim(10, timedelta(minutes=5))  # ...and this worker never reports back
    assert len(claimed) == 1
    assert "0 sent" in send_mail(app)  # leased to the dead worker
    clock.advance(minutes=6)
    assert "1 sent" in send_mail(app)
    assert len(smtp_server.received) == 1


def test_the_loop_worker_stops_on_its_own_signal(app, org, smtp_server, monkeypatch):
    """--loop runs until SIGTERM; here the stop event is set after the first round."""
    make_idea(org.employee, department=org.service)
    import suggestions.notify.cli as cli

    real_event = threading.Event

    class StopAfterFirstWait:
        def __init__(self):
            self.event = real_event()

        def is_set(self):
            return self.event.is_set()

        def set(self):
            self.event.set()

        def wait(self, timeout=None):
            self.event.set()

    monkeypatch.setattr(cli, "threading", SimpleNamespace(Event=StopAfterFirstWait))
    monkeypatch.setattr(cli.signal, "signal", lambda *args: None)
    output = send_mail(app, "--loop", "--interval", "0.1")
    assert "1 sent" in output and "Stopped." in output
    assert len(smtp_server.received) == 1


def test_the_outbox_page_shows_failures_but_not_who_an_anonymous_author_is(
    app, org, browser, smtp_server
):
    author = make_user(department=org.service, email="hidden.author@example.org")
    idea = make_idea(author, department=org.service, anonymous=True)
    smtp_server.recorder.refuse.add("hidden.author@example.org")
    change_status(idea, org.head, IdeaStatus.NEEDS_INFO)
    send_mail(app)
    failed = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
    ).one()
    assert failed.discreet and "hidden.author@example.org" in failed.last_error
    browser.login(org.admin)
    page = browser.get("/admin/outbox").get_data(as_text=True)
    assert "hidden: the author of an anonymous idea" in page and "SMTP 550" in page
    assert "hidden.author" not in page
    # Delivered mail is only counted, never listed: it would show who follows what.
    assert org.head.email not in page


class WorkerKilled(BaseException):
    """Stands in for kill -9: nothing after it runs, no handler catches it."""


def test_a_worker_killed_mid_batch_repeats_at_most_one_mail_and_the_rest_go_soon(
    app, org, smtp_server, clock, monkeypatch
):
    from suggestions.notify import mailer

    people = [make_user(department=org.sales) for _ in range(8)]
    idea = make_idea(org.other_employee, department=org.sales)
    for person in people:
        idea_rules.set_vote(idea, person, True)
    db.session.commit()
    change_status(idea, org.other_head, IdeaStatus.IN_REVIEW)
    total = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    assert total == 10
    db.session.commit()
    really_send, sent = mailer._send_one, []

    def killed_after_the_third(smtp, message):
        really_send(smtp, message)
        sent.append(message.id)
        if len(sent) == 3:  # on the server, not yet recorded: the worst moment
            raise WorkerKilled

    monkeypatch.setattr(mailer, "_send_one", killed_after_the_third)
    with app.app_context():
        with pytest.raises(WorkerKilled):
            sending.run_once(batch_size=20)
        db.session.remove()
    monkeypatch.setattr(mailer, "_send_one", really_send)
    assert len(smtp_server.received) == 3

    assert outbox.message_lease() == timedelta(seconds=20)  # MAIL_TIMEOUT 5 s: 3 x 5 + 5
    clock.advance(seconds=21)  # one message's lease, not the batch's (here 6 minutes)
    assert f"{total - 2} sent" in send_mail(app)
    recipients = [r for rcpts, _ in smtp_server.received for r in rcpts]
    assert len(recipients) == total + 1  # the one mail in flight, again
    assert max(recipients.count(r) for r in recipients) == 2
    assert statuses() == {OutboxStatus.SENT: total}


def test_a_mail_sent_on_a_later_try_keeps_the_error_of_the_earlier_one(
    app, org, smtp_server, clock
):
    make_idea(org.employee, department=org.service)  # a mail to the head
    smtp_server.stop()
    assert "1 to retry" in send_mail(app)
    smtp_server.start()
    clock.advance(hours=1)
    assert "1 sent" in send_mail(app)
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.status == OutboxStatus.SENT and message.attempts == 2
    assert "Cannot reach the mail server" in message.last_error


def test_the_outbox_page_lists_waiting_messages_without_their_recipients(
    app, org, browser, smtp_server
):
    from suggestions.notify import queries

    make_idea(org.employee, department=org.service)  # a mail to the head
    make_idea(org.other_employee, department=org.sales)  # and one to the other head
    smtp_server.stop()
    assert "2 to retry" in send_mail(app)
    browser.login(org.admin)
    page = browser.get("/admin/outbox").get_data(as_text=True)
    waiting = page[page.index('id="waiting"') :]
    assert waiting.count("Cannot reach the mail server") == 2 and "Nothing is waiting" not in page
    assert org.head.email not in page and org.other_head.email not in page
    first = queries.waiting_messages(None, per_page=1)
    second = queries.waiting_messages(first.next_before, per_page=1)
    assert len(first.items) == len(second.items) == 1 and second.next_before is None
    assert first.items[0].id < second.items[0].id
    assert browser.get(f"/admin/outbox?waiting_after={first.next_before}").status_code == 200
