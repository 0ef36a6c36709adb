"""Dashboard figures through the API: the dashboard's own numbers, in its scope."""

from __future__ import annotations

from suggestions.workflow import lifecycle

from .. import factories


def test_figures_count_what_the_dashboard_counts(org, api_for):
    for _ in range(3):
        factories.make_idea(org.employee, department=org.service, category=org.red_tape)
    declined = factories.make_idea(org.other_employee, department=org.sales,
                                   category=org.red_tape)  # fmt: skip
    lifecycle.transition(declined, "decline", org.other_head, "Not now.")
    body = api_for(org.leader, "read").get("/insights/figures?range=30").get_json()
    assert body["submitted"] == 4 and body["funnel"]["new"] == 3
    assert body["funnel"]["declined"] == 1
    assert {d["name"] for d in body["departments"]} >= {"Sales", "Customer Service"}
    assert set(body["durations"]) == {"first_response", "decision", "implementation"}
    assert body["participation"]["min_group_size"] >= 1
    head = api_for(org.head, "read").get("/insights/figures").get_json()
    assert head["submitted"] == 3  # only the department Hanna heads
    assert [d["name"] for d in head["departments"]] == ["Customer Service"]


def test_small_groups_are_withheld_and_no_person_is_named(org, api_for):
    factories.make_idea(org.employee, department=org.service, category=org.red_tape,
                        anonymous=True, title="Anonymous one")  # fmt: skip
    response = api_for(org.admin, "read").get("/insights/figures")
    text = response.get_data(as_text=True)
    for person in org.everyone:
        assert person.display_name not in text and person.email not in text
    rows = response.get_json()["participation"]["rows"]
    assert all(row["figures"] is None for row in rows)  # every department here is tiny


def test_a_custom_range_is_checked_with_the_dashboards_messages(org, api_for):
    api = api_for(org.leader, "read")
    bad = api.get("/insights/figures?range=custom&start=2026-05-01&end=2026-04-01")
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert "The last day is before the first day." in bad.get_data(as_text=True)
    good = api.get("/insights/figures?range=custom&start=2026-01-01&end=2026-03-31")
    assert good.status_code == 200
    assert (good.get_json()["start"], good.get_json()["end"]) == ("2026-01-01", "2026-03-31")
