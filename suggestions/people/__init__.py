"""People as a whole organisation: the CSV import, a person's own data (GDPR art. 15 and 20)
and erasure (art. 17). Above every other domain, since erasing and exporting touch them all;
nothing below imports it."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("people", __name__)


def init_app(app: Flask) -> None:
    from ..policy import register
    from . import cli, models, views  # noqa: F401  (routes register on import)
    from .permissions import RULES

    register(RULES)
    if bp.name not in app.blueprints:
        app.register_blueprint(bp)
    app.cli.add_command(cli.import_users)
