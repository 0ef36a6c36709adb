"""Outgoing webhooks: configured by admins, refused when unsafe, delivered to a real HTTP
server on 127.0.0.1 through the outbox, signed."""

import hashlib
import hmac
import time

import pytest
from sqlalchemy import select

from suggestions.core.errors import DomainError
from suggestions.core.extensions import db
from suggestions.ideas import rules as idea_rules
from suggestions.ideas.models import EventKind, IdeaStatus
from suggestions.notify import rules, webhooks
from suggestions.notify.models import OutboxMessage, OutboxStatus, Webhook
from suggestions.workflow.lifecycle import transition

from ..factories import make_idea, make_user

ALL_EVENTS = list(webhooks.EVENTS)


@pytest.fixture(autouse=True)
def no_mail_to_the_head(org):
    """Here only webhook calls go out: the head reads about new ideas in the app."""
    rules.save_preferences(org.head, {"queue": "in_app"})
    db.session.commit()


def send_mail(app):
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    return result.output


def hook_for(org, url, events=None, secret="s3cret-s3cret-s3cret"):
    hook = webhooks.save_webhook(
        org.admin, None, name="Teams: ideas", url=url, secret=secret,
        events=events or ALL_EVENTS, active=True,
    )  # fmt: skip
    db.session.commit()
    return hook


def verify(call, secret: str) -> bool:
    """What a receiver does: recompute the signature over timestamp + "." + body."""
    timestamp = call["headers"]["X-Freiraum-Timestamp"]
    expected = (
        "sha256="
        + hmac.new(
            secret.encode(), timestamp.encode() + b"." + call["body"], hashlib.sha256
        ).hexdigest()
    )
    fresh = abs(time.time() - int(timestamp)) < 300
    return fresh and hmac.compare_digest(expected, call["headers"]["X-Freiraum-Signature"])


# ---------------------------------------------------------------- configuration


@pytest.mark.parametrize("url, message", [
    ("ftp://hooks.example.com/x", "Only http:// and https://"),
    ("javascript:alert(1)", "Only http:// and https://"),
    ("file:///etc/passwd", "Only http:// and https://"),
    ("hooks.example.com/x", "Only http:// and https://"),
    ("http://hooks.example.com/x", "Plain http:// is possible only"),
    ("https://10.1.2.3/hook", "internal network"),
    ("https://192.168.0.10/hook", "internal network"),
    ("https://169.254.169.254/latest/meta-data", "internal network"),
    ("https://[::1]/hook", "internal network"),
    ("https://[::ffff:10.0.0.1]/hook", "internal network"),
    ("https://localhost/hook", "internal network"),
    ("https://127.0.0.2/hook", "internal network"),
    ("https://0.0.0.0/hook", "internal network"),
    ("https://user:pw@hooks.example.com/x", "no user name or password"),
    ("https://", "no host name"),
])  # fmt: skip
def test_unsafe_addresses_are_refused_at_configuration(app, org, url, message):
    app.config["WEBHOOK_ALLOWED_HOSTS"] = []
    with pytest.raises(DomainError, match=message):
        hook_for(org, url)
    assert db.session.scalars(select(Webhook)).all() == []


@pytest.mark.parametrize("url", [
    "https://[64:ff9b::7f00:1]/hook",  # NAT64, well-known prefix: 127.0.0.1
    "https://[64:ff9b::a00:1]/hook",  # NAT64: 10.0.0.1
    "https://[64:ff9b::a9fe:a9fe]/latest/meta-data",  # NAT64: 169.254.169.254
    "https://[64:ff9b:1::c0a8:1]/hook",  # NAT64, local-use prefix: 192.168.0.1
    "https://[2002:7f00:1::]/hook",  # 6to4: 127.0.0.1
    "https://[2002:c0a8:1::1]/hook",  # 6to4: 192.168.0.1
    "https://[::127.0.0.1]/hook",  # IPv4-compatible
    "https://[::10.0.0.1]/hook",  # IPv4-compatible
    "https://[::ffff:127.0.0.1]/hook",  # IPv4-mapped
    "https://[::ffff:7f00:1]/hook",  # IPv4-mapped, hex spelling
    "https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/hook",  # Teredo: client 10.0.0.1
])  # fmt: skip
def test_ipv6_spellings_of_internal_addresses_are_refused(app, org, url):
    app.config["WEBHOOK_ALLOWED_HOSTS"] = []
    with pytest.raises(DomainError, match="internal network"):
        hook_for(org, url)
    assert db.session.scalars(select(Webhook)).all() == []


def test_an_ipv6_spelling_of_a_public_address_is_accepted(app, org):
    app.config["WEBHOOK_ALLOWED_HOSTS"] = []
    assert webhooks.resolve("64:ff9b::808:808", 443) == ["64:ff9b::808:808"]  # 8.8.8.8


@pytest.mark.parametrize("url", [
    "https://93.184.215.14:22/hook",
    "https://93.184.215.14:8443/hook",
    "https://93.184.215.14:6379/hook",
    "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]:5432/hook",
])  # fmt: skip
def test_only_port_443_and_configured_ports_are_accepted(app, org, url):
    app.config["WEBHOOK_ALLOWED_HOSTS"] = []
    with pytest.raises(DomainError, match="port 443"):
        webhooks.check_url(url)
    app.config["WEBHOOK_ALLOWED_PORTS"] = [22, 8443, 6379, 5432]
    assert webhooks.check_url(url)[2] in {22, 8443, 6379, 5432}
    assert webhooks.check_url("https://93.184.215.14/hook")[2] == 443


def test_delivery_checks_the_address_it_resolves_at_that_moment(app, org, monkeypatch):
    """DNS rebinding: the name resolved to a public address when saved, to loopback when sent."""
    app.config["WEBHOOK_ALLOWED_HOSTS"] = []
    answers = iter(["93.184.215.14", "::ffff:127.0.0.1"])

    def getaddrinfo(host, port, *args, **kwargs):
        return [(None, None, None, "", (next(answers), port))]

    connected = []
    monkeypatch.setattr(webhooks.socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(
        webhooks.socket, "create_connection", lambda *a, **k: connected.append(a) or 1 / 0
    )
    hook_for(org, "https://hooks.example.com/hook", events=["idea.submitted"])
    make_idea(org.employee, department=org.service)
    send_mail(app)
    assert connected == []
    error = db.session.scalars(select(OutboxMessage.last_error)).one()
    assert error.startswith("Refused:")


def test_allow_listed_hosts_may_use_http_and_internal_addresses(app, org):
    hook = hook_for(org, "http://127.0.0.1:9/hook")
    assert hook.url == "http://127.0.0.1:9/hook"
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ["10.0.0.0/8"]
    assert webhooks.resolve("10.1.2.3", 443) == ["10.1.2.3"]
    with pytest.raises(DomainError):
        webhooks.check_url("http://10.1.2.3/hook")  # networks allow addresses, not plain http


def test_a_new_webhook_gets_a_random_secret_and_an_edit_keeps_it(org):
    hook = hook_for(org, "http://127.0.0.1:9/a", secret=None)
    assert len(hook.secret) >= 32
    secret = hook.secret
    webhooks.save_webhook(org.admin, hook, name="Renamed", url=hook.url, secret="",
                          events=["idea.submitted"], active=False)  # fmt: skip
    assert hook.secret == secret and hook.events == "idea.submitted" and not hook.active


# ---------------------------------------------------------------- delivery


def test_an_idea_event_is_posted_signed_in_a_format_teams_and_slack_accept(
    app, org, webhook_receiver
):
    hook = hook_for(org, webhook_receiver.url)
    idea = make_idea(org.employee, department=org.service, title="Refunds <on> the spot")
    previous, idea.status = idea.status, IdeaStatus.IN_REVIEW
    idea_rules.record_event(idea, org.head, EventKind.STATUS_CHANGED, from_status=previous,
                            to_status=IdeaStatus.IN_REVIEW, note="Looking into it.")  # fmt: skip
    db.session.commit()
    assert "2 sent" in send_mail(app)

    submitted, changed = webhook_receiver.calls
    assert submitted["path"] == "/hooks/freiraum?channel=ideas"
    for call in (submitted, changed):
        assert call["headers"]["Content-Type"].startswith("application/json")
        assert verify(call, hook.secret)
        assert not verify(call, "another secret")
    payload = changed["json"]
    link = f"https://freiraum.example.test/ideas/{idea.id}"
    # Slack and Teams both show `text`; Slack escapes <, > and & in it.
    assert payload["text"] == (
        "Hanna Head changed the status of “Refunds &lt;on&gt; the spot” to In review. "
        f"<{link}|Open the idea>"
    )
    facts = {f["name"]: f["value"] for f in payload["sections"][0]["facts"]}
    assert facts["Status"] == "In review" and facts["Department"] == "Customer Service"
    assert payload["@type"] == "MessageCard"
    assert payload["attachments"][0]["title_link"] == link
    assert payload["freiraum"]["event"] == "idea.status_changed"
    assert payload["freiraum"]["to_status"] == "in_review"
    assert payload["freiraum"]["note"] == "Looking into it."
    assert payload["freiraum"]["idea"]["url"] == link
    assert changed["headers"]["X-Freiraum-Event"] == "idea.status_changed"

    db.session.expire_all()
    assert hook.last_delivery_ok is True and hook.last_delivery_at is not None


def test_only_subscribed_events_are_sent(app, org, webhook_receiver):
    hook_for(org, webhook_receiver.url, events=["idea.official_answer"])
    idea = make_idea(org.employee, department=org.service)
    idea_rules.add_comment(idea, org.other_employee, "A plain comment")
    idea_rules.add_comment(idea, org.head, "The answer", official=True)
    db.session.commit()
    send_mail(app)
    assert [c["json"]["freiraum"]["event"] for c in webhook_receiver.calls] == [
        "idea.official_answer"
    ]


def test_an_anonymous_author_is_never_named_to_a_channel(app, org, webhook_receiver):
    hook_for(org, webhook_receiver.url)
    author = make_user(department=org.service, name="Wilhelmine Secret")
    idea = make_idea(author, department=org.service, anonymous=True)
    idea_rules.add_comment(idea, author, "Me again", official=False)
    transition(idea, "withdraw", author, "Solved.")
    db.session.commit()
    send_mail(app)
    assert len(webhook_receiver.calls) == 3
    for call in webhook_receiver.calls:
        assert b"Wilhelmine" not in call["body"]
    assert webhook_receiver.calls[-1]["json"]["freiraum"]["actor"] == "The author"


def test_a_failing_receiver_is_retried_with_backoff_then_delivered_once(
    app, org, webhook_receiver, clock
):
    hook = hook_for(org, webhook_receiver.url, events=["idea.submitted"])
    webhook_receiver.answers = [503, 500]
    make_idea(org.employee, department=org.service)
    assert "1 to retry" in send_mail(app)
    db.session.expire_all()
    assert hook.last_delivery_ok is False and "HTTP 503" in hook.last_delivery_error
    assert "0 sent" in send_mail(app)
    clock.advance(minutes=1, seconds=5)
    assert "1 to retry" in send_mail(app)
    clock.advance(minutes=2, seconds=5)
    assert "1 sent" in send_mail(app)
    assert len(webhook_receiver.calls) == 3
    # The same body each time, signed anew with the time of each attempt.
    assert len({c["body"] for c in webhook_receiver.calls}) == 1
    assert all(verify(c, hook.secret) for c in webhook_receiver.calls)
    db.session.expire_all()
    assert hook.last_delivery_ok is True and hook.last_delivery_error is None


def test_a_client_error_fails_at_once_and_the_admin_sees_it(app, org, webhook_receiver, browser):
    hook_for(org, webhook_receiver.url, events=["idea.submitted"])
    webhook_receiver.answers = [404]
    make_idea(org.employee, department=org.service)
    assert "1 failed" in send_mail(app)
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.channel == "webhook")
    ).one()
    assert message.status == OutboxStatus.FAILED and message.attempts == 1
    browser.login(org.admin)
    page = browser.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "HTTP 404" in page and "Teams: ideas" in page
    listing = browser.get("/admin/webhooks").get_data(as_text=True)
    assert "failed" in listing and "HTTP 404" in listing


def test_an_address_that_turned_unsafe_is_refused_at_delivery(app, org, webhook_receiver):
    hook_for(org, webhook_receiver.url, events=["idea.submitted"])
    app.config["WEBHOOK_ALLOWED_HOSTS"] = []  # the operator took 127.0.0.1 off the list
    make_idea(org.employee, department=org.service)
    assert "1 failed" in send_mail(app)
    assert webhook_receiver.calls == []
    error = db.session.scalars(select(OutboxMessage.last_error)).one()
    assert error.startswith("Refused:")


def test_a_silent_receiver_times_out_quickly(app, org):
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    try:
        app.config["WEBHOOK_TIMEOUT"] = 0.5
        hook_for(org, f"http://127.0.0.1:{listener.getsockname()[1]}/slow",
                 events=["idea.submitted"])  # fmt: skip
        make_idea(org.employee, department=org.service)
        started = time.monotonic()
        assert "1 to retry" in send_mail(app)
        assert time.monotonic() - started < 5
    finally:
        listener.close()


# ---------------------------------------------------------------- admin pages


def test_admins_create_edit_and_delete_webhooks(browser, org):
    browser.login(org.admin)
    assert "No webhooks yet." in browser.get("/admin/webhooks").get_data(as_text=True)
    refused = browser.post("/admin/webhooks/new", {
        "name": "Bad", "url": "ftp://example.com/x", "events": ["idea.submitted"], "active": "y",
    })  # fmt: skip
    assert refused.status_code == 422
    assert "Only http:// and https://" in refused.get_data(as_text=True)
    created = browser.post("/admin/webhooks/new", {
        "name": "Slack #ideas", "url": "http://127.0.0.1:9/slack",
        "events": ["idea.submitted", "idea.status_changed"], "active": "y",
    })  # fmt: skip
    assert created.status_code == 302
    hook = db.session.scalars(select(Webhook)).one()
    assert hook.event_list == ["idea.submitted", "idea.status_changed"]
    edit_page = browser.get(f"/admin/webhooks/{hook.id}").get_data(as_text=True)
    assert hook.secret in edit_page and "X-Freiraum-Signature" in edit_page
    assert "Slack #ideas" in browser.get("/admin/webhooks").get_data(as_text=True)
    browser.post(f"/admin/webhooks/{hook.id}", {
        "name": "Slack #ideas", "url": "http://127.0.0.1:9/slack", "events": ["idea.comment"],
    })  # fmt: skip
    db.session.expire_all()
    assert hook.event_list == ["idea.comment"] and not hook.active
    assert browser.post(f"/admin/webhooks/{hook.id}/delete").status_code == 302
    assert db.session.scalars(select(Webhook)).all() == []


def test_an_idea_back_on_its_revisit_date_is_posted_to_the_channel(app, org, webhook_receiver):
    from datetime import timedelta

    from suggestions.core import clock
    from suggestions.workflow import declines

    hook_for(org, webhook_receiver.url, events=["idea.revisited"])
    idea = make_idea(org.employee, department=org.service, title="Scan the archive")
    declines.decline(idea, org.head, reason_id=None, note="Not this year.",
                     revisit_on=(clock.now() + timedelta(days=10)).date())  # fmt: skip
    db.session.commit()
    send_mail(app)
    assert webhook_receiver.calls == []  # the decline itself is not subscribed
    with clock.travel_to(clock.now() + timedelta(days=11)):
        assert declines.revisit_due(clock.now())["returned"] == 1
        send_mail(app)
    (call,) = webhook_receiver.calls
    assert call["headers"]["X-Freiraum-Event"] == "idea.revisited"
    payload = call["json"]
    assert payload["freiraum"]["event"] == "idea.revisited"
    assert payload["freiraum"]["to_status"] == "in_review"
    assert payload["text"].startswith(
        "“Scan the archive” is back in the queue of Customer Service: its revisit date has come."
    )
    assert "idea.revisited" in webhooks.EVENTS
