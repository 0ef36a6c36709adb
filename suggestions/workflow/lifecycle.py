"""The idea lifecycle: one table of transitions, one function that performs them.

Each transition names the states it leaves from, the state it reaches, the policy action that
decides who may make it, and whether a public note is required. Every transition writes an
event row; nothing else changes an idea's status.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _

from ..auth.models import User
from ..auth.policy import WITHDRAWABLE, require
from ..errors import DomainError
from ..ideas.models import EventKind, Idea, IdeaStatus
from ..ideas.rules import record_event
from ..timeutil import now


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: IdeaStatus
    permission: str
    note_required: bool = False


TRANSITIONS: dict[str, Transition] = {
    "withdraw": Transition(frozenset(WITHDRAWABLE), IdeaStatus.WITHDRAWN, "idea.withdraw"),
}


def transition(idea: Idea, action: str, actor: User, note: str | None = None) -> None:
    step = TRANSITIONS.get(action)
    if step is None:
        raise DomainError(_("Unknown action."))
    # The state first: "not possible now" is true for everyone and says more than "not you".
    if idea.status not in step.sources:
        raise DomainError(_("This is not possible while the idea is in its current state."))
    require(actor, step.permission, idea)
    note = (note or "").strip() or None
    if step.note_required and not note:
        raise DomainError(_("Please give a reason."))
    previous = idea.status
    idea.status = step.target
    idea.status_changed_at = now()
    record_event(
        idea,
        actor,
        EventKind.STATUS_CHANGED,
        from_status=previous,
        to_status=step.target,
        note=note,
    )
