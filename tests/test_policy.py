"""The one policy: the mechanism (can, require, who) and the promise that "who may do X" as a
query names exactly the people ``can`` allows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from suggestions import policy
from suggestions.auth.models import Role, User
from suggestions.core.errors import NotAllowed
from suggestions.core.extensions import db

from .factories import make_department, make_user


@pytest.fixture
def people(org):
    """Everyone of the organisation, plus a head without a department, a head who left and a
    leader who left: the cases a query can get wrong."""
    lone_head = make_user(Role.HEAD, org.sales, name="Lone Head")
    left_head = make_user(Role.HEAD, org.service, name="Left Head", heads=[org.service])
    left_leader = make_user(Role.LEADER, org.sales, name="Left Leader")
    left_head.active = left_leader.active = False
    empty = make_department("Nobody's")
    db.session.commit()
    everyone = list(db.session.scalars(select(User).order_by(User.id)))
    assert lone_head in everyone
    return everyone, [None, org.sales.id, org.service.id, empty.id]


def test_every_query_rule_has_a_rule_and_names_the_same_people(people):
    everyone, departments = people
    assert set(policy.WHO) >= {"department.lead", "queue.leadership"}
    for action in policy.WHO:
        for obj in departments if action == "department.lead" else [None]:
            allowed = [u.id for u in everyone if policy.can(u, action, obj)]
            assert list(db.session.scalars(policy.who_ids(action, obj))) == allowed, (action, obj)
            found = sorted(u.id for u in db.session.scalars(policy.who(action, obj)))
            assert found == allowed, (action, obj)


def test_the_acting_heads_are_the_policy_s_answer(org, people):
    from suggestions.org.queries import acting_head_ids, heads_now

    assert acting_head_ids(org.service.id) == [org.head.id]  # not the head who left
    assert heads_now(org.service) and heads_now(org.sales)


def test_an_unknown_action_is_a_programming_error(org):
    with pytest.raises(KeyError):
        policy.can(org.admin, "idea.eddit")
    with pytest.raises(KeyError):
        policy.who("idea.eddit")


def test_a_second_rule_for_a_name_is_refused_the_same_rule_again_is_fine(app):
    rule = policy.RULES["admin.manage"]
    policy.register({"admin.manage": rule})
    with pytest.raises(ValueError, match="registered twice"):
        policy.register({"admin.manage": lambda user, obj: True})
    with pytest.raises(ValueError, match="no rule"):
        policy.register({}, who={"nobody.registered.this": lambda obj: None})
    assert policy.RULES["admin.manage"] is rule


def test_inactive_and_anonymous_people_may_do_nothing(org):
    assert policy.can(org.admin, "admin.manage")
    org.admin.active = False
    assert not policy.can(org.admin, "admin.manage")
    assert not policy.can(None, "idea.create")
    with pytest.raises(NotAllowed):
        policy.require(org.admin, "admin.manage")


def test_every_domain_registers_its_own_rules(app):
    # The action names other packages rely on, each owned by one domain's permissions module.
    owners = {
        "admin.manage": "auth", "token.revoke": "auth", "department.lead": "auth",
        "idea.edit": "ideas", "idea.see_author": "ideas", "comment.mark_official": "ideas",
        "idea.deliver": "workflow", "commitment.update": "workflow", "queue.department": "workflow",
        "insights.dashboard": "insights", "notification.open": "notify",
    }  # fmt: skip
    for action, package in owners.items():
        rule = policy.RULES[action]
        assert rule.__module__.split(".")[1] == package, (action, rule.__module__)
