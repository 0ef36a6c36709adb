"""Follows, notifications, preferences, the outbox and outgoing webhooks."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.clock import now
from ..core.extensions import db
from ..ideas.models import Comment, Idea, automatic_text
from ..org.models import Department


class Delivery(StrEnum):
    """How a person wants to hear about one kind of event."""

    IN_APP = "in_app"  # the bell only
    EMAIL = "email"  # the bell and a mail at once
    DIGEST = "digest"  # the bell and the weekly digest mail
    OFF = "off"  # nothing


class Follow(db.Model):
    """A person who hears about an idea. Authors and voters follow automatically; unfollowing
    keeps the row (``following`` false) so a later vote does not silently follow again."""

    __tablename__ = "follows"
    __table_args__ = (Index("ix_follows_idea_following", "idea_id", "following", "user_id"),)

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    following: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)


class Notification(db.Model):
    """One thing one person should hear about. Shown under the bell; ``delivery`` says
    whether it was also mailed at once or waits for the weekly digest."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id", "user_id", "id"),
        Index("ix_notifications_user_created", "user_id", "created_at", "id"),
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        Index("ix_notifications_digest", "delivery", "digested_at", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    idea_id: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), index=True
    )
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("idea_events.id", ondelete="SET NULL"))
    # Who did it. NULL when nobody may be named: an anonymous author's own action
    # (``by_author`` then says "the author"), a removed account, or the system.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    by_author: Mapped[bool] = mapped_column(Boolean, default=False)
    to_status: Mapped[str | None] = mapped_column(String(20))
    # The department concerned (a transfer's destination, the queue a new idea landed in).
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL")
    )
    # Public text worth repeating: the note of a status change, the department of a transfer.
    # ``detail`` is what the reader sees: this, or the automatic sentence of ``detail_key``.
    written_detail: Mapped[str | None] = mapped_column("detail", Text)
    detail_key: Mapped[str | None] = mapped_column(String(40))  # an AUTOMATIC_TEXTS key
    delivery: Mapped[str] = mapped_column(String(10), default=Delivery.IN_APP)
    created_at: Mapped[datetime] = mapped_column(default=now)
    read_at: Mapped[datetime | None]
    digested_at: Mapped[datetime | None]

    idea: Mapped[Idea | None] = relationship()
    comment: Mapped[Comment | None] = relationship()
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    department: Mapped[Department | None] = relationship()

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} for {self.user_id}>"

    @property
    def detail(self) -> str | None:
        return automatic_text(self.detail_key) or self.written_detail

    @detail.setter
    def detail(self, value: str | None) -> None:
        self.written_detail = value


class NotificationPreference(db.Model):
    """A person's choice for one kind of event; without a row the kind's default applies."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    delivery: Mapped[str] = mapped_column(String(10))


class DigestLog(db.Model):
    """When a person last got the weekly digest: a second run in the same week sends nothing."""

    __tablename__ = "digest_log"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    sent_at: Mapped[datetime] = mapped_column(default=now)


class ReminderLog(db.Model):
    """Reminders already sent, by a key that names what and when ("commitment:7:due"), so
    the reminder run can be repeated at any rate without repeating a reminder."""

    __tablename__ = "reminder_log"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(default=now)


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a worker until ``locked_until``
    SENT = "sent"
    FAILED = "failed"  # gave up: visible to admins, who may retry


class Channel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class OutboxMessage(db.Model):
    """A mail or a webhook call waiting to go out. Written in the transaction of the event
    that caused it; sent later by ``flask send-mail`` with retries."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at", "id"),
        Index("ix_outbox_webhook_id", "webhook_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.PENDING)
    # What it is about, for the admin list ("status_changed", "digest", "idea.submitted").
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))  # a mail address, or the webhook's name
    webhook_id: Mapped[int | None] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    subject: Mapped[str | None] = mapped_column(String(255))
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(5))
    payload: Mapped[str | None] = mapped_column(Text)  # JSON for a webhook
    # A mail to the anonymous author of the idea it is about: the admin pages show neither
    # its address nor its subject, so the outbox cannot tie the person to the idea.
    discreet: Mapped[bool] = mapped_column(Boolean, default=False)
    # One file sent with the mail (the monthly review pack's PDF), stored with the message.
    attachment_name: Mapped[str | None] = mapped_column(String(120))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=now)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    locked_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=now)
    sent_at: Mapped[datetime | None]

    webhook: Mapped[Webhook | None] = relationship()

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.channel} {self.status}>"


class Webhook(db.Model):
    """An outgoing webhook configured by an admin (a Teams or Slack channel, or any receiver
    that checks the signature)."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(200))
    # Space-separated event names (see webhooks.EVENTS).
    events: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_delivery_at: Mapped[datetime | None]
    last_delivery_ok: Mapped[bool | None] = mapped_column(Boolean)
    last_delivery_error: Mapped[str | None] = mapped_column(String(500))

    @property
    def event_list(self) -> list[str]:
        return [e for e in (self.events or "").split() if e]

    def __repr__(self) -> str:  # never the secret
        return f"<Webhook {self.id} {self.name!r}>"
