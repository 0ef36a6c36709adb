from flask import Blueprint, Flask

# Views register themselves on this blueprint; create_app imports them after all models.
bp = Blueprint("org", __name__)


def init_app(app: Flask) -> None:
    """What templates show of the organisation: category names, money in its currency."""
    # Imported when the app is built, not with the package: importing any of its modules
    # runs this file, and these reach into other packages that may still be loading.
    from ..core.inputs import format_money
    from ..web.templating import locale
    from .queries import org_settings

    app.jinja_env.filters.update(
        category_label=lambda category: category.label(locale()) if category else "",
        money=lambda value: format_money(value, org_settings().currency),
    )
