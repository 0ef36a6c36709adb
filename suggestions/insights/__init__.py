from flask import Blueprint

from . import indexes  # noqa: F401  (the indexes the figures need, known to Alembic)

# Views register themselves on this blueprint; create_app imports them after all models.
bp = Blueprint("insights", __name__)


def init_app(app) -> None:
    """The review pack's command (``flask send-review-packs``) and the dashboard's parts."""
    from ..core.registry import contribute
    from . import review_pack

    if review_pack.send_review_packs.name not in app.cli.commands:
        app.cli.add_command(review_pack.send_review_packs)
    contribute(app, "dashboard.sections", review_pack.dashboard_section)
    app.jinja_env.globals.update(month_name=review_pack.month_label)
