"""Pages whose content the small data set lacks, walked on a desktop and a phone: the leadership
queue with a broadly supported idea and one waiting for its author (sentence-long badges once
hid the queue's cost, score and button off to the side), the idea page's broad-support box, the
dashboard's hours chart (640 px wide: a phone's page scrolled sideways, then its words were 6 px
high), its table's figures (named on a phone, not a lone ": 480"), the audit log's filters (a
field wider than its card) and the idea page's parts under the text."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from suggestions.auth.models import User
from suggestions.core.extensions import db
from suggestions.governance import audit
from suggestions.ideas import rules
from suggestions.ideas.models import Idea
from suggestions.org.models import Department
from suggestions.workflow import lifecycle
from suggestions.workflow.decision_settings import save_decision_settings

from ..factories import make_idea
from ..ledger.helpers import implemented, plan

pytestmark = pytest.mark.browser

WIDER_THAN_ITS_LONGEST_WORD = """e => {
  const ruler = document.createElement("canvas").getContext("2d");
  ruler.font = getComputedStyle(e).font;
  const words = e.textContent.trim().split(/\\s+/).map(w => ruler.measureText(w).width);
  return e.getBoundingClientRect().width + 0.5 >= Math.max(...words);
}"""


def test_long_badges_wrap_and_the_queue_keeps_its_columns(data, browse, device, site):
    with site.database():
        # Otto's idea has Hanna's and Lea's votes (two departments); with these settings the
        # next vote makes it broadly supported.
        save_decision_settings(supporters=2, departments=2, only_decisions=False)
        erika, lea = db.session.get(User, data.erika.id), db.session.get(User, data.lea.id)
        rules.set_vote(db.session.get(Idea, data.popular_idea), erika, True)
        # IT and Operations has no head: leadership decides, and asks the author.
        it = db.session.get(Department, data.departments["IT and Operations"])
        waiting = make_idea(erika, department=it, title="Shorter approval chain for refunds")
        lifecycle.transition(waiting, "ask_info", lea, "Which refunds exactly?")

    lea = browse(data.lea, device)
    page = lea.page
    lea.goto("/queue/leadership")  # checks that no table scrolls sideways inside its box
    rows = page.locator("table.queue tbody tr")
    expect(rows.filter(has=page.locator(".badge-breadth"))).to_have_count(1)
    expect(rows.filter(has=page.locator(".badge-paused"))).to_have_count(1)
    # The last column (the button) is in sight beside the longest badge.
    button = rows.filter(has=page.locator(".badge-breadth")).locator(".small-button")
    box = button.bounding_box()
    assert box["x"] + box["width"] <= page.viewport_size["width"]

    lea.goto(f"/ideas/{data.popular_idea}")  # the broad-support box fits the side column
    expect(page.locator(".badge-breadth, .breadth").first).to_be_visible()


def test_the_hours_chart_and_its_table_fit_a_phone(data, browse, device, site):
    with site.database():
        hanna, otto = db.session.get(User, data.hanna.id), db.session.get(User, data.otto.id)
        idea = make_idea(hanna, title="Travel requests without a paper form")
        idea.status = "in_review"
        implemented(idea, hanna, otto, date.today() - timedelta(days=5))
        plan(idea, hanna, before=(30, 200), after=(10, 200))
        assert db.session.get(Idea, idea.id).implemented_on is not None

    lea = browse(data.lea, device, "de-DE")
    page = lea.page
    lea.goto("/insights")  # checks that the page does not scroll sideways
    section = page.locator("section[aria-labelledby=impact-title]")
    expect(section.locator("svg.hours-chart")).to_be_visible()
    chart = section.locator("svg.hours-chart").bounding_box()
    card = section.bounding_box()
    assert chart["x"] + chart["width"] <= card["x"] + card["width"]
    # Its words as a person reads them (the chart shrinks with its card): 640 units wide, they
    # were 6 px high on a phone.
    sizes = section.locator("svg.hours-chart").evaluate(
        """svg => { const k = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                    return [...svg.querySelectorAll('text')]
                      .map(t => k * parseFloat(getComputedStyle(t).fontSize)); }"""
    )
    assert min(sizes) >= 12, sizes
    # The red tape removed: each count on the line of its name (once each on a line of its own).
    removed = section.locator("dl.figures-inline")
    name, count = (
        removed.locator("dt").first.bounding_box(),
        removed.locator("dd").first.bounding_box(),
    )
    assert abs(name["y"] - count["y"]) < 4 and count["x"] > name["x"] + name["width"]
    if device.phone:  # each figure names its column
        figures = section.locator("tbody td.num")
        expect(figures.first).to_have_attribute("data-label", "Erwartet")
        label = figures.first.evaluate("td => getComputedStyle(td, '::before').content")
        assert "Erwartet" in label, label


def test_the_audit_log_filters_stay_inside_their_card(data, browse, device, site):
    with site.database():  # a long change beside a short kind
        ada = db.session.get(User, data.adam.id)
        long = {"welcome_text": "Willkommen " * 30}
        audit.record("settings.changed", ada, audit.Target("settings"), long, long)
    adam = browse(data.adam, device)
    page = adam.page
    adam.goto("/admin/audit")
    card = page.locator("form.filters").bounding_box()
    for field in ("#a-kind", "#a-actor", "#a-target", "#a-start", "#a-end"):
        box = page.locator(field).bounding_box()
        assert box["x"] + box["width"] <= card["x"] + card["width"] + 0.5, field
    # A kind's words stay whole (a long change beside it squeezed them to a few letters a
    # line): its link is as wide as its longest word at least.
    adam.goto("/admin/audit?kind=settings.changed")
    kind = page.locator("table.audit-log tbody td:nth-child(2) a").first
    expect(kind).to_have_text("Settings changed")
    assert kind.evaluate(WIDER_THAN_ITS_LONGEST_WORD)


def test_the_report_link_and_the_notes_sit_under_the_idea_text(data, browse, device):
    # On a desktop the parts under the text once fell below the discussion, the notes even into
    # the side column: the wide grid placed only the text, the comments and the side.
    lea = browse(data.lea, device)
    page = lea.page
    lea.goto(f"/ideas/{data.popular_idea}")
    text = page.locator(".idea-body").bounding_box()
    report = page.get_by_role("link", name="Report this idea to moderation").bounding_box()
    notes = page.locator("#internal-notes").bounding_box()
    comments = page.locator("#comments-title").bounding_box()
    assert text["y"] + text["height"] <= report["y"] <= text["y"] + text["height"] + 24
    assert report["y"] < notes["y"] < comments["y"]
    assert notes["x"] == text["x"] and notes["width"] == text["width"]
