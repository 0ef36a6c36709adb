"""The decision loop, on a desktop and on a phone: the head of the owning department finds a
new idea in her queue and starts the review there; on the idea page (where, on a phone, the
decision panel comes before the discussion) she estimates the cost and accepts it with a
public commitment. Leadership sees the promise on the dashboard and on the commitments page.
The head starts the work and records it as implemented; the author finds it under "You said,
we did", and the dashboard counts the promise as kept.

Then an idea that has waited too long and costs more than the department may spend: the head's
queue marks it overdue, her estimate hands it to leadership, who accept it from their queue.

The dashboard may serve its figures from a short-lived cache: each journey opens every
dashboard view (period and department) once, after the change it looks for, and a view no other
test opens, so whatever a cache holds was computed from the same state.
"""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from suggestions.auth.models import User
from suggestions.core.clock import now
from suggestions.core.extensions import db

from ..factories import make_idea
from . import steps

pytestmark = pytest.mark.browser

TITLE = "One form for address changes"  # Erika's new idea in the data set


def for_idea(action: str, title: str) -> re.Pattern:
    """A queue's button or link, named for its row's idea ("Start review: <title>"; the
    title is there for screen readers only, so the name computation may add a space)."""
    return re.compile(rf"^{action}\s*:\s*{re.escape(title)}$")


def test_head_accepts_with_a_commitment_and_delivers(data, browse, device):
    hanna = browse(data.hanna, device)
    page = hanna.page

    # The queue: the new idea, started from the list itself.
    steps.navigate(hanna, "Queue")
    hanna.expect_heading("Triage queue")
    row = page.locator("table.queue tbody tr").filter(has_text=TITLE)
    expect(row.locator(".badge")).to_have_text("New")
    row.get_by_role("button", name=for_idea("Start review", TITLE)).click()
    expect(page.locator(".flashes")).to_contain_text("The idea is in review.")
    hanna.check()
    expect(row.locator(".badge")).to_have_text("In review")
    row.get_by_role("link", name=for_idea("Decide", TITLE)).click()
    page.wait_for_url(re.compile(rf"/ideas/{data.erikas_idea}#decision$"))
    hanna.check()

    # Whoever decides sees the panel before the discussion on a phone, beside it otherwise.
    decision = page.locator("#decision").bounding_box()
    comments = page.locator("#comments").bounding_box()
    if device.phone:
        assert decision["y"] < comments["y"], (decision, comments)
    else:
        assert decision["x"] > comments["x"] + comments["width"], (decision, comments)
        assert decision["y"] < comments["y"] + comments["height"], (decision, comments)

    # Within the department's budget of 2,000 the head decides alone: estimate, then accept.
    expect(page.locator("#decision")).to_contain_text("estimate the cost first")
    expect(page.locator("#decision form[action$='/accept']")).to_have_count(0)
    steps.decide(hanna, "estimate_cost", {"Estimated cost": "800"})
    expect(page.locator(".flashes")).to_contain_text("The estimate is recorded.")
    due = date.today() + timedelta(days=30)
    steps.decide(hanna, "accept", {
        "Who delivers": "Hanna Head · Customer Service",  # anyone active, with department
        "What will be done": "One online form updates billing, delivery and contracts at once.",
        "Due date": due.isoformat(),
    })  # fmt: skip
    expect(page.locator(".flashes")).to_contain_text("Accepted. The commitment is public now.")
    expect(page.locator(".idea-meta .badge")).to_have_text("Accepted")
    promise = page.locator("#commitments")
    expect(promise.locator(".badge")).to_have_text("Open")
    expect(promise).to_contain_text("One online form updates billing")
    expect(promise.locator("dd").first).to_have_text("Hanna Head")
    expect(page.locator("#decision .facts-inline dd").first).to_have_text("€800.00")

    # Leadership: the open promise on the dashboard (Customer Service, the default period)
    # and on the public commitments page.
    lea = browse(data.lea, device)
    steps.navigate(lea, "Insights")
    lea.page.get_by_label("Department", exact=True).select_option(label="Customer Service")
    lea.page.locator(".insights-filters button[type=submit]").click()
    lea.page.wait_for_url(re.compile(rf"department={data.departments['Customer Service']}"))
    lea.check()
    expect(lea.page.locator("section[aria-labelledby=h-promises]")).to_contain_text(
        "Open now: 1, of which 0 overdue."
    )
    steps.navigate(lea, "Commitments")
    listed = lea.page.locator("table tbody tr").filter(has_text=TITLE)
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Hanna Head")
    expect(listed.locator(".badge")).to_have_text("Open")

    # The head starts the work and records the change.
    hanna.goto(f"/ideas/{data.erikas_idea}")
    steps.decide(hanna, "start")
    expect(page.locator(".idea-meta .badge")).to_have_text("In progress")
    steps.decide(hanna, "implement", {
        "What changed?": "Customers change their address **once**, online, for everything.",
    })  # fmt: skip
    expect(page.locator(".flashes")).to_contain_text("Implemented!")
    expect(page.locator(".idea-meta .badge")).to_have_text("Implemented")
    expect(page.locator("#commitments .badge")).to_have_text("Kept on time")
    expect(page.locator("#decision .change-summary strong")).to_have_text("once")

    # The author sees her idea as a change that is live.
    erika = browse(data.erika, device)
    steps.navigate(erika, "You said, we did")
    change = erika.page.locator("li.change").filter(has_text=TITLE)
    expect(change).to_have_count(1)
    expect(change.locator(".change-after")).to_contain_text(
        "Customers change their address once, online, for everything."
    )
    expect(change.locator(".change-who")).to_contain_text(
        "Promised and delivered by Hanna Head · Customer Service"
    )

    # And the dashboard counts the promise as kept, under its owner's name.
    lea.goto(f"/insights?range=365&department={data.departments['Customer Service']}")
    expect(lea.page.locator("section[aria-labelledby=kpi-promises] .kpi-figure")).to_have_text(
        "1 of 1"
    )
    promises = lea.page.locator("section[aria-labelledby=h-promises]")
    promises.locator("summary").click()
    owner = promises.locator("tbody tr").filter(has=lea.page.locator("th", has_text="Hanna Head"))
    expect(owner.locator("td").first).to_have_text("1")  # kept on time
    lea.check()


def test_an_overdue_idea_above_the_budget_goes_to_leadership(data, browse, site):
    title = "Headsets that work for a whole shift"
    with site.database():
        erika = db.session.get(User, data.erika.id)
        idea = make_idea(erika, title=title, problem="The headsets die after four hours.")
        idea.created_at = now() - timedelta(days=12)  # first response was due after 7 days
        idea_id = idea.id

    hanna = browse(data.hanna)
    page = hanna.page
    hanna.goto("/queue")
    expect(page.locator(".page-head .badge-overdue")).to_have_text("1 overdue")
    late = page.locator("table.queue tbody tr").first  # overdue first
    expect(late).to_have_class(re.compile(r"\brow-overdue\b"))
    expect(late).to_contain_text(title)
    expect(late).to_contain_text("12 days")
    late.get_by_role("link", name=title).click()
    page.wait_for_url(re.compile(rf"/ideas/{idea_id}$"))
    expect(page.locator("#decision .clock-overdue")).to_contain_text("overdue since")

    # 12,000 is above Customer Service's budget of 2,000: leadership decides now.
    steps.decide(hanna, "estimate_cost", {"Estimated cost": "12000"})
    expect(page.locator("#decision .who-decides")).to_contain_text("Leadership decides this idea")
    expect(page.locator("#decision .who-decides")).to_contain_text(
        "above the decision budget of Customer Service (€2,000.00)"
    )
    expect(page.locator("#decision form[action$='/accept']")).to_have_count(0)

    lea = browse(data.lea)
    lea.goto("/queue/leadership")
    expect(lea.page.locator("table.queue")).to_contain_text(title)
    lea.page.get_by_role("link", name="Overdue everywhere").click()
    lea.page.wait_for_url(re.compile(r"tab=overdue"))
    lea.check()
    overdue = lea.page.locator("table.queue tbody tr").filter(has_text=title)
    expect(overdue.locator(".badge-overdue")).to_have_text("overdue")
    overdue.get_by_role("link", name=title).click()
    lea.page.wait_for_url(re.compile(rf"/ideas/{idea_id}$"))
    steps.decide(lea, "accept", {
        "Who delivers": "Hanna Head · Customer Service",  # anyone active, with department
        "What will be done": "New headsets for all 40 seats.",
        "Due date": (date.today() + timedelta(days=60)).isoformat(),
    })  # fmt: skip
    expect(lea.page.locator(".idea-meta .badge")).to_have_text("Accepted")

    # The promise is the head's to deliver: her queue lists it.
    hanna.goto("/queue")
    deliveries = page.locator("table", has=page.locator("caption", has_text="Open commitments"))
    expect(deliveries).to_contain_text(title)
    expect(deliveries).to_contain_text("Hanna Head")


def test_transfer_asks_where_to_and_names_the_department_before_it_moves(data, browse, site):
    with site.database():
        erika = db.session.get(User, data.erika.id)
        idea = make_idea(erika, title="Sales should own the price list")
        idea_id = idea.id
    hanna = browse(data.hanna)
    page = hanna.page
    hanna.goto(f"/ideas/{idea_id}")
    details = page.locator(
        "#decision details.action", has=page.locator("form[action$='/transfer']")
    )
    form = details.locator("form")
    steps.open_action(page, details)
    # Nothing is chosen in advance: sending the form as it is moves nothing.
    expect(form.get_by_label("Hand over to", exact=True)).to_have_value("0")
    form.get_by_label("Note (optional)", exact=True).fill("They keep the list.")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(form.locator(".errors")).to_contain_text("Please choose a department.")
    expect(form.get_by_label("Note (optional)", exact=True)).to_have_value("They keep the list.")
    hanna.check()

    # A choice: the page says where the idea goes, and the button names the department.
    form.get_by_label("Hand over to", exact=True).select_option(label="Sales")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(form.locator(".alert-info")).to_contain_text("The idea will go to Sales")
    button = form.get_by_role("button", name="Hand over to Sales")
    hanna.check()
    with page.expect_navigation():
        button.click()
    expect(page.locator(".flashes .flash-success")).to_contain_text("The idea is handed over.")
    expect(page.locator(".idea-side .facts")).to_contain_text("Sales")
    hanna.check()
