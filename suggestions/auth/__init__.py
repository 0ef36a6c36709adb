from flask import Blueprint, Flask

# Views register themselves on this blueprint; create_app imports them after all models.
bp = Blueprint("auth", __name__)


def init_app(app: Flask) -> None:
    from ..policy import register
    from . import oidc, permissions

    register(permissions.RULES, who=permissions.WHO)
    oidc.init_app(app)  # company sign-in, when OIDC_ISSUER is set
