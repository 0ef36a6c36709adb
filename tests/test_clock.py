"""The one clock: "today" is the organisation's day (Europe/Berlin by default), not the UTC
date, and travelling in time moves one thread's clock only."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from suggestions import create_app
from suggestions.core import clock
from suggestions.core.config import DEFAULTS, ConfigError
from suggestions.core.errors import DomainError
from suggestions.core.extensions import db
from suggestions.notify import reminders
from suggestions.workflow import lifecycle
from suggestions.workflow.models import CommitmentState

from .factories import make_idea

# 00:30 in Berlin on 4 December (winter, UTC+1) is 23:30 UTC on 3 December; in summer
# (UTC+2) 00:30 on 4 July is 22:30 UTC on 3 July.
HALF_PAST_MIDNIGHT_BERLIN = datetime(2026, 12, 3, 23, 30)
SUMMER_HALF_PAST_MIDNIGHT_BERLIN = datetime(2026, 7, 3, 22, 30)


def test_today_is_the_day_in_berlin_not_the_utc_date(app):
    with clock.travel_to(HALF_PAST_MIDNIGHT_BERLIN):
        assert clock.now().date() == date(2026, 12, 3)
        assert clock.today() == date(2026, 12, 4)
    with clock.travel_to(SUMMER_HALF_PAST_MIDNIGHT_BERLIN):
        assert clock.today() == date(2026, 7, 4)
    with clock.travel_to(datetime(2026, 12, 3, 22, 59)):  # 23:59 in Berlin: still the 3rd
        assert clock.today() == date(2026, 12, 3)


@pytest.mark.parametrize("config_overrides", [{"ORG_TIMEZONE": "America/New_York"}])
def test_the_organisations_time_zone_is_a_setting(app):
    with clock.travel_to(datetime(2026, 12, 4, 3, 0)):  # 22:00 on the 3rd in New York
        assert clock.today() == date(2026, 12, 3)
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "America/New_York"  # times shown there too


def test_an_unknown_time_zone_refuses_to_start():
    with pytest.raises(ConfigError, match="ORG_TIMEZONE"):
        create_app({"FREIRAUM_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "ORG_TIMEZONE": "Europe/Atlantis"})  # fmt: skip


def _accepted_due(org, due_on: date):
    idea = make_idea(org.employee, department=org.service)
    commitment = lifecycle.accept(
        idea, org.leader, owner=org.head, promise="We do it.", due_on=due_on
    )
    return idea, commitment


def test_a_commitment_delivered_at_half_past_midnight_after_its_due_date_is_late(org):
    with clock.travel_to(datetime(2026, 12, 1, 12, 0)):
        idea, commitment = _accepted_due(org, date(2026, 12, 3))
    # 00:30 in Berlin on the 4th: the UTC date is still the 3rd, the due date.
    with clock.travel_to(HALF_PAST_MIDNIGHT_BERLIN):
        lifecycle.implement(idea, org.head, change_summary="Done.")
    assert commitment.delivered_on == date(2026, 12, 4)
    assert commitment.state == CommitmentState.KEPT_LATE


def test_a_commitment_delivered_on_its_due_day_in_berlin_is_kept(org):
    with clock.travel_to(datetime(2026, 12, 1, 12, 0)):
        idea, commitment = _accepted_due(org, date(2026, 12, 4))
    with clock.travel_to(HALF_PAST_MIDNIGHT_BERLIN):
        lifecycle.implement(idea, org.head, change_summary="Done.")
    assert commitment.state == CommitmentState.KEPT


def test_the_due_date_check_at_half_past_midnight_uses_the_berlin_date(org):
    with clock.travel_to(HALF_PAST_MIDNIGHT_BERLIN):
        # The UTC date (the 3rd) is yesterday in Berlin: a promise due then is in the past.
        with pytest.raises(DomainError):
            _accepted_due(org, date(2026, 12, 3))
        _idea, commitment = _accepted_due(org, date(2026, 12, 4))  # today is fine
    assert commitment.due_on == date(2026, 12, 4)


def test_a_delivery_day_of_today_in_berlin_is_not_in_the_future(org):
    with clock.travel_to(datetime(2026, 12, 1, 12, 0)):
        idea, commitment = _accepted_due(org, date(2026, 12, 10))
    with clock.travel_to(HALF_PAST_MIDNIGHT_BERLIN):
        lifecycle.implement(
            idea, org.head, change_summary="Done.", implemented_on=date(2026, 12, 4)
        )
    assert commitment.delivered_on == date(2026, 12, 4)


def test_a_reminder_at_half_past_midnight_calls_the_promise_of_yesterday_overdue(org):
    with clock.travel_to(datetime(2026, 12, 1, 12, 0)):
        _idea, commitment = _accepted_due(org, date(2026, 12, 3))
    db.session.flush()
    # 23:30 UTC on the due date is already the next day in Berlin: overdue, not "due soon".
    found = list(reminders.commitments_due(HALF_PAST_MIDNIGHT_BERLIN))
    assert [r.occurrence.kind for r in found] == ["commitment_overdue"]
    assert found[0].key.startswith(f"commitment:{commitment.id}:overdue:")


def test_travel_to_moves_only_the_clock_of_its_own_thread():
    moments = {"first": datetime(2020, 1, 1, 12, 0), "second": datetime(2030, 6, 1, 12, 0)}
    both_inside = threading.Barrier(2, timeout=10)
    first_left = threading.Event()
    seen: dict[str, list[datetime]] = {"first": [], "second": []}

    def travel(name: str) -> None:
        with clock.travel_to(moments[name]):
            both_inside.wait()  # both blocks are open at once
            seen[name].append(clock.now())
            if name == "second":
                first_left.wait(10)  # the other thread's block has ended: ours still holds
                seen[name].append(clock.now())
        if name == "first":
            first_left.set()
        seen[name].append(clock.now())

    threads = [threading.Thread(target=travel, args=(name,)) for name in moments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    close = timedelta(seconds=5)
    *inside, after = seen["first"]
    assert len(inside) == 1 and abs(inside[0] - moments["first"]) < close
    assert abs(after - clock._real_now()) < close
    *inside, after = seen["second"]
    assert len(inside) == 2 and all(abs(moment - moments["second"]) < close for moment in inside)
    assert abs(after - clock._real_now()) < close  # back to real time, not the other's moment
    assert abs(clock.now() - clock._real_now()) < close  # this thread never moved


# Keys Flask and its extensions define themselves; everything else the app reads is ours.
_THEIRS = {"TESTING", "DEBUG", "SERVER_NAME", "APPLICATION_ROOT"}
_READ = re.compile(r"""config(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]+)["']""")


def test_every_config_key_read_is_declared_with_its_default():
    package = Path(__file__).resolve().parent.parent / "suggestions"
    read = {
        key
        for path in package.rglob("*.py")
        for key in _READ.findall(path.read_text(encoding="utf-8"))
    }
    assert read - set(DEFAULTS) - _THEIRS == set()


def test_no_config_fallback_is_repeated_in_code():
    package = Path(__file__).resolve().parent.parent / "suggestions"
    fallback = re.compile(r"""config\.get\(\s*["'][A-Z0-9_]+["']\s*,""")
    found = [
        f"{path.relative_to(package)}: {match.group(0)}"
        for path in package.rglob("*.py")
        for match in fallback.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
