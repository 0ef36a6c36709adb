from flask import Blueprint, Flask

from . import indexes  # noqa: F401  (the indexes the figures need, known to Alembic)

# Views register themselves on this blueprint; create_app imports them after all models.
bp = Blueprint("insights", __name__)


def init_app(app: Flask) -> None:
    # Imported when the app is built, not with the package: importing any of its modules
    # runs this file, and these reach into other packages that may still be loading.
    from ..policy import register
    from . import permissions

    register(permissions.RULES)
