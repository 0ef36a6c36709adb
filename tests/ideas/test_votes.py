"""Votes: one per person per idea, the stored count always equal to the rows, under
concurrency too (threads against the real database file or PostgreSQL)."""

import threading

import pytest
from sqlalchemy import func, select

from suggestions.core.errors import NotAllowed
from suggestions.core.extensions import db
from suggestions.ideas import rules
from suggestions.ideas.models import Idea, IdeaStatus, Vote

from ..factories import make_idea, make_user


def votes_in_table(idea) -> int:
    return db.session.scalar(select(func.count()).where(Vote.idea_id == idea.id))


def test_voting_twice_counts_once(org):
    idea = make_idea(org.employee, department=org.service)
    rules.set_vote(idea, org.other_employee, True)
    rules.set_vote(idea, org.other_employee, True)
    db.session.commit()
    assert idea.vote_count == 1 == votes_in_table(idea)


def test_taking_a_vote_back_and_taking_back_nothing(org):
    idea = make_idea(org.employee, department=org.service)
    rules.set_vote(idea, org.other_employee, True)
    rules.set_vote(idea, org.head, True)
    rules.set_vote(idea, org.other_employee, False)
    rules.set_vote(idea, org.other_employee, False)
    db.session.commit()
    assert idea.vote_count == 1 == votes_in_table(idea)
    assert not rules.has_voted(idea, org.other_employee) and rules.has_voted(idea, org.head)


@pytest.mark.parametrize("status", [IdeaStatus.WITHDRAWN, IdeaStatus.DUPLICATE])
def test_no_new_votes_on_closed_ideas_but_votes_can_be_taken_back(org, status):
    idea = make_idea(org.employee, department=org.service)
    rules.set_vote(idea, org.other_employee, True)
    idea.status = status
    db.session.commit()
    with pytest.raises(NotAllowed):
        rules.set_vote(idea, org.head, True)
    rules.set_vote(idea, org.other_employee, False)
    assert idea.vote_count == 0


def test_concurrent_toggles_keep_the_count_exact(app, org):
    """8 threads toggle votes of the same people on the same ideas, each in its own
    transaction; afterwards every idea's stored count equals its vote rows."""
    ideas = [make_idea(org.employee, department=org.service) for _ in range(3)]
    voters = [make_user(department=org.sales) for _ in range(6)]
    db.session.commit()
    idea_ids, voter_ids = [i.id for i in ideas], [v.id for v in voters]
    db.session.commit()  # reading the ids began a transaction: end it before the threads start
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def worker(seed: int) -> None:
        try:
            with app.app_context():
                start.wait()
                for step in range(40):
                    idea = db.session.get(Idea, idea_ids[(seed + step) % len(idea_ids)])
                    voter = db.session.get(type(voters[0]), voter_ids[(seed * 7 + step) % 6])
                    rules.set_vote(idea, voter, wanted=(seed + step) % 3 != 0)
                    db.session.commit()
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    db.session.expire_all()
    for idea in db.session.scalars(select(Idea).where(Idea.id.in_(idea_ids))):
        assert idea.vote_count == votes_in_table(idea)
    assert 0 < sum(votes_in_table(i) for i in ideas) <= 18


def test_a_vote_without_the_csrf_token_is_refused_and_counts_nothing(browser, org):
    # The vote form leaves the token to CSRFProtect, which checks every POST before the view.
    idea = make_idea(org.employee, department=org.service)
    browser.login(org.other_employee)
    for headers in ({}, {"HX-Request": "true"}):
        response = browser.post(f"/ideas/{idea.id}/vote", {"vote": "add"}, csrf=False,
                                headers=headers)  # fmt: skip
        assert response.status_code == 400
    db.session.expire_all()
    assert votes_in_table(idea) == 0 == db.session.get(Idea, idea.id).vote_count
    response = browser.post(
        f"/ideas/{idea.id}/vote", {"vote": "add"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and 'aria-pressed="true"' in response.get_data(as_text=True)
    assert votes_in_table(idea) == 1
