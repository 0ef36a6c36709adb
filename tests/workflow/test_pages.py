"""The decision loop through the web, as heads, leaders and authors use it."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from suggestions.core.clock import now
from suggestions.core.extensions import db
from suggestions.ideas.models import IdeaStatus
from suggestions.org.queries import org_settings
from suggestions.workflow import lifecycle
from suggestions.workflow.models import Commitment, CommitmentState

from ..factories import make_idea


def _revision(page: str, action: str) -> str:
    return re.search(rf'name="{action}-revision" type="hidden" value="(\d+)"', page).group(1)


def test_from_submission_to_implemented_through_the_pages(browser, new_browser, org):
    author = browser
    author.login(org.employee)
    author.post("/ideas/new", {
        "title": "Refunds up to 100 on the spot", "problem": "Approval takes three weeks.",
        "proposal": "Agents decide up to 100.", "benefit": "Happy customers.",
        "category": org.red_tape.id, "owning_department": org.service.id,
    })  # fmt: skip
    idea_url = author.get("/ideas?mine=1").get_data(as_text=True)
    idea_id = int(re.search(r'href="/ideas/(\d+)"', idea_url).group(1))

    head = new_browser()
    head.login(org.head)
    queue = head.get("/queue").get_data(as_text=True)
    assert "Refunds up to 100 on the spot" in queue and "Start review" in queue

    def act(person, action, data):
        page = person.get(f"/ideas/{idea_id}").get_data(as_text=True)
        fields = {f"{action}-{k}": v for k, v in data.items()}
        fields[f"{action}-revision"] = _revision(page, action)
        response = person.post(f"/ideas/{idea_id}/{action}", fields)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    act(head, "acknowledge", {"note": "Thanks, we are on it."})
    act(head, "estimate_cost", {"amount": "800"})
    page = head.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "The head of Customer Service decides" in page
    due = (now().date() + timedelta(days=14)).isoformat()
    act(head, "accept", {"owner": org.head.id, "promise": "Agents get a 100 budget.",
                         "due_on": due, "estimated_cost": "800"})  # fmt: skip
    act(head, "start", {})
    page = head.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "Agents get a 100 budget." in page and "Post update" in page
    head.post(f"/commitments/{_commitment_id(idea_id)}/updates",
              {"update-body": "Finance agreed."})  # fmt: skip
    act(head, "implement", {"change_summary": "Agents refund up to 100 themselves.",
                            "implemented_on": now().date().isoformat()})  # fmt: skip

    page = author.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "Implemented" in page and "Agents refund up to 100 themselves." in page
    for line in ("Thanks, we are on it.", "Finance agreed.", "estimated the cost at"):
        assert line in page
    commitments = author.get("/commitments?view=kept").get_data(as_text=True)
    assert "Refunds up to 100 on the spot" in commitments and "100 %" in commitments


def _commitment_id(idea_id: int) -> int:
    from sqlalchemy import select

    return db.session.scalar(select(Commitment.id).where(Commitment.idea_id == idea_id))


def test_accept_with_mistakes_keeps_what_was_typed(browser, org):
    idea = make_idea(org.employee, department=org.service)
    lifecycle.estimate_cost(idea, org.head, Decimal(100))
    db.session.commit()
    browser.login(org.head)
    response = browser.post(f"/ideas/{idea.id}/accept", {
        "accept-owner": org.head.id, "accept-promise": "We will build the form by spring.",
        "accept-due_on": "not a date", "accept-revision": idea.revision,
    })  # fmt: skip
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "We will build the form by spring." in page
    assert re.search(r'<details class="action" open>\s*<summary[^>]*>Accept and commit', page)
    assert 'id="accept-due_on-error"' in page
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.NEW


def test_an_update_with_mistakes_is_shown_again_with_them_beside_the_field(browser, org):
    idea = make_idea(org.employee, department=org.service)
    due = now().date() + timedelta(days=30)
    lifecycle.accept(idea, org.head, owner=org.head, promise="A form by spring.", due_on=due,
                     estimated_cost=Decimal(100))  # fmt: skip
    db.session.commit()
    commitment_id = _commitment_id(idea.id)
    browser.login(org.head)
    url = f"/commitments/{commitment_id}/updates"

    empty = browser.post(url, {"update-body": "  "})
    page = empty.get_data(as_text=True)
    assert empty.status_code == 422  # the idea page again, not a redirect with a flash
    assert re.search(r'id="update-body-error"><li>Please fill in this field.', page)
    assert 'aria-invalid="true"' in page and "Please write the update." not in page
    too_long = "Halfway there. " * 700
    response = browser.post(url, {"update-body": too_long})
    assert response.status_code == 422 and too_long in response.get_data(as_text=True)
    assert db.session.get(Commitment, commitment_id).state == CommitmentState.OPEN
    assert "Halfway there." not in browser.get(f"/ideas/{idea.id}").get_data(as_text=True)

    # Closed meanwhile: the page has no update form any more, so the refusal is flashed.
    lifecycle.break_commitment(idea, org.head, "No budget after all.")
    db.session.commit()
    closed = browser.post(url, {"update-body": "Halfway there."})
    assert closed.status_code == 302
    assert "This commitment is closed." in browser.get(closed.location).get_data(as_text=True)


def test_head_above_budget_is_told_leadership_decides(browser, org):
    idea = make_idea(org.employee, department=org.service)
    lifecycle.estimate_cost(idea, org.head, Decimal(9000))
    db.session.commit()
    browser.login(org.head)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Leadership decides this idea" in page and "Accept and commit" not in page
    response = browser.post(f"/ideas/{idea.id}/accept", {
        "accept-owner": org.head.id, "accept-promise": "x",
        "accept-due_on": (now().date() + timedelta(days=3)).isoformat(),
        "accept-revision": idea.revision,
    })  # fmt: skip
    assert response.status_code == 302
    assert "leadership decides" in browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.NEW


def test_second_head_on_an_outdated_page_sees_the_idea_changed(browser, new_browser, org):
    idea = make_idea(org.employee, department=org.service)
    head, leader = browser, new_browser()
    head.login(org.head)
    leader.login(org.leader)
    seen = _revision(head.get(f"/ideas/{idea.id}").get_data(as_text=True), "decline")
    leader.post(f"/ideas/{idea.id}/acknowledge", {"acknowledge-revision": seen})
    response = head.post(f"/ideas/{idea.id}/decline",
                         {"decline-note": "Not now.", "decline-revision": seen})  # fmt: skip
    assert response.status_code == 302
    page = head.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "This idea has changed since you opened it." in page
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.IN_REVIEW


def test_overdue_is_visible_in_queue_list_and_idea_page(browser, org):
    idea = make_idea(org.employee, department=org.service, title="Waiting far too long")
    idea.created_at = now() - timedelta(days=12)
    db.session.commit()
    browser.login(org.head)
    assert "Waiting 12 days for a first response" in browser.get(f"/ideas/{idea.id}").get_data(
        as_text=True
    )
    assert "overdue" in browser.get("/queue").get_data(as_text=True)
    listed = browser.get("/ideas?overdue=1").get_data(as_text=True)
    assert "Waiting far too long" in listed and "overdue · waiting 12 days" in listed


def test_quick_acknowledge_from_the_queue_returns_to_the_queue(browser, org):
    idea = make_idea(org.employee, department=org.service)
    browser.login(org.head)
    browser.get("/queue")
    response = browser.post(f"/ideas/{idea.id}/acknowledge",
                            {"acknowledge-revision": idea.revision, "next": "/queue"})  # fmt: skip
    assert response.status_code == 302 and response.location == "/queue"
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.IN_REVIEW and idea.first_response_at is not None


def test_heads_see_only_their_departments_queue(browser, org):
    make_idea(org.employee, department=org.service, title="A service matter")
    make_idea(org.other_employee, department=org.sales, title="A sales matter")
    browser.login(org.other_head)
    page = browser.get("/queue").get_data(as_text=True)
    assert "A sales matter" in page and "A service matter" not in page
    # asking for another department's queue shows their own, not the other one
    page = browser.get(f"/queue?department={org.service.id}").get_data(as_text=True)
    assert "A service matter" not in page


def test_leadership_queue_shows_escalated_and_overdue(browser, org):
    escalated = make_idea(org.employee, department=org.service, title="Needs leadership")
    lifecycle.escalate(escalated, org.head, "Policy question.")
    late = make_idea(org.other_employee, department=org.sales, title="Old and forgotten")
    late.created_at = now() - timedelta(days=40)
    db.session.commit()
    browser.login(org.leader)
    assert "Needs leadership" in browser.get("/queue/leadership").get_data(as_text=True)
    overdue = browser.get("/queue/leadership?tab=overdue").get_data(as_text=True)
    assert "Old and forgotten" in overdue and "Needs leadership" not in overdue


def test_commitments_page_filters_by_department_and_owner(browser, org):
    due = now().date() + timedelta(days=20)
    for title, department, owner in [("Service promise", org.service, org.head),
                                     ("Sales promise", org.sales, org.other_head)]:  # fmt: skip
        idea = make_idea(org.employee, department=department, title=title)
        lifecycle.accept(idea, org.leader, owner=owner, promise=f"{title} kept", due_on=due)
    db.session.commit()
    browser.login(org.employee)
    everything = browser.get("/commitments").get_data(as_text=True)
    assert "Service promise" in everything and "Sales promise" in everything
    by_department = browser.get(f"/commitments?department={org.sales.id}").get_data(as_text=True)
    assert "Sales promise" in by_department and "Service promise" not in by_department
    by_owner = browser.get(f"/commitments?owner={org.head.id}").get_data(as_text=True)
    assert "Service promise" in by_owner and "Sales promise" not in by_owner
    assert "No promise has fallen due yet." in everything


def test_broken_commitment_needs_a_reason_and_reopens_the_decision(browser, org):
    idea = make_idea(org.employee, department=org.service)
    commitment = lifecycle.accept(idea, org.leader, owner=org.head, promise="x",
                                  due_on=now().date() + timedelta(days=5))  # fmt: skip
    db.session.commit()
    browser.login(org.head)
    response = browser.post(
        f"/ideas/{idea.id}/break_commitment",
        {"break_commitment-note": "", "break_commitment-revision": idea.revision},
    )
    assert response.status_code == 422
    browser.post(f"/ideas/{idea.id}/break_commitment",
                 {"break_commitment-note": "Budget frozen.",
                  "break_commitment-revision": idea.revision})  # fmt: skip
    db.session.refresh(commitment)
    db.session.refresh(idea)
    assert commitment.state == CommitmentState.BROKEN and idea.status == IdeaStatus.IN_REVIEW
    assert "Budget frozen." in browser.get("/commitments?view=broken").get_data(as_text=True)


def test_author_answers_a_question_and_the_idea_returns_to_review(browser, org):
    idea = make_idea(org.employee, department=org.service)
    lifecycle.transition(idea, "ask_info", org.head, "Which form exactly?")
    db.session.commit()
    browser.login(org.employee)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Which form exactly?" in page and "Answer the question" in page
    browser.post(
        f"/ideas/{idea.id}/provide_info",
        {"provide_info-note": "Form T-12.", "provide_info-revision": idea.revision},
    )
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.IN_REVIEW


def test_just_do_it_through_the_page(browser, org):
    idea = make_idea(org.employee, department=org.service)
    browser.login(org.employee)
    assert "I did it myself" in browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    browser.post(f"/ideas/{idea.id}/just_do_it", {
        "just_do_it-cost": "45", "just_do_it-change_summary": "Bought a second stapler.",
        "just_do_it-implemented_on": now().date().isoformat(), "just_do_it-revision": idea.revision,
    })  # fmt: skip
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Done by the author, on their own authority." in page
    assert "Just did it" in browser.get("/ideas").get_data(as_text=True)


def test_duplicate_page_points_to_the_survivor(browser, org):
    duplicate = make_idea(org.employee, department=org.service, title="The copy")
    survivor = make_idea(org.other_employee, department=org.service, title="The original")
    browser.login(org.head)
    response = browser.post(f"/ideas/{duplicate.id}/mark_duplicate",
                            {"mark_duplicate-survivor": duplicate.id,
                             "mark_duplicate-revision": duplicate.revision})  # fmt: skip
    assert response.status_code == 422
    assert "cannot be a duplicate of itself" in response.get_data(as_text=True)
    browser.post(f"/ideas/{duplicate.id}/mark_duplicate",
                 {"mark_duplicate-survivor": survivor.id,
                  "mark_duplicate-revision": duplicate.revision})  # fmt: skip
    page = browser.get(f"/ideas/{duplicate.id}").get_data(as_text=True)
    assert "This idea was merged into another one." in page
    assert f'href="/ideas/{survivor.id}"' in page


def test_admin_changes_the_clocks(browser, org):
    browser.login(org.admin)
    response = browser.post("/admin/settings", {
        "first_response_days": "3", "decision_days": "2", "default_decision_budget": "100",
        "empowerment_budget": "50", "currency": "CHF",
    })  # fmt: skip
    assert response.status_code == 422
    assert "A decision cannot be due before the first response." in response.get_data(as_text=True)
    browser.post("/admin/settings", {
        "first_response_days": "3", "decision_days": "20", "default_decision_budget": "100",
        "empowerment_budget": "50", "currency": "chf",
    })  # fmt: skip
    db.session.expire_all()
    settings = org_settings()
    assert (settings.first_response_days, settings.currency) == (3, "CHF")


def test_transfer_needs_a_chosen_department_and_says_where_it_goes(browser, org):
    idea = make_idea(org.employee, department=org.service, title="Printer queue")
    browser.login(org.head)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    # Nothing is chosen in advance: the first option asks for a choice.
    select = re.search(r'<select[^>]*name="transfer-department".*?</select>', page, re.S).group(0)
    assert re.search(r'<option selected value="0">Choose a department</option>', select)
    revision = _revision(page, "transfer")

    # No choice: a form error, the note kept, the idea where it was.
    response = browser.post(f"/ideas/{idea.id}/transfer", {
        "transfer-revision": revision, "transfer-department": "0",
        "transfer-note": "Sales owns the printers.",
    })  # fmt: skip
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Please choose a department." in body and "Sales owns the printers." in body
    db.session.refresh(idea)
    assert idea.owning_department_id == org.service.id

    # A choice: the page names the department before anything moves.
    response = browser.post(f"/ideas/{idea.id}/transfer", {
        "transfer-revision": revision, "transfer-department": str(org.sales.id),
        "transfer-note": "Sales owns the printers.",
    })  # fmt: skip
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "The idea will go to Sales" in body and "Hand over to Sales</button>" in body
    db.session.refresh(idea)
    assert idea.owning_department_id == org.service.id

    # Confirmed: it moves.
    response = browser.post(f"/ideas/{idea.id}/transfer", {
        "transfer-revision": revision, "transfer-department": str(org.sales.id),
        "transfer-confirmed": str(org.sales.id), "transfer-note": "Sales owns the printers.",
    })  # fmt: skip
    assert response.status_code == 302
    db.session.refresh(idea)
    assert idea.owning_department_id == org.sales.id


def test_the_pages_show_who_delivers_and_who_is_accountable(browser, new_browser, org):
    idea = make_idea(org.employee, department=org.service, title="New headsets")
    lifecycle.accept(
        idea, org.head, owner=org.other_employee, promise="Otto orders them.",
        due_on=now().date() + timedelta(days=9), estimated_cost=Decimal(10),
    )  # fmt: skip
    db.session.commit()
    browser.login(org.employee)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert re.search(r"<dt>Owner</dt><dd>Otto Other</dd>\s*<dt>Accountable</dt><dd>Hanna Head</dd>",
                     page)  # fmt: skip
    listing = browser.get("/commitments").get_data(as_text=True)
    assert "Otto Other" in listing and "accountable: Hanna Head" in listing

    # The head offers anyone active as the owner, with their department.
    head = new_browser()
    head.login(org.head)
    other = make_idea(org.employee, department=org.service)
    lifecycle.estimate_cost(other, org.head, Decimal(10))  # within the budget: the head accepts
    db.session.commit()
    form = head.get(f"/ideas/{other.id}").get_data(as_text=True)
    assert f'<option value="{org.other_employee.id}">Otto Other · Sales</option>' in form


def test_an_idea_of_today_waits_since_today_not_for_zero_days(browser, org):
    """A new idea: "since today" on its page and in the queue, in English and German; from
    the next day on the days are counted."""
    idea = make_idea(org.employee, department=org.service, title="Fewer copies of the invoice")
    browser.login(org.head)
    page = " ".join(browser.get(f"/ideas/{idea.id}").get_data(as_text=True).split())
    assert "Waiting since today for a first response" in page
    assert "Waiting 0 days" not in page
    row = browser.get("/queue").get_data(as_text=True).split("Fewer copies of the invoice")[1]
    assert "since today" in row.split("</tr>")[0] and "0 days" not in row.split("</tr>")[0]

    browser.post("/language", {"language": "de"})
    page = " ".join(browser.get(f"/ideas/{idea.id}").get_data(as_text=True).split())
    assert "Wartet seit heute auf eine erste Antwort" in page

    idea.created_at = now() - timedelta(days=2)
    db.session.commit()
    page = " ".join(browser.get(f"/ideas/{idea.id}").get_data(as_text=True).split())
    assert "Wartet seit 2 Tagen auf eine erste Antwort" in page
