"""The ledger through its pages: maintain, import (preview, errors per line, confirm), name
items on the idea form (search while typing), record changes and impact on the idea page,
the dashboard's projected against measured hours."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from suggestions.core import clock
from suggestions.core.extensions import db
from suggestions.ideas.models import Idea
from suggestions.ledger import impact, rules
from suggestions.ledger.models import ImpactPlan, LedgerChange, LedgerItem, Measurement

from ..factories import make_idea
from .helpers import implemented, make_item, plan


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_head_adds_an_item_and_everyone_reads_it(browser, new_browser, org):
    browser.login(org.head)
    form = browser.get("/ledger/new").get_data(as_text=True)
    assert "Customer Service" in form and ">Sales</option>" not in form  # only their own
    response = browser.post("/ledger/new", {
        "kind": "approval", "title": "Second signature on purchases", "description": "",
        "department": org.service.id, "owner": org.head.id, "cases_per_month": "40",
        "minutes_per_case": "15", "signatures": "1", "handoffs": "1",
    })  # fmt: skip
    assert response.status_code == 302
    item = db.session.scalars(select(LedgerItem)).one()
    reader = new_browser()
    reader.login(org.other_employee)
    page = reader.get(f"/ledger/{item.id}").get_data(as_text=True)
    assert "Second signature on purchases" in page and "Added to the ledger" in page
    assert reader.get("/ledger?kind=approval").get_data(as_text=True).count("Second signature") == 1
    assert "Second signature" not in reader.get("/ledger?kind=form").get_data(as_text=True)


def test_a_wrong_number_keeps_what_was_typed(browser, org):
    browser.login(org.head)
    response = browser.post("/ledger/new", {
        "kind": "form", "title": "Form <b>X</b>", "department": org.service.id, "owner": "0",
        "cases_per_month": "-3",
    })  # fmt: skip
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Form &lt;b&gt;X&lt;/b&gt;" in body and "Enter a whole number of 0 or more." in body


def test_the_list_pages_by_keyset(browser, org):
    for n in range(53):
        db.session.add(LedgerItem(kind="form", title=f"Form {n:02d}", description="",
                                  department_id=org.service.id))  # fmt: skip
    db.session.commit()
    browser.login(org.employee)
    first = browser.get("/ledger").get_data(as_text=True)
    assert "Form 49" in first and "Form 50" not in first
    last_id = db.session.scalars(select(LedgerItem.id).order_by(LedgerItem.id).limit(50)).all()[-1]
    assert f"after={last_id}" in first
    second = browser.get(f"/ledger?after={last_id}").get_data(as_text=True)
    assert "Form 52" in second and "Form 49" not in second


CSV = (
    "kind;title;department;owner_email;description;cases_per_month;minutes_per_case;"
    "signatures;handoffs\n"
    "form;Travel request form B7;Customer Service;;For every trip;120;25;3;2\n"
    "Genehmigung;Purchase approval over 50 euros;Customer Service;{head};;60;10;2;1\n"
    "poem;A kind nobody knows;Customer Service;;;1;1;0;0\n"
    "report;Weekly status report;Nowhere;;;4;60;0;0\n"
    'form;=HYPERLINK("x");Customer Service;;;x;1;0;0\n'
)


def test_the_import_shows_errors_per_line_and_stores_only_after_confirming(browser, org):
    browser.login(org.head)
    data = CSV.format(head=org.head.email).encode("utf-8-sig")
    response = browser.post("/ledger/import", {"file": (io.BytesIO(data), "ledger.csv")},
                            content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "2 lines can be imported, 3 have errors" in body
    assert "Unknown kind “poem”" in body
    assert "No department named “Nowhere”" in body
    assert "is not a whole number" in body
    assert _count(LedgerItem) == 0  # a preview stores nothing
    token_form = body.split('name="content"', 1)[1]
    assert "Travel request form B7" in token_form
    content = CSV.format(head=org.head.email)
    response = browser.post("/ledger/import/confirm", {"content": content})
    assert response.status_code == 302
    titles = set(db.session.scalars(select(LedgerItem.title)))
    assert titles == {"Travel request form B7", "Purchase approval over 50 euros"}
    kinds = {i.title: (i.kind, i.owner_id) for i in db.session.scalars(select(LedgerItem))}
    assert kinds["Purchase approval over 50 euros"] == ("approval", org.head.id)
    assert set(db.session.scalars(select(LedgerChange.kind))) == {"imported"}
    # The same file again: every line is already in the ledger.
    again = browser.post("/ledger/import/confirm", {"content": content})
    assert again.status_code == 422
    assert "already in the ledger" in again.get_data(as_text=True)


def test_a_head_cannot_import_into_another_department(browser, org):
    browser.login(org.other_head)
    data = CSV.format(head=org.head.email).encode()
    response = browser.post("/ledger/import", {"file": (io.BytesIO(data), "x.csv")},
                            content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 422
    assert "only add items of the departments you lead" in response.get_data(as_text=True)


def test_the_idea_form_finds_items_while_typing_and_links_them(browser, org):
    item = make_item(org.other_head, org.sales, title="Discount approval by the sales head",
                     kind="approval")  # fmt: skip
    browser.login(org.employee)
    fragment = browser.get("/ledger/search?ledger_q=discount").get_data(as_text=True)
    assert f'name="ledger_items" value="{item.id}"' in fragment
    chosen = browser.get(f"/ledger/search?ledger_q=discount&ledger_items={item.id}")
    assert "value=" not in chosen.get_data(as_text=True)  # already chosen: not offered again
    response = browser.post("/ideas/new", {
        "title": "Let service grant small discounts", "problem": "p", "proposal": "q",
        "benefit": "b", "category": org.red_tape.id, "owning_department": org.service.id,
        "ledger_items": str(item.id),
    })  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    idea = db.session.scalars(select(Idea)).one()
    assert [i.id for i in rules_items(idea)] == [item.id]
    assert "Sales" in [d.name for d in idea.affected_departments]
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Red tape this touches" in page and "Discount approval by the sales head" in page
    edit = browser.get(f"/ideas/{idea.id}/edit").get_data(as_text=True)
    assert f'value="{item.id}" checked' in edit
    assert browser.post("/ideas/new", {
        "title": "A broken choice of items", "problem": "p", "proposal": "q", "benefit": "b",
        "category": org.red_tape.id, "owning_department": org.service.id,
        "ledger_items": "999999",
    }).status_code == 422  # fmt: skip


def rules_items(idea):
    from suggestions.ledger import queries

    return queries.items_of(idea)


def test_the_idea_page_records_changes_and_impact(browser, new_browser, org):
    form = make_item(org.head, org.service, title="Paper leave request", signatures=2)
    idea = make_idea(org.employee, department=org.service, category=org.red_tape)
    rules.link_items(idea, [form.id])
    db.session.commit()
    implemented(idea, org.head, org.other_employee, date(2026, 9, 1))
    browser.login(org.head)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Record what changed" in page and "Record baseline and target" in page
    response = browser.post(f"/ideas/{idea.id}/impact", {
        "item": form.id, "baseline_minutes": "30", "baseline_cases": "200",
        "target_minutes": "10", "target_cases": "200",
    })  # fmt: skip
    assert response.status_code == 302
    bad = browser.post(f"/ideas/{idea.id}/impact", {"item": "0", "baseline_minutes": "x"})
    assert bad.status_code == 422 and "Please enter a number." in bad.get_data(as_text=True)
    response = browser.post(
        f"/ideas/{idea.id}/ledger-changes", {"item": form.id, "kind": "abolished"}
    )
    assert response.status_code == 302
    assert db.session.get(LedgerItem, form.id).status == "abolished"
    item_page = browser.get(f"/ledger/{form.id}").get_data(as_text=True)
    assert "Abolished through the idea" in item_page and f"#{idea.id}" in item_page

    impact.ask_for_measurements(datetime(2026, 10, 2))
    db.session.commit()
    measurement = db.session.scalars(select(Measurement)).one()
    owner = new_browser()
    owner.login(org.other_employee)
    queue = owner.get("/measurements").get_data(as_text=True)
    assert f"/ideas/{idea.id}#impact" in queue
    field = f"m{measurement.id}-"
    response = owner.post(f"/ideas/{idea.id}/measurements/{measurement.id}", {
        field + "minutes_per_case": "15", field + "cases_per_month": "200",
    })  # fmt: skip
    assert response.status_code == 302
    page = owner.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "800" in page and "600" in page  # projected against measured hours per year
    assert "Nothing to measure right now." in owner.get("/measurements").get_data(as_text=True)


def test_the_dashboard_shows_projected_against_measured_hours(browser, org):
    idea = make_idea(org.employee, department=org.service, category=org.red_tape)
    implemented(idea, org.head, org.head, clock.now().date())
    plan(idea, org.head, (30, 200), (10, 200))
    db.session.commit()
    browser.login(org.leader)
    page = browser.get("/insights").get_data(as_text=True)
    assert "Hours saved per year: projected and measured" in page
    assert "800" in page and "Forms removed" in page
    assert _count(ImpactPlan) == 1


def _merge_setup(org):
    """An implemented idea that names only the paper form; the HR tool, an abolished fax form
    and the form merged earlier are elsewhere in the ledger (another department's, too)."""
    paper = make_item(org.head, org.service, title="Paper leave request", signatures=2)
    tool = make_item(org.other_head, org.sales, title="Leave in the HR tool", kind="tool")
    fax = make_item(org.head, org.service, title="Leave request by fax")
    fax.status = "abolished"
    idea = make_idea(org.employee, department=org.service, category=org.red_tape,
                     title="One way to ask for leave")  # fmt: skip
    rules.link_items(idea, [paper.id])
    db.session.commit()
    implemented(idea, org.head, org.head, date(2026, 9, 1))
    return idea, paper, tool, fax


def test_merged_into_offers_any_active_item_of_the_ledger_while_typing(browser, org):
    idea, paper, tool, fax = _merge_setup(org)
    browser.login(org.head)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert 'id="merge_q"' in page and 'hx-include="#ledger-change-item"' in page
    found = browser.get(f"/ledger/search?merge_q=leave&item={paper.id}").get_data(as_text=True)
    assert f'type="radio" name="merged_into" value="{tool.id}"' in found  # not named by the idea
    assert f'value="{paper.id}"' not in found  # not the item being changed
    assert f'value="{fax.id}"' not in found  # abolished items are not offered
    by_number = browser.get(f"/ledger/search?merge_q=%23{tool.id}").get_data(as_text=True)
    assert f'value="{tool.id}"' in by_number


def test_a_merge_into_another_departments_item_shows_on_both_items(browser, org):
    idea, paper, tool, _fax = _merge_setup(org)
    browser.login(org.head)
    response = browser.post(f"/ideas/{idea.id}/ledger-changes", {
        "item": paper.id, "kind": "merged", "merged_into": tool.id, "merge_q": "HR tool",
    })  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert db.session.get(LedgerItem, paper.id).status == "merged"
    paper_page = browser.get(f"/ledger/{paper.id}").get_data(as_text=True)
    history = paper_page[paper_page.index('id="history-title"') :]
    assert "Merged into" in history and f'href="/ledger/{tool.id}"' in history
    tool_page = browser.get(f"/ledger/{tool.id}").get_data(as_text=True)
    merged_in = tool_page[tool_page.index('id="merged-in"') :]
    merged_in = merged_in[: merged_in.index("</section>")]
    assert "Merged into this item" in merged_in
    assert f'href="/ledger/{paper.id}"' in merged_in and "Paper leave request" in merged_in
    assert f'href="/ideas/{idea.id}"' in merged_in
    assert "Erika Employee" not in tool_page  # the idea by its title, never its author


def test_without_javascript_the_number_typed_names_the_item(browser, org):
    idea, paper, tool, _fax = _merge_setup(org)
    browser.login(org.head)
    response = browser.post(f"/ideas/{idea.id}/ledger-changes", {
        "item": paper.id, "kind": "merged", "merge_q": f"#{tool.id}",
    })  # fmt: skip
    assert response.status_code == 302
    merged = select(LedgerChange.merged_into_id).where(LedgerChange.kind == "merged")
    assert db.session.scalars(merged).one() == tool.id


@pytest.mark.parametrize("target, message", [
    ("self", "An item cannot be merged into itself."),
    ("fax", "“Leave request by fax” is abolished: nothing can be merged into it."),
    ("unknown", "There is no ledger item number 99999."),
    ("none", "Please name the item it was merged into."),
])  # fmt: skip
def test_a_merge_the_ledger_cannot_take_is_refused_and_nothing_typed_is_lost(
    browser, org, target, message
):
    idea, paper, _tool, fax = _merge_setup(org)
    chosen = {"self": paper.id, "fax": fax.id, "unknown": 99999, "none": ""}[target]
    changes = _count(LedgerChange)
    browser.login(org.head)
    response = browser.post(f"/ideas/{idea.id}/ledger-changes", {
        "item": paper.id, "kind": "merged", "merged_into": chosen, "fields_removed": "7",
        "note": "Both ways go through HR now.",
    })  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message.replace("“", "&#8220;") in page or message in page
    assert "Both ways go through HR now." in page and 'value="7"' in page
    assert '<details class="ledger-form" open>' in page
    db.session.expire_all()
    assert db.session.get(LedgerItem, paper.id).status == "active"
    assert _count(LedgerChange) == changes


def test_a_refused_merge_is_told_in_german(browser, org):
    idea, paper, _tool, fax = _merge_setup(org)
    org.head.language = "de"
    db.session.commit()
    browser.login(org.head)
    response = browser.post(f"/ideas/{idea.id}/ledger-changes", {
        "item": paper.id, "kind": "merged", "merged_into": paper.id,
    })  # fmt: skip
    assert response.status_code == 422
    assert "Ein Eintrag kann nicht mit sich selbst zusammengelegt werden." in response.get_data(
        as_text=True
    )
