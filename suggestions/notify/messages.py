"""The words of every notification, shared by the bell, the mails, the digest and webhooks.

Each message has a sentence naming who acted, one for when nobody may be named (an anonymous
author's own action reads "The author ..."; a reminder has no actor), and a mail subject.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..ideas.labels import STATUS_LABELS
from .routing import Audience


@dataclass(frozen=True)
class Wording:
    with_actor: object
    without_actor: object
    subject: object


MESSAGES: dict[str, Wording] = {
    "new_idea": Wording(
        _l("%(actor)s submitted a new idea for %(department)s: “%(title)s”."),
        _l("New idea for %(department)s: “%(title)s”."),
        _l("New idea for %(department)s: %(title)s"),
    ),
    "transferred_in": Wording(
        _l("%(actor)s handed “%(title)s” to %(department)s."),
        _l("“%(title)s” was handed to %(department)s."),
        _l("Handed to %(department)s: %(title)s"),
    ),
    "transferred": Wording(
        _l("%(actor)s handed “%(title)s” to %(department)s."),
        _l("“%(title)s” was handed to %(department)s."),
        _l("Now with %(department)s: %(title)s"),
    ),
    "needs_info": Wording(
        _l("%(actor)s asks for more details on your idea “%(title)s”."),
        _l("Your idea “%(title)s” needs more details."),
        _l("Your idea needs more details: %(title)s"),
    ),
    "status_changed": Wording(
        _l("%(actor)s changed the status of “%(title)s” to %(status)s."),
        _l("“%(title)s” is now %(status)s."),
        _l("Status “%(status)s”: %(title)s"),
    ),
    "revisited": Wording(
        _l("“%(title)s” is back in the queue of %(department)s: its revisit date has come."),
        _l("“%(title)s” is back in the queue of %(department)s: its revisit date has come."),
        _l("Back for a new decision: %(title)s"),
    ),
    "info_provided": Wording(
        _l("%(actor)s answered the question on “%(title)s”."),
        _l("The question on “%(title)s” is answered."),
        _l("Question answered: %(title)s"),
    ),
    "escalated": Wording(
        _l("%(actor)s asks leadership to decide “%(title)s”."),
        _l("“%(title)s” waits for a decision by leadership."),
        _l("For leadership to decide: %(title)s"),
    ),
    "commitment_update": Wording(
        _l("%(actor)s posted progress on “%(title)s”."),
        _l("Progress on “%(title)s”."),
        _l("Progress: %(title)s"),
    ),
    "commitment_broken": Wording(
        _l("%(actor)s closed the commitment on “%(title)s” without delivery."),
        _l("The commitment on “%(title)s” was closed without delivery."),
        _l("Commitment broken: %(title)s"),
    ),
    "comment": Wording(
        _l("%(actor)s commented on “%(title)s”."),
        _l("New comment on “%(title)s”."),
        _l("New comment: %(title)s"),
    ),
    "official_answer": Wording(
        _l("%(actor)s gave the official answer on “%(title)s”."),
        _l("Official answer on “%(title)s”."),
        _l("Official answer: %(title)s"),
    ),
    "commitment_owned": Wording(
        _l("%(actor)s accepted “%(title)s” and made you the owner of the commitment."),
        _l("You own the commitment on “%(title)s”."),
        _l("Your commitment: %(title)s"),
    ),
    "commitment_due": Wording(
        _l("The commitment on “%(title)s” is due within three days."),
        _l("The commitment on “%(title)s” is due within three days."),
        _l("Commitment due soon: %(title)s"),
    ),
    "commitment_overdue": Wording(
        _l("The commitment on “%(title)s” is overdue."),
        _l("The commitment on “%(title)s” is overdue."),
        _l("Overdue commitment: %(title)s"),
    ),
    "sla_overdue": Wording(
        _l("“%(title)s” has waited longer than promised for an answer from %(department)s."),
        _l("“%(title)s” has waited longer than promised for an answer from %(department)s."),
        _l("Waiting too long: %(title)s"),
    ),
    "measurement_due": Wording(
        _l("Please record the measured figures of “%(title)s”: what does it cost now?"),
        _l("Please record the measured figures of “%(title)s”: what does it cost now?"),
        _l("Measured figures due: %(title)s"),
    ),
    # Governance: a moderator's decision on the person's own idea or comment, a mention.
    "moderation_hidden": Wording(
        _l(
            "Moderation hid your contribution on “%(title)s”. You may change it and ask for a "
            "review."
        ),
        _l(
            "Moderation hid your contribution on “%(title)s”. You may change it and ask for a "
            "review."
        ),
        _l("Hidden by moderation: %(title)s"),
    ),
    "moderation_shown": Wording(
        _l("Moderation shows your contribution on “%(title)s” again."),
        _l("Moderation shows your contribution on “%(title)s” again."),
        _l("Shown again: %(title)s"),
    ),
    "moderation_approved": Wording(
        _l("Your idea “%(title)s” is approved and public now."),
        _l("Your idea “%(title)s” is approved and public now."),
        _l("Approved: %(title)s"),
    ),
    "note_mention": Wording(
        _l("%(actor)s mentioned you in an internal note on “%(title)s”."),
        _l("You were mentioned in an internal note on “%(title)s”."),
        _l("Mentioned in an internal note: %(title)s"),
    ),
}

FALLBACK = Wording(
    _l("%(actor)s changed “%(title)s”."), _l("“%(title)s” changed."), _l("Update: %(title)s")
)

REASONS = {
    Audience.AUTHOR: _l("You get this because you wrote this idea."),
    Audience.FOLLOWERS: _l(
        "You get this because you follow this idea (you wrote it, voted for it or chose to "
        "follow it)."
    ),
    Audience.HEADS: _l("You get this because you lead %(department)s."),
    Audience.LEADERSHIP: _l("You get this as a member of leadership."),
    Audience.OWNER: _l("You get this because you own this commitment."),
    Audience.MENTIONED: _l("You get this because a colleague mentioned you in an internal note."),
}

THE_AUTHOR = _l("The author")
SOMEONE_GONE = _l("Former employee")


def one_line(text: str | None) -> str:
    """User text for a subject or a sentence: one line, no control characters."""
    return " ".join((text or "").split())


def actor_label(actor_name: str | None, by_author: bool) -> str | None:
    if actor_name:
        return actor_name
    if by_author:
        return str(THE_AUTHOR)
    return None


def sentence(kind: str, *, actor: str | None, **values) -> str:
    """The notification as one sentence in the current locale."""
    wording = MESSAGES.get(kind, FALLBACK)
    values = _values(values)
    if actor:
        return str(wording.with_actor) % dict(values, actor=one_line(actor))
    return str(wording.without_actor) % values


def subject(kind: str, **values) -> str:
    return one_line(str(MESSAGES.get(kind, FALLBACK).subject) % _values(values))


def reason(audience: Audience | str, **values) -> str:
    return str(REASONS[Audience(audience)]) % _values(values)


def _values(values: dict) -> dict:
    status = values.get("status")
    return {
        "title": one_line(values.get("title")),
        "status": str(STATUS_LABELS.get(status, status or "")),
        "department": one_line(values.get("department")) or "—",
    }


def describe(notification) -> str:
    """A stored notification as one sentence in the current locale."""
    actor = notification.actor.display_name if notification.actor else None
    idea = notification.idea
    return sentence(
        notification.kind,
        actor=actor_label(actor, notification.by_author),
        title=idea.title if idea else "",
        status=notification.to_status,
        department=notification.department.name if notification.department else "",
    )
