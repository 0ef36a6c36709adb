"""The dashboard's figures are worked out once per scope and kept for a few minutes: hits,
expiry, one computation however many read at once, scopes that never mix, exports that say
what the page says."""

import re
import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import event, func, select, update

from suggestions.core.clock import now, travel_to
from suggestions.core.extensions import db
from suggestions.insights import metrics, snapshots
from suggestions.insights.models import FiguresSnapshot
from suggestions.org.queries import org_settings

from ..factories import make_idea
from .dataset import JUNE, NOW, at
from .test_exports import read_csv, sections
from .test_pages import JUNE_ARGS, text_of

_table = FiguresSnapshot.__table__


def june_scope(departments=None):
    ids = None if departments is None else tuple(d.id for d in departments)
    return metrics.scope_for_dates(*JUNE, now(), ids)


def figures(departments=None) -> snapshots.Figures:
    """The figures as a page view asks for them: within a GET request, whose transaction
    only reads (the test's own transaction ended first, as the test client does)."""
    db.session.commit()
    with current_app.test_request_context("/insights"):
        found = snapshots.dashboard_figures(june_scope(departments), org_settings())
    db.session.commit()  # the end of the request, and of its transaction
    return found


class Statements:
    """Counts the SQL statements sent while the block runs."""

    def __enter__(self):
        self.statements = []
        event.listen(db.engine, "before_cursor_execute", self._seen)
        return self

    def _seen(self, _conn, _cursor, statement, *_args):
        if not statement.startswith("BEGIN"):
            self.statements.append(statement)

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._seen)


def submitted(d: metrics.Dashboard) -> int:
    """Ideas submitted in June: 11 in the data set."""
    return d.submitted


def same_figures(found: snapshots.Figures, expected: metrics.Dashboard) -> bool:
    """The same figures (each comes with the scope of its own request)."""
    return replace(found.dashboard, scope=expected.scope) == expected


def test_figures_survive_the_round_trip_through_json_exactly(june):
    d = metrics.dashboard(june_scope(), org_settings())
    again = snapshots.decode(snapshots.encode(d), d.scope)
    assert again == d
    # Keys that are numbers (and None) stay numbers, in their order; floats stay floats.
    assert list(again.departments) == list(d.departments)
    assert again.durations["first_response"].by_department[june.beta.id].p90 == pytest.approx(15.8)
    assert [row[1] for row in again.promises.by_owner] == ["Person A1", "Person A2", "Person B1"]
    assert isinstance(again.most_voted[0].created_at, type(d.most_voted[0].created_at))


def test_a_second_reader_gets_the_kept_figures_without_working_them_out(june):
    first = figures()
    assert not first.cached and first.as_of == pytest.approx(NOW, abs=timedelta(minutes=1))
    with Statements() as sent:
        second = figures()
    assert second.cached and second.as_of == first.as_of
    assert second.dashboard == first.dashboard
    # The kept row is read once; not one of the figures' queries runs.
    assert sum("FROM insights_snapshots" in s for s in sent.statements) == 1
    tables = ("ideas", "votes", "comments", "commitments", "users")
    assert not [s for s in sent.statements if re.search(rf"\b({'|'.join(tables)})\b", s)]
    assert db.session.scalar(select(func.count()).select_from(_table)) == 1


def test_kept_figures_expire_after_the_configured_time(june, app):
    assert app.config["INSIGHTS_CACHE_SECONDS"] == 300
    first = figures()
    with travel_to(at(6, 20)):  # a new idea in June: the funnel grows by one
        make_idea(june.people["a3"], department=june.alpha, category=june.category)
    with travel_to(NOW + timedelta(minutes=4)):
        within = figures()
    assert within.cached and submitted(within.dashboard) == submitted(first.dashboard) == 11
    with travel_to(NOW + timedelta(minutes=6)):
        after = figures()
    assert not after.cached and submitted(after.dashboard) == 12
    assert after.as_of > first.as_of
    with travel_to(NOW + timedelta(minutes=7)):
        assert figures().as_of == after.as_of  # kept again, from the new moment


def test_scopes_are_kept_apart(june):
    everyone = figures()
    alpha = figures([june.alpha])
    beta = figures([june.beta])
    assert not alpha.cached and not beta.cached  # each scope is worked out for itself
    assert set(alpha.dashboard.departments) == {june.alpha.id}
    assert set(beta.dashboard.departments) == {june.beta.id}
    assert submitted(everyone.dashboard) == 11
    assert (submitted(alpha.dashboard), submitted(beta.dashboard)) == (6, 5)
    again = figures([june.alpha])
    assert again.cached and set(again.dashboard.departments) == {june.alpha.id}
    # The key is the set of departments, whatever their order; nothing is shared between
    # the organisation, one department, two, or none.
    settings = org_settings()
    key = snapshots.scope_key
    both = key(june_scope([june.alpha, june.beta]), settings)
    assert both == key(june_scope([june.beta, june.alpha]), settings)
    keys = {key(june_scope(d), settings) for d in (None, [], [june.alpha], [june.beta])}
    assert len(keys | {both}) == 5


def test_settings_the_figures_depend_on_are_part_of_the_key(june):
    assert figures().dashboard.sla.first_response_days == 7
    org_settings().first_response_days = 5
    changed = figures()
    assert not changed.cached and changed.dashboard.sla.first_response_days == 5


def test_a_head_never_sees_figures_kept_for_another_scope(browser, new_browser, june):
    leader = new_browser()
    leader.login(june.people["a2"])
    assert "Beta" in leader.get(f"/insights?{JUNE_ARGS}").get_data(as_text=True)
    leader.get(f"/insights?{JUNE_ARGS}&department={june.beta.id}")  # kept: Beta alone
    browser.login(june.people["a1"])  # head of Alpha
    for url in (f"/insights?{JUNE_ARGS}", f"/insights?{JUNE_ARGS}&department={june.beta.id}"):
        html = browser.get(url).get_data(as_text=True)
        assert "Alpha" in html and "Beta" not in html and "Person B1" not in html, url
        rows = read_csv(browser.get(url.replace("/insights?", "/insights/figures.csv?")))
        assert "Beta" not in ";".join(";".join(row) for row in rows)
    keys = db.session.scalar(select(func.count()).select_from(_table))
    assert keys == 3  # the organisation, Beta, Alpha


def test_one_computation_however_many_read_at_once(app, june, monkeypatch):
    computed = metrics.dashboard(june_scope(), org_settings())
    db.session.commit()
    calls = []
    real = metrics.dashboard

    def slow_dashboard(scope, settings):
        calls.append(scope)
        threading.Event().wait(0.5)  # long enough for every reader to arrive meanwhile
        return computed

    monkeypatch.setattr(metrics, "dashboard", slow_dashboard)
    start = threading.Barrier(8)
    results, errors = [], []
    moment = now()

    def reader():
        try:
            with app.test_request_context("/insights"):
                start.wait()
                scope = metrics.scope_for_dates(*JUNE, moment, None)
                results.append(snapshots.dashboard_figures(scope, org_settings()))
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(calls) == 1
    assert len(results) == 8 and all(same_figures(r, computed) for r in results)
    assert sum(not r.cached for r in results) == 1
    monkeypatch.setattr(metrics, "dashboard", real)


def test_stale_figures_are_shown_while_someone_else_refreshes_them(june, monkeypatch):
    first = figures()
    # Another server took the lease on the refresh a moment ago and is still at it.
    later = NOW + timedelta(minutes=10)
    db.session.execute(update(_table).values(refreshing_until=later + timedelta(seconds=30)))
    db.session.commit()
    monkeypatch.setattr(metrics, "dashboard", _must_not_compute)
    with travel_to(later):
        stale = figures()
    assert stale.cached and stale.as_of == first.as_of
    # A lease that ran out (the server died) is taken over by the next reader.
    monkeypatch.undo()
    with travel_to(later + timedelta(minutes=1)):
        fresh = figures()
    assert not fresh.cached and fresh.as_of > first.as_of


def test_the_very_first_figures_are_waited_for(app, june, monkeypatch):
    computed = metrics.dashboard(june_scope(), org_settings())
    key = snapshots.scope_key(june_scope(), org_settings())
    # Someone else is working out the first figures of this scope.
    db.session.add(FiguresSnapshot(key=key, refreshing_until=now() + timedelta(minutes=1)))
    db.session.commit()
    monkeypatch.setattr(metrics, "dashboard", _must_not_compute)
    moment = now()

    def finish():
        threading.Event().wait(0.3)
        with app.app_context(), db.engine.begin() as conn:
            conn.execute(
                update(_table)
                .where(_table.c.key == key)
                .values(figures=snapshots.encode(computed), computed_at=moment,
                        refreshing_until=None)
            )  # fmt: skip

    other = threading.Thread(target=finish)
    other.start()
    waited = figures()
    other.join()
    assert waited.cached and same_figures(waited, computed)


def test_a_reader_that_waited_in_vain_works_the_figures_out_itself(june, monkeypatch):
    key = snapshots.scope_key(june_scope(), org_settings())
    db.session.add(FiguresSnapshot(key=key, refreshing_until=now() + timedelta(minutes=1)))
    monkeypatch.setattr(snapshots, "WAIT_SECONDS", 0.3)
    result = figures()
    assert not result.cached and submitted(result.dashboard) == 11


def test_a_failed_computation_lets_the_next_reader_try_at_once(june, monkeypatch):
    monkeypatch.setattr(metrics, "dashboard", _must_not_compute)
    with pytest.raises(AssertionError):
        figures()
    monkeypatch.undo()
    assert not figures().cached  # no lease left behind, no waiting


def _must_not_compute(*_args):
    raise AssertionError("the figures were worked out again")


class TestWithoutTheCache:
    @pytest.fixture
    def config_overrides(self):
        return {"INSIGHTS_CACHE_SECONDS": 0}

    def test_every_view_works_the_figures_out(self, browser, june):
        browser.login(june.people["a2"])
        first = browser.get(f"/insights?{JUNE_ARGS}").get_data(as_text=True)
        assert "11 ideas submitted in this period" in text_of(first)
        with travel_to(at(6, 20)):
            make_idea(june.people["a3"], department=june.alpha, category=june.category)
        html = browser.get(f"/insights?{JUNE_ARGS}").get_data(as_text=True)
        assert "12 ideas submitted in this period" in text_of(html)
        assert "worked out again" not in html  # no promise about keeping them
        assert db.session.scalar(select(func.count()).select_from(_table)) == 0


def test_the_page_says_how_fresh_the_figures_are(browser, june):
    browser.login(june.people["a2"])
    html = text_of(browser.get(f"/insights?{JUNE_ARGS}").get_data(as_text=True))
    # 12:00 UTC is 14:00 in Berlin (summer time), the installation's time zone.
    assert "Figures as of 2:00 PM. They are worked out again every 5 minutes at most." in html
    with travel_to(NOW + timedelta(minutes=3)):
        again = text_of(browser.get(f"/insights?{JUNE_ARGS}").get_data(as_text=True))
    assert "Figures as of 2:00 PM." in again  # the kept figures, three minutes later


def test_exports_carry_the_figures_the_page_shows(browser, june):
    browser.login(june.people["a2"])
    page = text_of(browser.get(f"/insights?{JUNE_ARGS}").get_data(as_text=True))
    assert "11 ideas submitted in this period" in page
    with travel_to(at(6, 20)):
        make_idea(june.people["a3"], department=june.alpha, category=june.category)
    with travel_to(NOW + timedelta(minutes=2)):
        found = sections(read_csv(browser.get(f"/insights/figures.csv?{JUNE_ARGS}")))
        workbook_rows = _sheet(browser.get(f"/insights/figures.xlsx?{JUNE_ARGS}"), "Funnel")
    # The figures of the page (and their moment), not a newer count made for the export.
    assert sum(int(n) for _status, n in found["Ideas by status"][1:]) == 11
    # The same moment as the page's "Figures as of 2:00 PM": the organisation's time zone.
    assert found["Period"][1][3] == "2026-07-05 14:00"
    assert sum(n for _status, n in workbook_rows[1:]) == 11
    with travel_to(NOW + timedelta(minutes=6)):  # once they are worked out again: all agree
        page = text_of(browser.get(f"/insights?{JUNE_ARGS}").get_data(as_text=True))
        found = sections(read_csv(browser.get(f"/insights/figures.csv?{JUNE_ARGS}")))
    assert "12 ideas submitted in this period" in page
    assert sum(int(n) for _status, n in found["Ideas by status"][1:]) == 12
    assert re.match(r"2026-07-05 14:0[6-7]", found["Period"][1][3])


def _sheet(response, name):
    from .test_exports import read_xlsx

    return list(read_xlsx(response)[name].iter_rows(values_only=True))


def test_kept_figures_are_drawn_in_each_readers_language(browser, new_browser, june):
    english = new_browser()
    english.login(june.people["a2"])
    assert "Slowest to answer" in english.get(f"/insights?{JUNE_ARGS}").get_data(as_text=True)
    june.people["b1"].language = "de"  # leadership too, reading in German
    june.people["b1"].role = june.people["a2"].role
    browser.login(june.people["b1"])
    html = browser.get(f"/insights?{JUNE_ARGS}").get_data(as_text=True)
    assert "Am langsamsten mit der Antwort" in html and "Slowest to answer" not in html
    # The same kept figures: one row for the scope, as of the same moment.
    assert db.session.scalar(select(func.count()).select_from(_table)) == 1
    again = english.get(f"/insights?{JUNE_ARGS}").get_data(as_text=True)
    assert "Slowest to answer" in again and "Am langsamsten" not in again
