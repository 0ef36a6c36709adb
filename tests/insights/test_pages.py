"""The dashboard and "You said, we did" through the pages, as the people who read them."""

import re
from datetime import timedelta

import pytest

from suggestions.auth.models import Role
from suggestions.core.clock import now, travel_to
from suggestions.core.extensions import db
from suggestions.insights import changes
from suggestions.workflow import lifecycle

from ..factories import make_department, make_idea, make_user
from .dataset import JUNE

JUNE_ARGS = f"range=custom&start={JUNE[0]}&end={JUNE[1]}"


def text_of(html: str) -> str:
    """The page as a person reads it: tags out, whitespace folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def kpi(html: str, title: str) -> str:
    """The figure and its note in a headline tile."""
    tile = html.split(f">{title}</h2>", 1)[1].split("</section>", 1)[0]
    return text_of(tile)


def test_leadership_reads_the_three_answers_at_a_glance(browser, june):
    browser.login(june.people["a2"])
    html = browser.get(f"/insights?{JUNE_ARGS}").get_data(as_text=True)
    # Which department answers slowest: Beta (median 5 days against Alpha's 3).
    assert kpi(html, "Slowest to answer").startswith("Beta half of its ideas waited more than 5")
    # How many promises were kept on time: one of the four that fell due.
    assert kpi(html, "Promises kept on time").startswith("1 of 4 25%")
    # How many hours the implemented ideas save: 65 a month, 60 of them from June.
    assert kpi(html, "Hours saved per month").startswith("65 h estimated, by 4 implemented")
    assert "60 h of it from 3 changes in this period" in kpi(html, "Hours saved per month")


def test_charts_are_svg_with_a_table_beside_them_and_no_inline_style(browser, june):
    browser.login(june.people["a2"])
    response = browser.get(f"/insights?{JUNE_ARGS}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # only script files
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert html.count('<svg class="linechart"') == 1 and 'role="img"' in html
    assert html.count('class="bar-row') >= 20
    assert html.count('<details class="table-alt">') == 4
    # The slowest department's bar is marked and comes first.
    first_bar = html.split('<ul class="bars" aria-label="Median days to first response')[1]
    assert first_bar.split("</li>")[0].count("bar-highlight") == 1 and "Beta" in first_bar[:400]
    # Departments without ideas are listed, with no figure.
    assert "Gamma" in html and "no answers yet" in html
    # Small departments are not shown on their own.
    assert text_of(html).count("too small to show") >= 4


def test_a_head_sees_only_their_departments(browser, june):
    browser.login(june.people["a1"])  # head of Alpha
    html = browser.get(f"/insights?{JUNE_ARGS}").get_data(as_text=True)
    assert "Beta" not in html and "Person B1" not in html
    assert "Alpha" in html
    # Asking for another department shows their own view instead.
    asked = browser.get(f"/insights?{JUNE_ARGS}&department={june.beta.id}")
    assert asked.status_code == 200
    assert "Beta" not in asked.get_data(as_text=True)


def test_a_department_filter_for_leadership(browser, june):
    browser.login(june.people["a2"])
    html = browser.get(f"/insights?{JUNE_ARGS}&department={june.gamma.id}").get_data(as_text=True)
    assert "Nothing is waiting for a decision." in html
    assert "0 ideas submitted in this period" in html


def test_impossible_dates_are_explained_and_the_default_shown(browser, june):
    browser.login(june.people["a2"])
    response = browser.get("/insights?range=custom&start=2026-06-30&end=2026-06-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The last day is before the first day." in html
    assert '<option value="90" selected>' in html
    response = browser.get("/insights?range=custom&start=nonsense")
    assert response.status_code == 200 and "Please choose both days." in (
        response.get_data(as_text=True)
    )
    assert browser.get("/insights?range=forever&department=x").status_code == 200


@pytest.mark.parametrize("preset", ["30", "90", "365", "quarter"])
def test_every_preset_renders(browser, june, preset):
    browser.login(june.people["a2"])
    assert browser.get(f"/insights?range={preset}").status_code == 200


def test_you_said_we_did_lists_implemented_changes_newest_first(browser, june):
    browser.login(june.people["c1"])  # anyone
    html = browser.get("/you-said-we-did").get_data(as_text=True)
    titles = re.findall(r'<h2 class="change-title"><a href="[^"]+">([^<]+)</a>', html)
    assert titles == ["Idea I3", "Idea I2", "Idea A3", "Idea E1"]
    text = text_of(html)
    assert "65 h a month saved (estimated) by 4 changes" in text
    # Who committed: the owner of the kept promise; the author for "just do it".
    assert "Promised and delivered by Person B1" in text
    assert "Promised and delivered by Person A1" in text
    assert "Done by the author themselves: Person A5" in text
    # From idea to change, and the hours it saves.
    assert "81 days from idea to change" in text and "saves ~30 h a month" in text
    assert "What changed for I2." in text


def test_an_anonymous_author_who_did_it_themselves_stays_anonymous(browser, org):
    author = make_user(department=org.service, name="Wilhelmine Whistleblower")
    idea = make_idea(author, department=org.service, anonymous=True, title="Fixed it quietly")
    lifecycle.just_do_it(idea, author, cost=0, change_summary="Bought the stapler.")
    db.session.commit()
    for viewer in (org.employee, org.leader, org.admin):
        browser.login(viewer)
        for url in ("/you-said-we-did", "/insights", "/insights/figures.csv",
                    "/ideas/export.csv"):  # fmt: skip
            response = browser.get(url)
            body = response.get_data(as_text=True)
            assert "Wilhelmine" not in body, (viewer, url)
            if url == "/you-said-we-did":
                assert "Fixed it quietly" in body and "Done by the author themselves" in body
        browser.logout()


def test_you_said_we_did_pages(browser, june, monkeypatch):
    monkeypatch.setattr(changes, "PER_PAGE", 3)
    browser.login(june.people["c1"])
    first = browser.get("/you-said-we-did").get_data(as_text=True)
    assert "Page 1 of 2" in first and 'rel="next"' in first and "Idea E1" not in first
    second = browser.get("/you-said-we-did?page=2").get_data(as_text=True)
    assert "Idea E1" in second and "Idea I3" not in second
    beyond = browser.get("/you-said-we-did?page=99").get_data(as_text=True)
    assert "Idea E1" in beyond and "Page 2 of 2" in beyond


def test_nothing_implemented_yet(browser, org):
    browser.login(org.employee)
    assert "Nothing implemented yet" in browser.get("/you-said-we-did").get_data(as_text=True)


def test_the_dashboard_of_a_fresh_installation(browser, org):
    browser.login(org.leader)
    html = browser.get("/insights").get_data(as_text=True)
    assert "Not enough answers in this period to compare departments." in html
    assert "No promise fell due in this period." in html


def test_nav_links(browser, org):
    browser.login(org.employee)
    html = browser.get("/ideas").get_data(as_text=True)
    assert 'href="/you-said-we-did"' in html and 'href="/insights"' not in html
    browser.logout()
    browser.login(org.head)
    assert 'href="/insights"' in browser.get("/ideas").get_data(as_text=True)


def test_a_head_of_no_department_has_no_dashboard(browser, app):
    department = make_department("Solo")
    head = make_user(Role.HEAD, department)
    db.session.commit()
    browser.login(head)
    assert browser.get("/insights").status_code == 403


def test_a_first_response_through_the_lifecycle_shows_on_the_dashboard(browser, org):
    with travel_to(now() - timedelta(days=5)):
        idea = make_idea(org.employee, department=org.service, category=org.red_tape)
    with travel_to(idea.created_at + timedelta(days=3)):
        lifecycle.transition(idea, "acknowledge", org.head, "We look at it.")
        db.session.commit()
    browser.login(org.leader)
    html = browser.get("/insights?range=30").get_data(as_text=True)
    assert kpi(html, "First response") == "3 days median · 100% within 7 days"
    # One department answered: nothing to compare yet.
    assert kpi(html, "Slowest to answer").startswith("– Not enough answers")
    # Days as a word: the short German "3 T." reads as three thousand.
    org.leader.language = "de"
    html = browser.get("/insights?range=30").get_data(as_text=True)
    assert kpi(html, "Erste Antwort") == "3 Tage Median · 100 % innerhalb von 7 Tagen"
    assert " T." not in html


def test_export_links_carry_only_the_filter(browser, june):
    browser.login(june.people["a2"])
    response = browser.get(f"/insights?{JUNE_ARGS}&fmt=evil&_external=1&_anchor=x")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    link = re.search(r'href="(/insights/figures\.csv[^"]*)"', html).group(1)
    assert "evil" not in link and "_external" not in link and "start=2026-06-01" in link


def test_each_part_under_the_figures_is_drawn_once(browser, june, app):
    """The ledger's hours and red-tape part comes once, and the review pack's monthly job is
    on the worker's list once (the insights package is set up once)."""
    from suggestions.core.registry import contributions

    browser.login(june.people["a2"])
    html = browser.get(f"/insights?{JUNE_ARGS}").get_data(as_text=True)
    assert html.count('id="impact-title"') == 1
    assert text_of(html).count("Red tape removed in this period") == 1
    jobs = [job.name for job in contributions("worker.jobs", app)]
    assert len(jobs) == len(set(jobs)), jobs


def test_a_change_made_the_day_it_was_proposed_says_so(browser, org):
    author = make_user(department=org.service, name="Quick Quentin")
    idea = make_idea(author, department=org.service, title="A second stapler")
    lifecycle.just_do_it(idea, author, cost=0, change_summary="Bought one.")
    db.session.commit()
    browser.login(org.employee)
    text = text_of(browser.get("/you-said-we-did").get_data(as_text=True))
    assert "A second stapler" in text and "from idea to change on the same day" in text
    assert "0 days from idea to change" not in text
