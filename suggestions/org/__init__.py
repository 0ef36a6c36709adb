from flask import Blueprint, Flask

# Views register themselves on this blueprint; create_app imports them after all models.
bp = Blueprint("org", __name__)


def init_app(app: Flask) -> None:
    """What templates show of the organisation: category names, money in its currency; the
    kept choices of departments and categories read their revision again after a write."""
    # Imported when the app is built, not with the package: importing any of its modules
    # runs this file, and these reach into other packages that may still be loading.
    from sqlalchemy import event

    from ..core.extensions import db
    from ..core.inputs import format_money
    from ..web.templating import locale
    from .queries import forget_choices_revision, org_settings

    for name in ("after_flush", "after_transaction_end"):
        if not event.contains(db.session, name, forget_choices_revision):
            event.listen(db.session, name, forget_choices_revision)

    app.jinja_env.filters.update(
        category_label=lambda category: category.label(locale()) if category else "",
        money=lambda value: format_money(value, org_settings().currency),
    )
