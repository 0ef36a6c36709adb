"""Filters and helpers for templates. Templates ask, they never query."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

import flask_babel
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import format_decimal, get_locale, get_timezone, get_translations
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..core.clock import now, today
from ..core.registry import contributions
from ..core.text import render_markdown
from ..policy import can


def viewer():
    """The signed-in person (or the anonymous user) of this request, without going through
    the ``current_user`` proxy each time: templates ask the policy once per row."""
    user = g.get("_login_user")
    return user if user is not None else current_user._get_current_object()


def template_can(action: str, obj=None) -> bool:
    return can(viewer(), action, obj)


def relative_age(moment: datetime) -> str:
    days = (now() - moment).days
    if days <= 0:
        return translated(_l("today"))
    if days == 1:
        return translated(_l("yesterday"))
    return translated(_l("%(n)d days ago", n=days))


def input_attrs(field, **extra) -> dict:
    """Accessible attributes for a form field: its help text and errors are announced."""
    described_by = [f"{field.id}-help"] if field.description else []
    attrs = {k: v for k, v in extra.items() if v is not None}
    if field.errors:
        attrs["aria-invalid"] = "true"
        described_by.append(f"{field.id}-error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return attrs


# --- translations in templates ----------------------------------------------------------------
# Flask-Babel finds the request's catalogue anew for every string (several context lookups and
# a locale-to-text conversion each time); a list page asks for hundreds of strings. The locale
# is fixed for the request, so the catalogue is looked up once and kept on ``g``, keyed by the
# locale object: ``flask_babel.refresh()`` drops that object and the next string looks again.


def _page_language() -> tuple[str, object]:
    """(locale code, catalogue) of this request."""
    request_globals = g._get_current_object()
    cached = getattr(request_globals, "_page_language", None)
    babel = getattr(request_globals, "_flask_babel", None)
    if cached is not None and getattr(babel, "babel_locale", None) is cached[0]:
        return cached[1], cached[2]
    translations = get_translations()
    code = str(get_locale() or "en")
    babel = getattr(request_globals, "_flask_babel", None)
    request_globals._page_language = (getattr(babel, "babel_locale", None), code, translations)
    return code, translations


def _translations():
    return _page_language()[1]


def _gettext(message: str) -> str:
    return _translations().ugettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _translations().ungettext(singular, plural, n)


def _pgettext(context: str, message: str) -> str:
    return _translations().upgettext(context, message)


def _npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _translations().unpgettext(context, singular, plural, n)


def translated(label) -> str:
    """A lazy label (``_l``) as text, through the request's catalogue. Handing the lazy
    object to the template would translate it twice (once to ask whether it is markup)."""
    if isinstance(label, LazyString) and label._func is flask_babel.gettext:
        text = _gettext(label._args[0])
        return text % label._kwargs if label._kwargs else text
    return str(label)


class TranslatedLabels(Mapping):
    """A dict of lazy labels that hands out text in the request's language."""

    def __init__(self, labels: dict):
        self._labels = labels

    def __getitem__(self, key):
        return translated(self._labels[key])

    def __iter__(self):
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)


def label_filter(labels: dict):
    def label(value):
        return translated(labels[value]) if value in labels else value

    return label


def locale() -> str:
    return _page_language()[0]


def _timezone():
    cached = g.get("_page_timezone")
    if cached is None:
        cached = g._page_timezone = get_timezone()
    return cached


@lru_cache(maxsize=8192)
def _format_moment(kind: str, value: datetime, timezone, locale_code: str) -> str:
    # Stored times are naive UTC; babel converts them to the reader's time zone.
    moment = value.replace(tzinfo=UTC)
    if kind == "date":
        return babel_dates.format_date(moment.astimezone(timezone), "medium", locale=locale_code)
    return babel_dates.format_datetime(moment, "medium", tzinfo=timezone, locale=locale_code)


def format_moment(value: datetime | date | None, kind: str = "datetime") -> str:
    """A stored time as the reader reads it. The same comment shows the same date to every
    reader of a language, so the text is remembered (a page of 50 comments formats 50 dates)."""
    if not value:
        return ""
    if not isinstance(value, datetime):  # a calendar day (a due date): no time zone to apply
        return _format_day(value, locale())
    return _format_moment(kind, value, _timezone(), locale())


@lru_cache(maxsize=4096)
def _format_day(value: date, locale_code: str) -> str:
    return babel_dates.format_date(value, "medium", locale=locale_code)


@lru_cache(maxsize=16)
def _group_symbol(locale_code: str) -> str:
    return babel_numbers.get_group_symbol(locale_code)


def format_number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        # Whole numbers (votes, counts) need only the grouping sign of the language.
        return f"{value:,}".replace(",", _group_symbol(locale()))
    return format_decimal(value)


def init_app(app: Flask) -> None:
    """The helpers every template may use. A domain adds its own filters and globals (its
    labels, its presenters) in its ``init_app``: this module knows no domain."""
    if not app.config["ASSET_VERSION"]:
        app.config["ASSET_VERSION"] = asset_version(app.static_folder)
    app.jinja_env.globals["contributions"] = contributions  # core.registry: parts of pages
    app.jinja_env.filters.update(
        markdown=render_markdown,
        datetime=format_moment,
        date=lambda value: format_moment(value, "date"),
        number=format_number,
        age=relative_age,
    )
    app.jinja_env.globals.update(
        can=template_can,
        locale=locale,
        csrf_token=generate_csrf,
        static_url=static_url,
        link=link,
        url_pattern=url_pattern,
        input_attrs=input_attrs,
        today=today,
    )
    app.jinja_env.install_gettext_callables(
        gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext, npgettext=_npgettext,
        newstyle=True,
    )  # fmt: skip
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def page_context():
        return {"current_path": request.full_path.rstrip("?")}


# --- URLs built once per page ----------------------------------------------------------------
# Building a URL walks the URL map (about 20 microseconds); a list page asks for two per card.
# The URL of an idea differs from the next only by its number, so the page builds it once with
# a stand-in number and then puts each number in its place.

_STAND_IN = 987654321987


class UrlPattern:
    """``url_for(endpoint, **{key: n})`` for whole numbers ``n``, built once."""

    __slots__ = ("endpoint", "key", "_values", "_parts")

    def __init__(self, endpoint: str, key: str, **values):
        self.endpoint, self.key, self._values = endpoint, key, values
        parts = url_for(endpoint, **values, **{key: _STAND_IN}).split(str(_STAND_IN))
        self._parts = parts if len(parts) == 2 else None  # the number twice: build each time

    def __call__(self, number: int) -> str:
        if self._parts is None or type(number) is not int or number < 0:
            return url_for(self.endpoint, **self._values, **{self.key: number})
        return f"{self._parts[0]}{number}{self._parts[1]}"


def url_pattern(endpoint: str, key: str, **values) -> UrlPattern:
    """The page's pattern for an endpoint with one number in its URL (kept on ``g``); the
    other parts of the URL, if any, are fixed by ``values``:
    ``url_pattern('ideas.mark_official', 'comment_id', idea_id=7)(12)``."""
    patterns = g.setdefault("_url_patterns", {})
    name = (endpoint, key, *sorted(values.items()))
    pattern = patterns.get(name)
    if pattern is None:
        pattern = patterns[name] = UrlPattern(endpoint, key, **values)
    return pattern


def static_url(filename: str) -> str:
    """A static file's URL carrying the version of the static files, so browsers may cache it
    for a long time and still get a changed file at once. Built once per process and address
    prefix: the files and their version do not change while it runs."""
    return _built_once(("static", filename), lambda: url_for(
        "static", filename=filename, v=current_app.config["ASSET_VERSION"]
    ))  # fmt: skip


def link(endpoint: str) -> str:
    """``url_for(endpoint)`` for a page without arguments (the layout's links), built once
    per process and address prefix."""
    return _built_once((endpoint,), lambda: url_for(endpoint))


def _built_once(name: tuple, build) -> str:
    # Keyed by the prefix the app is mounted under too (a proxy may set it per request). The
    # names come from templates, so the store stays as small as the set of links.
    urls = current_app.extensions.setdefault("freiraum.built_urls", {})
    key = (request.script_root if has_request_context() else None, *name)
    url = urls.get(key)
    if url is None:
        url = urls[key] = build()
    return url


def asset_version(folder: str | None) -> str:
    """A short hash of every file under static/: it changes exactly when a file does."""
    digest = hashlib.sha256()
    root = Path(folder or ".")
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
