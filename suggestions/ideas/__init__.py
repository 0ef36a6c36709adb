from flask import Blueprint, Flask

# Views register themselves on this blueprint; create_app imports them after all models.
bp = Blueprint("ideas", __name__)


def init_app(app: Flask) -> None:
    from ..policy import register
    from . import permissions

    register(permissions.RULES)
