from datetime import datetime, timedelta

from flask import Blueprint, Flask

from . import indexes  # noqa: F401  (the indexes the figures need, known to Alembic)

# Views register themselves on this blueprint; create_app imports them after all models.
bp = Blueprint("insights", __name__)


def init_app(app: Flask) -> None:
    """The policy's insights rules, the review pack's command and monthly job, the dashboard's
    parts."""
    # Imported when the app is built, not with the package: importing any of its modules
    # runs this file, and these reach into other packages that may still be loading.
    from ..core import jobs
    from ..core.registry import contribute
    from ..policy import register
    from . import permissions, review_pack

    register(permissions.RULES)
    if review_pack.send_review_packs.name not in app.cli.commands:
        app.cli.add_command(review_pack.send_review_packs)
    contribute(app, "dashboard.sections", review_pack.dashboard_section)
    # Idempotent: sends last month's pack once, from the first working day of the month.
    contribute(app, "worker.jobs", jobs.Job("review_pack", timedelta(hours=1), _send_packs))
    app.jinja_env.globals.update(month_name=review_pack.month_label)
    app.jinja_env.filters.update(isodate=review_pack.iso_day)


def _send_packs(moment: datetime) -> int:
    from ..core.extensions import db
    from . import review_pack

    sent = review_pack.send_due_review_packs(moment)
    db.session.commit()
    return sent
