"""Notifications: follows, the bell, preferences, mail through an outbox, the weekly digest,
reminders and outgoing webhooks. Hears about changes only through suggestions.core.signals."""

from flask import Blueprint, Flask

# Views register themselves on this blueprint; create_app imports them after all models.
bp = Blueprint("notify", __name__)


def init_app(app: Flask) -> None:
    # Imported when the app is built, not with the package: importing any of its modules
    # runs this file, and these reach into other packages that may still be loading.
    from flask_login import current_user

    from ..core.registry import contribute
    from ..policy import register
    from . import cli, listeners, messages, outbox, permissions, queries, rules, worker

    register(permissions.RULES)
    contribute(app, "readiness.checks", ("outbox", outbox.readiness_check))
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

    # The idea page reads the follow box's state with the idea's row (one statement less).
    contribute(app, "idea_page.columns", (rules.following_column, rules.told_following))

    app.jinja_env.globals.update(
        notification_badge=notification_badge,
        is_following=is_following,
        notification_text=messages.describe,
    )
