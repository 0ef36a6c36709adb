"""Governance: moderation, the audit log, internal notes and the privacy page."""

from flask import Blueprint, Flask

from ..core.registry import contribute

# Views register themselves on this blueprint; create_app imports them after all models.
bp = Blueprint("governance", __name__)


def init_app(app: Flask) -> None:
    from ..ideas.labels import hidden_notice
    from ..policy import register
    from . import audit, cli, listeners
    from .labels import change_text, kind_label, target_label
    from .permissions import RULES, is_moderator
    from .views import idea_page_parts

    register(RULES)
    audit.connect()
    listeners.connect()
    cli.init_app(app)
    contribute(app, "idea_page.context", idea_page_parts)
    contribute(app, "idea_page.main", "governance/_idea_moderation.html")
    contribute(app, "idea_page.main", "governance/_notes.html")
    contribute(app, "idea_page.comment", "governance/_comment_actions.html")
    # What _comment_actions.html shows: asked about each comment, and once per page.
    for action in ("moderation.ask_review", "moderation.report"):
        contribute(app, "idea_page.comment_asks", action)
    contribute(app, "idea_page.viewer_asks", "moderation.queue")
    contribute(app, "admin_user_page.parts", "governance/_moderator_flag.html")
    app.jinja_env.globals.update(hidden_notice=hidden_notice, is_moderator=is_moderator)
    app.jinja_env.filters.update(
        audit_kind=kind_label, audit_target=target_label, audit_change=change_text
    )
