"""The sending side of the outbox: claim what is due, hand mails to the mailer and webhook
calls to ``webhooks``, record each outcome (``flask send-mail``, and each round of
``flask worker``)."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app

from . import mailer, webhooks
from .models import Channel, OutboxStatus
from .outbox import (
    Claimed,
    DeliveryError,
    RunStats,
    claim,
    message_lease,
    record_failure,
    record_sent,
)

log = logging.getLogger(__name__)


def run_once(*, batch_size: int | None = None, max_batches: int = 1000) -> RunStats:
    """Send everything that is due now, batch by batch, recording each message as it goes."""
    batch_size = batch_size or current_app.config["OUTBOX_BATCH_SIZE"]
    lease = message_lease()
    stats = RunStats()
    for _ in range(max_batches):
        batch = claim(batch_size, lease)
        if not batch:
            break
        mails = [m for m in batch if m.channel == Channel.EMAIL]
        calls = [m for m in batch if m.channel == Channel.WEBHOOK]
        # The mailer gives each outcome as soon as it is known (a list works too).
        for message, error in mailer.send_batch(mails) if mails else ():
            _record(message, error, stats, lease)
        for message in calls:
            try:
                error = webhooks.send(message)
            except Exception as unexpected:  # never leave the rest of the batch claimed
                log.exception("Unexpected error while calling webhook message %s", message.id)
                error = DeliveryError(f"Unexpected error: {unexpected!r}")
            _record(message, error, stats, lease)
        if len(batch) < batch_size:
            break
    return stats


def _record(message: Claimed, error: DeliveryError | None, stats: RunStats, lease: timedelta):
    """Record one outcome and renew the lease of what this worker still holds, in one short
    transaction, before the next message is sent."""
    if error is None:
        record_sent(message, renew=lease)
        stats.sent += 1
        return
    status = record_failure(message, error, renew=lease)
    if status == OutboxStatus.FAILED:
        stats.failed += 1
        log.warning("Outbox message %s failed for good: %s", message.id, error)
    else:
        stats.retrying += 1
        log.info("Outbox message %s will be retried: %s", message.id, error)
