"""No test sees another's rows: after every test the tables are emptied (tests/conftest.py), the
ids start at 1 again, the settings row is as a fresh install has it, and the audit log's
append-only trigger still refuses what it refused before (the cleaning's permit is gone).

The two tests below leave the same traces and run in either order on the same database (one
xdist group): whichever runs second would see the first one's rows, ids or permit.
"""

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DatabaseError

from suggestions.auth.models import User
from suggestions.core.extensions import db
from suggestions.governance import audit
from suggestions.governance.models import AuditEntry
from suggestions.ideas.models import Idea
from suggestions.org.models import OrgSettings

from .conftest import _empty_tables
from .factories import make_idea, make_org

pytestmark = pytest.mark.xdist_group("isolation")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def find_nothing_and_leave_traces() -> None:
    assert count(User) == count(Idea) == count(AuditEntry) == 0
    assert db.session.scalar(text("SELECT count(*) FROM audit_prune_permits")) == 0
    settings = db.session.scalars(select(OrgSettings)).one()
    assert (settings.id, settings.first_response_days, settings.decision_days) == (1, 7, 30)

    org = make_org()
    idea = make_idea(org.employee, department=org.service, category=org.red_tape)
    settings.decision_days = 99
    audit.record("test.trace", org.admin, org.service)
    db.session.commit()
    # Ids from 1 again: the first person and the first idea of this test.
    assert min(db.session.scalars(select(User.id))) == 1
    assert idea.id == 1
    assert min(db.session.scalars(select(AuditEntry.id))) == 1
    kinds = sorted(db.session.scalars(select(AuditEntry.kind)))

    # The log still refuses changes and deletion: the cleaning left no permit behind.
    for statement in (update(AuditEntry).values(kind="forged"), delete(AuditEntry)):
        with pytest.raises(DatabaseError):
            db.session.execute(statement)
            db.session.flush()
        db.session.rollback()
    assert sorted(db.session.scalars(select(AuditEntry.kind))) == kinds
    assert "test.trace" in kinds


def test_a_test_finds_an_empty_database_and_leaves_rows(app):
    find_nothing_and_leave_traces()


def test_another_test_finds_an_empty_database_too(app):
    find_nothing_and_leave_traces()


def test_the_cleaning_itself_empties_everything_while_the_trigger_stays(app):
    """Within one test: rows, sequences and the settings row back to the fresh state, and an
    entry written after the cleaning is as undeletable as any other."""
    make_org()
    audit.record("before.cleaning", None, None)
    db.session.commit()
    db.session.remove()
    _empty_tables()
    find_nothing_and_leave_traces()


def find_the_demo_alone_and_leave_a_trace() -> None:
    """A test marked ``demo`` gets its own copy of the demo: another demo test's changes are
    not in it, and nothing of it reaches the tests above (same xdist group)."""
    assert count(User) > 100
    assert not db.session.scalar(select(func.count()).where(Idea.title == "Left by a demo test"))
    idea = db.session.scalars(select(Idea).order_by(Idea.id)).first()
    idea.title = "Left by a demo test"
    db.session.add(User(email="trace@example.org", display_name="Trace"))
    db.session.commit()


@pytest.mark.demo
def test_a_demo_test_finds_the_demo_as_loaded_and_changes_it(app):
    find_the_demo_alone_and_leave_a_trace()


@pytest.mark.demo
def test_another_demo_test_finds_the_demo_as_loaded_too(app):
    find_the_demo_alone_and_leave_a_trace()
