"""Who moves ideas through the lifecycle, works the queues and keeps the promises."""

from __future__ import annotations

from typing import Any

from ..auth.models import Role, User
from ..auth.permissions import heads_a_department, is_leader, people
from ..ideas.models import Idea
from ..ideas.permissions import is_author, speaks_for
from .models import Commitment
from .queries import open_commitment


def owns_open_commitment(user: User, idea: Idea) -> bool:
    commitment = open_commitment(idea)
    return commitment is not None and commitment.owner_id == user.id


def _deliver(user: User, idea: Idea) -> bool:
    # Whoever decides may record delivery, and so may the person who promised it.
    return speaks_for(user, idea) or owns_open_commitment(user, idea)


def _work_commitment(user: User, commitment: Commitment) -> bool:
    return commitment.owner_id == user.id or speaks_for(user, commitment.idea)


def _escalate(user: User, idea: Idea) -> bool:
    # Handing a decision on to leadership is for a head; leadership decides at any cost
    # already and has nobody to hand it to. The page's button and the API ask this one rule.
    return speaks_for(user, idea) and not is_leader(user)


def works_a_queue(user: User, _obj: Any = None) -> bool:
    return is_leader(user) or heads_a_department(user)


RULES = {
    # The lifecycle (workflow.lifecycle) asks these; the state is checked there.
    "idea.triage": speaks_for,
    "idea.decide_any_cost": is_leader,
    "idea.reopen": is_leader,
    "idea.escalate": _escalate,
    "idea.provide_info": is_author,
    "idea.just_do_it": is_author,
    "idea.deliver": _deliver,
    "commitment.update": _work_commitment,
    # Whoever delivers may own the promise (any active person; ``can`` refuses inactive
    # accounts); the head or leader who accepted stays accountable for it.
    "commitment.own": lambda user, _: True,
    "queue.department": works_a_queue,
    "queue.leadership": is_leader,
}

WHO = {
    # Leadership: decides what no head may, and hears of what leadership must decide.
    "queue.leadership": lambda _obj: people().where(User.role == Role.LEADER),
}
