"""Configuration, layered: defaults here, then ``instance/config.py``, then the environment.

A test (or an embedding script) may pass a mapping to ``create_app`` that wins over all three.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask


class ConfigError(RuntimeError):
    """The configuration cannot run safely; the message says what to set."""


DEFAULTS: dict[str, Any] = {
    # "production" unless told otherwise: a forgotten setting must fail closed.
    "FREIRAUM_ENV": "production",
    "SECRET_KEY": None,
    "SQLALCHEMY_DATABASE_URI": None,  # filled in below: SQLite in instance/
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SQLITE_BUSY_TIMEOUT_MS": 5000,
    # When the write lock is still taken after the busy timeout: tries again, first pause (s).
    "SQLITE_LOCK_RETRIES": 3,
    "SQLITE_LOCK_RETRY_PAUSE": 0.05,
    # The 503 page ("briefly unavailable") asks browsers and proxies to wait this long.
    "UNAVAILABLE_RETRY_AFTER_SECONDS": 10,
    # /readyz answers 503 above these (0: not checked): messages waiting, and how long the
    # oldest due one has waited. A mail worker that stopped shows here first.
    "READY_OUTBOX_MAX_BACKLOG": 10_000,
    "READY_OUTBOX_MAX_AGE_SECONDS": 30 * 60,
    # Sessions and cookies (see README, "Security").
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "freiraum_session",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    # The session cookie is signed and sent again when it changed or is this old (seconds):
    # the session ends a lifetime after the last request, at most this much sooner. Off
    # (Flask's own setting): the session ends a lifetime after signing in.
    "SESSION_REFRESH_EACH_REQUEST": True,
    "SESSION_REFRESH_SECONDS": 300,
    "REMEMBER_COOKIE_SECURE": True,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": timedelta(days=30),
    "REMEMBER_COOKIE_NAME": "freiraum_remember",
    "PREFERRED_URL_SCHEME": "https",
    "HSTS_SECONDS": 31536000,
    # A person may write an idea for hours: the form token lives as long as the session.
    "WTF_CSRF_TIME_LIMIT": None,
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    # Rate limits. memory:// counts per process; set RATELIMIT_STORAGE_URI=redis://... when
    # more than one worker serves the app.
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": False,
    "RATELIMIT_LOGIN_PER_ADDRESS": "20 per minute",
    "RATELIMIT_LOGIN_PER_ACCOUNT": "5 per minute",
    # Asking for a password reset link: per client address, and per email address asked for
    # (so nobody can fill a colleague's inbox). Apart from the login limits.
    "RATELIMIT_RESET_PER_ADDRESS": "10 per hour",
    "RATELIMIT_RESET_PER_EMAIL": "3 per hour",
    "RATELIMIT_API_PER_TOKEN": "300 per minute",
    # How long a password reset link stays valid.
    "PASSWORD_RESET_MINUTES": 60,
    # Asking for a link answers after at least this long, whether or not a mail was written
    # (rendering and storing it took ~0.8 ms more than nothing): the time tells no one who has
    # an account.
    "PASSWORD_RESET_MIN_SECONDS": 0.25,
    # The organisation's language: for everyone who chose none, in mails, the digest, the
    # review pack and webhooks, and on pages when the browser asks for no language we have.
    "BABEL_DEFAULT_LOCALE": "en",
    # The organisation's time zone: every calendar rule (due dates, commitments kept or late,
    # reminders, "this quarter") asks ``core.clock.today()`` for the date there, and times are
    # shown in it. None for BABEL_DEFAULT_TIMEZONE: the same zone.
    "ORG_TIMEZONE": "Europe/Berlin",
    "BABEL_DEFAULT_TIMEZONE": None,
    "LANGUAGES": ["en", "de"],
    "IDEAS_PER_PAGE": 20,
    "COMMENTS_PER_PAGE": 50,
    # Counting matching ideas stops here ("More than 1,000 ideas"): the count stays cheap at
    # any size. Counting to 10,000 cost every list view 0.4 ms on SQLite and 4 ms on
    # PostgreSQL (index-only scan of 10,001 entries), more than the page's rows themselves.
    "RESULT_COUNT_CAP": 1000,
    # Notifications. Links in mails and webhooks start with BASE_URL (no request there).
    "BASE_URL": None,
    "NOTIFICATIONS_PER_PAGE": 30,
    "MAIL_SERVER": "localhost",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,  # implicit TLS (usually port 465)
    "MAIL_USE_STARTTLS": False,  # STARTTLS (usually port 587)
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "Freiraum <freiraum@localhost>",
    "MAIL_SUBJECT_PREFIX": "[Freiraum] ",
    "MAIL_TIMEOUT": 10,
    # How the outbox worker delivers mail: "smtp", or "console" (prints each mail: for trying
    # the app without a mail server). Unset: "console" in development while MAIL_SERVER and
    # MAIL_PORT keep their defaults, "smtp" otherwise.
    "MAIL_BACKEND": None,
    # Outbox worker: attempts, then failed; waits of 1, 2, 4, ... minutes between them.
    "OUTBOX_MAX_ATTEMPTS": 10,
    "OUTBOX_BACKOFF_SECONDS": 60,
    "OUTBOX_BACKOFF_MAX_SECONDS": 6 * 3600,
    "OUTBOX_BATCH_SIZE": 20,
    "OUTBOX_KEEP_SENT_DAYS": 30,
    "DIGEST_TOP_IDEAS": 5,
    "DIGEST_MAX_ITEMS": 30,
    # Webhooks: plain http:// and internal addresses only for these hosts or networks.
    "WEBHOOK_ALLOWED_HOSTS": [],
    # Ports webhooks may use besides 443 (allow-listed hosts may use any).
    "WEBHOOK_ALLOWED_PORTS": [],
    "WEBHOOK_TIMEOUT": 5,
    # Stemming for search: "de" or "en". Unset: the default language. After changing it, run
    # `flask --app suggestions rebuild-search-index`.
    "SEARCH_LANGUAGE": None,
    # PostgreSQL connections per worker process: one per gunicorn thread (gunicorn.conf.py),
    # plus a little overflow. Workers x (pool + overflow) must stay below max_connections.
    "DATABASE_POOL_SIZE": 4,
    "DATABASE_MAX_OVERFLOW": 4,
    # The dashboard's figures are worked out once per scope and kept this long (seconds);
    # 0: worked out on every view (suggestions/insights/snapshots.py).
    "INSIGHTS_CACHE_SECONDS": 300,
    # Rendered fragments (cards, comments) kept per process and kind, keyed by all they show
    # (suggestions/core/cache.py); 0: rendered on every view.
    "FRAGMENT_CACHE_SIZE": 4096,
    # Company sign-in through OpenID Connect (README, "Company sign-in"). Off while OIDC_ISSUER
    # is unset. The provider is found by its discovery document (<issuer>/.well-known/...).
    "OIDC_ISSUER": None,
    "OIDC_CLIENT_ID": None,
    "OIDC_CLIENT_SECRET": None,
    # The button says "Sign in with <this>" (e.g. "Contoso ID"); None: "your company account".
    "OIDC_PROVIDER_NAME": None,
    "OIDC_SCOPES": "openid email profile",
    # Which claims of the ID token give the person's data; None: not taken from the provider.
    "OIDC_CLAIM_EMAIL": "email",
    "OIDC_CLAIM_NAME": "name",
    "OIDC_CLAIM_DEPARTMENT": None,
    "OIDC_CLAIM_GROUPS": None,
    # Group name -> role (employee, head, leader, admin), e.g. {"freiraum-admins": "admin"}.
    # Empty: roles are kept in Freiraum. Set: everyone else in the groups claim is an employee.
    "OIDC_GROUP_ROLES": {},
    "OIDC_TIMEOUT": 10,  # seconds for each call to the provider
    # Sign-in against LDAP / Active Directory: the login form's address and password are
    # checked by the directory (search with the service account, then bind as the person).
    # ldap://host:389 (with LDAP_START_TLS) or ldaps://host:636; LDAP_CA_FILE: the CA to trust.
    "LDAP_URL": None,
    "LDAP_START_TLS": False,
    "LDAP_CA_FILE": None,
    "LDAP_BIND_DN": None,  # the service account, e.g. "cn=freiraum,ou=services,dc=example,dc=com"
    "LDAP_BIND_PASSWORD": None,
    "LDAP_BASE_DN": None,  # where people are searched, e.g. "ou=people,dc=example,dc=com"
    # {login} is what the person typed (escaped). Active Directory: "(userPrincipalName={login})".
    "LDAP_USER_FILTER": "(&(objectClass=person)(|(mail={login})(uid={login})))",
    "LDAP_ATTR_EMAIL": "mail",
    "LDAP_ATTR_NAME": "displayName",
    "LDAP_ATTR_DEPARTMENT": None,  # e.g. "departmentNumber" or "department" (AD)
    "LDAP_ATTR_GROUPS": None,  # e.g. "memberOf"
    "LDAP_GROUP_ROLES": {},  # group DN -> role, as OIDC_GROUP_ROLES
    "LDAP_TIMEOUT": 5,
    # False: nobody signs in with a password except admins created with `flask create-admin`
    # (break-glass, for when the identity provider is down); the login page offers only the
    # company sign-in and tucks the password form away for those admins.
    "LOCAL_PASSWORDS": True,
    # Sign-in by a header the company's reverse proxy sets after its own sign-in (Kerberos,
    # SAML): e.g. "X-Forwarded-User", or "REMOTE_USER" for the web server's environ variable.
    # Believed only from these networks (CIDR, e.g. ["10.1.2.3/32"]); ignored and logged from
    # anywhere else. A value without "@" gets PROXY_AUTH_EMAIL_DOMAIN appended for the email.
    "PROXY_AUTH_HEADER": None,
    "PROXY_AUTH_NETWORKS": [],
    "PROXY_AUTH_EMAIL_DOMAIN": None,
    "PROXY_AUTH_NAME_HEADER": None,  # e.g. "X-Forwarded-Name"
    "PROXY_AUTH_DEPARTMENT_HEADER": None,  # e.g. "X-Forwarded-Department"
    # For every company sign-in method: update name, email, department and role from the
    # directory at each sign-in (False: only the first sign-in takes them over), and the
    # department (by name) for people whose department claim names no known department.
    "SSO_UPDATE_FROM_DIRECTORY": True,
    "SSO_DEFAULT_DEPARTMENT": None,
    # Password hashing (argon2id): RFC 9106's second recommended profile, 64 MiB and 3 passes.
    "ARGON2_TIME_COST": 3,
    "ARGON2_MEMORY_COST": 65536,
    # Behind reverse proxies: how many of them set X-Forwarded-For/-Proto/-Host (0: none, the
    # headers are not believed).
    "TRUSTED_PROXY_COUNT": 0,
    # Extra origins forms may post to (the CSP's form-action); company sign-in adds its own.
    "CSP_FORM_ACTION_SOURCES": [],
    # Part of every static file's address; None: a hash of the static files, worked out at start.
    "ASSET_VERSION": None,
    # A failing notification listener: True raises (the request fails, tests see the fault);
    # False logs it and rolls back the notification only. None: True while TESTING.
    "NOTIFY_STRICT": None,
    # Insights: no figure about fewer people than this (works council), and the most rows one
    # export holds.
    "INSIGHTS_MIN_GROUP_SIZE": 5,
    "INSIGHTS_EXPORT_MAX_ROWS": 50_000,
    # Governance: audit entries older than this many days are removed by `flask prune-audit`
    # (run it daily, e.g. from cron); new ideas of these departments (names) wait for a
    # moderator's approval before anyone else sees them ("*": every department; []: none).
    "AUDIT_RETENTION_DAYS": 730,
    "HOLD_NEW_IDEAS": [],
    # People (suggestions/people): import files larger than this are refused by their
    # Content-Length, before anything is read; how often a person may download their data.
    "PEOPLE_IMPORT_MAX_MB": 10,
    "PERSONAL_DATA_EXPORT_LIMIT": "5 per hour",
    # Benchmark instruments (suggestions/bench.py): never on in normal production.
    "BENCH": False,
}

# Plain environment variables read on top of instance/config.py. Anything else can be set as
# FREIRAUM_<NAME> (parsed as JSON where possible, e.g. FREIRAUM_IDEAS_PER_PAGE=50).
_ENV_NAMES = {
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "FREIRAUM_ENV": "FREIRAUM_ENV",
    "BASE_URL": "BASE_URL",
    "MAIL_SERVER": "MAIL_SERVER",
    "MAIL_PORT": "MAIL_PORT",
    "MAIL_USE_TLS": "MAIL_USE_TLS",
    "MAIL_USE_STARTTLS": "MAIL_USE_STARTTLS",
    "MAIL_USERNAME": "MAIL_USERNAME",
    "MAIL_PASSWORD": "MAIL_PASSWORD",
    "MAIL_DEFAULT_SENDER": "MAIL_DEFAULT_SENDER",
    "MAIL_BACKEND": "MAIL_BACKEND",
    "SEARCH_LANGUAGE": "SEARCH_LANGUAGE",
    "DEFAULT_LOCALE": "BABEL_DEFAULT_LOCALE",
    "OIDC_ISSUER": "OIDC_ISSUER",
    "OIDC_CLIENT_ID": "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET": "OIDC_CLIENT_SECRET",
    "LDAP_BIND_PASSWORD": "LDAP_BIND_PASSWORD",
}

_BOOL_ENV = {"SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE", "MAIL_USE_TLS", "MAIL_USE_STARTTLS"}


def load_config(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    for env_name, key in _ENV_NAMES.items():
        if os.environ.get(env_name):
            app.config[key] = os.environ[env_name]
    app.config.from_prefixed_env("FREIRAUM")
    for key in _BOOL_ENV:
        if isinstance(app.config[key], str):
            app.config[key] = app.config[key].lower() in {"1", "true", "yes", "on"}
    if overrides:
        app.config.from_mapping(overrides)
    _finish(app)


def _finish(app: Flask) -> None:
    env = app.config["FREIRAUM_ENV"]
    if env not in {"production", "development", "testing"}:
        raise ConfigError(f"FREIRAUM_ENV must be production, development or testing, not {env!r}.")
    if env == "testing":
        app.config["TESTING"] = True
    if app.config["NOTIFY_STRICT"] is None:
        app.config["NOTIFY_STRICT"] = bool(app.config["TESTING"])

    try:
        ZoneInfo(str(app.config["ORG_TIMEZONE"]))
    except (ValueError, ZoneInfoNotFoundError) as error:
        raise ConfigError(
            f"ORG_TIMEZONE must name a time zone such as Europe/Berlin, not "
            f"{app.config['ORG_TIMEZONE']!r}."
        ) from error
    app.config["BABEL_DEFAULT_TIMEZONE"] = (
        app.config["BABEL_DEFAULT_TIMEZONE"] or app.config["ORG_TIMEZONE"]
    )

    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        path = Path(app.instance_path) / "freiraum.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith(("postgres://", "postgresql://")):
        # The driver we ship is psycopg 3; the bare scheme would ask for psycopg2.
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri.split("://", 1)[1]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])  # never the shared default
        options.setdefault("pool_size", int(app.config["DATABASE_POOL_SIZE"]))
        options.setdefault("max_overflow", int(app.config["DATABASE_MAX_OVERFLOW"]))
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options

    # "de_DE" or "de-DE" mean German; a language Freiraum does not speak fails loudly rather
    # than mailing everyone without a choice in English.
    default = str(app.config["BABEL_DEFAULT_LOCALE"]).replace("-", "_").split("_")[0].lower()
    if default not in app.config["LANGUAGES"]:
        raise ConfigError(
            f"DEFAULT_LOCALE must be one of {', '.join(app.config['LANGUAGES'])}, "
            f"not {app.config['BABEL_DEFAULT_LOCALE']!r}."
        )
    app.config["BABEL_DEFAULT_LOCALE"] = default
    language = str(app.config["SEARCH_LANGUAGE"] or app.config["BABEL_DEFAULT_LOCALE"])[:2].lower()
    if language not in {"de", "en"}:
        raise ConfigError(f"SEARCH_LANGUAGE must be de or en, not {language!r}.")
    app.config["SEARCH_LANGUAGE"] = language

    if not app.config["SECRET_KEY"]:
        if env == "production":
            raise ConfigError(
                "SECRET_KEY is not set. Set the SECRET_KEY environment variable (or SECRET_KEY in "
                "instance/config.py) to a long random value, e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`."
            )
        app.config["SECRET_KEY"] = _local_secret_key(app)

    if isinstance(app.config["MAIL_PORT"], str):
        app.config["MAIL_PORT"] = int(app.config["MAIL_PORT"])
    if not app.config["MAIL_BACKEND"]:
        # A newcomer's `make run` has no mail server: show the mails instead of retrying them.
        smtp_configured = (app.config["MAIL_SERVER"], app.config["MAIL_PORT"]) != (
            DEFAULTS["MAIL_SERVER"], DEFAULTS["MAIL_PORT"]
        )  # fmt: skip
        app.config["MAIL_BACKEND"] = (
            "console" if env == "development" and not smtp_configured else "smtp"
        )
    if app.config["MAIL_BACKEND"] not in {"smtp", "console"}:
        raise ConfigError(
            f"MAIL_BACKEND must be smtp or console, not {app.config['MAIL_BACKEND']!r}."
        )
    if not app.config["BASE_URL"]:
        if env == "production":
            app.logger.warning(
                "BASE_URL is not set: links in mails and webhooks will point to http://localhost. "
                "Set BASE_URL to the address people open, e.g. https://freiraum.example.com."
            )
        app.config["BASE_URL"] = (
            "http://localhost" if env == "production" else "http://127.0.0.1:5000"
        )

    if app.config["OIDC_ISSUER"] and not (
        app.config["OIDC_CLIENT_ID"] and app.config["OIDC_CLIENT_SECRET"]
    ):
        raise ConfigError("OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too.")

    if app.config["PROXY_AUTH_HEADER"]:
        import ipaddress

        try:
            for cidr in app.config["PROXY_AUTH_NETWORKS"]:
                ipaddress.ip_network(cidr, strict=False)
        except (TypeError, ValueError) as error:
            raise ConfigError(f"PROXY_AUTH_NETWORKS must be a list of networks: {error}") from error
        if not app.config["PROXY_AUTH_NETWORKS"]:
            raise ConfigError("PROXY_AUTH_HEADER is set: set PROXY_AUTH_NETWORKS to the proxy's.")

    if env != "production":
        # Local http://127.0.0.1 has no TLS; production keeps secure cookies.
        app.config["SESSION_COOKIE_SECURE"] = False
        app.config["REMEMBER_COOKIE_SECURE"] = False
        app.config["PREFERRED_URL_SCHEME"] = "http"


def _local_secret_key(app: Flask) -> str:
    """A per-checkout key for development, kept in instance/ so logins survive a restart."""
    path = Path(app.instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
