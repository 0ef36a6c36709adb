"""Outgoing webhooks: idea events posted as JSON to a Teams or Slack channel (or any receiver
that checks the signature), through the outbox with its retries.

Safety (SSRF): only ``https://``, or ``http://`` to a host an operator allow-listed
(``WEBHOOK_ALLOWED_HOSTS``); no address on loopback, private, link-local or otherwise
non-public ranges unless allow-listed. The address is checked when an admin saves the webhook
and again at every delivery, and the connection goes to exactly the address that was checked
(a DNS answer that changes in between cannot redirect it). Redirects are not followed.

Signature: ``X-Freiraum-Signature: sha256=<hex>``, the HMAC-SHA256 with the webhook's secret
over ``<timestamp>.<body>``, where ``X-Freiraum-Timestamp`` is the Unix time of the attempt.
A receiver recomputes it and rejects old timestamps (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import socket
import ssl
import time
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.models import User
from ..core.errors import DomainError
from ..core.extensions import db
from ..ideas.labels import STATUS_LABELS
from ..org.models import Department
from ..policy import require
from . import messages, outbox
from .mail_content import absolute_url
from .models import Webhook
from .outbox import Claimed, DeliveryError
from .rules import Occurrence, actor_fields

# Event names offered to admins; an occurrence kind "x" is sent as "idea.x" when listed here.
EVENTS = {
    "idea.submitted": _l("New idea"),
    "idea.status_changed": _l("Status changed"),
    "idea.transferred": _l("Handed to another department"),
    "idea.official_answer": _l("Official answer"),
    "idea.comment": _l("New comment"),
    "idea.escalated": _l("Sent to leadership for a decision"),
    "idea.commitment_update": _l("Progress on a commitment"),
    "idea.revisited": _l("Back in the queue on its revisit date"),
}
# Which message wording each event uses in the channel.
_WORDING = {
    "idea.submitted": "new_idea",
    "idea.status_changed": "status_changed",
    "idea.transferred": "transferred",
    "idea.official_answer": "official_answer",
    "idea.comment": "comment",
    "idea.escalated": "escalated",
    "idea.commitment_update": "commitment_update",
    "idea.revisited": "revisited",
}

MAX_RESPONSE_BYTES = 64 * 1024
USER_AGENT = "Freiraum-Webhook/1"


# ---------------------------------------------------------------- configuration


def generate_secret() -> str:
    return secrets.token_urlsafe(32)


def _allowed_entries() -> list[str]:
    return [str(e).strip().lower() for e in current_app.config["WEBHOOK_ALLOWED_HOSTS"] or []]


def host_allow_listed(host: str) -> bool:
    return host.lower().rstrip(".") in _allowed_entries()


def _address_allow_listed(address: ipaddress._BaseAddress) -> bool:
    for entry in _allowed_entries():
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue  # a host name, not a network
    return False


# IPv6 prefixes that carry an IPv4 address in their last 32 bits: NAT64 (well-known and
# local-use) and IPv4-compatible ``::a.b.c.d``. A gateway turns them into that IPv4 address.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(address: ipaddress._BaseAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 spelling leads to (mapped, compatible, NAT64, 6to4, Teredo)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]  # the client behind the relay
    if any(address in net for net in _NAT64) or address in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _public(address: ipaddress._BaseAddress) -> bool:
    """Globally reachable, and so is any IPv4 address the spelling embeds: ``[::127.0.0.1]``,
    ``[64:ff9b::a00:1]`` or ``[2002:a00:1::]`` reach inside as surely as 127.0.0.1 does."""
    inner = embedded_ipv4(address)
    if inner is not None and not (inner.is_global and not inner.is_multicast):
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return True  # ::ffff:0:0/96 itself is not "global": its IPv4 address decides
    return address.is_global and not address.is_multicast


def allowed_ports() -> set[int]:
    """443, and the ports an operator listed (``WEBHOOK_ALLOWED_PORTS``)."""
    return {443, *(int(p) for p in current_app.config["WEBHOOK_ALLOWED_PORTS"] or [])}


class UnsafeURL(DomainError):
    pass


def check_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a webhook URL that may be used; ``UnsafeURL`` otherwise."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeURL(_l("This is not a valid web address.")) from error
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise UnsafeURL(_l("Only http:// and https:// addresses can receive webhooks."))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeURL(_l("The address has no host name."))
    if parts.username or parts.password:
        raise UnsafeURL(_l("Put no user name or password into the address; use the secret."))
    if any(c.isspace() for c in url):
        raise UnsafeURL(_l("This is not a valid web address."))
    if scheme == "http" and not host_allow_listed(host):
        raise UnsafeURL(
            _l("Use https://. Plain http:// is possible only for hosts the operator allow-listed.")
        )
    port = port or (443 if scheme == "https" else 80)
    # Other ports are where internal services listen (databases, admin consoles): only 443,
    # the ports an operator listed, and any port of a host the operator allow-listed.
    if port not in allowed_ports() and not host_allow_listed(host):
        raise UnsafeURL(_l("Webhooks can use port 443 only, unless the operator allows another."))
    return scheme, host, port


def resolve(host: str, port: int) -> list[str]:
    """The addresses the webhook may connect to (checked against the SSRF rules)."""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        candidates = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            raise UnsafeURL(_l("The host name cannot be resolved.")) from error
        candidates = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if host_allow_listed(host):
        return [str(a) for a in candidates]
    refused = [a for a in candidates if not _public(a) and not _address_allow_listed(a)]
    if refused or not candidates:
        raise UnsafeURL(
            _l("The address leads to an internal network. Only an operator can allow that.")
        )
    return [str(a) for a in candidates]


def save_webhook(
    admin: User,
    webhook: Webhook | None,
    *,
    name: str,
    url: str,
    secret: str | None,
    events: list[str],
    active: bool,
) -> Webhook:
    require(admin, "admin.manage")
    scheme, host, port = check_url(url)
    resolve(host, port)
    unknown = set(events) - set(EVENTS)
    if unknown or not events:
        raise DomainError(_l("Choose at least one event."))
    if webhook is None:
        webhook = Webhook(secret=generate_secret())
        db.session.add(webhook)
    webhook.name = " ".join(name.split())[:120]
    webhook.url = url.strip()
    if secret:
        webhook.secret = secret.strip()
    webhook.events = " ".join(e for e in EVENTS if e in events)
    webhook.active = active
    db.session.flush()
    return webhook


def delete_webhook(admin: User, webhook: Webhook) -> None:
    require(admin, "admin.manage")
    db.session.delete(webhook)  # its undelivered calls go with it (ON DELETE CASCADE)


# ---------------------------------------------------------------- payload


def event_name(occurrence: Occurrence) -> str:
    return f"idea.{occurrence.kind}"


def build_payload(occurrence: Occurrence, event: str) -> dict:
    """JSON that a Teams or Slack incoming webhook shows (``text``, Teams ``sections`` and
    Slack ``attachments``), with the same facts as plain fields under ``freiraum``. An
    anonymous author acting on their own idea appears as "The author", never by name."""
    idea = occurrence.idea
    actor_id, by_author = actor_fields(occurrence)
    actor = db.session.get(User, actor_id) if actor_id else None
    department = db.session.get(Department, occurrence.department_id or idea.owning_department_id)
    link = absolute_url("ideas.show", idea_id=idea.id)
    language = current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        actor_name = messages.actor_label(actor.display_name if actor else None, by_author)
        values = {
            "title": idea.title,
            "status": occurrence.to_status or idea.status,
            "department": department.name if department else "",
        }
        sentence = messages.sentence(_WORDING[event], actor=actor_name, **values)
        status_label = str(STATUS_LABELS.get(idea.status, idea.status))
        facts = [
            (str(_l("Idea")), messages.one_line(idea.title)),
            (str(_l("Status")), status_label),
            (str(_l("Department")), department.name if department else "—"),
            (str(_l("Votes")), str(idea.vote_count)),
        ]
        open_label = str(_l("Open the idea"))
        note = occurrence.detail_text()  # in the organisation's language, like the sentence
    text = f"{_slack_escape(sentence)} <{link}|{_slack_escape(open_label)}>"
    return {
        "text": text,
        # Microsoft Teams (Office 365 connector card)
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": sentence[:120],
        "title": "Freiraum",
        "sections": [
            {
                "activityTitle": sentence,
                "facts": [{"name": n, "value": v} for n, v in facts],
            }
        ],
        "potentialAction": [
            {"@type": "OpenUri", "name": open_label, "targets": [{"os": "default", "uri": link}]}
        ],
        # Slack (attachment fields)
        "attachments": [
            {
                "fallback": sentence,
                "title": messages.one_line(idea.title),
                "title_link": link,
                "fields": [{"title": n, "value": v, "short": True} for n, v in facts],
            }
        ],
        # Everything again as plain data, for receivers of our own.
        "freiraum": {
            "event": event,
            "idea": {
                "id": idea.id,
                "title": idea.title,
                "status": idea.status,
                "department": department.name if department else None,
                "votes": idea.vote_count,
                "url": link,
            },
            "from_status": occurrence.from_status,
            "to_status": occurrence.to_status,
            "note": note,
            "actor": actor_name,
            "comment_id": occurrence.comment_id,
        },
    }


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def enqueue_for(occurrence: Occurrence) -> int:
    """Queue a call to every active webhook that subscribed to this event."""
    event = event_name(occurrence)
    if event not in EVENTS:
        return 0
    hooks = [
        h
        for h in db.session.scalars(select(Webhook).where(Webhook.active.is_(True)).limit(100))
        if event in h.event_list
    ]
    if not hooks:
        return 0
    payload = build_payload(occurrence, event)
    for hook in hooks:
        outbox.enqueue_webhook(hook, event, payload)
    return len(hooks)


# ---------------------------------------------------------------- delivery


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever DNS says by now."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def send(message: Claimed) -> DeliveryError | None:
    """POST one queued call. None when the receiver answered 2xx."""
    if not message.webhook_url or not message.webhook_active:
        return DeliveryError("The webhook is switched off or removed.", permanent=True)
    try:
        scheme, host, port = check_url(message.webhook_url)
        addresses = resolve(host, port)
    except UnsafeURL as error:
        return DeliveryError(f"Refused: {error.message}", permanent=True)
    body = (message.payload or "{}").encode()
    timestamp = str(int(time.time()))
    path = urlsplit(message.webhook_url).path or "/"
    query = urlsplit(message.webhook_url).query
    target = path + (f"?{query}" if query else "")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Freiraum-Event": json.loads(body).get("freiraum", {}).get("event", ""),
        "X-Freiraum-Delivery": str(message.id),
        "X-Freiraum-Timestamp": timestamp,
        "X-Freiraum-Signature": sign(message.webhook_secret or "", timestamp, body),
    }
    timeout = current_app.config["WEBHOOK_TIMEOUT"]
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, addresses[0], timeout)
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(MAX_RESPONSE_BYTES)
        status = response.status
    except (OSError, http.client.HTTPException) as error:
        return DeliveryError(f"No answer from the receiver: {error or type(error).__name__}")
    finally:
        connection.close()
    if 200 <= status < 300:
        return None
    # A redirect (not followed) or a 4xx says the address or token is wrong: trying again
    # cannot help, except after "timeout" and "too many requests".
    permanent = status < 500 and status not in {408, 425, 429}
    return DeliveryError(f"The receiver answered HTTP {status}.", permanent=permanent)
