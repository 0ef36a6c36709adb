"""The weekly digest, reminders, and demo data that rings the bell."""

import pytest
from sqlalchemy import func, select

from suggestions.core import clock as app_clock
from suggestions.core.extensions import db
from suggestions.ideas import rules as idea_rules
from suggestions.notify import reminders, rules
from suggestions.notify.models import Notification, OutboxMessage
from suggestions.notify.reminders import Reminder
from suggestions.notify.rules import Occurrence

from ..factories import make_idea, make_user


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def digests() -> dict[str, OutboxMessage]:
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "digest"))
    return {m.recipient: m for m in rows}


def test_the_digest_collects_what_was_set_to_digest_and_the_top_new_ideas(app, org, smtp_server):
    rules.save_preferences(org.employee, {"comment": "digest"})
    for person in (org.other_employee, org.head, org.other_head, org.leader, org.admin):
        rules.save_preferences(person, {"top_ideas": "off"})
    idea = make_idea(org.employee, department=org.service, title="Paperless travel")
    popular = make_idea(org.other_employee, department=org.sales, title="Shared calendar")
    for voter in (org.head, org.leader, org.admin):
        idea_rules.set_vote(popular, voter, True)
    idea_rules.add_comment(idea, org.other_employee, "Good one.")
    idea_rules.add_comment(idea, org.leader, "Agreed.")
    db.session.commit()

    assert "1 digest mail(s) queued" in run(app, "send-digest")
    assert set(digests()) == {org.employee.email}
    run(app, "send-mail")
    (mail,) = [m for m in smtp_server.recorder.to(org.employee.email)
               if m["Subject"] == "[Freiraum] Your week on Freiraum"]  # fmt: skip
    plain = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Otto Other commented on “Paperless travel”." in plain
    assert "Lea Leader commented on “Paperless travel”." in plain
    # Top new ideas: most votes first, with links back.
    top = plain.split("Top new ideas this week")[1]
    assert top.index("Shared calendar (Sales; 3 votes)") < top.index("Paperless travel")
    assert f"https://freiraum.example.test/ideas/{popular.id}" in plain
    assert 'href="https://freiraum.example.test/notifications/settings"' in html
    # Collected ones are marked, so the next digest does not repeat them.
    pending = db.session.scalar(select(func.count()).where(
        Notification.user_id == org.employee.id, Notification.digested_at.is_(None),
        Notification.delivery == "digest",
    ))  # fmt: skip
    assert pending == 0


def test_a_second_run_in_the_same_week_sends_nothing_again(app, org, clock):
    make_idea(org.employee, department=org.service)
    count = len(org.everyone)  # everyone wants the top ideas by default
    assert f"{count} digest mail(s) queued" in run(app, "send-digest")
    assert len(digests()) == count
    assert "0 digest mail(s)" in run(app, "send-digest")
    clock.advance(days=7)
    fresh = make_idea(org.other_employee, department=org.sales)
    fresh.created_at = app_clock.now()  # a new idea of the new week
    db.session.commit()
    assert f"{count} digest mail(s)" in run(app, "send-digest")


def test_nothing_to_say_means_no_digest(app, org):
    for person in org.everyone:
        rules.save_preferences(person, {"top_ideas": "off"})
    db.session.commit()
    make_idea(org.employee, department=org.service)
    assert "0 digest mail(s)" in run(app, "send-digest")


def test_an_anonymous_idea_in_the_digest_names_nobody(app, org):
    author = make_user(department=org.service, name="Wilhelmine Secret")
    rules.save_preferences(org.other_employee, {"status": "digest"})
    idea = make_idea(author, department=org.service, anonymous=True, title="Secret plan")
    idea_rules.set_vote(idea, org.other_employee, True)
    from suggestions.workflow.lifecycle import transition

    transition(idea, "withdraw", author, None)
    db.session.commit()
    run(app, "send-digest")
    for message in digests().values():
        assert "Wilhelmine" not in message.body_text + message.body_html
    mine = digests()[org.other_employee.email].body_text
    assert "The author changed the status of “Secret plan” to Withdrawn." in mine


def test_reminders_come_from_registered_sources_and_are_sent_once(app, org, monkeypatch):
    idea = make_idea(org.employee, department=org.service, title="Late idea")
    monkeypatch.setattr(reminders, "SOURCES", [])
    assert "No reminder sources" in run(app, "send-reminders")

    @reminders.reminder_source
    def overdue(moment):
        yield Reminder(f"idea:{idea.id}:sla", Occurrence(kind="sla_overdue", idea=idea))
        yield Reminder(
            f"idea:{idea.id}:sla:escalated",
            Occurrence(kind="sla_overdue_escalated", idea=idea),
        )

    assert "2 reminder(s) delivered" in run(app, "send-reminders")
    got = db.session.scalars(select(Notification).where(Notification.kind == "sla_overdue"))
    # The head hears twice (overdue, then escalated); leadership only when escalated.
    assert sorted(n.user_id for n in got) == sorted([org.head.id, org.head.id, org.leader.id])
    assert "0 reminder(s) delivered" in run(app, "send-reminders")


@pytest.mark.demo
def test_the_demo_rings_the_bell(app, browser):
    from types import SimpleNamespace

    from suggestions.devtools import demo

    for email in ("employee@freiraum.example", "head.service@freiraum.example"):
        browser.login(SimpleNamespace(email=email), password=demo.PASSWORD)
        page = browser.get("/ideas").get_data(as_text=True)
        assert 'class="bell-count"' in page, email
        assert browser.logout().status_code == 302
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) > 0


def _kinds(kind: str) -> list[int]:
    query = select(Notification.user_id).where(Notification.kind == kind)
    return sorted(db.session.scalars(query))


def test_commitments_remind_the_owner_when_due_soon_and_leadership_when_overdue(app, org, clock):
    from datetime import timedelta

    from suggestions.workflow import lifecycle

    idea = make_idea(org.employee, department=org.service)
    lifecycle.accept(idea, org.leader, owner=org.head, promise="We fix the form.",
                     due_on=(app_clock.now() + timedelta(days=10)).date())  # fmt: skip
    db.session.commit()
    run(app, "send-reminders")
    assert _kinds("commitment_due") == []
    clock.advance(days=8)
    assert "1 reminder(s)" in run(app, "send-reminders")
    assert _kinds("commitment_due") == [org.head.id]
    assert "0 reminder(s)" in run(app, "send-reminders")  # once, however often it runs
    clock.advance(days=3)
    assert "1 reminder(s)" in run(app, "send-reminders")
    assert _kinds("commitment_overdue") == sorted([org.head.id, org.leader.id])
    note = db.session.scalars(
        select(Notification).where(Notification.kind == "commitment_overdue")
    ).first()
    assert note.detail == "We fix the form."


def test_an_idea_past_its_clock_reminds_the_heads_then_leadership_at_twice_the_time(
    app, org, clock
):
    make_idea(org.employee, department=org.service)  # first response due within 7 days
    clock.advance(days=6)
    run(app, "send-reminders")
    assert _kinds("sla_overdue") == []
    clock.advance(days=2)
    run(app, "send-reminders")
    assert _kinds("sla_overdue") == [org.head.id]
    run(app, "send-reminders")
    assert _kinds("sla_overdue") == [org.head.id]
    clock.advance(days=7)  # 15 days: more than twice the 7 days
    run(app, "send-reminders")
    assert _kinds("sla_overdue") == sorted([org.head.id, org.head.id, org.leader.id])
