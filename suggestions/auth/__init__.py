from flask import Blueprint, Flask

# Views register themselves on this blueprint; create_app imports them after all models.
bp = Blueprint("auth", __name__)


def init_app(app: Flask) -> None:
    # Imported when the app is built, not with the package: importing any of its modules
    # runs this file, and these reach into other packages that may still be loading.
    from ..policy import register
    from ..web.templating import label_filter
    from . import oidc, permissions
    from .forms import ROLE_LABELS

    register(permissions.RULES, who=permissions.WHO)
    app.jinja_env.filters["role_label"] = label_filter(ROLE_LABELS)
    oidc.init_app(app)  # company sign-in, when OIDC_ISSUER is set
