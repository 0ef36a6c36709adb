"""Mails as the recipient reads them: in their language, plain text and HTML, with absolute
links back. Rendered when the event happens and stored in the outbox as they are."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..auth.models import User
from ..core.extensions import db
from ..ideas.models import Comment
from ..org.models import Department
from . import messages
from .routing import Occurrence, Recipient

EXCERPT_LENGTH = 600


@dataclass
class RenderedMail:
    recipient: str
    language: str
    kind: str
    subject: str
    body_text: str
    body_html: str
    discreet: bool = False
    attachment_name: str | None = None
    attachment: bytes | None = None


def absolute_url(endpoint: str, _anchor: str | None = None, **values) -> str:
    """A link for mails and webhooks, built from BASE_URL (no request needed)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme or "https"
    )
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{_anchor}" if _anchor else url


def _subject_prefix() -> str:
    return current_app.config["MAIL_SUBJECT_PREFIX"]


def render(template: str, locale: str, **context) -> tuple[str, str]:
    """(plain text, HTML) of a mail template pair under templates/notify/mail/."""
    env = current_app.jinja_env
    with force_locale(locale):
        text = env.get_template(f"notify/mail/{template}.txt").render(**context)
        html = env.get_template(f"notify/mail/{template}.html").render(**context)
    return text.strip() + "\n", html


def excerpt(text: str | None, length: int = EXCERPT_LENGTH) -> str | None:
    text = (text or "").strip()
    if len(text) <= length:
        return text or None
    return text[: length - 1].rstrip() + "…"


def render_notification_mails(
    occurrence: Occurrence, people: list[Recipient], actor_id: int | None, by_author: bool
) -> list[RenderedMail]:
    """One mail per person; people with the same language, message and reason share one
    rendering (an idea with a thousand followers is rendered a handful of times)."""
    idea = occurrence.idea
    actor_name = None
    if actor_id is not None:
        actor = db.session.get(User, actor_id)
        actor_name = actor.display_name if actor else str(messages.SOMEONE_GONE)
    department_id = occurrence.department_id or idea.owning_department_id
    department = db.session.get(Department, department_id)
    comment = db.session.get(Comment, occurrence.comment_id) if occurrence.comment_id else None
    values = {
        "title": idea.title,
        "status": occurrence.to_status,
        "department": department.name if department else "",
    }
    if occurrence.comment_id:  # ?comment= opens the page of the comments that holds it
        anchor = f"comment-{occurrence.comment_id}"
        link = absolute_url(
            "ideas.show", _anchor=anchor, idea_id=idea.id, comment=occurrence.comment_id
        )
    else:
        link = absolute_url("ideas.show", idea_id=idea.id)
    settings_link = absolute_url("notify.settings")

    cache: dict[tuple[str, str, str], tuple[str, str, str]] = {}
    mails = []
    for person in people:
        key = (person.language, person.rule.message, person.audience)
        if key not in cache:
            with force_locale(person.language):
                actor = messages.actor_label(actor_name, by_author)
                headline = messages.sentence(person.rule.message, actor=actor, **values)
                subject = _subject_prefix() + messages.subject(person.rule.message, **values)
                why = messages.reason(person.audience, **values)
                note = excerpt(occurrence.detail_text())
            text, html = render(
                "notification",
                person.language,
                headline=headline,
                note=note,
                quote=excerpt(comment.body) if comment else None,
                link=link,
                link_label=_link_label(person.language),
                reason=why,
                settings_link=settings_link,
                language=person.language,
            )
            cache[key] = (subject, text, html)
        subject, text, html = cache[key]
        mails.append(
            RenderedMail(
                recipient=person.email,
                language=person.language,
                kind=person.rule.message,
                subject=subject,
                body_text=text,
                body_html=html,
                # The anonymous author's own mail must not tie them to the idea on admin pages.
                discreet=idea.is_anonymous and person.user_id == idea.author_id,
            )
        )
    return mails


def render_password_reset_mail(
    user: User, link: str, language: str, valid_minutes: int
) -> RenderedMail:
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        subject = _subject_prefix() + _("Set a new password")
        reason = _(
            "You receive this mail because someone asked to reset the password of your account. "
            "If it was not you, ignore it: your password stays as it is."
        )
    text, html = render(
        "password_reset", language, name=user.display_name, link=link, minutes=valid_minutes,
        reason=reason, settings_link=absolute_url("notify.settings"), language=language,
        title=subject,
    )  # fmt: skip
    return RenderedMail(
        recipient=user.email, language=language, kind="password_reset", subject=subject,
        body_text=text, body_html=html,
    )  # fmt: skip


def _link_label(language: str) -> str:
    with force_locale(language):
        return _("Open the idea")
