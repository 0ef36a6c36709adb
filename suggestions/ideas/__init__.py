from flask import Blueprint, Flask

# Views register themselves on this blueprint; create_app imports them after all models.
bp = Blueprint("ideas", __name__)


def init_app(app: Flask) -> None:
    """The ideas' rules, and the labels and presenters their templates use."""
    # Imported when the app is built, not with the package: importing any of its modules
    # runs this file, and these reach into other packages that may still be loading.
    from ..policy import register
    from ..web.templating import TranslatedLabels, label_filter
    from . import authorship, permissions
    from .cards import card_kit, kept_card
    from .comment_fragments import draw_comments
    from .labels import EVENT_LABELS, SORT_LABELS, STATUS_LABELS
    from .page_fragments import kept_timeline

    register(permissions.RULES)
    app.jinja_env.filters.update(
        status_label=label_filter(STATUS_LABELS), event_label=label_filter(EVENT_LABELS)
    )
    app.jinja_env.globals.update(
        card_kit=card_kit,
        kept_card=kept_card,
        draw_comments=draw_comments,
        kept_timeline=kept_timeline,
        visible_author=authorship.visible_author,
        event_actor_label=authorship.event_actor_label,
        comment_author=authorship.comment_author,
        sort_labels=TranslatedLabels(SORT_LABELS),
        status_labels=TranslatedLabels(STATUS_LABELS),
    )
