"""Who hears of what: the table from an occurrence (an event on an idea, a comment, a
reminder) to the audiences, messages and preferences it concerns, and the records that carry
an occurrence to its recipients. Data only; ``rules`` acts on it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from ..ideas.models import Idea, automatic_text
from .models import Delivery

ANY = None  # a rule for an event kind whatever status it reached


class Audience(StrEnum):
    AUTHOR = "author"
    FOLLOWERS = "followers"  # authors and voters follow automatically
    HEADS = "heads"  # of the department concerned (the owning one, or the one it moved to)
    LEADERSHIP = "leadership"
    OWNER = "owner"  # of a commitment
    MENTIONED = "mentioned"  # named in an internal note (governance.notes)


@dataclass(frozen=True)
class Rule:
    message: str  # what the person reads (a key of messages.MESSAGES)
    preference: str  # which of the person's choices decides delivery (a key of PREFERENCES)
    audiences: tuple[Audience, ...]
    # An author who unfollowed the idea is left out (followers are so by definition); a
    # question to the author (needs_info) reaches them all the same.
    respect_unfollow: bool = True


@dataclass(frozen=True)
class Preference:
    label: object
    default: Delivery
    choices: tuple[Delivery, ...] = (Delivery.IN_APP, Delivery.EMAIL, Delivery.DIGEST, Delivery.OFF)
    # The policy action that says who is offered this choice (None: everyone). News nobody
    # would ever send a person is not theirs to set.
    offered_to: str | None = None


# The kinds of event a person can set a delivery for, in the order of the settings page.
PREFERENCES: dict[str, Preference] = {
    "status": Preference(
        _l("Status changes of ideas I wrote, voted for or follow"), Delivery.EMAIL
    ),
    "answer": Preference(_l("Official answers on those ideas"), Delivery.EMAIL),
    "comment": Preference(_l("New comments on those ideas"), Delivery.IN_APP),
    "needs_info": Preference(_l("Questions to me about my ideas"), Delivery.EMAIL),
    "queue": Preference(
        _l("New and transferred ideas for a department I lead"),
        Delivery.EMAIL,
        offered_to="notify.department_news",
    ),
    "overdue": Preference(_l("Ideas waiting too long for an answer"), Delivery.EMAIL),
    "commitment": Preference(_l("Commitments due soon or overdue"), Delivery.EMAIL),
    "mention": Preference(
        _l("Mentions of me in internal notes"),
        Delivery.EMAIL,
        offered_to="notify.department_news",
    ),
    "top_ideas": Preference(
        _l("The week's top new ideas"), Delivery.DIGEST, (Delivery.DIGEST, Delivery.OFF)
    ),
}

RULES: dict[tuple[str, str | None], tuple[Rule, ...]] = {
    ("submitted", ANY): (Rule("new_idea", "queue", (Audience.HEADS,)),),
    ("transferred", ANY): (
        Rule("transferred_in", "queue", (Audience.HEADS,)),
        Rule("transferred", "status", (Audience.AUTHOR, Audience.FOLLOWERS)),
    ),
    ("status_changed", "needs_info"): (
        Rule("needs_info", "needs_info", (Audience.AUTHOR,), respect_unfollow=False),
        Rule("status_changed", "status", (Audience.FOLLOWERS,)),
    ),
    # Accepted: the person who delivers hears that the promise is now theirs.
    ("status_changed", "accepted"): (
        Rule("commitment_owned", "commitment", (Audience.OWNER,), respect_unfollow=False),
        Rule("status_changed", "status", (Audience.AUTHOR, Audience.FOLLOWERS)),
    ),
    ("status_changed", ANY): (
        Rule("status_changed", "status", (Audience.AUTHOR, Audience.FOLLOWERS)),
    ),
    # A declined idea's revisit date came (workflow.declines): it is back in the queue.
    ("revisited", ANY): (
        Rule("status_changed", "status", (Audience.AUTHOR, Audience.FOLLOWERS)),
        Rule("revisited", "queue", (Audience.HEADS,)),
    ),
    ("info_provided", ANY): (
        Rule("info_provided", "queue", (Audience.HEADS,)),
        Rule("status_changed", "status", (Audience.FOLLOWERS,)),
    ),
    ("escalated", ANY): (Rule("escalated", "queue", (Audience.LEADERSHIP,)),),
    ("commitment_update", ANY): (
        Rule("commitment_update", "status", (Audience.AUTHOR, Audience.FOLLOWERS)),
    ),
    ("commitment_closed", ANY): (Rule("commitment_broken", "commitment", (Audience.LEADERSHIP,)),),
    ("comment", ANY): (Rule("comment", "comment", (Audience.AUTHOR, Audience.FOLLOWERS)),),
    ("official_answer", ANY): (
        Rule("official_answer", "answer", (Audience.AUTHOR, Audience.FOLLOWERS)),
    ),
    # Reminders (see reminders.py): sent by `flask send-reminders`, not by a person.
    ("commitment_due", ANY): (Rule("commitment_due", "commitment", (Audience.OWNER,)),),
    ("commitment_overdue", ANY): (
        Rule("commitment_overdue", "commitment", (Audience.OWNER, Audience.LEADERSHIP)),
    ),
    ("sla_overdue", ANY): (Rule("sla_overdue", "overdue", (Audience.HEADS,)),),
    # Measured impact (ledger.impact): the owner is asked for the actual figures.
    ("measurement_due", ANY): (
        Rule("measurement_due", "commitment", (Audience.OWNER,), respect_unfollow=False),
    ),
    ("sla_overdue_escalated", ANY): (
        Rule("sla_overdue", "overdue", (Audience.HEADS, Audience.LEADERSHIP)),
    ),
}


def rules_for(kind: str, to_status: str | None = None) -> tuple[Rule, ...]:
    """The rules of the most specific row: (kind, status reached), else (kind, any)."""
    if to_status is not None and (kind, to_status) in RULES:
        return RULES[(kind, to_status)]
    return RULES.get((kind, ANY), ())


@dataclass
class Occurrence:
    """Something that happened that people may need to hear about."""

    kind: str  # a RULES key: an EventKind value, "comment", "official_answer", a reminder
    idea: Idea
    actor_id: int | None = None
    from_status: str | None = None
    to_status: str | None = None
    detail: str | None = None  # public text: a status note, a department's name
    detail_key: str | None = None  # instead: an automatic sentence (ideas.models.AUTOMATIC_TEXTS)
    event_id: int | None = None
    comment_id: int | None = None
    department_id: int | None = None  # whose heads; default: the idea's owning department
    owner_id: int | None = None  # a commitment's owner
    # The idea's anonymous author acting as its author (recorded on the event or comment).
    by_anonymous_author: bool = False

    def detail_text(self) -> str | None:
        """The detail in the current locale: render it for each reader."""
        return automatic_text(self.detail_key) or self.detail


@dataclass
class Recipient:
    user_id: int
    email: str
    language: str
    rule: Rule
    audience: Audience
    delivery: Delivery
