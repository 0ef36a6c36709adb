from flask import Blueprint, Flask

from . import indexes  # noqa: F401  (the indexes the figures need, known to Alembic)

# Views register themselves on this blueprint; create_app imports them after all models.
bp = Blueprint("insights", __name__)


def init_app(app: Flask) -> None:
    from ..policy import register
    from . import permissions

    register(permissions.RULES)
