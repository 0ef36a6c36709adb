"""The idea lifecycle: one table of transitions and the functions that perform them.

Each transition names the states it leaves from, the state it reaches, the policy action that
decides who may make it, and whether a public note is required. Every change writes an event
row shown on the idea's timeline; nothing else changes an idea's status.

Order of checks, the same everywhere: the state first ("not possible now" is true for
everyone), then the person (a 403), then the details (a form error). Nothing is changed until
every check has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from flask_babel import lazy_gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from ..auth.models import Role, User
from ..core.clock import now
from ..core.database import insert_ignoring_duplicates
from ..core.errors import DomainError
from ..core.extensions import db
from ..ideas.models import EventKind, Idea, IdeaStatus, Vote
from ..ideas.rules import record_event
from ..org.models import Department
from ..org.queries import acting_head_ids, decision_budget, has_acting_head, org_settings
from ..policy import WITHDRAWABLE, can, require
from .clocks import UNDECIDED
from .models import Commitment, CommitmentState, CommitmentUpdate

S = IdeaStatus


class IdeaChanged(DomainError):
    """Someone else changed the idea after this person opened it."""

    def __init__(self):
        super().__init__(
            _("This idea has changed since you opened it. Please look at its current state "
              "and try again.")
        )  # fmt: skip


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: IdeaStatus
    permission: str
    note_required: bool = False


TRANSITIONS: dict[str, Transition] = {
    "acknowledge": Transition(frozenset({S.NEW}), S.IN_REVIEW, "idea.triage"),
    "ask_info": Transition(frozenset({S.NEW, S.IN_REVIEW}), S.NEEDS_INFO, "idea.triage", True),
    "provide_info": Transition(frozenset({S.NEEDS_INFO}), S.IN_REVIEW, "idea.provide_info", True),
    "accept": Transition(frozenset({S.NEW, S.IN_REVIEW}), S.ACCEPTED, "idea.triage"),
    "decline": Transition(frozenset(UNDECIDED), S.DECLINED, "idea.triage", True),
    "reopen": Transition(frozenset({S.DECLINED}), S.IN_REVIEW, "idea.reopen", True),
    "mark_duplicate": Transition(frozenset(UNDECIDED), S.DUPLICATE, "idea.triage"),
    "start": Transition(frozenset({S.ACCEPTED}), S.IN_PROGRESS, "idea.deliver"),
    "implement": Transition(
        frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.IMPLEMENTED, "idea.deliver", True
    ),
    "just_do_it": Transition(frozenset({S.NEW}), S.IMPLEMENTED, "idea.just_do_it", True),
    "withdraw": Transition(frozenset(WITHDRAWABLE), S.WITHDRAWN, "idea.withdraw"),
    # A broken promise sends the idea back for a new decision.
    # Giving up a promise is for those accountable for it, not for the one who delivers.
    "break_commitment": Transition(
        frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.IN_REVIEW, "idea.triage", True
    ),
}

# Changes that are not a status change, allowed while the idea waits for a decision.
SIDE_ACTIONS: dict[str, str] = {
    "estimate_cost": "idea.triage",
    "escalate": "idea.triage",
    "transfer": "idea.triage",
}


def permission_for(action: str) -> str:
    """The policy action that decides who may do ``action``."""
    if action in TRANSITIONS:
        return TRANSITIONS[action].permission
    return SIDE_ACTIONS[action]


# What the author does as the author: an anonymous author stays "the author" in them.
AUTHOR_ACTIONS = frozenset({"provide_info", "withdraw", "just_do_it"})

# Actions of the department that count as its first response to the author.
_RESPONSES = {"acknowledge", "ask_info", "accept", "decline", "mark_duplicate"}


def available_actions(idea: Idea, user: User) -> list[str]:
    """What this person may do with the idea now: the buttons the idea page offers."""
    actions = [
        name
        for name, step in TRANSITIONS.items()
        if idea.status in step.sources and can(user, step.permission, idea)
    ]
    if idea.status in UNDECIDED:
        actions += [
            name for name, permission in SIDE_ACTIONS.items() if can(user, permission, idea)
        ]
    if "accept" in actions and not may_accept(idea, user):
        actions.remove("accept")
    if "just_do_it" in actions and not _fits_empowerment_scope(idea, user):
        actions.remove("just_do_it")
    if "escalate" in actions and (idea.escalated_at is not None or user.role == Role.LEADER):
        actions.remove("escalate")
    return actions


# -- decision authority ------------------------------------------------------------------------


class DecidedBy(StrEnum):
    """Why this decider: the department's head, or leadership and for which reason."""

    HEAD = "head"
    ESCALATED = "escalated"  # a head handed it on, or the cost is above the budget
    NO_HEAD = "no_head"  # the owning department has no acting head


@dataclass(frozen=True)
class Authority:
    """Who must decide an idea, in plain words for its page."""

    leadership: bool  # True: leadership decides; False: the owning department's head
    department: Department
    budget: Decimal
    since: object  # datetime the idea has waited for this decider
    reason: DecidedBy = DecidedBy.HEAD


def authority(idea: Idea) -> Authority:
    """Who decides this idea: the one answer the idea page, the queues and the
    notifications give (``leadership_decides`` is its SQL form for the queues)."""
    budget = decision_budget(idea.owning_department)
    if idea.escalated_at is not None:
        return Authority(True, idea.owning_department, budget, idea.escalated_at,
                         DecidedBy.ESCALATED)  # fmt: skip
    if not acting_head_ids(idea.owning_department_id):
        return Authority(True, idea.owning_department, budget, idea.created_at, DecidedBy.NO_HEAD)
    return Authority(False, idea.owning_department, budget, idea.created_at)


def leadership_decides():
    """SQL over ideas: leadership decides (handed on, or no acting head of the department)."""
    return Idea.escalated_at.is_not(None) | ~has_acting_head(Idea.owning_department_id)


def deciders_of_department(department_id: int) -> tuple[list[int], bool]:
    """Who works the department's queue and hears of its new ideas: (people, leadership?).
    Its acting heads; leadership when it has none."""
    heads = acting_head_ids(department_id)
    if heads:
        return heads, False
    leaders = select(User.id).where(User.role == Role.LEADER, User.active.is_(True))
    return list(db.session.scalars(leaders.order_by(User.id))), True


def may_accept(idea: Idea, user: User) -> bool:
    """Leadership may accept any idea; a head only one estimated within the department's
    budget and not handed to leadership."""
    if can(user, "idea.decide_any_cost", idea):
        return True
    cost, budget = idea.estimated_cost, decision_budget(idea.owning_department)
    return (
        idea.escalated_at is None
        and cost is not None
        # A NaN stored before amounts were bounded cannot be compared: not within budget.
        and Decimal(cost).is_finite()
        and Decimal(budget).is_finite()
        and cost <= budget
    )


# -- the moves ---------------------------------------------------------------------------------


def _check(
    idea: Idea, action: str, actor: User, note: str | None, revision: int | None
) -> str | None:
    step = TRANSITIONS[action]
    if revision is not None and revision != idea.revision:
        raise IdeaChanged()
    if idea.status not in step.sources:
        raise DomainError(_("This is not possible while the idea is in its current state."))
    require(actor, step.permission, idea)
    note = (note or "").strip() or None
    if step.note_required and not note:
        raise DomainError(_("Please give a reason."))
    return note


def _move(idea: Idea, action: str, actor: User, note: str | None, **event_fields) -> None:
    step = TRANSITIONS[action]
    moment = now()
    previous = idea.status
    idea.status = step.target
    idea.status_changed_at = moment
    if action in _RESPONSES and idea.first_response_at is None:
        idea.first_response_at = moment
    kind = EventKind.INFO_PROVIDED if action == "provide_info" else EventKind.STATUS_CHANGED
    _flush()
    record_event(idea, actor, kind, from_status=previous, to_status=step.target, note=note,
                 as_author=action in AUTHOR_ACTIONS, **event_fields)  # fmt: skip


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as error:  # another request changed the row in between
        raise IdeaChanged() from error


def transition(
    idea: Idea, action: str, actor: User, note: str | None = None, *, revision: int | None = None
) -> None:
    """The moves that need nothing but a note: acknowledge, ask for details, answer, decline,
    reopen, start, withdraw."""
    if action not in {"acknowledge", "ask_info", "provide_info", "decline", "reopen", "start",
                      "withdraw"}:  # fmt: skip
        raise DomainError(_("Unknown action."))
    note = _check(idea, action, actor, note, revision)
    if action in {"decline"}:
        idea.decided_at = now()
    if action == "reopen":
        idea.decided_at = None
    _move(idea, action, actor, note)


def accept(
    idea: Idea,
    actor: User,
    *,
    owner: User,
    promise: str,
    due_on: date,
    estimated_cost: Decimal | None = None,
    note: str | None = None,
    revision: int | None = None,
) -> Commitment:
    """Accept the idea and commit in public: who delivers what by when."""
    note = _check(idea, "accept", actor, note, revision)
    if estimated_cost is not None:
        _check_amount(estimated_cost)
        idea.estimated_cost = estimated_cost
    if not may_accept(idea, actor):
        if idea.estimated_cost is None:
            raise DomainError(_("Please estimate the cost first: it decides who may accept."))
        raise DomainError(
            _("This idea is above your department's decision budget or was handed to "
              "leadership: leadership decides.")
        )  # fmt: skip
    promise = (promise or "").strip()
    if not promise:
        raise DomainError(_("Please say what will be done."))
    if owner is None or not can(owner, "commitment.own"):
        raise DomainError(_("The owner of a commitment must be an active person."))
    if due_on < now().date():
        raise DomainError(_("The due date cannot be in the past."))
    idea.decided_at = now()
    commitment = Commitment(
        idea_id=idea.id,
        department_id=idea.owning_department_id,
        owner_id=owner.id,
        created_by_id=actor.id,
        promise=promise,
        due_on=due_on,
        state=CommitmentState.OPEN,
        created_at=now(),
    )
    db.session.add(commitment)
    _move(idea, "accept", actor, note or promise)
    return commitment


def implement(
    idea: Idea,
    actor: User,
    *,
    change_summary: str,
    implemented_on: date | None = None,
    revision: int | None = None,
) -> None:
    """Record that the change is live: what changed and since when. Closes the commitment as
    kept (on time) or kept late."""
    change_summary = _check(idea, "implement", actor, change_summary, revision)
    implemented_on = _check_delivery_day(implemented_on)
    _record_implementation(idea, change_summary, implemented_on)
    from .queries import open_commitment

    commitment = open_commitment(idea)
    if commitment is not None:
        late = implemented_on > commitment.due_on
        commitment.state = CommitmentState.KEPT_LATE if late else CommitmentState.KEPT
        commitment.delivered_on = implemented_on
        commitment.closed_at = now()
    _move(idea, "implement", actor, change_summary)


def just_do_it(
    idea: Idea,
    author: User,
    *,
    cost: Decimal,
    change_summary: str,
    implemented_on: date | None = None,
    revision: int | None = None,
) -> None:
    """The author fixed it themselves, within the personal empowerment budget and their own
    department: recorded as implemented, and celebrated."""
    change_summary = _check(idea, "just_do_it", author, change_summary, revision)
    _check_amount(cost)
    limit = org_settings().empowerment_budget
    if cost > limit:
        raise DomainError(
            _("Above the personal budget of %(limit)s: please let your department decide.",
              limit=_money(limit))
        )  # fmt: skip
    if not _fits_empowerment_scope(idea, author):
        raise DomainError(_("Only ideas that affect nothing but your own department qualify."))
    implemented_on = _check_delivery_day(implemented_on)
    idea.estimated_cost = cost
    idea.done_by_empowerment = True
    idea.decided_at = now()
    _record_implementation(idea, change_summary, implemented_on)
    _move(idea, "just_do_it", author, change_summary, amount=cost)


def _fits_empowerment_scope(idea: Idea, author: User) -> bool:
    home = author.department_id
    return (
        home is not None
        and idea.owning_department_id == home
        and all(d.id == home for d in idea.affected_departments)
    )


def _record_implementation(idea: Idea, change_summary: str, implemented_on: date) -> None:
    idea.change_summary = change_summary
    idea.implemented_on = implemented_on
    idea.implemented_at = now()


def _check_delivery_day(day: date | None) -> date:
    today = now().date()
    if day is None:
        return today
    if day > today:
        raise DomainError(_("The day it took effect cannot be in the future."))
    return day


def _check_amount(amount: Decimal) -> None:
    if amount < 0 or amount >= Decimal("10000000000"):
        raise DomainError(_("Enter an amount between 0 and 9,999,999,999."))


def _money(amount: Decimal) -> str:
    from ..core.inputs import format_money

    return format_money(amount, org_settings().currency)


def mark_duplicate(
    idea: Idea,
    actor: User,
    survivor: Idea | None,
    note: str | None = None,
    *,
    revision: int | None = None,
) -> int:
    """Close the idea as a duplicate of ``survivor``. Its votes move there (a person who voted
    for both keeps one vote), ideas already merged into it now point to the survivor, and its
    comments stay where they are. Returns how many votes moved."""
    note = _check(idea, "mark_duplicate", actor, note, revision)
    if survivor is None:
        raise DomainError(_("There is no idea with this number."))
    if survivor.id == idea.id:
        raise DomainError(_("An idea cannot be a duplicate of itself."))
    if survivor.status in (S.DUPLICATE, S.WITHDRAWN) or survivor.duplicate_of_id is not None:
        raise DomainError(_("That idea is closed itself. Choose the idea that remains open."))

    moved = db.session.execute(
        insert_ignoring_duplicates(Vote.__table__)
        .from_select(
            ["idea_id", "user_id", "created_at", "department_id"],
            select(
                db.literal(survivor.id), Vote.user_id, Vote.created_at, Vote.department_id
            ).where(Vote.idea_id == idea.id),
        )
        .returning(Vote.__table__.c.user_id)
    ).all()
    removed = db.session.execute(
        delete(Vote).where(Vote.idea_id == idea.id).returning(Vote.user_id)
    ).all()
    _add_to_counter(survivor, len(moved))
    _add_to_counter(idea, -len(removed))
    db.session.execute(
        update(Idea)
        .where(Idea.duplicate_of_id == idea.id)
        .values(duplicate_of_id=survivor.id)
        .execution_options(synchronize_session=False)
    )
    idea.duplicate_of_id = survivor.id
    idea.decided_at = now()
    _move(idea, "mark_duplicate", actor, note, related_idea_id=survivor.id)
    record_event(survivor, actor, EventKind.MERGED_INTO, related_idea_id=idea.id)
    return len(moved)


def _add_to_counter(idea: Idea, delta: int) -> None:
    if delta:
        new_value = db.session.execute(
            update(Idea)
            .where(Idea.id == idea.id)
            .values(vote_count=Idea.vote_count + delta)
            .returning(Idea.vote_count)
            .execution_options(synchronize_session=False)
        ).scalar_one()
        from sqlalchemy.orm.attributes import set_committed_value

        set_committed_value(idea, "vote_count", new_value)


# -- changes without a status change -----------------------------------------------------------


def _check_side(idea: Idea, action: str, actor: User, revision: int | None) -> None:
    if revision is not None and revision != idea.revision:
        raise IdeaChanged()
    if idea.status not in UNDECIDED:
        raise DomainError(_("This is not possible while the idea is in its current state."))
    require(actor, SIDE_ACTIONS[action], idea)


def _touch(idea: Idea) -> None:
    """A change of the idea's decision facts: raise the revision (optimistic lock)."""
    idea.updated_at = now()
    _flush()


def estimate_cost(
    idea: Idea,
    actor: User,
    amount: Decimal,
    note: str | None = None,
    *,
    revision: int | None = None,
) -> None:
    """Record the estimated cost. Above the department's budget the idea goes to leadership."""
    _check_side(idea, "estimate_cost", actor, revision)
    _check_amount(amount)
    idea.estimated_cost = amount
    _touch(idea)
    record_event(idea, actor, EventKind.COST_ESTIMATED, amount=amount, note=note)
    if amount > decision_budget(idea.owning_department) and idea.escalated_at is None:
        idea.escalated_at = now()
        record_event(idea, actor, EventKind.ESCALATED,
                     note=str(_("Above the department's decision budget.")))  # fmt: skip


def escalate(
    idea: Idea, actor: User, note: str | None = None, *, revision: int | None = None
) -> None:
    """A head hands the decision to leadership (a question of policy, or beyond their remit)."""
    _check_side(idea, "escalate", actor, revision)
    if idea.escalated_at is not None:
        raise DomainError(_("Leadership decides this idea already."))
    idea.escalated_at = now()
    _touch(idea)
    record_event(idea, actor, EventKind.ESCALATED, note=(note or "").strip() or None)


def transfer(
    idea: Idea,
    actor: User,
    department: Department | None,
    note: str | None = None,
    *,
    revision: int | None = None,
) -> None:
    """Hand the idea to the department that should decide it."""
    _check_side(idea, "transfer", actor, revision)
    if department is None:
        raise DomainError(_("Please choose a department."))
    if department.id == idea.owning_department_id:
        raise DomainError(_("The idea belongs to this department already."))
    idea.owning_department = department
    if department not in idea.affected_departments:
        idea.affected_departments.append(department)
    _touch(idea)
    record_event(idea, actor, EventKind.TRANSFERRED, department_id=department.id,
                 note=(note or "").strip() or None)  # fmt: skip


# -- commitments -------------------------------------------------------------------------------


def post_commitment_update(commitment: Commitment, actor: User, body: str) -> CommitmentUpdate:
    require(actor, "commitment.update", commitment)
    if commitment.state != CommitmentState.OPEN:
        raise DomainError(_("This commitment is closed."))
    body = (body or "").strip()
    if not body:
        raise DomainError(_("An update cannot be empty."))
    update_row = CommitmentUpdate(
        commitment_id=commitment.id, author_id=actor.id, body=body, created_at=now()
    )
    db.session.add(update_row)
    record_event(commitment.idea, actor, EventKind.COMMITMENT_UPDATE, note=body)
    return update_row


def break_commitment(idea: Idea, actor: User, reason: str, *, revision: int | None = None) -> None:
    """Close the idea's open promise without delivery. The reason is public; the idea needs a
    new decision."""
    reason = _check(idea, "break_commitment", actor, reason, revision)
    from .queries import open_commitment

    commitment = open_commitment(idea)
    if commitment is None:
        raise DomainError(_("There is no open commitment for this idea."))
    commitment.state = CommitmentState.BROKEN
    commitment.close_reason = reason
    commitment.closed_at = now()
    idea.decided_at = None
    record_event(idea, actor, EventKind.COMMITMENT_CLOSED, note=reason)
    _move(idea, "break_commitment", actor, reason)


def commitment_owner_choices() -> list[User]:
    """Everyone who can own a commitment: the person who delivers may be anyone active (the
    one who accepts stays accountable). Bounded, for a select."""
    query = (
        select(User)
        .where(User.active.is_(True))
        .options(joinedload(User.department))
        .order_by(User.display_name, User.id)
        .limit(2000)
    )
    return [person for person in db.session.scalars(query) if can(person, "commitment.own")]
