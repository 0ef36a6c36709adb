"""The bureaucracy ledger: the organisation's rules, forms, approval steps, reports and tools,
the ideas that touch them, what implemented ideas changed, and the impact measured after."""

from datetime import datetime, timedelta

from flask import Blueprint, Flask

from ..core import jobs
from ..core.registry import contribute

# Views register themselves on this blueprint; create_app imports them after all models.
bp = Blueprint("ledger", __name__)


def init_app(app: Flask) -> None:
    """The ledger's rules, its parts of the idea page and form, its commands."""
    from ..policy import register
    from . import cli, parts
    from .labels import CHANGE_LABELS, KIND_LABELS, STATUS_LABELS
    from .permissions import RULES

    register(RULES)
    from . import views  # noqa: F401  (routes on bp)

    if bp.name not in app.blueprints:
        app.register_blueprint(bp)
    contribute(app, "idea_page.context", parts.idea_page_part)
    contribute(app, "idea_page.main", "ledger/_idea_main.html")
    contribute(app, "idea_form.fields", "ledger/_idea_form_field.html")
    contribute(app, "idea_form.saved", parts.save_idea_form)
    # Idempotent: asks each owner once, 30 and 90 days after implementation.
    contribute(app, "worker.jobs", jobs.Job("ledger.measurements", timedelta(hours=6), _ask))
    cli.init_app(app)

    from ..web.templating import label_filter

    app.jinja_env.filters.update(
        ledger_kind=label_filter(KIND_LABELS),
        ledger_status=label_filter(STATUS_LABELS),
        ledger_change=label_filter(CHANGE_LABELS),
        hours=parts.format_hours,
    )
    from .rules import linked_item_ids

    app.jinja_env.globals.update(
        ledger_items_by_ids=parts.items_by_ids, ledger_linked_ids=linked_item_ids
    )


def _ask(moment: datetime) -> int:
    from ..core.extensions import db
    from .impact import ask_for_measurements

    asked = ask_for_measurements(moment)
    db.session.commit()
    return asked
