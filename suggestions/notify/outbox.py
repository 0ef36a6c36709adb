"""The outbox: mails and webhook calls written in the transaction of the event that caused
them, sent later by a worker (``flask --app suggestions send-mail``).

- A request only inserts rows: a slow or dead mail server never slows or breaks it.
- Workers claim due rows in one short transaction (``SELECT ... FOR UPDATE SKIP LOCKED`` then
  ``UPDATE`` on PostgreSQL; on SQLite both run under the single write lock taken by ``BEGIN
  IMMEDIATE``), so two workers never take the same row. A claim is a lease: if its worker dies, the
  row is due again once ``locked_until`` has passed.
- No transaction is open while talking to the network: claim and commit, send, then record
  the outcome in a short transaction of its own.
- A temporary failure is retried with exponential backoff (``next_attempt_at``); a permanent
  one (5xx from the mail server, an invalid address, a refused webhook) or the last allowed
  attempt marks the row failed, visible to admins, who may send it again.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, insert, or_, select, update

from ..core import clock
from ..core.extensions import db
from .models import Channel, OutboxMessage, OutboxStatus, Webhook

log = logging.getLogger(__name__)

ERROR_LENGTH = 500


class DeliveryError(Exception):
    """Sending failed. ``permanent``: trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


# ---------------------------------------------------------------- writing


def enqueue_mails(mails: Iterable) -> int:
    """Add rendered mails (mail_content.RenderedMail) to the outbox, in the current transaction."""
    moment = clock.now()
    rows = [
        {
            "channel": Channel.EMAIL.value,
            "status": OutboxStatus.PENDING.value,
            "kind": mail.kind,
            "recipient": mail.recipient,
            "webhook_id": None,
            "subject": mail.subject[:255],
            "body_text": mail.body_text,
            "body_html": mail.body_html,
            "language": mail.language,
            "payload": None,
            "discreet": mail.discreet,
            "attachment_name": getattr(mail, "attachment_name", None),
            "attachment": getattr(mail, "attachment", None),
            "attempts": 0,
            "next_attempt_at": moment,
            "created_at": moment,
        }
        for mail in mails
    ]
    if rows:
        db.session.execute(insert(OutboxMessage), rows)
    return len(rows)


def enqueue_webhook(webhook: Webhook, event: str, payload: dict) -> None:
    moment = clock.now()
    db.session.add(
        OutboxMessage(
            channel=Channel.WEBHOOK,
            status=OutboxStatus.PENDING,
            kind=event,
            recipient=webhook.name[:254],
            webhook_id=webhook.id,
            payload=json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
            discreet=False,
            attempts=0,
            next_attempt_at=moment,
            created_at=moment,
        )
    )


# ---------------------------------------------------------------- claiming


@dataclass
class Claimed:
    """What a worker needs to send one message, copied out of the session: nothing here
    touches the database while the network is slow."""

    id: int
    channel: str
    token: str
    attempts: int
    recipient: str
    subject: str | None = None
    body_text: str | None = None
    body_html: str | None = None
    language: str | None = None
    payload: str | None = None
    webhook_id: int | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_active: bool = False
    attachment_name: str | None = None
    attachment: bytes | None = None


def _due(moment: datetime):
    return or_(
        and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= moment),
        # A worker that died mid-send: its lease has run out.
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.locked_until < moment),
    )


def claim(batch_size: int, lease: timedelta) -> list[Claimed]:
    """Take up to ``batch_size`` due messages for this worker and commit the claim.

    Two statements in one transaction: lock the due rows (PostgreSQL skips rows another
    worker holds; SQLite holds its single write lock from BEGIN IMMEDIATE), then mark them.
    Not ``UPDATE ... WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)``: PostgreSQL
    may run that subquery again for every row and so claim far more than n rows.
    """
    moment = clock.now()
    token = uuid.uuid4().hex
    candidates = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(_due(moment))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(batch_size)
            .with_for_update(skip_locked=True)
        )
    )
    claimed_ids = []
    if candidates:
        claimed_ids = list(
            db.session.scalars(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(candidates), _due(moment))
                .values(
                    status=OutboxStatus.SENDING,
                    claim_token=token,
                    locked_until=moment + lease,
                    attempts=OutboxMessage.attempts + 1,
                )
                .returning(OutboxMessage.id)
                .execution_options(synchronize_session=False)
            )
        )
    if not claimed_ids:
        db.session.commit()
        return []
    rows = db.session.execute(
        select(OutboxMessage, Webhook)
        .outerjoin(Webhook, Webhook.id == OutboxMessage.webhook_id)
        .where(OutboxMessage.id.in_(claimed_ids), OutboxMessage.claim_token == token)
        .order_by(OutboxMessage.id)
    ).all()
    result = [
        Claimed(
            id=m.id,
            channel=m.channel,
            token=token,
            attempts=m.attempts,
            recipient=m.recipient,
            subject=m.subject,
            body_text=m.body_text,
            body_html=m.body_html,
            language=m.language,
            payload=m.payload,
            webhook_id=m.webhook_id,
            webhook_url=hook.url if hook else None,
            webhook_secret=hook.secret if hook else None,
            webhook_active=bool(hook and hook.active),
            attachment_name=m.attachment_name,
            attachment=m.attachment,
        )  # fmt: skip
        for m, hook in rows
    ]
    db.session.commit()
    return result


# ---------------------------------------------------------------- outcomes


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt: base, 2x base, 4x base, ... up to the maximum."""
    config = current_app.config
    seconds = config["OUTBOX_BACKOFF_SECONDS"] * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, config["OUTBOX_BACKOFF_MAX_SECONDS"]))


def record_sent(message: Claimed, *, renew: timedelta | None = None) -> None:
    """Mark the message sent. Its ``last_error`` stays: with ``attempts`` it tells an admin
    that a mail went out only on a later try, and why the earlier ones failed."""
    moment = clock.now()
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.claim_token == message.token)
        .values(status=OutboxStatus.SENT, sent_at=moment, claim_token=None, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    _record_webhook(message, ok=True, error=None, moment=moment)
    _renew_lease(message.token, renew, moment)
    db.session.commit()


def record_failure(
    message: Claimed, error: DeliveryError, *, renew: timedelta | None = None
) -> str:
    """Schedule another attempt, or give up. Returns the new status."""
    moment = clock.now()
    give_up = error.permanent or message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
    status = OutboxStatus.FAILED if give_up else OutboxStatus.PENDING
    text = str(error)[:ERROR_LENGTH]
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.claim_token == message.token)
        .values(
            status=status,
            claim_token=None,
            locked_until=None,
            last_error=text,
            next_attempt_at=moment if give_up else moment + backoff(message.attempts),
        )
        .execution_options(synchronize_session=False)
    )
    _record_webhook(message, ok=False, error=text, moment=moment)
    _renew_lease(message.token, renew, moment)
    db.session.commit()
    return status


def _record_webhook(message: Claimed, *, ok: bool, error: str | None, moment: datetime) -> None:
    if message.channel != Channel.WEBHOOK or message.webhook_id is None:
        return
    db.session.execute(
        update(Webhook)
        .where(Webhook.id == message.webhook_id)
        .values(last_delivery_at=moment, last_delivery_ok=ok, last_delivery_error=error)
        .execution_options(synchronize_session=False)
    )


# ---------------------------------------------------------------- the worker


@dataclass
class RunStats:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.retrying} to retry, {self.failed} failed"


def message_lease() -> timedelta:
    """How long a claimed message stays with its worker: the longest one send may take (connect,
    send and quit, each up to the timeout), not the whole batch. Each recorded outcome renews
    the lease of the batch's remaining messages, so a dead worker's messages are due again
    within one lease (about 35 s), not after the batch's worth (12.7 minutes)."""
    config = current_app.config
    return timedelta(seconds=max(config["MAIL_TIMEOUT"], config["WEBHOOK_TIMEOUT"]) * 3 + 5)


def _renew_lease(token: str, lease: timedelta | None, moment: datetime) -> None:
    if lease is None:
        return
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.claim_token == token, OutboxMessage.status == OutboxStatus.SENDING)
        .values(locked_until=moment + lease)
        .execution_options(synchronize_session=False)
    )


# ---------------------------------------------------------------- admin


def retry(message: OutboxMessage) -> bool:
    """Send a failed message again soon, with a fresh set of attempts."""
    if message.status != OutboxStatus.FAILED:
        return False
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = clock.now()
    return True


def retry_all_failed() -> int:
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.FAILED)
        .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def backlog(cap: int = 100_000) -> tuple[int, datetime | None]:
    """Messages not yet sent (counted up to ``cap``, so the check stays cheap), and when the
    oldest of those already due became due (None: nothing is due)."""
    moment = clock.now()
    waiting = OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
    limited = select(OutboxMessage.id).where(waiting).limit(cap).subquery()
    count = db.session.scalar(select(func.count()).select_from(limited)) or 0
    oldest = db.session.scalar(select(func.min(OutboxMessage.next_attempt_at)).where(_due(moment)))
    return count, oldest


def readiness_check() -> dict:
    """For ``/readyz``: the outbox keeps up (README, "Production")."""
    config = current_app.config
    waiting, oldest_due = backlog()
    age = (clock.now() - oldest_due).total_seconds() if oldest_due else 0.0
    max_backlog = config["READY_OUTBOX_MAX_BACKLOG"]
    max_age = config["READY_OUTBOX_MAX_AGE_SECONDS"]
    return {
        "ok": (not max_backlog or waiting <= max_backlog) and (not max_age or age <= max_age),
        "backlog": waiting,
        "oldest_due_seconds": round(max(age, 0.0)),
        "max_backlog": max_backlog,
        "max_age_seconds": max_age,
    }


def counts() -> dict[str, int]:
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    return {status: count for status, count in rows}


def purge_sent(older_than_days: int | None = None, batch: int = 5000) -> int:
    """Forget delivered messages after a while: the table stays small, and mails (personal
    data) are not kept longer than needed."""
    from sqlalchemy import delete

    days = (
        older_than_days
        if older_than_days is not None
        else (current_app.config["OUTBOX_KEEP_SENT_DAYS"])
    )
    cutoff = clock.now() - timedelta(days=days)
    ids = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_at < cutoff)
        .limit(batch)
    )
    result = db.session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount or 0
