"""Configuration layers and the production guard."""

import pytest

from suggestions import create_app
from suggestions.core.config import ConfigError


def test_production_without_secret_key_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FREIRAUM_ENV", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})


def test_environment_wins_over_defaults(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.example/freiraum")
    monkeypatch.setenv("FREIRAUM_IDEAS_PER_PAGE", "50")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment"
    # Bare postgres:// URLs are pointed at the psycopg 3 driver we ship.
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.example/freiraum"
    )
    assert app.config["IDEAS_PER_PAGE"] == 50
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_instance_config_sits_between_defaults_and_environment(monkeypatch, tmp_path):
    from flask import Flask

    from suggestions.core.config import load_config

    (tmp_path / "config.py").write_text("SECRET_KEY = 'from-instance'\nIDEAS_PER_PAGE = 7\n")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("FREIRAUM_IDEAS_PER_PAGE", "9")
    app = Flask("probe", instance_path=str(tmp_path), instance_relative_config=True)
    load_config(app, {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == "from-instance"
    assert app.config["IDEAS_PER_PAGE"] == 9


def test_development_keeps_a_local_key_and_plain_http_cookies(monkeypatch, tmp_path):
    from flask import Flask

    from suggestions.core.config import load_config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = Flask("probe", instance_path=str(tmp_path), instance_relative_config=True)
    load_config(app, {"FREIRAUM_ENV": "development"})
    assert len(app.config["SECRET_KEY"]) == 64
    assert (tmp_path / "secret_key").read_text() == app.config["SECRET_KEY"]
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/freiraum.sqlite"
    assert not app.config["SESSION_COOKIE_SECURE"]


def test_database_connections_are_set_up_for_concurrent_use(app):
    from suggestions.core.extensions import db

    if db.engine.dialect.name == "postgresql":
        assert db.engine.dialect.driver == "psycopg"
        return
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


@pytest.mark.parametrize(
    "env, overrides, backend",
    [
        ("development", {}, "console"),
        ("development", {"MAIL_PORT": 8025}, "smtp"),
        ("development", {"MAIL_SERVER": "mail.example.org"}, "smtp"),
        ("development", {"MAIL_BACKEND": "smtp"}, "smtp"),
        ("production", {}, "smtp"),
        ("production", {"MAIL_BACKEND": "console"}, "console"),
    ],
)
def test_development_prints_mail_unless_smtp_is_configured(
    monkeypatch, tmp_path, env, overrides, backend
):
    from flask import Flask

    from suggestions.core.config import load_config

    for name in ("MAIL_SERVER", "MAIL_PORT", "MAIL_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    app = Flask("probe", instance_path=str(tmp_path), instance_relative_config=True)
    load_config(app, {"FREIRAUM_ENV": env, "SECRET_KEY": "x" * 32, **overrides})
    assert app.config["MAIL_BACKEND"] == backend


def test_the_organisations_language_is_set_by_default_locale(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("DEFAULT_LOCALE", "de_DE")
    app = create_app()
    assert app.config["BABEL_DEFAULT_LOCALE"] == "de"
    assert app.config["SEARCH_LANGUAGE"] == "de"
    monkeypatch.setenv("DEFAULT_LOCALE", "fr")
    with pytest.raises(ConfigError, match="DEFAULT_LOCALE must be one of en, de"):
        create_app()
