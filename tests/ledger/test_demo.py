"""The demo organisation shows the ledger: forms and approvals abolished through ideas, hours
projected against measured, and last month's review pack for the leader."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from suggestions.core.clock import now
from suggestions.core.extensions import db
from suggestions.devtools import demo
from suggestions.insights.review_pack import month_start, previous_month
from suggestions.ledger.models import LedgerItem, Measurement


@pytest.mark.demo
def test_the_demo_has_a_ledger_with_abolished_red_tape_and_measured_hours(app, browser):
    abolished = {
        (i.kind, i.title) for i in db.session.scalars(
            select(LedgerItem).where(LedgerItem.status == "abolished")
        )
    }  # fmt: skip
    assert {kind for kind, _title in abolished} >= {"form", "approval", "report"}
    measurements = db.session.scalars(select(Measurement)).all()
    assert any(m.recorded_at for m in measurements)  # measured
    assert any(m.recorded_at is None for m in measurements)  # and one still to measure

    browser.login(SimpleNamespace(email="leader@freiraum.example"), password=demo.PASSWORD)
    browser.get("/language")  # the leader reads English here
    page = browser.get("/insights").get_data(as_text=True)
    assert "Monthly controlling report" not in page  # figures, not items, on the dashboard
    assert "Finance" in page
    last = previous_month(month_start(now().date()))
    pack = browser.get(f"/insights/review-packs/{last:%Y-%m}")
    assert pack.status_code == 200
    ledger = browser.get("/ledger?status=abolished").get_data(as_text=True)
    assert "Address change by signed letter" in ledger
