"""The weekly digest (``flask --app suggestions send-digest``): what happened to your ideas
and the ideas you follow (the kinds you set to "weekly digest"), and the week's top new ideas.

Run it once a week from cron or a systemd timer. A second run within six days sends nothing
to people who already got theirs, so a repeated or overlapping run is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from ..auth.models import User
from ..core import clock
from ..core.extensions import db
from ..ideas.models import Idea, IdeaStatus, publicly_visible
from . import messages, outbox
from .mail_content import RenderedMail, absolute_url, render
from .models import Delivery, DigestLog, Notification
from .rules import deliveries_for

USERS_PER_BATCH = 200
MIN_DAYS_BETWEEN = 6


@dataclass
class TopIdea:
    id: int
    title: str
    votes: int
    comments: int
    department: str


def top_new_ideas(since: datetime, limit: int) -> list[TopIdea]:
    query = (
        select(Idea)
        .options(joinedload(Idea.owning_department))
        .where(
            Idea.created_at >= since,
            Idea.status.not_in(IdeaStatus.CLOSED),
            publicly_visible(),
        )
        .order_by(Idea.vote_count.desc(), Idea.id.desc())
        .limit(limit)
    )
    return [
        TopIdea(i.id, i.title, i.vote_count, i.comment_count, i.owning_department.name)
        for i in db.session.scalars(query)
    ]


def _pending(user_id: int, moment: datetime):
    return (
        Notification.user_id == user_id,
        Notification.delivery == Delivery.DIGEST,
        Notification.digested_at.is_(None),
        Notification.created_at <= moment,
    )


def send_digests(*, force: bool = False, moment: datetime | None = None) -> int:
    """Queue one digest mail per person who has something in it. Returns how many."""
    config = current_app.config
    moment = moment or clock.now()
    top = top_new_ideas(moment - timedelta(days=7), config["DIGEST_TOP_IDEAS"])
    max_items = config["DIGEST_MAX_ITEMS"]
    queued = 0
    last_id = 0
    while True:
        people = db.session.execute(
            select(User.id, User.email, User.language)
            .where(User.active.is_(True), User.id > last_id)
            .order_by(User.id)
            .limit(USERS_PER_BATCH)
        ).all()
        if not people:
            break
        last_id = people[-1].id
        ids = [p.id for p in people]
        last_sent = dict(
            db.session.execute(
                select(DigestLog.user_id, DigestLog.sent_at).where(DigestLog.user_id.in_(ids))
            ).all()
        )
        with_pending = set(
            db.session.scalars(
                select(Notification.user_id)
                .where(
                    Notification.user_id.in_(ids),
                    Notification.delivery == Delivery.DIGEST,
                    Notification.digested_at.is_(None),
                )
                .distinct()
            )
        )
        wants_top = deliveries_for(ids, "top_ideas")
        for person in people:
            sent_at = last_sent.get(person.id)
            if not force and sent_at and sent_at > moment - timedelta(days=MIN_DAYS_BETWEEN):
                continue
            show_top = top if wants_top[person.id] is Delivery.DIGEST else []
            if person.id not in with_pending and not show_top:
                continue
            if _queue_digest(person, show_top, moment, max_items):
                queued += 1
        db.session.commit()
    return queued


def _queue_digest(person, top: list[TopIdea], moment: datetime, max_items: int) -> bool:
    items = list(
        db.session.scalars(
            select(Notification)
            .where(*_pending(person.id, moment))
            .options(
                joinedload(Notification.idea),
                joinedload(Notification.actor),
                joinedload(Notification.department),
            )
            .order_by(Notification.id.desc())
            .limit(max_items)
        ).unique()
    )
    total = db.session.scalar(
        select(func.count()).select_from(
            select(Notification.id).where(*_pending(person.id, moment)).limit(1000).subquery()
        )
    )
    if not items and not top:
        return False
    languages = current_app.config["LANGUAGES"]
    language = (
        person.language
        if person.language in languages
        else (current_app.config["BABEL_DEFAULT_LOCALE"])
    )
    with force_locale(language):
        lines = [
            {
                "text": messages.describe(n),
                "link": absolute_url("ideas.show", idea_id=n.idea_id) if n.idea_id else None,
                "at": n.created_at,
            }
            for n in items
        ]
        ideas = [
            {
                "title": messages.one_line(t.title),
                "department": t.department,
                "votes": t.votes,
                "comments": t.comments,
                "link": absolute_url("ideas.show", idea_id=t.id),
            }
            for t in top
        ]
        subject = current_app.config["MAIL_SUBJECT_PREFIX"] + _("Your week on Freiraum")
        reason = _("You get this weekly summary because of your notification settings.")
    text, html = render(
        "digest",
        language,
        items=lines,
        more=max(total - len(items), 0),
        ideas=ideas,
        reason=reason,
        settings_link=absolute_url("notify.settings"),
        all_link=absolute_url("notify.list_notifications"),
        language=language,
    )
    outbox.enqueue_mails(
        [RenderedMail(person.email, language, "digest", subject, text, html, discreet=False)]
    )
    db.session.execute(
        update(Notification)
        .where(*_pending(person.id, moment))
        .values(digested_at=moment)
        .execution_options(synchronize_session=False)
    )
    log = db.session.get(DigestLog, person.id)
    if log is None:
        db.session.add(DigestLog(user_id=person.id, sent_at=moment))
    else:
        log.sent_at = moment
    return True
