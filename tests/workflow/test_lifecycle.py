"""The lifecycle as rules: the whole transition table, decision authority, clocks, duplicates,
commitments. Domain functions, no HTTP."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from suggestions.core.clock import now
from suggestions.core.errors import DomainError, NotAllowed
from suggestions.core.extensions import db
from suggestions.ideas import rules
from suggestions.ideas.models import Idea, IdeaStatus, Vote
from suggestions.notify.models import Notification
from suggestions.org.queries import org_settings
from suggestions.workflow import lifecycle, queries
from suggestions.workflow.clocks import clock, overdue_clause
from suggestions.workflow.models import Commitment, CommitmentState

from ..factories import make_idea, make_user

S = IdeaStatus
ROLES = ["author", "employee", "head", "other_head", "leader", "admin"]
UNDECIDED = {S.NEW, S.IN_REVIEW, S.NEEDS_INFO}
DECIDERS = {"head", "leader"}  # head of the owning department, leadership

# The product's rules, written out independently of the implementation's table:
# action -> (states it may start from, roles that may do it).
EXPECTED = {
    "acknowledge": ({S.NEW}, DECIDERS),
    "ask_info": ({S.NEW, S.IN_REVIEW}, DECIDERS),
    "provide_info": ({S.NEEDS_INFO}, {"author"}),
    "accept": ({S.NEW, S.IN_REVIEW}, DECIDERS),
    "decline": (UNDECIDED, DECIDERS),
    "reopen": ({S.DECLINED}, {"leader"}),
    "mark_duplicate": (UNDECIDED, DECIDERS),
    "start": ({S.ACCEPTED}, DECIDERS),
    "implement": ({S.ACCEPTED, S.IN_PROGRESS}, DECIDERS),
    "break_commitment": ({S.ACCEPTED, S.IN_PROGRESS}, DECIDERS),
    "just_do_it": ({S.NEW}, {"author"}),
    "withdraw": (UNDECIDED, {"author"}),
    "estimate_cost": (UNDECIDED, DECIDERS),
    "escalate": (UNDECIDED, {"head"}),  # leadership decides already: nobody to hand it to
    "transfer": (UNDECIDED, DECIDERS),
}


# What each action is, independently of the table: it counts as the department's first
# response to the author, it is the organisation's yes or no, its button is red.
RESPONSES = {"acknowledge", "ask_info", "accept", "decline", "mark_duplicate"}
DECISIONS = {"accept", "decline", "mark_duplicate"}
DANGER = {"decline", "withdraw", "break_commitment"}
BY_AUTHOR = {"provide_info", "just_do_it", "withdraw"}


def test_the_table_has_one_entry_per_action_and_it_says_what_the_action_is():
    assert set(lifecycle.STEPS) == set(lifecycle.Action) == set(EXPECTED)
    assert lifecycle.Action.ACCEPT == "accept"  # plain names keep working everywhere
    for action, step in lifecycle.STEPS.items():
        assert step.sources == EXPECTED[action][0], action
        assert step.responds == (action in RESPONSES), action
        assert step.decides == (action in DECISIONS), action
        assert (step.style == lifecycle.Style.DANGER) == (action in DANGER), action
        assert step.as_author == (action in BY_AUTHOR), action
        assert str(step.label) and str(step.done), action
    for action in DECISIONS:  # a decision leaves the undecided states for good
        step = lifecycle.STEPS[action]
        assert step.sources <= UNDECIDED and step.target not in UNDECIDED


def test_the_panel_offers_one_primary_step_first():
    in_review = SimpleNamespace(status=S.IN_REVIEW, estimated_cost=None)
    estimated = SimpleNamespace(status=S.IN_REVIEW, estimated_cost=Decimal(100))
    asked = SimpleNamespace(status=S.NEEDS_INFO, estimated_cost=None)
    review = ["ask_info", "accept", "decline", "estimate_cost"]
    assert lifecycle.primary_action(in_review, review) == "accept"
    assert lifecycle.primary_action(in_review, ["ask_info", "decline", "estimate_cost"]) == (
        "estimate_cost"
    )
    assert lifecycle.primary_action(estimated, ["decline", "estimate_cost"]) is None
    assert lifecycle.primary_action(asked, ["decline", "estimate_cost"]) is None
    accepted = SimpleNamespace(status=S.ACCEPTED, estimated_cost=Decimal(100))
    assert lifecycle.primary_action(accepted, ["start", "implement"]) == "start"
    assert lifecycle.primary_action(accepted, ["decline", "withdraw"]) is None
    # The table's order is the panel's: starting the work comes before recording delivery.
    actions = list(lifecycle.STEPS)
    assert actions.index(lifecycle.Action.START) < actions.index(lifecycle.Action.IMPLEMENT)


@pytest.mark.parametrize("action", sorted(lifecycle.TRANSITIONS))
def test_the_first_response_clock_stops_exactly_for_a_response(org, action):
    survivor = make_idea(org.other_employee, department=org.service, category=org.red_tape)
    people = {"author": org.employee, "head": org.head, "leader": org.leader}
    sources, roles = EXPECTED[action]
    idea = _idea_in(org, sorted(sources)[0], survivor)
    assert idea.first_response_at is None
    _perform(action, idea, people[sorted(roles)[0]], org, survivor)
    assert (idea.first_response_at is not None) == (action in RESPONSES)


def _idea_in(org, status: str, survivor: Idea) -> Idea:
    """An idea of the service department by org.employee, put straight into ``status``."""
    text = rules.IdeaText(
        title="Three signatures for a stapler", problem="p", proposal="q", benefit="b",
        category=org.red_tape, owning_department=org.service, affected_departments=[],
    )  # fmt: skip
    idea = rules.submit_idea(org.employee, text)
    idea.status = status
    if status in (S.ACCEPTED, S.IN_PROGRESS):
        db.session.add(
            Commitment(idea_id=idea.id, department_id=org.service.id, owner_id=org.head.id,
                       promise="We do it.", due_on=now().date() + timedelta(days=30))
        )  # fmt: skip
    if status == S.DUPLICATE:
        idea.duplicate_of_id = survivor.id
    db.session.flush()
    return idea


def _perform(action: str, idea: Idea, actor, org, survivor: Idea) -> None:
    today = now().date()
    if action == "accept":
        lifecycle.accept(
            idea,
            actor,
            owner=org.head,
            promise="We do it.",
            due_on=today + timedelta(days=10),
            estimated_cost=Decimal(100),
        )
    elif action == "implement":
        lifecycle.implement(idea, actor, change_summary="Done.")
    elif action == "just_do_it":
        lifecycle.just_do_it(idea, actor, cost=Decimal(10), change_summary="Bought it.")
    elif action == "mark_duplicate":
        lifecycle.mark_duplicate(idea, actor, survivor)
    elif action == "estimate_cost":
        lifecycle.estimate_cost(idea, actor, Decimal(100))
    elif action == "escalate":
        lifecycle.escalate(idea, actor)
    elif action == "transfer":
        lifecycle.transfer(idea, actor, org.sales)
    elif action == "break_commitment":
        lifecycle.break_commitment(idea, actor, "No budget after all.")
    else:
        lifecycle.transition(idea, action, actor, "A note for everyone.")


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_transition_table_every_state_every_role(org, action):
    """Every state x every role for this action: allowed where the product says so, refused
    otherwise ("not possible now" before "not you"), and a refusal changes nothing."""
    survivor = make_idea(org.other_employee, department=org.service, category=org.red_tape)
    people = {"author": org.employee, "employee": org.other_employee, "head": org.head,
              "other_head": org.other_head, "leader": org.leader, "admin": org.admin}  # fmt: skip
    sources, roles = EXPECTED[action]
    outcomes = {}
    for status in S:
        for role in ROLES:
            savepoint = db.session.begin_nested()
            idea = _idea_in(org, status, survivor)
            events_before = _event_count(idea)
            try:
                _perform(action, idea, people[role], org, survivor)
                outcomes[status, role] = "done"
            except NotAllowed:
                outcomes[status, role] = "forbidden"
                assert idea.status == status and _event_count(idea) == events_before
            except DomainError as error:
                outcomes[status, role] = "impossible"
                assert "not possible" in str(error.message), error.message
                assert idea.status == status and _event_count(idea) == events_before
            savepoint.rollback()
    expected = {
        (status, role): "impossible" if status not in sources
        else "done" if role in roles else "forbidden"
        for status in S for role in ROLES
    }  # fmt: skip
    assert outcomes == expected


def _event_count(idea: Idea) -> int:
    from suggestions.ideas.models import IdeaEvent

    return db.session.scalar(select(func.count()).where(IdeaEvent.idea_id == idea.id))


def test_every_move_writes_a_timeline_event_with_actor_and_note(org):
    idea = make_idea(org.employee, department=org.service)
    lifecycle.transition(idea, "ask_info", org.head, "How often does it happen?")
    lifecycle.transition(idea, "provide_info", org.employee, "Every day.")
    db.session.commit()
    from suggestions.ideas.queries import timeline

    events = [(e.kind, e.from_status, e.to_status, e.note, e.actor_id) for e in timeline(idea)]
    assert events[1:] == [
        ("status_changed", "new", "needs_info", "How often does it happen?", org.head.id),
        ("info_provided", "needs_info", "in_review", "Every day.", org.employee.id),
    ]


@pytest.mark.parametrize("action", ["decline", "reopen", "ask_info", "provide_info"])
def test_a_reason_is_required_where_the_public_must_know_why(org, action):
    idea = make_idea(org.employee, department=org.service)
    actor = org.head
    if action == "reopen":
        lifecycle.transition(idea, "decline", org.head, "Not now.")
        actor = org.leader
    if action == "provide_info":
        lifecycle.transition(idea, "ask_info", org.head, "How often?")
        actor = org.employee
    before = idea.status
    with pytest.raises(DomainError, match="reason"):
        lifecycle.transition(idea, action, actor, "   ")
    assert idea.status == before


# -- decision authority ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "department_budget, cost, head_may_accept",
    [
        (None, "4999.99", True),  # below the organisation default of 5,000
        (None, "5000", True),  # at the budget
        (None, "5000.01", False),  # above it
        ("1000", "1000", True),  # the department's own budget wins over the default
        ("1000", "1000.01", False),
        ("20000", "12000", True),  # ...also when it is larger
        ("0", "0", True),
    ],
)
def test_head_accepts_only_within_the_owning_departments_budget(
    org, department_budget, cost, head_may_accept
):
    org.service.decision_budget = Decimal(department_budget) if department_budget else None
    idea = make_idea(org.employee, department=org.service)
    lifecycle.estimate_cost(idea, org.head, Decimal(cost))
    assert lifecycle.may_accept(idea, org.head) is head_may_accept
    assert lifecycle.may_accept(idea, org.leader) is True
    assert ("accept" in lifecycle.available_actions(idea, org.head)) is head_may_accept
    due = now().date() + timedelta(days=30)
    if head_may_accept:
        lifecycle.accept(idea, org.head, owner=org.head, promise="We do it.", due_on=due)
        assert idea.status == S.ACCEPTED
    else:
        with pytest.raises(DomainError, match="leadership decides"):
            lifecycle.accept(idea, org.head, owner=org.head, promise="We do it.", due_on=due)
        assert idea.status == S.NEW
        assert lifecycle.authority(idea).leadership  # the page says: leadership decides
        lifecycle.accept(idea, org.leader, owner=org.leader, promise="We do it.", due_on=due)
        assert idea.status == S.ACCEPTED


def test_head_must_estimate_before_accepting(org):
    idea = make_idea(org.employee, department=org.service)
    with pytest.raises(DomainError, match="estimate the cost"):
        lifecycle.accept(idea, org.head, owner=org.head, promise="x",
                         due_on=now().date() + timedelta(days=3))  # fmt: skip
    assert idea.status == S.NEW


def test_above_budget_the_idea_moves_from_the_department_queue_to_leadership(org):
    idea = make_idea(org.employee, department=org.service)
    assert idea in queries.department_queue([org.service.id]).items
    lifecycle.estimate_cost(idea, org.head, Decimal(12000))
    db.session.commit()
    assert idea.escalated_at is not None
    assert idea not in queries.department_queue([org.service.id]).items
    assert idea in queries.leadership_queue().items


def test_a_head_may_hand_a_cheap_idea_to_leadership(org):
    idea = make_idea(org.employee, department=org.service)
    lifecycle.estimate_cost(idea, org.head, Decimal(10))
    lifecycle.escalate(idea, org.head, "A question of policy.")
    assert not lifecycle.may_accept(idea, org.head)
    assert lifecycle.authority(idea).leadership


def _inactive(person):
    person.active = False
    return person


def test_accepting_requires_a_complete_commitment(org):
    idea = make_idea(org.employee, department=org.service)
    due = now().date() + timedelta(days=10)
    cases = [
        (dict(owner=org.head, promise="  ", due_on=due), "say what will be done"),
        (dict(owner=_inactive(org.employee), promise="x", due_on=due), "active person"),
        (dict(owner=org.head, promise="x", due_on=now().date() - timedelta(days=1)), "past"),
    ]
    for details, message in cases:
        with pytest.raises(DomainError, match=message):
            lifecycle.accept(idea, org.leader, **details)
    assert idea.status == S.NEW
    assert db.session.scalar(select(func.count()).select_from(Commitment)) == 0


def test_transfer_hands_the_idea_to_another_department_and_its_heads(org):
    idea = make_idea(org.employee, department=org.service)
    with pytest.raises(DomainError):
        lifecycle.transfer(idea, org.head, org.service)
    lifecycle.transfer(idea, org.head, org.sales, "Sales owns the price list.")
    db.session.commit()
    assert idea.owning_department_id == org.sales.id
    assert org.sales in idea.affected_departments
    assert idea in queries.department_queue([org.sales.id]).items
    # the previous head no longer speaks for it; the new one does
    assert "acknowledge" not in lifecycle.available_actions(idea, org.head)
    assert "acknowledge" in lifecycle.available_actions(idea, org.other_head)


# -- just do it --------------------------------------------------------------------------------


def test_just_do_it_within_the_personal_budget_and_own_department(org):
    idea = make_idea(org.employee, department=org.service)
    lifecycle.just_do_it(idea, org.employee, cost=Decimal(500), change_summary="Bought a stapler.")
    assert idea.status == S.IMPLEMENTED and idea.done_by_empowerment
    assert idea.implemented_on == now().date() and idea.change_summary == "Bought a stapler."


def test_just_do_it_refused_above_the_personal_budget(org):
    idea = make_idea(org.employee, department=org.service)
    with pytest.raises(DomainError, match="personal budget"):
        lifecycle.just_do_it(idea, org.employee, cost=Decimal("500.01"), change_summary="x")
    assert idea.status == S.NEW and not idea.done_by_empowerment


def test_just_do_it_refused_when_another_department_is_affected(org):
    idea = make_idea(org.employee, department=org.service, affected=[org.sales])
    assert "just_do_it" not in lifecycle.available_actions(idea, org.employee)
    with pytest.raises(DomainError, match="own department"):
        lifecycle.just_do_it(idea, org.employee, cost=Decimal(5), change_summary="x")
    assert idea.status == S.NEW


# -- clocks ------------------------------------------------------------------------------------


def _overdue_in_sql(idea: Idea, at) -> bool:
    query = select(func.count()).where(Idea.id == idea.id, overdue_clause(org_settings(), at))
    return db.session.scalar(query) == 1


def test_clocks_first_response_then_decision_then_nothing(org):
    idea = make_idea(org.employee, department=org.service)
    start = idea.created_at
    settings = org_settings()  # 7 days to a first response, 30 to a decision

    def check(days: float, waiting_for, overdue: bool):
        at = start + timedelta(days=days)
        state = clock(idea, settings, at)
        assert (state.waiting_for, state.overdue) == (waiting_for, overdue), days
        assert _overdue_in_sql(idea, at) is overdue, days  # SQL and Python agree

    check(6.9, "first_response", False)
    check(7.1, "first_response", True)
    assert clock(idea, settings, start + timedelta(days=12)).days_waiting == 12
    lifecycle.transition(idea, "acknowledge", org.head)
    db.session.commit()
    check(12, "decision", False)
    check(29.9, "decision", False)
    check(30.1, "decision", True)
    lifecycle.accept(idea, org.leader, owner=org.head, promise="x",
                     due_on=now().date() + timedelta(days=5))  # fmt: skip
    db.session.commit()
    check(400, None, False)


def test_changing_the_settings_changes_every_clock(org):
    idea = make_idea(org.employee, department=org.service)
    at = idea.created_at + timedelta(days=4)
    assert not clock(idea, org_settings(), at).overdue
    org_settings().first_response_days = 3
    assert clock(idea, org_settings(), at).overdue
    assert _overdue_in_sql(idea, at)


def test_queue_lists_overdue_first_then_new(org):
    make_idea(org.employee, department=org.service, title="Fresh and new")
    reviewed = make_idea(org.employee, department=org.service, title="Reviewed recently")
    lifecycle.transition(reviewed, "acknowledge", org.head)
    late = make_idea(org.employee, department=org.service, title="Waiting too long")
    late.created_at = now() - timedelta(days=9)
    db.session.commit()
    page = queries.department_queue([org.service.id])
    assert [i.title for i in page.items] == ["Waiting too long", "Fresh and new",
                                             "Reviewed recently"]  # fmt: skip
    assert page.overdue_count == 1


# -- duplicates --------------------------------------------------------------------------------


def test_merging_a_duplicate_moves_votes_without_double_counting(org):
    both = make_user(department=org.sales)
    duplicate = make_idea(org.employee, department=org.service)
    survivor = make_idea(org.other_employee, department=org.service)
    for voter in (org.other_employee, both):
        rules.set_vote(duplicate, voter, True)
    for voter in (both, org.head):
        rules.set_vote(survivor, voter, True)
    db.session.commit()
    moved = lifecycle.mark_duplicate(duplicate, org.head, survivor, "Same request.")
    db.session.commit()
    assert moved == 1  # the person who voted for both keeps one vote
    voters = set(db.session.scalars(select(Vote.user_id).where(Vote.idea_id == survivor.id)))
    assert voters == {org.other_employee.id, both.id, org.head.id}
    db.session.refresh(survivor)
    db.session.refresh(duplicate)
    assert survivor.vote_count == 3 and duplicate.vote_count == 0
    assert duplicate.status == S.DUPLICATE and duplicate.duplicate_of_id == survivor.id


def test_no_duplicate_of_itself_nor_chains(org):
    a = make_idea(org.employee, department=org.service)
    b = make_idea(org.employee, department=org.service)
    c = make_idea(org.employee, department=org.service)
    with pytest.raises(DomainError, match="itself"):
        lifecycle.mark_duplicate(a, org.head, a)
    lifecycle.mark_duplicate(a, org.head, b)
    with pytest.raises(DomainError, match="closed"):
        lifecycle.mark_duplicate(c, org.head, a)  # a is closed: point to b instead
    # Merging b (which absorbed a) into c re-points a to c: no chain a -> b -> c.
    lifecycle.mark_duplicate(b, org.head, c)
    db.session.commit()
    db.session.refresh(a)
    assert a.duplicate_of_id == c.id


# -- commitments -------------------------------------------------------------------------------


def _accepted(org, due_in_days: int) -> tuple[Idea, Commitment]:
    idea = make_idea(org.employee, department=org.service)
    commitment = lifecycle.accept(
        idea,
        org.leader,
        owner=org.head,
        promise="We do it.",
        due_on=now().date() + timedelta(days=max(due_in_days, 0)),
    )
    commitment.due_on = now().date() + timedelta(days=due_in_days)
    return idea, commitment


def test_commitment_outcomes_and_the_kept_on_time_rate(org):
    today = now().date()
    for _ in range(3):  # kept on time: delivered on or before the due date
        idea, c = _accepted(org, 5)
        lifecycle.implement(idea, org.head, change_summary="Done.", implemented_on=today)
        assert c.state == CommitmentState.KEPT and c.delivered_on == today
    idea, c = _accepted(org, -2)  # delivered two days late
    lifecycle.implement(idea, org.head, change_summary="Done, late.", implemented_on=today)
    assert c.state == CommitmentState.KEPT_LATE
    idea, c = _accepted(org, 5)  # broken: closed without delivery
    lifecycle.break_commitment(idea, org.head, "The supplier went bankrupt.")
    assert c.state == CommitmentState.BROKEN and idea.status == S.IN_REVIEW
    _accepted(org, -1)  # open and overdue: can no longer be kept on time
    _accepted(org, 3)  # open, due soon
    _accepted(org, 60)  # open, not due soon
    db.session.commit()

    summary = queries.commitment_summary(queries.CommitmentFilter())
    assert (summary.open, summary.due_soon, summary.overdue) == (3, 1, 1)
    assert (summary.kept, summary.kept_late, summary.broken) == (3, 1, 1)
    # kept on time / promises that fell due (3 kept + 1 late + 1 broken + 1 overdue) = 3 / 6
    assert summary.due_so_far == 6 and summary.kept_on_time_rate == pytest.approx(0.5)
    overdue = queries.list_commitments(queries.CommitmentFilter(view="overdue"), summary)
    assert overdue.total == 1 and overdue.items[0].due_on < today


def test_kept_on_time_rate_is_none_when_nothing_fell_due(org):
    _accepted(org, 10)
    db.session.commit()
    assert queries.commitment_summary(queries.CommitmentFilter()).kept_on_time_rate is None


def test_commitment_updates_by_owner_and_leadership_only(org):
    idea, c = _accepted(org, 10)
    lifecycle.post_commitment_update(c, org.head, "Supplier chosen.")
    lifecycle.post_commitment_update(c, org.leader, "Budget approved.")
    with pytest.raises(NotAllowed):
        lifecycle.post_commitment_update(c, org.other_employee, "I think it's done.")
    with pytest.raises(DomainError, match="empty"):
        lifecycle.post_commitment_update(c, org.head, "  ")
    assert len(queries.updates_of([c.id])[c.id]) == 2


def test_anyone_active_may_own_a_commitment_and_the_head_stays_accountable(org):
    idea = make_idea(org.employee, department=org.service)
    specialist = org.other_employee  # an employee of another department delivers
    assert specialist.id in [u.id for u in lifecycle.commitment_owner_choices()]
    commitment = lifecycle.accept(
        idea, org.head, owner=specialist, promise="Otto builds it.",
        due_on=now().date() + timedelta(days=5), estimated_cost=Decimal(10),
    )  # fmt: skip
    db.session.commit()
    assert commitment.owner_id == specialist.id and commitment.accountable.id == org.head.id
    # The owner is told the promise is theirs, follows the idea, and works on it.
    told = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == specialist.id)
    ).all()
    assert "commitment_owned" in told
    lifecycle.post_commitment_update(commitment, specialist, "Halfway.")
    assert "implement" in lifecycle.available_actions(idea, specialist)
    # Giving the promise up stays with those accountable for it.
    assert "break_commitment" not in lifecycle.available_actions(idea, specialist)
    assert "break_commitment" in lifecycle.available_actions(idea, org.head)
    lifecycle.implement(idea, specialist, change_summary="Built.")
    assert idea.status == S.IMPLEMENTED


def test_the_commitment_owner_may_deliver_without_being_the_head(org):
    idea = make_idea(org.employee, department=org.service)
    lifecycle.accept(idea, org.leader, owner=org.other_head, promise="Sales builds it.",
                     due_on=now().date() + timedelta(days=5))  # fmt: skip
    assert "implement" in lifecycle.available_actions(idea, org.other_head)
    lifecycle.implement(idea, org.other_head, change_summary="Built.")
    assert idea.status == S.IMPLEMENTED


# -- concurrency -------------------------------------------------------------------------------


def test_a_decision_on_an_outdated_page_is_refused(org):
    idea = make_idea(org.employee, department=org.service)
    seen = idea.revision
    lifecycle.transition(idea, "acknowledge", org.head, revision=seen)
    db.session.commit()
    with pytest.raises(lifecycle.IdeaChanged):
        lifecycle.transition(idea, "decline", org.leader, "No.", revision=seen)
    assert idea.status == S.IN_REVIEW


def test_two_heads_deciding_at_once_cannot_both_win(app, org):
    """Real threads, each its own session: both saw the same revision, one must lose."""
    idea = make_idea(org.employee, department=org.service)
    seen, idea_id = idea.revision, idea.id
    deciders = [(org.head.id, "decline", "Not now."), (org.leader.id, "ask_info", "How often?")]
    db.session.close()  # the test's own transaction must not hold SQLite's write lock
    barrier = threading.Barrier(2)
    results: list[str] = []

    def decide(user_id: int, action: str, note: str):
        with app.app_context():
            from suggestions.auth.models import User

            user = db.session.get(User, user_id)
            target = db.session.get(Idea, idea_id)
            user.headed_departments  # noqa: B018 - load before the race starts
            db.session.commit()  # end the loading transaction; the race starts afresh
            barrier.wait()
            try:
                lifecycle.transition(target, action, user, note, revision=seen)
                db.session.commit()
                results.append("won")
            except DomainError:
                db.session.rollback()
                results.append("changed")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=decide, args=args) for args in deciders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["changed", "won"]
    db.session.expire_all()
    idea = db.session.get(Idea, idea_id)
    assert idea.revision == seen + 1
    from suggestions.ideas.queries import timeline

    assert len([e for e in timeline(idea) if e.kind == "status_changed"]) == 1


def test_leadership_cannot_hand_a_decision_to_itself_on_the_page_or_through_the_api(org):
    """One rule ("idea.escalate") for the button, the page's form, the API and the function."""
    idea = make_idea(org.employee, department=org.service)
    assert "escalate" in lifecycle.available_actions(idea, org.head)
    assert "escalate" not in lifecycle.available_actions(idea, org.leader)
    with pytest.raises(NotAllowed):
        lifecycle.escalate(idea, org.leader, "Ours anyway.")
    assert idea.escalated_at is None
    lifecycle.escalate(idea, org.head, "A question of policy.")
    assert idea.escalated_at is not None
    assert "escalate" not in lifecycle.available_actions(idea, org.head)  # once
