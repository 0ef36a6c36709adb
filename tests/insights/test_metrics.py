"""Every dashboard figure against the hand-built organisation of ``dataset``: the expected
numbers are worked out by hand from the table in its docstring."""

from datetime import date

import pytest

from suggestions.insights import metrics
from suggestions.org.queries import org_settings

from .dataset import JUNE, NOW


def june_scope(org, departments=None):
    ids = None if departments is None else tuple(d.id for d in departments)
    return metrics.scope_for_dates(*JUNE, NOW, ids)


def stat(count, median, p90):
    return (count, pytest.approx(median), pytest.approx(p90))


def as_tuple(s: metrics.Stat):
    return (s.count, s.median, s.p90)


def test_funnel_counts_ideas_submitted_in_the_period_by_status_now(june):
    funnel = metrics.funnel(june_scope(june))
    assert funnel == {
        "new": 3, "in_review": 3, "needs_info": 0, "accepted": 0, "in_progress": 0,
        "implemented": 2, "declined": 2, "duplicate": 0, "withdrawn": 1,
    }  # fmt: skip
    assert list(funnel) == [s.value for s in metrics.FUNNEL_ORDER]


def test_funnel_of_one_department(june):
    funnel = metrics.funnel(june_scope(june, [june.beta]))
    assert {k: v for k, v in funnel.items() if v} == {"in_review": 2, "declined": 2,
                                                      "withdrawn": 1}  # fmt: skip


def test_days_to_first_response_median_and_90th_percentile(june):
    figures = metrics.durations(june_scope(june), "first_response")
    # Answered in June: A1 1, A3 3, A4 10 (submitted in May) | B5 2, B1 4, B2 6, B3 20.
    # Seven values (odd): the median is the 4th; p90 at 0.9 * 6 = 5.4 -> 10 + 0.4 * (20 - 10).
    assert as_tuple(figures.overall) == stat(7, 4.0, 14.0)
    # Alpha, three values: median 3; p90 at 1.8 -> 3 + 0.8 * (10 - 3).
    assert as_tuple(figures.by_department[june.alpha.id]) == stat(3, 3.0, 8.6)
    # Beta, four values (even): median (4 + 6) / 2; p90 at 2.7 -> 6 + 0.7 * (20 - 6).
    assert as_tuple(figures.by_department[june.beta.id]) == stat(4, 5.0, 15.8)
    # Departments with no ideas have no figure at all (the page shows a dash).
    assert june.gamma.id not in figures.by_department
    assert june.delta.id not in figures.by_department


def test_days_to_first_response_by_week(june):
    figures = metrics.durations(june_scope(june), "first_response")
    # June 2026 starts on a Monday. Week of 1 June: A1 1, B5 2, B2 6, A4 10 (4 values);
    # week of 8 June: A3 3, B1 4; week of 22 June: B3 20. Weeks without answers: no entry.
    assert {k: as_tuple(v) for k, v in figures.by_bucket.items()} == {
        "2026-06-01": stat(4, 4.0, 8.8),
        "2026-06-08": stat(2, 3.5, 3.9),
        "2026-06-22": stat(1, 20.0, 20.0),
    }
    assert june_scope(june).buckets() == [
        "2026-06-01", "2026-06-08", "2026-06-15", "2026-06-22", "2026-06-29",
    ]  # fmt: skip


def test_days_to_decision_leave_out_ideas_the_author_did_alone(june):
    figures = metrics.durations(june_scope(june), "decision")
    # Decided in June: A3 5, A4 12, B1 4. E1 (the author did it, decided +1) is not counted,
    # B5 was decided in July.
    assert as_tuple(figures.overall) == stat(3, 5.0, 10.6)
    # Two values: median halfway, p90 at 0.9 -> 5 + 0.9 * 7.
    assert as_tuple(figures.by_department[june.alpha.id]) == stat(2, 8.5, 11.3)
    assert as_tuple(figures.by_department[june.beta.id]) == stat(1, 4.0, 4.0)


def test_days_to_implementation(june):
    figures = metrics.durations(june_scope(june), "implementation")
    # Implemented in June: A3 after 15 days, I2 after 81 (submitted in April). I3 went live
    # in July; E1 was done by its author.
    assert as_tuple(figures.overall) == stat(2, 48.0, 74.4)
    assert as_tuple(figures.by_department[june.beta.id]) == stat(1, 81.0, 81.0)


def test_sla_compliance_of_ideas_submitted_in_the_period(june):
    sla = metrics.sla(june_scope(june), org_settings())
    assert (sla.first_response_days, sla.decision_days) == (7, 30)
    # First response within 7 days. Alpha: A1, A3 on time; A2, A5 still waiting after 7 days;
    # A6 (29 June) not yet due. Beta: B1, B2, B5 on time; B3 answered after 20 days; B4 was
    # withdrawn without needing an answer. E1 and A4 are not in the cohort.
    alpha, beta = june.alpha.id, june.beta.id
    assert _c(sla.response_by_department[alpha]) == (2, 1 + 1, 1, 0.5)
    assert _c(sla.response_by_department[beta]) == (3, 1, 1, 0.75)
    assert _c(sla.response) == (5, 3, 2, 5 / 8)
    # Decision within 30 days, on 5 July. Alpha: A3 on time; A1 and A2 undecided for 33 and
    # 32 days; A5 and A6 not yet due. Beta: B1 on time; B5 decided after 31 days and B2
    # undecided after 34 days are late; B3 (27 days) and B4 (withdrawn) not due.
    assert _c(sla.decision_by_department[alpha]) == (1, 2, 2, 1 / 3)
    assert _c(sla.decision_by_department[beta]) == (1, 2, 2, 1 / 3)
    assert _c(sla.decision) == (2, 4, 4, 1 / 3)
    assert june.gamma.id not in sla.response_by_department


def _c(c: metrics.Compliance):
    return (c.on_time, c.late, c.not_due, pytest.approx(c.rate))


def test_commitments_in_the_period_and_open_now(june):
    promises = metrics.commitments(june_scope(june))
    # Closed in June: C1 kept, C2 kept late, C3 broken. C4 fell due on 25 June and is open.
    # C6 (closed in May) and C8 (closed in July) are outside; C7 fell due in May.
    # Open today: C4, C5, C7; overdue today: C4, C7.
    total = promises.total
    assert _p(total) == (1, 1, 1, 1, 3, 2)
    assert total.kept_on_time_rate == pytest.approx(0.25)
    alpha = promises.by_department[june.alpha.id]
    beta = promises.by_department[june.beta.id]
    assert _p(alpha) == (1, 0, 0, 1, 3, 2) and alpha.kept_on_time_rate == pytest.approx(0.5)
    assert _p(beta) == (0, 1, 1, 0, 0, 0) and beta.kept_on_time_rate == 0.0
    owners = {name: record for _id, name, record in promises.by_owner}
    assert list(owners) == ["Person A1", "Person A2", "Person B1"]
    assert owners["Person A1"].kept_on_time_rate == 1.0  # C1 kept; C5 not due yet
    assert _p(owners["Person A2"]) == (0, 0, 0, 1, 2, 2)
    assert owners["Person B1"].kept_on_time_rate == 0.0


def _p(r: metrics.PromiseRecord):
    return (r.kept, r.kept_late, r.broken, r.fell_due_open, r.open_now, r.overdue_now)


def test_participation_per_department_with_a_minimum_group_size(june):
    grouped = metrics.participation(june_scope(june))
    rows = {row.department_id: row for row in grouped.rows}
    assert list(rows) == [june.alpha.id, june.beta.id, june.delta.id, june.gamma.id]  # by name
    # Alpha, 6 active people (a7 left): a1, a2, a6 voted; a3 and a5 submitted. a4 only
    # submitted anonymously, which is not counted.
    assert _shares(rows[june.alpha.id]) == (6, (5, 6), (2, 6), (3, 6), (0, 6))
    # Beta, 5 people: b1 voted, b2 and b3 submitted, b5 commented, b4 did nothing in June.
    assert _shares(rows[june.beta.id]) == (5, (4, 5), (2, 5), (1, 5), (1, 5))
    # Gamma (2) and Delta (3) are too small to show, but together they are five.
    assert rows[june.gamma.id].figures is None and rows[june.delta.id].figures is None
    assert _shares(grouped.pooled) == (5, (2, 5), (0, 5), (1, 5), (1, 5))
    assert _shares(grouped.total) == (16, (11, 16), (4, 16), (5, 16), (2, 16))
    assert grouped.hidden_departments == 2


def _shares(group: metrics.GroupFigures):
    f = group.figures
    return (group.people, *((f[k].part, f[k].whole) for k in ("any", "submitted", "voted",
                                                               "commented")))  # fmt: skip


def test_a_small_department_is_not_revealed_by_the_total(june):
    grouped = metrics.participation(june_scope(june, [june.alpha, june.gamma]))
    assert [r.department_id for r in grouped.rows] == [june.alpha.id, june.gamma.id]
    assert grouped.rows[1].figures is None
    # Gamma alone is the whole pool: neither the pool nor the total (Alpha + Gamma) is shown.
    assert grouped.pooled is None and grouped.total is None
    only_gamma = metrics.participation(june_scope(june, [june.gamma]))
    assert only_gamma.rows[0].figures is None and only_gamma.total is None


def test_suppression_rules():
    share = {"x": metrics.Share(1, 2)}
    big, small = (6, share), (2, share)
    assert metrics.suppress_small_groups({1: big, 2: big}, 5).total.people == 12
    one_small = metrics.suppress_small_groups({1: big, 2: small}, 5)
    assert one_small.total is None and one_small.pooled is None
    empty = metrics.suppress_small_groups({1: big, 2: (0, {"x": metrics.Share(0, 0)})}, 5)
    assert empty.total.people == 6  # a department with no active people reveals nobody
    assert empty.hidden_departments == 0


def test_cross_department_share_of_votes_and_comments(june):
    grouped = metrics.cross_department(june_scope(june))
    rows = {row.department_id: row for row in grouped.rows}
    # Alpha's people voted 4 times in June (a7 before leaving), 3 times on Beta's ideas.
    alpha = rows[june.alpha.id].figures
    assert _s(alpha["votes"]) == (3, 4) and _s(alpha["comments"]) == (0, 0)
    assert alpha["both"].rate == pytest.approx(0.75)
    # Beta: b1 voted on A1; b5 commented on B1 (own) and A3 (Alpha's).
    beta = rows[june.beta.id].figures
    assert (_s(beta["votes"]), _s(beta["comments"]), _s(beta["both"])) == ((1, 1), (1, 2),
                                                                            (2, 3))  # fmt: skip
    assert rows[june.gamma.id].figures is None
    pooled = grouped.pooled.figures  # d1's two votes, c1's comment
    assert (_s(pooled["votes"]), _s(pooled["comments"])) == ((2, 2), (1, 1))
    assert _s(grouped.total.figures["both"]) == (8, 10)


def _s(share: metrics.Share):
    return (share.part, share.whole)


def test_hours_saved_by_implemented_ideas(june):
    hours = metrics.hours_saved(june_scope(june))
    # Implemented in June: A3 20 h, I2 30 h, E1 10 h (by its author). I3 (5 h) in July.
    assert _h(hours.in_range) == (3, 60, 1, 10)
    assert _h(hours.all_time) == (4, 65, 1, 10)
    assert _h(hours.by_department[june.alpha.id]) == (2, 30, 1, 10)
    assert _h(hours.by_department[june.beta.id]) == (1, 30, 0, 0)


def _h(s: metrics.Savings):
    return (s.ideas, s.hours, s.by_empowerment, s.hours_by_empowerment)


def test_open_ideas_with_most_votes_and_longest_wait(june):
    scope = june_scope(june)
    most = metrics.open_ideas(scope, "votes")
    assert [(i.title, i.votes) for i in most] == [
        ("Idea A1", 3), ("Idea B3", 2), ("Idea B2", 1), ("Idea A6", 0),  # ties: newest first
        ("Secret idea", 0),
    ]  # fmt: skip
    longest = metrics.open_ideas(scope, "wait")
    assert [(i.title, i.days_waiting) for i in longest] == [
        ("Idea B2", 34), ("Idea A1", 33), ("Idea A2", 32), ("Idea B3", 27),
        ("Secret idea", 25),
    ]  # fmt: skip
    assert [i.title for i in metrics.open_ideas(june_scope(june, [june.beta]), "wait")] == [
        "Idea B2", "Idea B3",
    ]  # fmt: skip


def test_an_empty_period_has_no_figures_and_no_errors(june):
    scope = metrics.scope_for_dates(date(2020, 1, 1), date(2020, 3, 31), NOW)
    d = metrics.dashboard(scope, org_settings())
    assert d.submitted == 0 and set(d.funnel.values()) == {0}
    for step in metrics.STEPS:
        assert d.durations[step].overall == metrics.Stat(0, None, None)
        assert d.durations[step].by_department == {} and d.durations[step].by_bucket == {}
    assert d.sla.response.rate is None and d.sla.decision.rate is None
    assert d.promises.total.kept_on_time_rate is None
    assert d.promises.total.open_now == 3  # open today, whatever the period
    assert d.participation.total.figures["any"].rate == 0
    assert d.cross_department.total.figures["both"].rate is None
    assert d.hours.in_range.hours == 0 and d.hours.all_time.hours == 65
    assert len(scope.buckets()) == 14  # weekly up to 120 days: 30 Dec 2019 to 30 Mar 2020


def test_a_department_without_ideas_has_empty_figures(june):
    d = metrics.dashboard(june_scope(june, [june.gamma]), org_settings())
    assert d.departments == {june.gamma.id: "Gamma"}
    assert d.submitted == 0 and d.most_voted == [] and d.longest_waiting == []
    assert d.durations["first_response"].overall.count == 0
    assert d.promises.total.due == 0 and d.hours.all_time.ideas == 0


def test_a_year_is_bucketed_by_month(june):
    scope = metrics.scope_for_days(365, NOW)
    assert scope.unit == "month"
    assert scope.buckets()[0] == "2025-07-01" and scope.buckets()[-1] == "2026-07-01"
    by_month = metrics.durations(scope, "implementation").by_bucket
    # June: A3 15, I2 81; July: I3 after 92 days.
    assert {k: as_tuple(v) for k, v in by_month.items()} == {
        "2026-06-01": stat(2, 48.0, 74.4), "2026-07-01": stat(1, 92.0, 92.0),
    }  # fmt: skip


def test_percentile_cont_interpolates_as_postgresql_does():
    assert metrics.percentile_cont([], 50) is None
    assert metrics.percentile_cont([7.0], 90) == 7.0
    assert metrics.percentile_cont([1.0, 2.0, 3.0], 50) == 2.0  # odd: the middle value
    assert metrics.percentile_cont([1.0, 2.0, 3.0, 10.0], 50) == 2.5  # even: halfway
    # p90 of 1..11 sits exactly on the tenth value; of 1..10 at 8.1 -> 9 + 0.1 * (10 - 9).
    assert metrics.percentile_cont([float(i) for i in range(1, 12)], 90) == 10.0
    assert metrics.percentile_cont([float(i) for i in range(1, 11)], 90) == pytest.approx(9.1)


def test_sqlite_ranks_at_most_a_bounded_number_of_values(june, monkeypatch):
    monkeypatch.setattr(metrics, "MAX_RANKED_VALUES", 3)
    figures = metrics.durations(june_scope(june), "first_response")
    if metrics._dialect() == "postgresql":  # the database ranks them all itself
        assert figures.overall.count == 7 and not figures.capped
    else:  # the three latest answers: B3 20 (28 June), A3 3 (8 June), B1 4 (14 June)
        assert figures.capped and as_tuple(figures.overall) == stat(3, 4.0, 16.8)


def test_an_anonymous_authors_comments_on_their_idea_count_nowhere(june):
    """a4 wrote A5 anonymously; their comments on it would count them in Alpha's
    participation (and a comment on another department's idea as cross-department work),
    which the anonymous idea itself does not."""
    from suggestions.core.clock import travel_to
    from suggestions.core.extensions import db
    from suggestions.ideas import rules

    from .dataset import at

    before = metrics.participation(june_scope(june))
    with travel_to(at(6, 12)):
        rules.add_comment(june.ideas["A5"], june.people["a4"], "The author explains.")
    db.session.commit()
    after = metrics.participation(june_scope(june))
    assert _shares(after.rows[0]) == _shares(before.rows[0]) == (6, (5, 6), (2, 6), (3, 6),
                                                                 (0, 6))  # fmt: skip
    cross = metrics.cross_department(june_scope(june))
    assert _s(cross.rows[0].figures["comments"]) == (0, 0)
