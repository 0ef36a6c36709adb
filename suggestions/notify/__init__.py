"""Notifications: follows, the bell, preferences, mail through an outbox, the weekly digest,
reminders and outgoing webhooks. Hears about changes only through suggestions.core.signals."""

from flask import Blueprint, Flask

# Views register themselves on this blueprint; create_app imports them after all models.
bp = Blueprint("notify", __name__)


def init_app(app: Flask) -> None:
    from flask_login import current_user

    from . import cli, listeners, messages, queries, rules, worker

    listeners.connect()
    cli.init_app(app)
    worker.init_app(app)  # the worker command and its scheduled jobs

    def notification_badge():
        if not current_user or not current_user.is_authenticated:
            return None
        return queries.badge(current_user)

    def is_following(idea) -> bool:
        if not current_user or not current_user.is_authenticated:
            return False
        return rules.is_following(idea.id, current_user.id)

    app.jinja_env.globals.update(
        notification_badge=notification_badge,
        is_following=is_following,
        notification_text=messages.describe,
    )
