"""A small organisation whose every dashboard figure is worked out by hand in the tests.

The period is June 2026 (1 June 00:00 to 1 July 00:00); "now" is 5 July 2026, 12:00. Ideas are
submitted at 09:00, so a step "N days later" is exactly N days. Settings: first response
within 7 days, decision within 30 days (the defaults).

Departments and active people (Alpha 6 + 1 inactive, Beta 5, Gamma 2, Delta 3):

    idea  dept   author        created  first response  decided        implemented  status
    A1    Alpha  a3            06-02    +1 (06-03)      -              -            in_review
    A2    Alpha  a3            06-03    -               -              -            new
    A3    Alpha  a3            06-05    +3 (06-08)      +5 (06-10)     +15 (06-20)  implemented 20 h
    A4    Alpha  a3            05-25    +10 (06-04)     +12 (06-06)    -            declined
    A5    Alpha  a4 anonymous  06-10    -               -              -            new
    A6    Alpha  a3            06-29    -               -              -            new
    E1    Alpha  a5            06-15    -               +1 (06-16)     +1 (06-16)   implemented by
                                                                                   the author, 10 h
    B1    Beta   b2            06-10    +4 (06-14)      +4 (06-14)     -            declined
    B2    Beta   b2            06-01    +6 (06-07)      -              -            in_review
    B3    Beta   b3            06-08    +20 (06-28)     -              -            in_review
    B4    Beta   b3            06-12    -               -              -            withdrawn
    B5    Beta   b2            06-02    +2 (06-04)      +31 (07-03)    -            declined
    I2    Beta   b4            04-01    +1 (04-02)      +30 (05-01)    +81 (06-21)  implemented 30 h
    I3    Beta   b4            04-01    +1 (04-02)      +30 (05-01)    +92 (07-02)  implemented 5 h
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from suggestions.auth.models import Role, User
from suggestions.core.clock import travel_to
from suggestions.core.extensions import db
from suggestions.ideas import rules
from suggestions.ideas.models import Idea, IdeaStatus
from suggestions.org.models import Category, Department
from suggestions.workflow.models import Commitment, CommitmentState

from ..factories import make_category, make_department, make_idea, make_user

NOW = datetime(2026, 7, 5, 12, 0)
JUNE = (date(2026, 6, 1), date(2026, 6, 30))


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, 0)


@dataclass
class Org:
    alpha: Department
    beta: Department
    gamma: Department
    delta: Department
    category: Category
    people: dict[str, User]
    ideas: dict[str, Idea]
    commitments: dict[str, Commitment]


def _idea(key, author, department, category, created, *, anonymous=False, status="new",
          response=None, decided=None, implemented=None, hours=None, empowered=False,
          title=None) -> Idea:  # fmt: skip
    with travel_to(created):
        idea = make_idea(
            author, department=department, category=category, anonymous=anonymous,
            title=title or f"Idea {key}", hours_lost_per_month=hours,
        )  # fmt: skip
    # The clocks' facts, set as the lifecycle would have set them on those days.
    idea.status = status
    idea.first_response_at = created + timedelta(days=response) if response is not None else None
    idea.decided_at = created + timedelta(days=decided) if decided is not None else None
    if implemented is not None:
        idea.implemented_at = created + timedelta(days=implemented)
        idea.implemented_on = idea.implemented_at.date()
        idea.change_summary = f"What changed for {key}."
    idea.done_by_empowerment = empowered
    db.session.flush()
    return idea


def build() -> Org:
    alpha, beta = make_department("Alpha"), make_department("Beta")
    gamma, delta = make_department("Gamma"), make_department("Delta")
    category = make_category("Red tape")
    people: dict[str, User] = {}
    roles = {"a1": Role.HEAD, "a2": Role.LEADER, "b1": Role.HEAD}
    for prefix, department, count in (("a", alpha, 7), ("b", beta, 5), ("c", gamma, 2),
                                      ("d", delta, 3)):  # fmt: skip
        for n in range(1, count + 1):
            key = f"{prefix}{n}"
            people[key] = make_user(
                roles.get(key, Role.EMPLOYEE), department, name=f"Person {key.upper()}",
                heads=[department] if roles.get(key) == Role.HEAD else None,
            )  # fmt: skip
    p = people
    S = IdeaStatus
    ideas = {
        "A1": _idea("A1", p["a3"], alpha, category, at(6, 2), status=S.IN_REVIEW, response=1),
        "A2": _idea("A2", p["a3"], alpha, category, at(6, 3)),
        "A3": _idea("A3", p["a3"], alpha, category, at(6, 5), status=S.IMPLEMENTED, response=3,
                    decided=5, implemented=15, hours=20),
        "A4": _idea("A4", p["a3"], alpha, category, at(5, 25), status=S.DECLINED, response=10,
                    decided=12),
        "A5": _idea("A5", p["a4"], alpha, category, at(6, 10), anonymous=True,
                    title="Secret idea"),
        "A6": _idea("A6", p["a3"], alpha, category, at(6, 29)),
        "E1": _idea("E1", p["a5"], alpha, category, at(6, 15), status=S.IMPLEMENTED, decided=1,
                    implemented=1, hours=10, empowered=True),
        "B1": _idea("B1", p["b2"], beta, category, at(6, 10), status=S.DECLINED, response=4,
                    decided=4),
        "B2": _idea("B2", p["b2"], beta, category, at(6, 1), status=S.IN_REVIEW, response=6),
        "B3": _idea("B3", p["b3"], beta, category, at(6, 8), status=S.IN_REVIEW, response=20),
        "B4": _idea("B4", p["b3"], beta, category, at(6, 12), status=S.WITHDRAWN),
        "B5": _idea("B5", p["b2"], beta, category, at(6, 2), status=S.DECLINED, response=2,
                    decided=31),
        "I2": _idea("I2", p["b4"], beta, category, at(4, 1), status=S.IMPLEMENTED, response=1,
                    decided=30, implemented=81, hours=30),
        "I3": _idea("I3", p["b4"], beta, category, at(4, 1), status=S.IMPLEMENTED, response=1,
                    decided=30, implemented=92, hours=5),
    }  # fmt: skip
    i = ideas
    # Votes and comments, each on the day it was given.
    for voter, idea, day in (("a1", "B1", at(6, 11)), ("a2", "A1", at(6, 3)),
                             ("a6", "B2", at(6, 2)), ("a7", "B3", at(6, 9)),
                             ("b1", "A1", at(6, 4)), ("d1", "A1", at(6, 5)),
                             ("d1", "B1", at(6, 12)), ("a3", "B3", at(5, 30, 12))):  # fmt: skip
        with travel_to(day):
            rules.set_vote(i[idea], p[voter], True)
    for author, idea, day in (("b5", "B1", at(6, 11)), ("b5", "A3", at(6, 6)),
                              ("c1", "A1", at(6, 20))):  # fmt: skip
        with travel_to(day):
            rules.add_comment(i[idea], p[author], f"A comment by {author}")
    p["a7"].active = False  # voted in June, then left: counted in no department's people
    commitments = {
        # key: (idea, department, owner, state, due, closed)
        "C1": (i["A3"], alpha, p["a1"], CommitmentState.KEPT, date(2026, 6, 25), at(6, 20)),
        "C2": (i["I2"], beta, p["b1"], CommitmentState.KEPT_LATE, date(2026, 6, 1), at(6, 21)),
        "C3": (i["B1"], beta, p["b1"], CommitmentState.BROKEN, date(2026, 6, 30), at(6, 15)),
        "C4": (i["A1"], alpha, p["a2"], CommitmentState.OPEN, date(2026, 6, 25), None),
        "C5": (i["A2"], alpha, p["a1"], CommitmentState.OPEN, date(2026, 7, 20), None),
        "C6": (i["I3"], beta, p["b1"], CommitmentState.KEPT, date(2026, 6, 1), at(5, 20)),
        "C7": (i["A4"], alpha, p["a2"], CommitmentState.OPEN, date(2026, 5, 30), None),
        "C8": (i["B2"], beta, p["b1"], CommitmentState.KEPT, date(2026, 7, 30), at(7, 2)),
    }  # fmt: skip
    made = {}
    for key, (idea, department, owner, state, due, closed) in commitments.items():
        made[key] = Commitment(
            idea_id=idea.id, department_id=department.id, owner_id=owner.id, promise=key,
            due_on=due, state=state, created_at=at(5, 1), closed_at=closed,
        )  # fmt: skip
        db.session.add(made[key])
    db.session.commit()
    return Org(alpha, beta, gamma, delta, category, people, ideas, made)
