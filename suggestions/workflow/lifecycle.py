"""The idea lifecycle: one table of transitions and the functions that perform them.

Each transition names the states it leaves from, the state it reaches, the policy action that
decides who may make it, and whether a public note is required. Every change writes an event
row shown on the idea's timeline; nothing else changes an idea's status.

Order of checks, the same everywhere: the state first ("not possible now" is true for
everyone), then the person (a 403), then the details (a form error). Nothing is changed until
every check has passed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from flask import g, has_request_context
from flask_babel import lazy_gettext as _
from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from ..auth.models import User
from ..core.clock import now, today
from ..core.database import insert_ignoring_duplicates
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.inputs import format_money
from ..ideas.models import EventKind, Idea, IdeaStatus, Vote
from ..ideas.rules import record_event
from ..org.models import Department
from ..org.queries import acting_head_ids, decision_budget, has_acting_head, org_settings
from ..policy import can, require, who_ids
from .models import Commitment, CommitmentState, CommitmentUpdate
from .queries import open_commitment

S = IdeaStatus


class IdeaChanged(DomainError):
    """Someone else changed the idea after this person opened it."""

    def __init__(self):
        super().__init__(
            _("This idea has changed since you opened it. Please look at its current state "
              "and try again.")
        )  # fmt: skip


class Action(StrEnum):
    """Every move the workflow offers on an idea. A ``StrEnum``: ``Action.ACCEPT == "accept"``,
    so routes, forms and the API keep their plain names."""

    ACKNOWLEDGE = "acknowledge"
    ASK_INFO = "ask_info"
    PROVIDE_INFO = "provide_info"
    ACCEPT = "accept"
    DECLINE = "decline"
    REOPEN = "reopen"
    MARK_DUPLICATE = "mark_duplicate"
    IMPLEMENT = "implement"
    START = "start"
    JUST_DO_IT = "just_do_it"
    WITHDRAW = "withdraw"
    BREAK_COMMITMENT = "break_commitment"
    ESTIMATE_COST = "estimate_cost"
    ESCALATE = "escalate"
    TRANSFER = "transfer"


class Style(StrEnum):
    """How the action's button looks."""

    PRIMARY = "primary"  # the next step: the panel puts the first one offered first
    SECONDARY = "secondary"
    DANGER = "danger"  # refuses or ends something: confirmed with a red button


@dataclass(frozen=True)
class Step:
    """One action and everything that is true of it. ``target`` None: a side action, which
    changes no status (cost, escalation, hand-over) and is possible while undecided."""

    sources: frozenset[IdeaStatus]
    target: IdeaStatus | None
    permission: str  # the policy action that says who may
    label: str  # the button
    done: str  # the message after it worked
    note_required: bool = False
    responds: bool = False  # the department's first response to the author (stops that clock)
    decides: bool = False  # the organisation says yes or no (ends the decision clock)
    as_author: bool = False  # the author acts as the author: an anonymous one stays "the author"
    style: Style = Style.SECONDARY
    # A primary step that is the next one only sometimes (an estimate before any exists).
    primary_when: Callable[[Idea], bool] | None = None

    def is_next_step(self, idea: Idea) -> bool:
        return self.style == Style.PRIMARY and (
            self.primary_when is None or self.primary_when(idea)
        )


Transition = Step  # the name the status-changing steps had

_ACCEPTED = frozenset({S.ACCEPTED, S.IN_PROGRESS})
_OPEN_QUESTION = frozenset({S.NEW, S.IN_REVIEW})

# The lifecycle, one entry per action, in the order the panel offers them (status changes
# first, then the side actions). Adding an action is one entry here (and, if it needs more
# than a note, its form in workflow.views).
STEPS: dict[Action, Step] = {
    Action.ACKNOWLEDGE: Step(
        frozenset({S.NEW}), S.IN_REVIEW, "idea.triage", _("Start review"),
        _("The idea is in review. The author sees it on the timeline."),
        responds=True, style=Style.PRIMARY,
    ),
    Action.ASK_INFO: Step(
        _OPEN_QUESTION, S.NEEDS_INFO, "idea.triage", _("Ask the author for details"),
        _("Your question is sent to the author."), note_required=True, responds=True,
    ),
    Action.PROVIDE_INFO: Step(
        frozenset({S.NEEDS_INFO}), S.IN_REVIEW, "idea.provide_info", _("Answer the question"),
        _("Thank you! The idea is back in review."), note_required=True, as_author=True,
        style=Style.PRIMARY,
    ),
    Action.ACCEPT: Step(
        _OPEN_QUESTION, S.ACCEPTED, "idea.triage", _("Accept and commit"),
        _("Accepted. The commitment is public now."), responds=True, decides=True,
        style=Style.PRIMARY,
    ),
    Action.DECLINE: Step(
        IdeaStatus.UNDECIDED, S.DECLINED, "idea.triage", _("Decline"),
        _("The idea is declined; the reason is public."), note_required=True, responds=True,
        decides=True, style=Style.DANGER,
    ),
    Action.REOPEN: Step(
        frozenset({S.DECLINED}), S.IN_REVIEW, "idea.reopen", _("Reopen"),
        _("The idea is open again and waits for a decision."), note_required=True,
    ),
    Action.MARK_DUPLICATE: Step(
        IdeaStatus.UNDECIDED, S.DUPLICATE, "idea.triage", _("Mark as duplicate"),
        _("Marked as duplicate. Votes moved to the idea that stays open."), responds=True,
        decides=True,
    ),
    Action.START: Step(
        frozenset({S.ACCEPTED}), S.IN_PROGRESS, "idea.deliver", _("Start the work"),
        _("The work has started."), style=Style.PRIMARY,
    ),
    Action.IMPLEMENT: Step(
        _ACCEPTED, S.IMPLEMENTED, "idea.deliver", _("Record as implemented"),
        _("Implemented! It is listed under “You said, we did”."), note_required=True,
        style=Style.PRIMARY,
    ),
    Action.JUST_DO_IT: Step(
        frozenset({S.NEW}), S.IMPLEMENTED, "idea.just_do_it", _("I did it myself"),
        _("You did it! Your change is celebrated under “You said, we did”."),
        note_required=True, as_author=True, style=Style.PRIMARY,
    ),
    Action.WITHDRAW: Step(
        IdeaStatus.WITHDRAWABLE, S.WITHDRAWN, "idea.withdraw", _("Withdraw my idea"),
        _("Your idea is withdrawn. It stays visible with its history."), as_author=True,
        style=Style.DANGER,
    ),
    # A broken promise sends the idea back for a new decision.
    # Giving up a promise is for those accountable for it, not for the one who delivers.
    Action.BREAK_COMMITMENT: Step(
        _ACCEPTED, S.IN_REVIEW, "idea.triage", _("Close the commitment as broken"),
        _("The commitment is closed as broken. The idea needs a new decision."),
        note_required=True, style=Style.DANGER,
    ),
    # The next step in review while no estimate exists (it decides who may accept); while
    # the author is asked, or once estimated, the panel puts nothing of it first.
    Action.ESTIMATE_COST: Step(
        IdeaStatus.UNDECIDED, None, "idea.triage", _("Estimate the cost"),
        _("The estimate is recorded."), style=Style.PRIMARY,
        primary_when=lambda idea: idea.status == S.IN_REVIEW and idea.estimated_cost is None,
    ),
    Action.ESCALATE: Step(
        IdeaStatus.UNDECIDED, None, "idea.escalate", _("Ask leadership to decide"),
        _("Leadership decides this idea now."),
    ),
    Action.TRANSFER: Step(
        IdeaStatus.UNDECIDED, None, "idea.triage", _("Hand over to another department"),
        _("The idea is handed over."),
    ),
}  # fmt: skip

# Views of the table, for those who need only one part of it.
TRANSITIONS: dict[Action, Step] = {a: s for a, s in STEPS.items() if s.target is not None}
SIDE_ACTIONS: dict[Action, str] = {a: s.permission for a, s in STEPS.items() if s.target is None}
AUTHOR_ACTIONS = frozenset(a for a, s in STEPS.items() if s.as_author)
RESPONSES = frozenset(a for a, s in STEPS.items() if s.responds)
DECISIONS = frozenset(a for a, s in STEPS.items() if s.decides)


def permission_for(action: str) -> str:
    """The policy action that decides who may do ``action``."""
    return STEPS[Action(action)].permission


def primary_action(idea: Idea, actions: list[str]) -> str | None:
    """The one step the panel puts first: the first action offered that is the idea's next
    step (primary style, and its ``primary_when`` holds). None while others must act (the
    author answers a question, leadership decides above the budget)."""
    return next((a for a in actions if STEPS[Action(a)].is_next_step(idea)), None)


def available_actions(idea: Idea, user: User) -> list[str]:
    """What this person may do with the idea now: the buttons the idea page offers."""
    actions = [
        action
        for action, step in STEPS.items()
        if idea.status in step.sources and can(user, step.permission, idea)
    ]
    if "accept" in actions and not may_accept(idea, user):
        actions.remove("accept")
    if "just_do_it" in actions and not _fits_empowerment_scope(idea, user):
        actions.remove("just_do_it")
    # Handing on to leadership: once (who may is the policy's "idea.escalate").
    if "escalate" in actions and idea.escalated_at is not None:
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
    if not _has_acting_head(idea.owning_department_id):
        return Authority(True, idea.owning_department, budget, idea.created_at, DecidedBy.NO_HEAD)
    return Authority(False, idea.owning_department, budget, idea.created_at)


def _has_acting_head(department_id: int) -> bool:
    known = g.get("_acting_head") if has_request_context() else None
    if known is not None and department_id in known:
        return known[department_id]
    return bool(acting_head_ids(department_id))


def acting_head_column(_viewer: User) -> ColumnElement[bool]:
    """SQL: the owning department of the idea of the row has an acting head; the idea page
    reads it with the idea (``idea_page.columns``) for ``authority``."""
    return has_acting_head(Idea.owning_department_id)


def told_acting_head(idea: Idea, _viewer: User, value: bool) -> None:
    """What ``acting_head_column`` read, kept for this request (a GET of the idea page)."""
    g.setdefault("_acting_head", {})[idea.owning_department_id] = bool(value)


def deciders_of_department(department_id: int) -> tuple[list[int], bool]:
    """Who works the department's queue and hears of its new ideas: (people, leadership?).
    Its acting heads; leadership when it has none."""
    heads = acting_head_ids(department_id)
    if heads:
        return heads, False
    return list(db.session.scalars(who_ids("queue.leadership"))), True


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
    if step.responds and idea.first_response_at is None:
        idea.first_response_at = moment
    kind = EventKind.INFO_PROVIDED if action == "provide_info" else EventKind.STATUS_CHANGED
    _flush()
    record_event(idea, actor, kind, from_status=previous, to_status=step.target, note=note,
                 as_author=step.as_author, **event_fields)  # fmt: skip


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
    if due_on < today():
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
    current = today()
    if day is None:
        return current
    if day > current:
        raise DomainError(_("The day it took effect cannot be in the future."))
    return day


def _check_amount(amount: Decimal) -> None:
    if amount < 0 or amount >= Decimal("10000000000"):
        raise DomainError(_("Enter an amount between 0 and 9,999,999,999."))


def _money(amount: Decimal) -> str:

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
    step = STEPS[Action(action)]
    if idea.status not in step.sources:
        raise DomainError(_("This is not possible while the idea is in its current state."))
    require(actor, step.permission, idea)


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
        # Stored as a key: a German head's escalation reads in English for English readers.
        record_event(idea, actor, EventKind.ESCALATED, note_key="above_budget")


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
