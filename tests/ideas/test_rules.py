"""Idea rules without HTTP: submitting, editing, withdrawing, commenting, anonymity."""

import pytest
from sqlalchemy import func, select

from suggestions.core.errors import DomainError, NotAllowed
from suggestions.core.extensions import db
from suggestions.ideas import rules
from suggestions.ideas.models import IdeaEvent, IdeaStatus, IdeaVersion
from suggestions.policy import can
from suggestions.workflow.lifecycle import transition

from ..factories import make_category, make_idea


def text_for(org, **changes):
    values = dict(
        title="Stop printing leave requests",
        problem="Printed, signed, scanned, mailed.",
        proposal="Use the HR portal.",
        benefit="No paper.",
        category=org.red_tape,
        owning_department=org.service,
        affected_departments=[org.sales],
    )
    return rules.IdeaText(**(values | changes))


def test_submitting_records_the_idea_as_new_with_a_timeline_event(org):
    idea = rules.submit_idea(org.employee, text_for(org))
    db.session.commit()
    assert idea.status == IdeaStatus.NEW
    assert idea.vote_count == 0 and idea.comment_count == 0
    assert {d.name for d in idea.affected_departments} == {"Sales", "Customer Service"}
    events = db.session.scalars(select(IdeaEvent).where(IdeaEvent.idea_id == idea.id)).all()
    assert [(e.kind, e.to_status, e.actor_id) for e in events] == [
        ("submitted", "new", org.employee.id)
    ]


def test_a_retired_category_cannot_be_chosen_for_a_new_idea(org):
    retired = make_category("Old things", active=False)
    with pytest.raises(DomainError):
        rules.submit_idea(org.employee, text_for(org, category=retired))


def test_author_edits_a_new_idea_and_the_previous_version_is_kept(org):
    idea = make_idea(org.employee, department=org.service, title="First title")
    rules.edit_idea(idea, org.employee, text_for(org, title="Better title"))
    db.session.commit()
    assert idea.title == "Better title" and idea.version == 2
    kept = db.session.scalars(select(IdeaVersion).where(IdeaVersion.idea_id == idea.id)).all()
    assert [(v.version, v.title) for v in kept] == [(1, "First title")]
    kinds = db.session.scalars(select(IdeaEvent.kind).where(IdeaEvent.idea_id == idea.id)).all()
    assert kinds == ["submitted", "edited"]


def test_nobody_but_the_author_may_edit(org):
    idea = make_idea(org.employee, department=org.service)
    for user in (org.other_employee, org.head, org.leader, org.admin):
        with pytest.raises(NotAllowed):
            rules.edit_idea(idea, user, text_for(org, title="Hijacked title"))
    db.session.rollback()
    assert db.session.get(type(idea), idea.id).title != "Hijacked title"


def test_editing_stops_when_review_starts(org):
    idea = make_idea(org.employee, department=org.service)
    idea.status = IdeaStatus.IN_REVIEW
    with pytest.raises(NotAllowed):
        rules.edit_idea(idea, org.employee, text_for(org))


def test_author_withdraws_and_the_timeline_says_so(org):
    idea = make_idea(org.employee, department=org.service)
    transition(idea, "withdraw", org.employee, "Solved it another way")
    db.session.commit()
    assert idea.status == IdeaStatus.WITHDRAWN
    last = db.session.scalars(
        select(IdeaEvent).where(IdeaEvent.idea_id == idea.id).order_by(IdeaEvent.id.desc())
    ).first()
    assert (last.from_status, last.to_status, last.note) == (
        "new",
        "withdrawn",
        "Solved it another way",
    )


@pytest.mark.parametrize(
    "status", ["accepted", "in_progress", "implemented", "declined", "withdrawn"]
)
def test_withdrawing_is_refused_once_the_organisation_committed_or_closed(org, status):
    idea = make_idea(org.employee, department=org.service)
    idea.status = status
    with pytest.raises(DomainError):
        transition(idea, "withdraw", org.employee)
    assert idea.status == status


def test_only_the_author_may_withdraw(org):
    idea = make_idea(org.employee, department=org.service)
    for user in (org.other_employee, org.head, org.leader, org.admin):
        with pytest.raises(NotAllowed):
            transition(idea, "withdraw", user)
    assert idea.status == IdeaStatus.NEW


def test_anonymous_author_is_hidden_from_everyone_else_but_keeps_their_rights(org):
    idea = make_idea(org.employee, department=org.service, anonymous=True)
    assert idea.author_id == org.employee.id  # stored, for edits and notifications
    assert can(org.employee, "idea.see_author", idea)
    for user in (org.other_employee, org.head, org.leader, org.admin):
        assert not can(user, "idea.see_author", idea)
    assert can(org.employee, "idea.edit", idea) and can(org.employee, "idea.withdraw", idea)


def test_a_comment_counts_and_an_empty_one_is_refused(org):
    idea = make_idea(org.employee, department=org.service)
    rules.add_comment(idea, org.other_employee, "Same in Sales!")
    db.session.commit()
    assert idea.comment_count == 1
    with pytest.raises(DomainError):
        rules.add_comment(idea, org.other_employee, "   ")
    db.session.rollback()
    assert db.session.get(type(idea), idea.id).comment_count == 1


def test_only_leadership_and_the_owning_head_answer_officially(org):
    idea = make_idea(org.employee, department=org.service)
    comment = rules.add_comment(idea, org.head, "We decide next week.", official=True)
    assert comment.is_official
    rules.add_comment(idea, org.leader, "Leadership agrees.", official=True)
    for user in (org.employee, org.other_employee, org.other_head, org.admin):
        with pytest.raises(NotAllowed):
            rules.add_comment(idea, user, "I speak for nobody.", official=True)


def test_marking_someone_elses_comment_official_and_back(org):
    idea = make_idea(org.employee, department=org.service)
    comment = rules.add_comment(idea, org.other_employee, "Finance already agreed to this.")
    with pytest.raises(NotAllowed):
        rules.set_official(comment, org.other_head, True)  # head of another department
    rules.set_official(comment, org.head, True)
    assert comment.is_official and comment.official_marked_by_id == org.head.id
    rules.set_official(comment, org.head, False)
    assert not comment.is_official


def test_no_comments_on_withdrawn_ideas(org):
    idea = make_idea(org.employee, department=org.service)
    transition(idea, "withdraw", org.employee)
    with pytest.raises(NotAllowed):
        rules.add_comment(idea, org.other_employee, "Too late?")
    count = db.session.scalar(select(func.count()).select_from(IdeaEvent))
    assert count == 2
