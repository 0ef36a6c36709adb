"""Instruments for the benchmark, switched on by the BENCH setting and never otherwise.

- Every response carries ``X-Query-Count``: the SQL statements the request issued (counted by
  a ``before_cursor_execute`` listener; transaction control such as ``BEGIN`` is not counted,
  so both databases report the same figure).
- ``/bench/ceiling`` renders 20 rows from an indexed table through a minimal Jinja template,
  behind the same login wall as every page: the fastest a page of this stack can be on this
  machine, which the benchmark compares every scenario with.
"""

from __future__ import annotations

from flask import Blueprint, Flask, g, has_app_context, render_template
from sqlalchemy import Engine, event, select

from ..core.extensions import db
from ..core.registry import contribute
from ..ideas.models import Idea

QUERY_COUNT_HEADER = "X-Query-Count"

bp = Blueprint("bench", __name__, template_folder="templates")


@bp.get("/bench/ceiling")
def ceiling():
    rows = db.session.execute(
        select(Idea.id, Idea.title, Idea.vote_count)
        .order_by(Idea.vote_count.desc(), Idea.id.desc())
        .limit(20)
    ).all()
    return render_template("bench/ceiling.html", rows=rows)


def _count_statement(conn, cursor, statement, parameters, context, executemany) -> None:
    if has_app_context() and not statement.startswith("BEGIN"):
        g.query_count = g.get("query_count", 0) + 1


def count_statements(engine: Engine) -> None:
    """Count this engine's statements too (the app's own; and any other it opens)."""
    event.listen(engine, "before_cursor_execute", _count_statement)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    with app.app_context():
        count_statements(db.engine)
    contribute(app, "engine.created", count_statements)

    @app.after_request
    def query_count_header(response):
        response.headers[QUERY_COUNT_HEADER] = str(g.get("query_count", 0))
        return response

    app.logger.warning("BENCH is on: /bench/ceiling and X-Query-Count are served.")
