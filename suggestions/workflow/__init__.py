from flask import Blueprint, Flask

from ..core.registry import contribute

# Views register themselves on this blueprint; create_app imports them after all models.
bp = Blueprint("workflow", __name__)


def init_app(app: Flask) -> None:
    """The workflow's rules, and its parts of the ideas' pages: the decision panel and the
    overdue filter."""
    # Imported when the app is built, not with the package: importing any of its modules
    # runs this file, and these reach into other packages that may still be loading.
    from ..org.queries import org_settings
    from ..policy import register
    from ..web.templating import label_filter
    from . import permissions
    from .clocks import clock, overdue_clause
    from .labels import COMMITMENT_LABELS
    from .views import decision_panel

    register(permissions.RULES, who=permissions.WHO)
    app.jinja_env.filters["commitment_label"] = label_filter(COMMITMENT_LABELS)
    app.jinja_env.globals["idea_clock"] = lambda idea: clock(idea, org_settings())
    contribute(app, "idea_page.context", decision_panel)
    contribute(app, "idea_list.filters", ("overdue", lambda: overdue_clause(org_settings())))
