"""The ledger and measured impact as rules: items, links, history, hours, requests for
measurements. Hand-computed examples; no HTTP."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from suggestions.core import clock
from suggestions.core.errors import DomainError, NotAllowed
from suggestions.core.extensions import db
from suggestions.ideas.models import IdeaStatus
from suggestions.ledger import impact, queries, rules
from suggestions.ledger.models import ItemStatus, Measurement
from suggestions.notify.models import Notification
from suggestions.workflow import lifecycle

from ..factories import make_idea
from .helpers import implemented, make_item, plan


def test_hours_per_year_are_minutes_times_cases_before_minus_after_times_12_over_60():
    # 30 min x 200 cases = 6000 min a month; after, 10 x 200 = 2000: 4000 min a month saved,
    # 48,000 a year, 800 hours.
    assert impact.hours_per_year(30, 200, 10, 200) == 800
    # Fewer cases count too: 20 x 50 = 1000 min a month, then nothing at all: 200 hours a year.
    assert impact.hours_per_year(20, 50, 0, 0) == 200
    # Worse than before is a negative saving, shown as such.
    assert impact.hours_per_year(10, 10, 15, 10) == -10


def test_a_head_maintains_only_the_items_of_their_own_departments(org):
    item = make_item(org.head, org.service)
    assert item.department_id == org.service.id
    with pytest.raises(NotAllowed):
        make_item(org.other_head, org.service, title="Someone else's form")
    with pytest.raises(NotAllowed):
        make_item(org.employee, org.service, title="Not mine to add")
    assert make_item(org.admin, org.sales, title="The admin adds anywhere").id
    fields = rules.ItemFields("form", "Moved away", "", org.sales, None, 1, 1, 0, 0)
    with pytest.raises(NotAllowed):  # and may not hand their item to another department
        rules.edit_item(item, org.head, fields)


def test_naming_an_item_routes_the_idea_to_the_owners_department(org):
    item = make_item(org.other_head, org.sales, title="Sales discount approval", kind="approval")
    idea = make_idea(org.employee, department=org.service, category=org.red_tape)
    rules.link_items(idea, [item.id])
    db.session.commit()
    assert "Sales" in [d.name for d in idea.affected_departments]
    assert [i.id for i in queries.items_of(idea)] == [item.id]
    assert [i.id for i in queries.ideas_of(item)] == [idea.id]
    rules.link_items(idea, [])  # choosing again replaces the choice
    assert queries.items_of(idea) == []
    with pytest.raises(DomainError):
        rules.link_items(idea, [item.id + 1000])


def test_two_ideas_touching_the_same_item_leave_its_whole_history(org):
    form = make_item(org.head, org.service, signatures=3, handoffs=2)
    first = make_idea(org.employee, department=org.service, category=org.red_tape)
    second = make_idea(org.other_employee, department=org.service, category=org.red_tape)
    for idea in (first, second):
        rules.link_items(idea, [form.id])
    db.session.commit()
    assert {i.id for i in queries.ideas_of(form)} == {first.id, second.id}

    with pytest.raises(NotAllowed):  # nothing to record before the change is live
        rules.record_change(first, org.head, rules.ChangeFields(form, "simplified"))
    implemented(first, org.head, org.head, date(2026, 10, 5))
    rules.record_change(
        first, org.head,
        rules.ChangeFields(form, "simplified", signatures_removed=1, fields_removed=4),
    )  # fmt: skip
    db.session.commit()
    assert (form.signatures, form.handoffs, form.status) == (2, 2, ItemStatus.ACTIVE)

    implemented(second, org.head, org.other_employee, date(2026, 11, 2))
    rules.record_change(second, org.other_employee, rules.ChangeFields(form, "abolished"))
    db.session.commit()
    assert form.status == ItemStatus.ABOLISHED
    assert form.ended_by_idea_id == second.id
    with pytest.raises(DomainError):  # gone is gone
        rules.record_change(first, org.head, rules.ChangeFields(form, "digitised"))

    history = [(c.kind, c.idea_id, c.signatures_removed) for c in queries.history(form)]
    assert history == [
        ("created", None, 0),
        ("simplified", first.id, 1),
        ("abolished", second.id, 2),  # the two signatures that were left
    ]
    removed = queries.red_tape_removed()
    assert (removed.forms, removed.signatures, removed.handoffs, removed.fields) == (1, 3, 2, 4)
    assert queries.red_tape_removed([org.sales.id]).forms == 0
    # Abolished items stay in the ledger, findable by their status.
    listed = queries.list_items(queries.ItemFilter(status="abolished")).items
    assert [i.id for i in listed] == [form.id]
    assert queries.search("Travel") == []  # no longer offered to new ideas


def test_merging_names_the_item_it_went_into(org):
    a = make_item(org.head, org.service, title="Leave request paper form", signatures=2)
    b = make_item(org.head, org.service, title="Leave request in the HR tool", kind="tool",
                  signatures=1)  # fmt: skip
    idea = make_idea(org.employee, department=org.service, category=org.red_tape)
    rules.link_items(idea, [a.id, b.id])
    implemented(idea, org.head, org.head, date(2026, 11, 2))
    with pytest.raises(DomainError):
        rules.record_change(idea, org.head, rules.ChangeFields(a, "merged"))
    rules.record_change(idea, org.head, rules.ChangeFields(a, "merged", merged_into=b))
    db.session.commit()
    assert a.status == ItemStatus.MERGED and b.status == ItemStatus.ACTIVE
    assert queries.history(a)[-1].merged_into_id == b.id


def _implemented_with_plans(org, on: date):
    form = make_item(org.head, org.service)
    idea = make_idea(org.employee, department=org.service, category=org.red_tape)
    rules.link_items(idea, [form.id])
    db.session.commit()
    with clock.travel_to(datetime(on.year, on.month, on.day) - timedelta(days=20)):
        lifecycle.accept(idea, org.head, owner=org.other_employee, promise="Gone by then.",
                         due_on=on, estimated_cost=Decimal(100))  # fmt: skip
        plan(idea, org.head, (30, 200), (10, 200), form)  # 800 h a year
        plan(idea, org.head, (20, 50), (0, 0))  # 200 h a year, for the idea as a whole
    db.session.commit()
    with clock.travel_to(datetime(on.year, on.month, on.day, 12)):
        lifecycle.implement(idea, org.head, change_summary="Form gone.", implemented_on=on)
    db.session.commit()
    return idea, form


def test_projected_and_measured_hours_of_an_idea(org):
    idea, _form = _implemented_with_plans(org, date(2026, 9, 1))
    views = impact.plans_of(idea)
    assert [v.projected for v in views] == [800, 200]
    assert impact.idea_totals(views) == (1000, None)

    impact.ask_for_measurements(datetime(2026, 10, 1, 8))  # 30 days after go-live
    db.session.commit()
    first = db.session.scalars(select(Measurement).order_by(Measurement.id)).first()
    impact.record_measurement(first, org.other_employee, impact.Figures(15, 200))
    db.session.commit()
    views = impact.plans_of(idea)
    # (30 x 200 - 15 x 200) x 12 / 60 = 600 h a year measured for the form; the other plan
    # is not measured yet and counts nowhere.
    assert views[0].measured == 600
    assert impact.idea_totals(views) == (1000, 600)

    impact.ask_for_measurements(datetime(2026, 12, 1, 8))  # 90 days after
    db.session.commit()
    ninety = db.session.scalars(
        select(Measurement).where(
            Measurement.after_days == 90, Measurement.plan_id == first.plan_id
        )
    ).one()
    impact.record_measurement(ninety, org.other_employee, impact.Figures(12, 190))
    db.session.commit()
    # The later figure wins: (6000 - 12 x 190) x 12 / 60 = 3720 x 0.2 = 744 h a year.
    assert impact.plans_of(idea)[0].measured == 744
    assert impact.hours_by_department() == [("Customer Service", 1000, 744)]
    assert impact.hours_by_department([org.sales.id]) == []


def test_asking_for_measurements_is_idempotent_and_tells_the_owner_once(org):
    idea, _form = _implemented_with_plans(org, date(2026, 9, 1))
    assert impact.ask_for_measurements(datetime(2026, 9, 30, 8)) == 0  # 29 days: not yet
    assert impact.ask_for_measurements(datetime(2026, 10, 1, 8)) == 2  # one per plan
    db.session.commit()
    assert impact.ask_for_measurements(datetime(2026, 10, 2, 8)) == 0
    db.session.commit()
    asked = db.session.scalars(select(Measurement)).all()
    assert {(m.after_days, m.owner_id, m.due_on) for m in asked} == {
        (30, org.other_employee.id, date(2026, 10, 1))
    }
    told = db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.kind == "measurement_due", Notification.user_id == org.other_employee.id
        )
    )
    assert told == 1  # one notification per idea and milestone, not per plan
    queue = impact.open_measurements(org.other_employee)
    assert [m.idea_id for m in queue] == [idea.id, idea.id]
    assert impact.ask_for_measurements(datetime(2027, 1, 1, 8)) == 2  # the 90-day round
    assert impact.ask_for_measurements(datetime(2027, 1, 1, 8)) == 0


def test_only_the_owner_or_those_who_decide_record_measurements(org):
    _implemented_with_plans(org, date(2026, 9, 1))
    impact.ask_for_measurements(datetime(2026, 10, 1, 8))
    db.session.commit()
    m = db.session.scalars(select(Measurement)).first()
    with pytest.raises(NotAllowed):
        impact.record_measurement(m, org.employee, impact.Figures(1, 1))
    with pytest.raises(NotAllowed):
        impact.record_measurement(m, org.other_head, impact.Figures(1, 1))
    with pytest.raises(DomainError):
        impact.record_measurement(m, org.head, impact.Figures(-1, 1))
    impact.record_measurement(m, org.head, impact.Figures(1, 1))


def test_baseline_and_target_wait_for_acceptance_and_for_the_deciders(org):
    idea = make_idea(org.employee, department=org.service, category=org.red_tape)
    with pytest.raises(NotAllowed):
        plan(idea, org.head)
    idea.status = IdeaStatus.ACCEPTED
    with pytest.raises(NotAllowed):
        plan(idea, org.other_head)
    first = plan(idea, org.head)
    again = plan(idea, org.head, (40, 200), (10, 200))  # a correction replaces the figures
    assert first.id == again.id and impact.projected_hours(again) == 1200
