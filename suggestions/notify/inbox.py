"""What a person does with their notifications and follows. The caller commits."""

from __future__ import annotations

from sqlalchemy import update

from ..auth.models import User
from ..core import clock
from ..core.extensions import db
from ..ideas.models import Idea
from ..policy import require
from . import rules
from .models import Notification


def mark_read(notification: Notification, user: User) -> None:
    require(user, "notification.open", notification)
    if notification.read_at is None:
        notification.read_at = clock.now()


def mark_all_read(user: User) -> int:
    """One statement, whatever the number of unread notifications."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def set_following(idea: Idea, user: User, wanted: bool) -> bool:
    """Follow or unfollow; idempotent. Unfollowing is always possible."""
    if wanted:
        require(user, "idea.follow", idea)
        rules.follow(idea.id, user.id)
    else:
        rules.unfollow(idea.id, user.id)
    return wanted
