"""Filters and helpers for templates. Templates ask, they never query."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, request, url_for
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from .auth.forms import ROLE_LABELS
from .auth.policy import can
from .ideas.labels import EVENT_LABELS, SORT_LABELS, STATUS_LABELS
from .ideas.models import Idea, IdeaEvent
from .org.queries import org_settings
from .text import render_markdown
from .timeutil import now
from .workflow.clocks import clock
from .workflow.labels import COMMITMENT_LABELS

ANONYMOUS = _l("Anonymous")
FORMER_EMPLOYEE = _l("Former employee")


def visible_author(idea: Idea):
    """The author a viewer may see, or None (anonymous, or the account is gone)."""
    if idea.author_id is None or not can(current_user, "idea.see_author", idea):
        return None
    return idea.author


def event_actor_label(event: IdeaEvent, idea: Idea) -> str:
    """Who did it, without unmasking an anonymous author through their own actions."""
    if event.actor_id is None:
        return str(FORMER_EMPLOYEE)
    if idea.is_anonymous and event.actor_id == idea.author_id:
        return str(_l("The author"))
    return event.actor.display_name


def relative_age(moment: datetime) -> str:
    days = (now() - moment).days
    if days <= 0:
        return str(_l("today"))
    if days == 1:
        return str(_l("yesterday"))
    return str(_l("%(n)d days ago", n=days))


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


def locale() -> str:
    return str(get_locale() or "en")


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        markdown=render_markdown,
        datetime=lambda value: format_datetime(value, "medium") if value else "",
        date=lambda value: format_date(value, "medium") if value else "",
        number=lambda value: format_decimal(value) if value is not None else "",
        status_label=lambda status: STATUS_LABELS.get(status, status),
        event_label=lambda kind: EVENT_LABELS.get(kind, kind),
        role_label=lambda role: ROLE_LABELS.get(role, role),
        category_label=lambda category: category.label(locale()) if category else "",
        age=relative_age,
        money=lambda value: (
            format_currency(value, org_settings().currency) if value is not None else ""
        ),
        commitment_label=lambda state: COMMITMENT_LABELS.get(state, state),
    )
    app.jinja_env.globals.update(
        can=lambda action, obj=None: can(current_user, action, obj),
        visible_author=visible_author,
        event_actor_label=event_actor_label,
        sort_labels=SORT_LABELS,
        status_labels=STATUS_LABELS,
        locale=locale,
        csrf_token=generate_csrf,
        static_url=static_url,
        input_attrs=input_attrs,
        idea_clock=lambda idea: clock(idea, org_settings()),
        today=lambda: now().date(),
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def page_context():
        return {"current_path": request.full_path.rstrip("?")}


def static_url(filename: str) -> str:
    """A static file's URL carrying the app version, so browsers may cache it long."""
    return url_for("static", filename=filename, v=current_app.config.get("ASSET_VERSION", "1"))
