"""Freiraum: staff propose ways to cut red tape, vote across departments, and watch
management commit in public and deliver."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from .core.config import load_config
from .core.extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    load_config(app, config)
    from .web.sessions import AgedSessionCookies

    app.session_interface = AgedSessionCookies()
    # Before any route is added: every <int:...> is bounded to the ids a database can hold.
    from .core.inputs import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter

    from .core import database  # noqa: F401  (SQLite pragmas and BEGIN IMMEDIATE)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    # The limiter is one object for every app in the process and takes its previous state as
    # the default: one app built with limits off would switch them off for every later one.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    from .auth.limits import warn_at_start

    warn_at_start(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page explains itself
    login_manager.session_protection = "basic"

    if app.config["TRUSTED_PROXY_COUNT"]:
        count = int(app.config["TRUSTED_PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    _import_models()
    from .core import kept

    kept.init_app(app)  # the kept rows' stamp is read again after this request's writes
    _register_blueprints(app)
    from . import auth, ideas, org, workflow
    from .ideas import search

    # Each domain registers its permission rules, template helpers and extension-point parts.
    org.init_app(app)
    auth.init_app(app)  # and company sign-in, when OIDC_ISSUER is set
    ideas.init_app(app)
    search.init_app(app)  # the search index follows every change made through db.session
    workflow.init_app(app)  # its parts of the ideas' pages
    from . import governance, ledger, people

    governance.init_app(app)  # moderation, audit log, internal notes, privacy page

    ledger.init_app(app)  # rules/forms/approvals inventory, measured impact

    people.init_app(app)  # CSV import, personal data, erasure

    from . import cli, notify
    from .web import layout, pages, templating

    pages.init_app(app)
    from .web.safety import refuse_nul_bytes

    app.before_request(refuse_nul_bytes)
    templating.init_app(app)
    layout.init_app(app)  # the signed-in person's page header, kept
    cli.init_app(app)
    notify.init_app(app)  # signal listeners, worker commands, the bell
    from . import insights

    insights.init_app(app)  # the review pack's command and dashboard parts
    from . import api

    api.init_app(app)  # after pages: its routing errors fall back to the error pages
    from .core.extensions import check_limits_only_where_set

    check_limits_only_where_set(app)  # every blueprint and its limits are known now
    if app.config["BENCH"]:
        from .devtools import bench

        bench.init_app(app)
    return app


def _import_models() -> None:
    """Every model must be known to SQLAlchemy (and Alembic) before the first query."""
    from .auth import models as _auth  # noqa: F401
    from .auth import tokens as _tokens  # noqa: F401
    from .core import jobs as _jobs  # noqa: F401
    from .core import kept as _kept  # noqa: F401
    from .core import onetime as _onetime  # noqa: F401
    from .governance import models as _governance  # noqa: F401
    from .ideas import models as _ideas  # noqa: F401
    from .insights import models as _insights  # noqa: F401
    from .ledger import models as _ledger  # noqa: F401
    from .notify import models as _notify  # noqa: F401
    from .org import models as _org  # noqa: F401
    from .people import models as _people  # noqa: F401
    from .workflow import fair_models as _fair  # noqa: F401
    from .workflow import models as _workflow  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from .auth import admin_views
    from .auth import views as auth_views
    from .governance import views as governance_views
    from .ideas import views as idea_views
    from .notify import views as notify_views
    from .org import views as org_views
    from .workflow import views as workflow_views

    for module in (
        auth_views, admin_views, idea_views, workflow_views, org_views, notify_views,
        governance_views,
    ):  # fmt: skip
        if module.bp.name not in app.blueprints:
            app.register_blueprint(module.bp)

    from .insights import review_pack  # noqa: F401  (its routes, on the insights blueprint)
    from .insights import views as insights_views

    if insights_views.bp.name not in app.blueprints:
        app.register_blueprint(insights_views.bp)


def select_locale() -> str:
    from flask import current_app, has_request_context

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # command line, workers: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if request.cookies.get("language") in languages:
        return request.cookies["language"]
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )
