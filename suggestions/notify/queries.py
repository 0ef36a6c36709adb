"""The read side of notifications and the outbox. Every query is bounded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, g
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..auth.models import User
from ..core import clock
from ..core.extensions import db
from ..core.kept import kept_for_person
from .models import Notification, OutboxMessage, OutboxStatus, Webhook

BADGE_CAP = 99


def unread_count(user: User, cap: int = BADGE_CAP) -> int:
    """Unread notifications, counted up to cap + 1 (the bell says "99+")."""
    limited = (
        select(Notification.id)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .limit(cap + 1)
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(limited)) or 0


def badge(user: User) -> str | None:
    """The bell's label for this request ("3", "99+"), or None when all is read. The count is
    kept per process while the person's stamp stands: a notification added, read or removed
    moves it (migration 0014_fixed), so every page but the first after a change counts none."""
    if "notification_badge" not in g:
        count = kept_for_person("unread notifications", user.id, lambda: unread_count(user))
        g.notification_badge = (
            None if not count else (f"{BADGE_CAP}+" if count > BADGE_CAP else str(count))
        )
    return g.notification_badge


@dataclass
class KeysetPage:
    items: list
    before: int | None  # the page shows items older than this id (None: the newest)
    next_before: int | None  # link to older items, if there are any


def notifications_page(user: User, before: int | None) -> KeysetPage:
    """A person's notifications, the newest first by when they happened (the page and the
    API alike). Read ones stay in place: a list that moves what one just read loses one's
    place, and the unread stand out by their look. ``before``: the last one seen (its id)."""
    per_page = current_app.config["NOTIFICATIONS_PER_PAGE"]
    query = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .options(
            joinedload(Notification.idea),
            joinedload(Notification.actor),
            joinedload(Notification.department),
        )
        # By time, not by id: rows written for a moment in the past (imports, the demo, a
        # worker catching up) have later ids than newer ones.
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(per_page + 1)
    )
    if before:
        seen = (
            select(Notification.created_at)
            .where(Notification.id == before, Notification.user_id == user.id)
            .scalar_subquery()
        )
        query = query.where(
            (Notification.created_at < seen)
            | ((Notification.created_at == seen) & (Notification.id < before))
        )
    items = list(db.session.scalars(query).unique())
    more = len(items) > per_page
    items = items[:per_page]
    return KeysetPage(items, before, items[-1].id if more and items else None)


def failed_messages(before: int | None, per_page: int = 50) -> KeysetPage:
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(OutboxMessage.id.desc())
        .limit(per_page + 1)
    )
    if before:
        query = query.where(OutboxMessage.id < before)
    items = list(db.session.scalars(query))
    more = len(items) > per_page
    items = items[:per_page]
    return KeysetPage(items, before, items[-1].id if more and items else None)


def waiting_messages(before: int | None, per_page: int = 50) -> KeysetPage:
    """Messages not yet sent (waiting for their turn or being sent), the oldest first: what
    is stuck shows at the top."""
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]))
        .order_by(OutboxMessage.id)
        .limit(per_page + 1)
    )
    if before:  # here: the page after this id
        query = query.where(OutboxMessage.id > before)
    items = list(db.session.scalars(query))
    more = len(items) > per_page
    items = items[:per_page]
    return KeysetPage(items, before, items[-1].id if more and items else None)


def outbox_counts(cap: int = 10000) -> dict[str, int]:
    """Messages failed, waiting, and sent in the last day, each counted up to ``cap``."""
    since = clock.now() - timedelta(days=1)
    conditions = {
        "failed": OutboxMessage.status == OutboxStatus.FAILED,
        "pending": OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
        "sent_today": (OutboxMessage.status == OutboxStatus.SENT)
        & (OutboxMessage.sent_at >= since),
    }
    result = {}
    for name, condition in conditions.items():
        limited = select(OutboxMessage.id).where(condition).limit(cap)
        result[name] = db.session.scalar(select(func.count()).select_from(limited.subquery()))
    return result


def webhooks() -> list[Webhook]:
    return list(db.session.scalars(select(Webhook).order_by(Webhook.name, Webhook.id).limit(200)))
