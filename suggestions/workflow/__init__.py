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
    from . import lifecycle, permissions
    from .clocks import clock, overdue_clause, page_clock
    from .labels import COMMITMENT_LABELS
    from .views import decision_panel

    register(permissions.RULES, who=permissions.WHO)
    app.jinja_env.filters["commitment_label"] = label_filter(COMMITMENT_LABELS)
    app.jinja_env.globals["idea_clock"] = lambda idea: clock(idea, org_settings())
    contribute(app, "idea_page.context", decision_panel)
    # Who decides (does the department have an acting head?) read with the idea's row.
    contribute(app, "idea_page.columns", (lifecycle.acting_head_column, lifecycle.told_acting_head))
    contribute(app, "idea_list.filters", ("overdue", lambda: overdue_clause(org_settings())))
    contribute(app, "idea_list.clock", page_clock)
    _init_fair_decisions(app)


def _init_fair_decisions(app: Flask) -> None:
    """Reasoned declines, revisit dates, breadth, scorecards, campaigns (issue "decisions that
    hold"): their rules, pages, parts of the idea page and worker jobs."""
    from datetime import timedelta

    from ..core.jobs import Job
    from ..core.signals import comment_posted, official_answer_marked, vote_added
    from ..policy import register
    from . import breadth, decision_views, declines, fair
    from .clocks import preload_pauses
    from .permissions_extra import RULES

    register(RULES)
    if decision_views.bp.name not in app.blueprints:
        app.register_blueprint(decision_views.bp)
    contribute(app, "idea_page.context", fair.idea_context)
    contribute(app, "idea_list.page", preload_pauses)
    official_answer_marked.connect(fair.official_answer_responds)
    comment_posted.connect(fair.official_answer_responds)
    vote_added.connect(breadth.on_vote_added)
    contribute(app, "idea_page.side", "decisions/_idea_side.html")
    contribute(app, "idea_page.main", "decisions/_idea_main.html")
    contribute(app, "worker.jobs", Job("declines.revisit", timedelta(minutes=15),
                                       declines.revisit_due))  # fmt: skip
