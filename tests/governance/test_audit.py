"""The audit log: what is recorded, that nothing can change or delete it, who reads it."""

import json
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DatabaseError

from suggestions.core.clock import now
from suggestions.core.extensions import db
from suggestions.governance import audit, labels
from suggestions.governance.models import AuditEntry
from suggestions.ideas.models import EventKind, IdeaStatus
from suggestions.org import rules as org_rules
from suggestions.workflow import lifecycle

from ..factories import make_idea


def entries(kind=None):
    query = select(AuditEntry).order_by(AuditEntry.id)
    if kind:
        query = query.where(AuditEntry.kind == kind)
    return list(db.session.scalars(query))


def test_admin_reads_who_accepted_an_idea_and_who_changed_a_budget(browser, org):
    idea = make_idea(org.employee, department=org.service, category=org.red_tape)
    lifecycle.accept(
        idea, org.head, owner=org.head, promise="We do it.", estimated_cost=Decimal(100),
        due_on=now().date() + timedelta(days=30),
    )  # fmt: skip
    org_rules.save_department(org.admin, org.service, name="Customer Service",
                              decision_budget=Decimal(9000), heads=[org.head])  # fmt: skip
    db.session.commit()

    accepted = entries("idea.accepted")
    assert [e.actor_id for e in accepted] == [org.head.id]
    budget = entries("department.changed")[-1]
    assert budget.actor_id == org.admin.id
    assert '"decision_budget": null' in budget.before and "9000" in budget.after

    browser.login(org.admin)
    page = browser.get("/admin/audit").get_data(as_text=True)
    assert "idea.accepted" in page and "Hanna Head" in page
    assert "department.changed" in page and "Adam Admin" in page
    only_budget = browser.get("/admin/audit?kind=department.changed").get_data(as_text=True)
    assert "idea.accepted" not in only_budget.split("<tbody>")[1]


def test_a_change_reads_with_its_letters_and_is_stored_as_json(browser, org):
    org_rules.save_department(
        org.admin, org.service, name="Bürgerbüro", decision_budget=None, heads=[org.head]
    )
    db.session.commit()
    stored = entries("department.changed")[-1].after
    assert json.loads(stored)["name"] == "Bürgerbüro"

    browser.login(org.admin)
    page = browser.get("/admin/audit?kind=department.changed").get_data(as_text=True)
    row = page.split("<tbody>")[1]
    assert "Bürgerbüro" in row and "\\u00fc" not in row


def test_the_log_reads_in_words_and_keeps_its_codes_as_data(browser, org):
    idea = make_idea(org.employee, department=org.service, category=org.red_tape)
    lifecycle.transition(idea, "acknowledge", org.head, "")
    org.admin.language = "de"
    db.session.commit()

    browser.login(org.admin)
    page = browser.get("/admin/audit").get_data(as_text=True)
    table = page.split("<tbody>")[1]
    assert ">Ideenstatus: In Prüfung</a>" in table and ">Idee eingereicht</a>" in table
    assert f">Idee #{idea.id}</a>" in table
    assert "idea.in_review</a>" not in table and "idea #" not in table
    assert '<option value="idea.in_review" >Ideenstatus: In Prüfung</option>' in page
    csv = browser.get("/admin/audit.csv").get_data(as_text=True)
    assert ";idea.in_review;" in csv and ";idea.submitted;" in csv


def test_every_kind_the_log_records_has_words(app):
    # The kinds written as text where entries are recorded, those made from a moderation step
    # and from an idea's event or new status (audit._on_idea_event).
    lines = [line for path in Path(audit.__file__).parent.glob("*.py")
             for line in path.read_text().splitlines()]  # fmt: skip
    source = [line for line in lines if "record(" in line or "kind = " in line]
    kinds = {kind for line in source for kind in re.findall(r'"([a-z_]+\.[a-z_]+)"', line)}
    kinds |= {"moderation.approved", "moderation.shown"}
    kinds |= {f"idea.{kind}" for kind in EventKind if kind != EventKind.STATUS_CHANGED}
    kinds |= {f"idea.{status}" for status in IdeaStatus}
    assert "sign_in.failed" in kinds and "user.deactivated" in kinds  # the scan finds them
    with app.test_request_context():
        assert sorted(kind for kind in kinds if labels.kind_label(kind) == kind) == []


def test_sign_ins_failed_sign_ins_settings_tokens_and_exports_are_logged(browser, org):
    browser.get("/login")
    browser.post("/login", {"email": org.leader.email, "password": "wrong password"})
    browser.login(org.admin)
    browser.post("/admin/settings", {
        "first_response_days": "5", "decision_days": "20", "currency": "EUR",
        "default_decision_budget": "5000", "empowerment_budget": "500",
    })  # fmt: skip
    browser.get("/insights/figures.csv")
    browser.post("/account/tokens", {"name": "Bot", "scope": "read", "expires": "30"})
    kinds = [e.kind for e in entries()]
    for kind in ("sign_in.failed", "sign_in.succeeded", "settings.changed", "export.downloaded",
                 "token.created"):  # fmt: skip
        assert kind in kinds
    failed = entries("sign_in.failed")[0]
    assert failed.actor_id is None and failed.target_label == org.leader.email
    assert failed.address == "127.0.0.1"
    settings = entries("settings.changed")[0]
    assert '"decision_days": "30"' in settings.before and '"decision_days": "20"' in settings.after


def test_role_change_and_deactivation_are_logged(browser, org):
    browser.login(org.admin)
    browser.post(f"/admin/users/{org.other_employee.id}", {
        "display_name": org.other_employee.display_name, "department": org.sales.id,
        "role": "head", "language": "en",
    })  # fmt: skip
    browser.post(f"/admin/users/{org.other_employee.id}/active", {"active": "0"})
    changed = entries("user.changed")[0]
    assert changed.target_id == org.other_employee.id
    assert '"role": "employee"' in changed.before and '"role": "head"' in changed.after
    assert entries("user.deactivated")[0].actor_id == org.admin.id


def test_an_anonymous_authors_own_actions_name_nobody(app, org):
    idea = make_idea(org.employee, department=org.service, category=org.red_tape, anonymous=True)
    lifecycle.transition(idea, "withdraw", org.employee, "")
    db.session.commit()
    mine = [e for e in entries() if e.target_kind == "idea"]
    assert mine, "the submission and the withdrawal are logged"
    for entry in mine:
        assert entry.actor_id is None and entry.actor_label == audit.ANONYMOUS_AUTHOR
        assert entry.address is None
        assert entry.created_at.minute == 0 and entry.created_at.second == 0
        assert str(org.employee.id) not in (entry.before or "") + (entry.after or "")


def test_the_audit_page_shows_an_anonymous_author_as_such(browser, org):
    make_idea(org.employee, department=org.service, category=org.red_tape, anonymous=True)
    name = org.employee.display_name
    browser.login(org.admin)
    page = browser.get("/admin/audit?kind=idea.submitted").get_data(as_text=True)
    assert "author (anonymous)" in page
    assert name not in page
    csv = browser.get("/admin/audit.csv?kind=idea.submitted").get_data(as_text=True)
    assert "author (anonymous)" in csv and name not in csv


def test_the_database_refuses_to_change_or_delete_an_entry(app, org):
    audit.record("test.entry", org.admin, org.service)
    db.session.commit()
    for statement in (
        update(AuditEntry).values(kind="forged"),
        delete(AuditEntry),
    ):
        with pytest.raises(DatabaseError):
            db.session.execute(statement)
            db.session.flush()
        db.session.rollback()
    assert [e.kind for e in entries()] == ["test.entry"]


def test_no_route_changes_or_deletes_an_entry(browser, app, org):
    """Every route that could touch the log: no method but GET, no write through GET."""
    audit.record("test.entry", org.admin, org.service)
    db.session.commit()
    browser.login(org.admin)
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule:
            assert rule.methods - {"HEAD", "OPTIONS"} == {"GET"}, rule.rule
    for method in ("post", "put", "delete", "patch"):
        response = getattr(browser.client, method)("/admin/audit", data={"id": "1"})
        assert response.status_code in (400, 405)  # no CSRF token, and no such method
    forged = browser.post("/admin/audit", {"kind": "forged"})
    assert forged.status_code == 405
    # Lenient reading: nonsense filters show nothing wrong and write nothing but a view.
    page = browser.get("/admin/audit?actor=x&target=idea:zz&start=never&before=-5&kind=%00")
    assert page.status_code in (200, 400)
    after = db.session.scalar(select(func.count()).select_from(AuditEntry))
    assert after >= before
    assert db.session.scalar(select(func.count()).where(AuditEntry.kind == "forged")) == 0
    assert entries("test.entry")[0].kind == "test.entry"
    # And no domain function offers to change one.
    own = [n for n, f in vars(audit).items()
           if callable(f) and getattr(f, "__module__", "") == audit.__name__]  # fmt: skip
    assert not [n for n in own if n.startswith(("update", "delete", "edit", "remove", "change"))]


def test_prune_removes_only_old_entries_and_logs_itself(app, org):
    old = now() - timedelta(days=audit.retention_days() + 1)
    # Written as if long ago (an INSERT: the only thing the log allows).
    db.session.execute(AuditEntry.__table__.insert().values(kind="ancient.entry", created_at=old))
    audit.record("recent.entry", org.admin, None)
    db.session.commit()
    gone = audit.prune()
    db.session.commit()
    kinds = [e.kind for e in entries()]
    assert gone == 1
    assert "ancient.entry" not in kinds and "recent.entry" in kinds
    assert "audit.pruned" in kinds


def test_prune_audit_command(app, org):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["prune-audit"])
    assert result.exit_code == 0, result.output
    assert "0 audit entries" in result.output
    assert entries("audit.pruned")


def test_audit_page_pages_by_keyset(browser, org):
    for n in range(audit.PAGE_SIZE + 5):
        audit.record(f"test.{n:03d}", org.admin, None)
    db.session.commit()
    browser.login(org.admin)
    first = browser.get("/admin/audit?kind=").get_data(as_text=True)
    assert "Older entries" in first
    cursor = re.search(r"before=([0-9.]+)", first).group(1)
    older = browser.get(f"/admin/audit?before={cursor}").get_data(as_text=True)
    table = older.split("<tbody>")[1]
    assert "test.000" in table and "test.054" not in table


def test_csv_export_is_formula_safe(browser, org):
    audit.record("test.entry", org.admin, org.service)
    db.session.commit()
    org.service.name = "=HYPERLINK(1)"
    audit.record("test.formula", org.admin, org.service)
    db.session.commit()
    browser.login(org.admin)
    response = browser.get("/admin/audit.csv")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and body.startswith("\ufeff")
    assert "'=HYPERLINK(1)" in body
    assert entries("audit.exported")
