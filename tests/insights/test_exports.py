"""Exports read back the way a spreadsheet would read them: the csv module and openpyxl."""

import csv
import io
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook

from suggestions.core.extensions import db
from suggestions.ideas import rules
from suggestions.insights.exports import csv_cell
from suggestions.org.models import OrgSettings

from ..factories import make_idea
from .dataset import JUNE

JUNE_ARGS = f"range=custom&start={JUNE[0]}&end={JUNE[1]}"


def read_csv(response) -> list[list[str]]:
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf"), "German Excel needs the UTF-8 byte order mark"
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(response):
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.get_data()))


def sections(rows: list[list[str]]) -> dict[str, list[list[str]]]:
    """The figures CSV: a title row, a header, rows; sections separated by an empty row."""
    found, title = {}, None
    for row in rows:
        if not row:
            title = None
        elif title is None:
            title = row[0]
            found[title] = []
        else:
            found[title].append(row)
    return found


def test_csv_cells_never_run_as_formulas():
    for dangerous in ("=1+1", "+49 30 1234", "-2", "@SUM(A1)", "\tTab", "\rReturn"):
        assert csv_cell(dangerous) == "'" + dangerous
    assert csv_cell("Plain") == "Plain"
    assert csv_cell(-2) == "-2" and csv_cell(31.04) == "31,0" and csv_cell(1.5) == "1,5"
    assert csv_cell(None) == "" and csv_cell(True) == "yes"


def test_idea_list_as_csv_with_the_list_filters(browser, june):
    browser.login(june.people["a2"])  # leadership
    beta = june.beta.id
    response = browser.get(f"/ideas/export.csv?department={beta}&status=declined&sort=new")
    assert response.status_code == 200
    header, *rows = read_csv(response)
    assert header == [
        "Number", "Title", "Status", "Category", "Department", "Affected departments", "Author",
        "Author's department", "Submitted (Europe/Berlin)", "First response (Europe/Berlin)",
        "Decided (Europe/Berlin)", "Implemented on",
        "Days to first response", "Days to decision", "Votes", "Comments", "Estimated cost",
        "Hours lost per month", "Customer-facing", "Done by the author themselves", "Link",
    ]  # fmt: skip
    b5, b1 = june.ideas["B5"], june.ideas["B1"]
    assert rows == [
        [str(b5.id), "Idea B5", "Declined", "Red tape", "Beta", "Beta", "Person B2", "Beta",
         "2026-06-02 11:00", "2026-06-04 11:00", "2026-07-03 11:00", "", "2,0", "31,0", "0",
         "0", "", "", "no", "no", f"http://localhost/ideas/{b5.id}"],
        [str(b1.id), "Idea B1", "Declined", "Red tape", "Beta", "Beta", "Person B2", "Beta",
         "2026-06-10 11:00", "2026-06-14 11:00", "2026-06-14 11:00", "", "4,0", "4,0", "2",
         "1", "", "", "no", "no", f"http://localhost/ideas/{b1.id}"],
    ]  # fmt: skip


def test_anonymous_author_is_in_no_export(browser, june):
    browser.login(june.people["a2"])
    secret = june.people["a4"].display_name
    bodies = []
    for url in ("/ideas/export.csv", "/ideas/export.xlsx", f"/insights/figures.csv?{JUNE_ARGS}",
                f"/insights/figures.xlsx?{JUNE_ARGS}"):  # fmt: skip
        response = browser.get(url)
        assert response.status_code == 200, url
        bodies.append(response.get_data())
    header, *rows = read_csv(browser.get("/ideas/export.csv"))
    assert len(rows) == len(june.ideas)
    anonymous = next(r for r in rows if r[1] == "Secret idea")
    assert anonymous[6:8] == ["Anonymous", ""]
    named = next(r for r in rows if r[1] == "Idea A1")
    assert named[6:8] == ["Person A3", "Alpha"]  # the positive control
    assert not any(secret in r for r in (";".join(row) for row in rows))
    sheet = read_xlsx(browser.get("/ideas/export.xlsx"))["Ideas"]
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert secret not in values and "Anonymous" in values
    assert not any(secret in str(v) for v in values)
    workbook = read_xlsx(browser.get(f"/insights/figures.xlsx?{JUNE_ARGS}"))
    for ws in workbook.worksheets:
        assert not any(secret in str(v) for row in ws.iter_rows(values_only=True) for v in row)


def test_idea_list_as_xlsx_matches_the_csv(browser, june):
    browser.login(june.people["a2"])
    make_idea(june.people["b2"], department=june.beta, category=june.category, title="=1+1")
    csv_rows = read_csv(browser.get("/ideas/export.csv?sort=new"))
    sheet = read_xlsx(browser.get("/ideas/export.xlsx?sort=new"))["Ideas"]
    xlsx_rows = list(sheet.iter_rows(values_only=True))
    assert len(xlsx_rows) == len(csv_rows) == len(june.ideas) + 2  # header, new idea
    assert list(xlsx_rows[0]) == csv_rows[0]
    # The newest idea first; its title is text in both, never a formula.
    assert csv_rows[1][1] == "'=1+1"
    assert xlsx_rows[1][1] == "=1+1" and sheet.cell(row=2, column=2).data_type == "s"
    for x_row, c_row in zip(xlsx_rows[1:], csv_rows[1:], strict=True):
        assert str(x_row[0]) == c_row[0] and x_row[1] in (c_row[1], c_row[1].lstrip("'"))
    b5 = next(r for r in xlsx_rows if r[1] == "Idea B5")
    # 09:00 UTC is 11:00 in Berlin in June: the export says so in the header.
    assert b5[8].replace(second=0, microsecond=0) == datetime(2026, 6, 2, 11, 0)
    assert b5[12] == pytest.approx(2.0) and b5[13] == pytest.approx(31.0)


def test_a_head_exports_only_the_ideas_of_their_departments(browser, june):
    browser.login(june.people["a1"])  # head of Alpha
    _, *rows = read_csv(browser.get("/ideas/export.csv"))
    assert {r[4] for r in rows} == {"Alpha"} and len(rows) == 7
    _, *rows = read_csv(browser.get(f"/ideas/export.csv?department={june.beta.id}"))
    assert rows == []


class TestALongList:
    @pytest.fixture
    def config_overrides(self):
        return {"INSIGHTS_EXPORT_MAX_ROWS": 3}

    def test_is_cut_with_a_note(self, browser, june):
        browser.login(june.people["a2"])
        header, *rows = read_csv(browser.get("/ideas/export.csv"))
        assert len(rows) == 4
        assert rows[-1][0].startswith("Only the first 3 ideas are exported")
        sheet = read_xlsx(browser.get("/ideas/export.xlsx"))["Ideas"]
        assert sheet.max_row == 5 and str(sheet.cell(row=5, column=1).value).startswith("Only")


def test_dashboard_figures_as_csv(browser, june):
    browser.login(june.people["a2"])
    found = sections(read_csv(browser.get(f"/insights/figures.csv?{JUNE_ARGS}")))
    assert list(found) == [
        "Period", "Ideas by status", "Days from submission", "Trend",
        "SLA compliance (ideas submitted in the period)", "Commitments",
        "Participation (share of active people)",
        "Votes and comments on other departments' ideas", "Estimated hours saved per month",
        "Open ideas with the most votes", "Open ideas waiting longest",
    ]  # fmt: skip
    assert found["Period"][0][3] == "Figures as of (Europe/Berlin)"
    assert found["Period"][1] == ["2026-06-01", "2026-06-30", "All departments", "2026-07-05 14:00"]
    assert dict(found["Ideas by status"][1:]) == {
        "New": "3", "In review": "3", "Needs details": "0", "Accepted": "0", "In progress": "0",
        "Implemented": "2", "Declined": "2", "Duplicate": "0", "Withdrawn": "1",
    }  # fmt: skip
    durations = {(r[0], r[1]): r[2:] for r in found["Days from submission"][1:]}
    assert durations[("First response", "All departments in view")] == ["7", "4,0", "14,0"]
    assert durations[("First response", "Beta")] == ["4", "5,0", "15,8"]
    assert durations[("First response", "Gamma")] == ["0", "", ""]
    assert durations[("Decision", "Alpha")] == ["2", "8,5", "11,3"]
    trend = {(r[0], r[1]): r[2:] for r in found["Trend"][1:]}
    assert trend[("2026-06-01", "First response")] == ["4", "4,0", "8,8"]
    assert trend[("2026-06-15", "First response")] == ["0", "", ""]
    sla = {(r[0], r[1]): r[2:] for r in found["SLA compliance (ideas submitted in the period)"]}
    assert sla[("First response within 7 days", "All departments in view")] == [
        "5", "3", "2", "62,5"]  # fmt: skip
    assert sla[("Decision within 30 days", "Beta")] == ["1", "2", "2", "33,3"]
    promises = {(r[0], r[1]): r[2:] for r in found["Commitments"][1:]}
    assert promises[("Department", "All departments in view")] == [
        "1", "1", "1", "1", "25,0", "3", "2"]  # fmt: skip
    assert promises[("Owner", "Person A1")][4] == "100,0"
    participation = {r[0]: r[1:] for r in found["Participation (share of active people)"][1:]}
    assert participation["Alpha"] == ["6", "83,3", "33,3", "50,0", "0,0"]
    assert participation["Gamma"] == ["", "Too small to show (fewer than 5 people)", "", "", ""]
    assert participation["Smaller departments together"] == ["5", "40,0", "0,0", "20,0", "20,0"]
    assert participation["All departments in view"][0:2] == ["16", "68,8"]
    cross = {r[0]: r[1:] for r in found["Votes and comments on other departments' ideas"][1:]}
    assert cross["Alpha"] == ["6", "75,0", "75,0", ""]
    hours = {r[0]: r[1:] for r in found["Estimated hours saved per month"][1:]}
    assert hours["All departments in view"] == ["3", "60", "1", "4", "65"]
    most = found["Open ideas with the most votes"]
    assert [r[1] for r in most[1:]][:2] == ["Idea A1", "Idea B3"]


def test_dashboard_figures_as_xlsx(browser, june):
    browser.login(june.people["a2"])
    workbook = read_xlsx(browser.get(f"/insights/figures.xlsx?{JUNE_ARGS}"))
    assert workbook.sheetnames == [
        "Period", "Funnel", "Durations", "Trend", "SLA", "Commitments", "Participation",
        "Cross-department", "Hours saved", "Most votes", "Waiting longest",
    ]  # fmt: skip
    durations = list(workbook["Durations"].iter_rows(values_only=True))
    assert durations[0] == ("Step", "Department", "Ideas", "Median days",
                            "90th percentile days")  # fmt: skip
    assert durations[1] == ("First response", "All departments in view", 7, 4.0, 14.0)
    hours = list(workbook["Hours saved"].iter_rows(values_only=True))
    assert hours[1] == ("All departments in view", 3, 60, 1, 4, 65)


def test_exports_follow_the_settings(browser, june):
    settings = db.session.get(OrgSettings, 1)
    settings.first_response_days = 5
    db.session.commit()
    browser.login(june.people["a2"])
    found = sections(read_csv(browser.get(f"/insights/figures.csv?{JUNE_ARGS}")))
    sla = {(r[0], r[1]): r[2:] for r in found["SLA compliance (ideas submitted in the period)"]}
    # Within 5 days: A1 (1), B5 (2), A3 (3), B1 (4); late: B2 (6), B3 (20), and A2, A5, A6
    # still waiting after 5 days; B4 withdrawn.
    assert sla[("First response within 5 days", "All departments in view")] == [
        "4", "5", "1", "44,4"]  # fmt: skip


def test_employees_cannot_export(browser, june):
    browser.login(june.people["a3"])
    for url in ("/ideas/export.csv", "/ideas/export.xlsx", "/insights/figures.csv"):
        assert browser.get(url).status_code == 403


def _listed_ids(browser, query: str) -> list[int]:
    """The ideas the list page shows for a query string, in its order (first page)."""
    html = browser.get(f"/ideas?{query}").get_data(as_text=True)
    return [int(i) for i in re.findall(r'<h2 class="idea-card-title"><a href="/ideas/(\d+)"', html)]


def test_idea_export_finds_what_the_list_search_finds(browser, june):
    people, alpha, beta = june.people, june.alpha, june.beta
    toner = make_idea(people["a3"], department=alpha, title="Toner orders take three weeks")
    secret = make_idea(
        people["a4"],
        department=alpha,
        anonymous=True,
        title="Order toner without a form",
        problem="The toner form is absurd.",
    )
    beta_toner = make_idea(
        people["b2"],
        department=beta,
        title="Printer queue",
        problem="We wait for toner every month.",
    )
    # A match in a comment counts too, as in the list.
    rules.add_comment(june.ideas["B2"], people["b5"], "Same problem with toner here.")
    db.session.commit()
    browser.login(people["a2"])  # leadership
    searched = {toner.id, secret.id, beta_toner.id, june.ideas["B2"].id}
    for query in ("q=toner", "q=toner&sort=new", "q=Toner&sort=top",
                  f"q=toner&department={beta.id}"):  # fmt: skip
        _, *rows = read_csv(browser.get(f"/ideas/export.csv?{query}"))
        exported = [int(r[0]) for r in rows]
        assert exported == _listed_ids(browser, query), query
        if "department" not in query:
            assert set(exported) == searched, query
    assert {int(r[0]) for r in read_csv(browser.get("/ideas/export.csv?q=toner&department="
                                                    f"{beta.id}"))[1:]} == {
        beta_toner.id, june.ideas["B2"].id}  # fmt: skip
    # Newest first when asked: the order is the list's, not the index's.
    _, *rows = read_csv(browser.get("/ideas/export.csv?q=toner&sort=new"))
    assert [int(r[0]) for r in rows] == sorted(searched, reverse=True)
    # The anonymous author stays anonymous in the searched export.
    anonymous = next(r for r in rows if int(r[0]) == secret.id)
    assert anonymous[6:8] == ["Anonymous", ""]
    assert people["a4"].display_name not in ";".join(";".join(r) for r in rows)
    sheet = read_xlsx(browser.get("/ideas/export.xlsx?q=toner&sort=new"))["Ideas"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        int(r[0]) for r in rows]  # fmt: skip
    # Only words too common to search for: the list shows nothing, and so does the export.
    assert read_csv(browser.get("/ideas/export.csv?q=the"))[1:] == []
    assert read_csv(browser.get("/ideas/export.csv?q=nomatchanywhere"))[1:] == []


def test_a_head_exports_only_their_departments_matches(browser, june):
    people = june.people
    mine = make_idea(people["a3"], department=june.alpha, title="Toner for Alpha")
    make_idea(people["b2"], department=june.beta, title="Toner for Beta")
    browser.login(people["a1"])  # head of Alpha
    for query in ("q=toner", "q=toner&sort=new"):
        _, *rows = read_csv(browser.get(f"/ideas/export.csv?{query}"))
        assert [int(r[0]) for r in rows] == [mine.id], query
