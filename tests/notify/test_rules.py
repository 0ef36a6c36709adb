"""Who hears about what: the rule table applied to real events, without HTTP."""

import pytest
from sqlalchemy import func, select

from suggestions.auth.models import Role
from suggestions.core.extensions import db
from suggestions.ideas import rules as idea_rules
from suggestions.ideas.models import EventKind, IdeaStatus
from suggestions.notify import rules
from suggestions.notify.messages import describe
from suggestions.notify.models import (
    Delivery,
    Follow,
    Notification,
    NotificationPreference,
    OutboxMessage,
)
from suggestions.workflow.lifecycle import transition

from ..factories import make_idea, make_user


def notified(kind: str | None = None) -> dict[int, Notification]:
    query = select(Notification)
    if kind:
        query = query.where(Notification.kind == kind)
    return {n.user_id: n for n in db.session.scalars(query)}


def mails_to() -> list[str]:
    return sorted(db.session.scalars(select(OutboxMessage.recipient)))


def change_status(idea, actor, to_status, note=None):
    """What the lifecycle does for a transition (triage comes with the workflow)."""
    previous, idea.status = idea.status, to_status
    idea_rules.record_event(
        idea, actor, EventKind.STATUS_CHANGED, from_status=previous, to_status=to_status, note=note
    )
    db.session.commit()


def prefer(user, kind, delivery):
    db.session.merge(NotificationPreference(user_id=user.id, kind=kind, delivery=delivery))
    db.session.commit()


def clear():
    db.session.execute(Notification.__table__.delete())
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.commit()


def test_a_new_idea_reaches_the_heads_of_its_department_only(org):
    second_head = make_user(Role.HEAD, org.service, heads=[org.service])
    make_idea(org.employee, department=org.service)
    assert set(notified("new_idea")) == {org.head.id, second_head.id}
    assert org.other_head.id not in notified()  # heads of Sales are not asked
    assert sorted(mails_to()) == sorted([org.head.email, second_head.email])


def test_authors_and_voters_follow_automatically(org):
    idea = make_idea(org.employee, department=org.service)
    idea_rules.set_vote(idea, org.other_employee, True)
    db.session.commit()
    followers = set(db.session.scalars(select(Follow.user_id).where(Follow.following)))
    assert followers == {org.employee.id, org.other_employee.id}


def test_a_status_change_reaches_author_voters_and_followers_but_not_the_actor(org):
    idea = make_idea(org.employee, department=org.service)
    idea_rules.set_vote(idea, org.other_employee, True)
    idea_rules.set_vote(idea, org.head, True)
    rules.follow(idea.id, org.leader.id)
    clear()
    change_status(idea, org.head, IdeaStatus.IN_REVIEW, note="We look into it.")
    got = notified("status_changed")
    assert set(got) == {org.employee.id, org.other_employee.id, org.leader.id}
    assert org.head.id not in got  # nobody hears of their own action
    assert got[org.employee.id].detail == "We look into it."
    assert describe(got[org.leader.id]) == (
        f"Hanna Head changed the status of “{idea.title}” to In review."
    )


def test_needs_info_asks_the_author_even_after_unfollowing(org):
    idea = make_idea(org.employee, department=org.service)
    idea_rules.set_vote(idea, org.other_employee, True)
    rules.unfollow(idea.id, org.employee.id)
    clear()
    change_status(idea, org.head, IdeaStatus.NEEDS_INFO, note="Which form exactly?")
    got = notified()
    assert got[org.employee.id].kind == "needs_info"
    assert got[org.other_employee.id].kind == "status_changed"
    assert len(got) == 2  # one notification per person and event


def test_unfollowing_stops_status_news_and_a_later_vote_does_not_undo_it(org):
    idea = make_idea(org.employee, department=org.service)
    idea_rules.set_vote(idea, org.other_employee, True)
    rules.unfollow(idea.id, org.other_employee.id)
    idea_rules.set_vote(idea, org.other_employee, False)
    idea_rules.set_vote(idea, org.other_employee, True)  # voting again
    clear()
    change_status(idea, org.head, IdeaStatus.IN_REVIEW)
    assert set(notified()) == {org.employee.id}


def test_comments_reach_author_and_followers_official_answers_are_marked(org):
    idea = make_idea(org.employee, department=org.service)
    idea_rules.set_vote(idea, org.leader, True)
    clear()
    idea_rules.add_comment(idea, org.other_employee, "Same problem in Sales.")
    db.session.commit()
    assert {u: n.kind for u, n in notified().items()} == {
        org.employee.id: "comment",
        org.leader.id: "comment",
    }
    clear()
    comment = idea_rules.add_comment(idea, org.head, "We take this.", official=True)
    db.session.commit()
    assert {n.kind for n in notified().values()} == {"official_answer"}
    assert notified()[org.employee.id].comment_id == comment.id
    clear()
    plain = idea_rules.add_comment(idea, org.other_employee, "Thanks!")
    idea_rules.set_official(plain, org.head, True)
    db.session.commit()
    got = notified("official_answer")
    assert org.employee.id in got and org.head.id not in got
    clear()
    idea_rules.set_official(plain, org.head, False)  # unmarking is not news
    db.session.commit()
    assert notified() == {}


def test_a_transfer_reaches_the_heads_of_the_new_department_and_the_followers(org):
    """Transfers come with triage: an event kind this table already knows."""
    idea = make_idea(org.employee, department=org.service)
    clear()
    idea.owning_department = org.sales
    idea_rules.record_event(idea, org.head, "transferred", note="Sales decides this.")
    db.session.commit()
    got = notified()
    assert got[org.other_head.id].kind == "transferred_in"
    assert got[org.employee.id].kind == "transferred"
    assert org.head.id not in got
    assert describe(got[org.other_head.id]) == f"Hanna Head handed “{idea.title}” to Sales."


def test_an_event_kind_without_a_row_notifies_nobody(org):
    idea = make_idea(org.employee, department=org.service)
    clear()
    idea_rules.record_event(idea, org.head, "some_future_kind")
    db.session.commit()
    assert notified() == {}


def test_the_table_is_the_only_place_to_extend(org, monkeypatch):
    idea = make_idea(org.employee, department=org.service)
    clear()
    monkeypatch.setitem(
        rules.RULES, ("status_changed", IdeaStatus.ACCEPTED),
        (rules.Rule("status_changed", "status", (rules.Audience.LEADERSHIP,)),),
    )  # fmt: skip
    change_status(idea, org.head, IdeaStatus.ACCEPTED)
    assert set(notified()) == {org.leader.id}


def test_deactivated_people_are_not_notified(org):
    idea = make_idea(org.employee, department=org.service)
    org.employee.active = False
    db.session.commit()
    clear()
    change_status(idea, org.head, IdeaStatus.IN_REVIEW)
    assert notified() == {}


# ---------------------------------------------------------------- anonymity


def test_an_anonymous_authors_own_action_names_nobody(org):
    author = make_user(department=org.service, name="Wilhelmine Secret")
    idea = make_idea(author, department=org.service, anonymous=True)
    idea_rules.set_vote(idea, org.other_employee, True)
    clear()
    transition(idea, "withdraw", author, "Solved otherwise.")
    db.session.commit()
    note = notified()[org.other_employee.id]
    assert note.actor_id is None and note.by_author
    assert describe(note) == f"The author changed the status of “{idea.title}” to Withdrawn."
    # Heads hear about a new anonymous idea without a name, in the bell and in the mail.
    idea2 = make_idea(author, department=org.service, anonymous=True)
    head_note = notified("new_idea")[org.head.id]
    assert head_note.actor_id is None
    assert "Wilhelmine" not in describe(head_note)
    body = " ".join(
        (m.subject or "") + (m.body_text or "") + (m.body_html or "")
        for m in db.session.scalars(select(OutboxMessage))
    )
    assert idea2.title in body and "Wilhelmine" not in body


def test_the_anonymous_author_is_notified_like_everyone(org):
    author = make_user(department=org.service)
    idea = make_idea(author, department=org.service, anonymous=True)
    clear()
    change_status(idea, org.head, IdeaStatus.NEEDS_INFO)
    assert notified()[author.id].kind == "needs_info"
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.recipient == author.email
    assert mail.discreet  # the admin's outbox page will not show whom it went to


# ---------------------------------------------------------------- preferences


# For each preference: an action by someone else that produces that kind for `person`.
def _status(org, person):
    idea = make_idea(person, department=org.service)
    clear()
    change_status(idea, org.head, IdeaStatus.IN_REVIEW)


def _answer(org, person):
    idea = make_idea(person, department=org.service)
    clear()
    idea_rules.add_comment(idea, org.head, "Official.", official=True)
    db.session.commit()


def _comment(org, person):
    idea = make_idea(person, department=org.service)
    clear()
    idea_rules.add_comment(idea, org.other_employee, "A thought.")
    db.session.commit()


def _needs_info(org, person):
    idea = make_idea(person, department=org.service)
    clear()
    change_status(idea, org.head, IdeaStatus.NEEDS_INFO)


def _queue(org, person):
    person.role = Role.HEAD
    person.headed_departments = [org.sales]
    db.session.commit()
    make_idea(org.other_employee, department=org.sales)


def _mention(org, person):
    from suggestions.governance import notes

    person.role = Role.HEAD
    person.headed_departments = [org.service]
    idea = make_idea(org.employee, department=org.service)
    db.session.commit()
    clear()
    notes.write_note(org.leader, idea, f"@{person.display_name} please look.")
    db.session.commit()


ACTIONS = {
    "status": _status, "answer": _answer, "comment": _comment, "needs_info": _needs_info,
    "queue": _queue, "mention": _mention,
}  # fmt: skip


def test_every_preference_has_a_test_action_or_is_a_reminder():
    reminder_kinds = {"overdue", "commitment", "top_ideas"}
    assert set(rules.PREFERENCES) == set(ACTIONS) | reminder_kinds


@pytest.mark.parametrize("kind", sorted(ACTIONS))
@pytest.mark.parametrize("delivery", list(Delivery))
def test_preferences_are_respected_for_each_kind(org, kind, delivery):
    person = make_user(department=org.service)
    prefer(person, kind, delivery)
    ACTIONS[kind](org, person)
    mine = db.session.scalars(select(Notification).where(Notification.user_id == person.id)).all()
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == person.email)
    ).all()
    if delivery is Delivery.OFF:
        assert mine == [] and mails == []
        return
    assert len(mine) == 1 and mine[0].delivery == delivery
    assert len(mails) == (1 if delivery is Delivery.EMAIL else 0)


def test_defaults_apply_without_a_stored_choice(org):
    assert rules.preferences_of(org.employee.id)["status"] is Delivery.EMAIL
    assert rules.preferences_of(org.employee.id)["comment"] is Delivery.IN_APP
    rules.save_preferences(org.employee, {"status": "off", "top_ideas": "email", "bogus": "x"})
    db.session.commit()
    chosen = rules.preferences_of(org.employee.id)
    assert chosen["status"] is Delivery.OFF
    assert chosen["top_ideas"] is Delivery.DIGEST  # not a choice this kind offers


# ---------------------------------------------------------------- robustness


@pytest.fixture
def lenient(app):
    app.config["NOTIFY_STRICT"] = False
    yield
    app.config.pop("NOTIFY_STRICT")


def test_a_failing_notification_never_costs_the_vote(org, lenient, monkeypatch):
    idea = make_idea(org.employee, department=org.service)
    before = db.session.scalar(select(func.count()).select_from(Notification))

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug in a listener")

    monkeypatch.setattr(rules, "deliver", broken)
    monkeypatch.setattr(rules, "follow_automatically", broken)
    idea_rules.add_comment(idea, org.other_employee, "Still posted.")
    idea_rules.set_vote(idea, org.other_employee, True)
    db.session.commit()
    db.session.expire_all()
    assert idea.comment_count == 1 and idea.vote_count == 1
    assert db.session.scalar(select(func.count()).select_from(Notification)) == before


def test_unfollowing_never_hides_an_idea_from_a_heads_queue(org):
    idea = make_idea(org.employee, department=org.service)
    rules.unfollow(idea.id, org.other_head.id)  # e.g. followed and unfollowed as a reader
    clear()
    idea.owning_department = org.sales
    idea_rules.record_event(idea, org.head, "transferred")
    db.session.commit()
    assert notified()[org.other_head.id].kind == "transferred_in"


# ---------------------------------------------------------------- the decision loop


def test_the_lifecycle_transfer_reaches_the_new_departments_heads(org):
    from suggestions.workflow import lifecycle

    idea = make_idea(org.employee, department=org.service)
    clear()
    lifecycle.transfer(idea, org.head, org.sales, "Sales decides refunds.")
    db.session.commit()
    got = notified()
    assert got[org.other_head.id].kind == "transferred_in"
    assert got[org.other_head.id].department_id == org.sales.id
    assert got[org.employee.id].kind == "transferred"
    assert describe(got[org.employee.id]) == f"Hanna Head handed “{idea.title}” to Sales."


def test_asking_and_answering_a_question_and_escalating(org):
    from suggestions.workflow import lifecycle

    idea = make_idea(org.employee, department=org.service)
    clear()
    lifecycle.transition(idea, "ask_info", org.head, "How often?")
    db.session.commit()
    assert notified()[org.employee.id].kind == "needs_info"
    clear()
    lifecycle.transition(idea, "provide_info", org.employee, "Daily.")
    db.session.commit()
    assert notified()[org.head.id].kind == "info_provided"
    assert notified()[org.head.id].detail == "Daily."
    clear()
    lifecycle.escalate(idea, org.head, "Above our budget.")
    db.session.commit()
    assert {u: n.kind for u, n in notified().items()} == {org.leader.id: "escalated"}


def test_a_merge_moves_the_followers_to_the_surviving_idea(org):
    from suggestions.workflow import lifecycle

    survivor = make_idea(org.other_employee, department=org.service)
    duplicate = make_idea(org.employee, department=org.service)
    rules.follow(duplicate.id, org.leader.id)
    clear()
    lifecycle.mark_duplicate(duplicate, org.head, survivor, "Same as the other one.")
    db.session.commit()
    assert notified()[org.leader.id].to_status == "duplicate"
    assert rules.is_following(survivor.id, org.leader.id)
    assert rules.is_following(survivor.id, org.employee.id)  # the duplicate's author too
    clear()
    change_status(survivor, org.head, IdeaStatus.IN_REVIEW)
    assert {org.leader.id, org.employee.id, org.other_employee.id} <= set(notified())


def test_the_follow_state_read_with_the_idea_is_forgotten_when_it_changes(app, org):
    idea = make_idea(org.employee, department=org.service)
    person = org.other_employee
    with app.test_request_context():
        rules.told_following(idea, person, None)  # as the idea page's statement read it
        assert rules.is_following(idea.id, person.id) is False
        rules.follow(idea.id, person.id)
        assert rules.is_following(idea.id, person.id) is True
        rules.told_following(idea, person, True)
        rules.unfollow(idea.id, person.id)
        assert rules.is_following(idea.id, person.id) is False
        # Told for one person, another person's state is read from the database.
        rules.told_following(idea, person, True)
        assert rules.is_following(idea.id, org.head.id) is False
