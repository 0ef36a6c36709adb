"""Flask extensions, created unbound here and bound to the app in ``create_app``."""

import multiprocessing
import os

from flask import Flask, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names: Alembic can find them again on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)


def check_limits_only_where_set(app: Flask) -> None:
    """Flask-Limiter looks for limits before every request (0.2 ms each), though only a few
    views carry limits (their decorators check them) and a blueprint or two (the API). Without
    default or application limits, its look-up runs before those blueprints' requests only.
    Called once every blueprint is registered."""
    manager = limiter.limit_manager
    checks = app.before_request_funcs.get(None, [])
    if (
        manager.default_limits
        or manager.application_limits
        or limiter._check_request_limit not in checks
    ):
        return
    checks.remove(limiter._check_request_limit)
    for blueprint in manager._blueprint_limits:  # filled by ``limiter.limit(...)(blueprint)``
        app.before_request_funcs.setdefault(blueprint, []).insert(0, limiter._check_request_limit)


def login_email_key() -> str:
    """Rate-limit key for one account, whatever address the attempts come from."""
    return "login:" + (request.form.get("email") or "").strip().lower()


def possible_workers() -> int:
    """How many worker processes gunicorn.conf.py would start (the same environment rule)."""
    for name in ("GUNICORN_WORKERS", "WEB_CONCURRENCY"):
        try:
            return int(os.environ[name])
        except (KeyError, ValueError):
            continue
    return multiprocessing.cpu_count()


def per_process_warning(app: Flask) -> bool:
    """True when sign-in limits would be counted per process in production."""
    return (
        app.config["FREIRAUM_ENV"] == "production"
        and str(app.config["RATELIMIT_STORAGE_URI"]).startswith("memory://")
        and possible_workers() > 1
    )
