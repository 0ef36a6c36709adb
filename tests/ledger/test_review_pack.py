"""The leadership review pack: made for a past month, kept in the archive, shown as a page and
as a PDF (its text read back with pdftotext), mailed to leadership once a month with the PDF
attached, through the outbox and a real SMTP server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime

import pytest
from sqlalchemy import select

from suggestions.core import clock
from suggestions.core.extensions import db
from suggestions.insights import review_pack
from suggestions.insights.models import ReviewPack
from suggestions.ledger import rules
from suggestions.notify import sending
from suggestions.notify.models import OutboxMessage

from ..factories import make_idea, make_user
from .helpers import implemented, make_item, plan

PDFTOTEXT = shutil.which("pdftotext")


def _weasyprint_missing() -> str | None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        return (
            f"WeasyPrint cannot run here ({error}): pip install weasyprint, "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
        )
    if not PDFTOTEXT:
        return "pdftotext is missing (apt-get install poppler-utils)"
    return None


if _weasyprint_missing() and os.environ.get("REQUIRE_PDF"):
    raise RuntimeError(f"REQUIRE_PDF is set but {_weasyprint_missing()}")
needs_pdf = pytest.mark.skipif(
    _weasyprint_missing() is not None,
    reason=f"PDF tests SKIPPED: {_weasyprint_missing()} (CI installs them)",
)


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "pack.pdf"
    path.write_bytes(data)
    result = subprocess.run([PDFTOTEXT, str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


@pytest.fixture
def november(org):
    """November 2026: the service department abolished a form through an idea (800 hours a
    year projected), one idea waits with three votes, one was not answered in time."""
    form = make_item(org.head, org.service, title="Travel request form B7")
    idea = make_idea(org.employee, department=org.service, category=org.red_tape,
                     title="Drop the travel request form")  # fmt: skip
    rules.link_items(idea, [form.id])
    db.session.commit()
    with clock.travel_to(datetime(2026, 10, 20, 9)):
        idea.status = "in_review"
    implemented(idea, org.head, org.head, date(2026, 11, 10))
    with clock.travel_to(datetime(2026, 11, 10, 11)):
        plan(idea, org.head, (30, 200), (10, 200), form)
        rules.record_change(idea, org.head, rules.ChangeFields(form, "abolished"))
    with clock.travel_to(datetime(2026, 10, 30, 9)):
        waiting = make_idea(org.other_employee, department=org.sales, category=org.red_tape,
                            title="One login for the expense tool")  # fmt: skip
    waiting.vote_count = 3
    db.session.commit()
    return idea, waiting


def test_a_leader_makes_the_pack_of_a_past_month_and_finds_it_in_the_archive(
    browser, org, november
):
    browser.login(org.leader)
    response = browser.post("/insights/review-packs", {"month": "2026-11"})
    assert response.status_code == 302
    assert response.location.endswith("/insights/review-packs/2026-11")
    page = browser.get("/insights/review-packs/2026-11").get_data(as_text=True)
    assert "Drop the travel request form" in page
    assert "One login for the expense tool" in page
    assert "Erika Employee" not in page  # ideas by title and department, never by person
    figures = json.loads(db.session.scalar(select(ReviewPack.figures)))
    assert figures["red_tape"]["forms"] == 1 and figures["red_tape"]["signatures"] == 3
    assert figures["implemented"][0]["projected"] == 800
    assert figures["hours"] == [{"department": "Customer Service", "projected": 800.0,
                                 "measured": 0.0}]  # fmt: skip
    archive = browser.get("/insights/review-packs").get_data(as_text=True)
    assert "/insights/review-packs/2026-11" in archive
    assert browser.get("/insights/review-packs/2026-10").status_code == 404  # none made


def test_a_pack_covers_a_month_that_is_over(browser, org):
    browser.login(org.leader)
    this_month = f"{clock.now():%Y-%m}"
    response = browser.post("/insights/review-packs", {"month": this_month})
    assert response.status_code == 422
    assert "month that is over" in response.get_data(as_text=True)
    assert browser.post("/insights/review-packs", {"month": "November"}).status_code == 422
    assert db.session.scalar(select(ReviewPack.id)) is None


def test_admins_read_packs_but_only_leaders_make_them(browser, org, november):
    review_pack.make_pack(date(2026, 11, 1))
    db.session.commit()
    browser.login(org.admin)
    assert browser.get("/insights/review-packs/2026-11").status_code == 200
    assert browser.post("/insights/review-packs", {"month": "2026-10"}).status_code == 403
    browser.logout()
    browser.login(org.head)
    assert browser.get("/insights/review-packs/2026-11").status_code == 403


@needs_pdf
@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", ["Leadership review pack", "November 2026", "Red tape removed", "Forms removed",
                "Drop the travel request form", "One login for the expense tool"]),
        ("de", ["November 2026", "Bürokratie abgebaut", "Formulare abgeschafft",
                "Drop the travel request form"]),
    ],
)  # fmt: skip
def test_the_pdf_holds_the_pack_in_the_readers_language(
    browser, org, november, tmp_path, language, expected
):
    review_pack.make_pack(date(2026, 11, 1))
    org.leader.language = language
    db.session.commit()
    browser.login(org.leader)
    response = browser.get("/insights/review-packs/2026-11.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    text = " ".join(pdf_text(response.data, tmp_path).split())
    for words in expected:
        assert words in text, text[:2000]
    assert "Erika Employee" not in text


def test_without_weasyprint_the_pdf_route_says_so(browser, org, november, monkeypatch):
    review_pack.make_pack(date(2026, 11, 1))
    db.session.commit()
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as if not installed
    browser.login(org.leader)
    response = browser.get("/insights/review-packs/2026-11.pdf")
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "WeasyPrint" in body and "Traceback" not in body
    assert "/insights/review-packs/2026-11" in body


def test_the_first_working_day_of_a_month():
    assert review_pack.first_working_day(date(2026, 11, 1)) == date(2026, 11, 2)  # a Sunday
    assert review_pack.first_working_day(date(2026, 12, 1)) == date(2026, 12, 1)  # a Tuesday
    assert review_pack.first_working_day(date(2027, 5, 1)) == date(2027, 5, 3)  # a Saturday


@needs_pdf
def test_leadership_gets_last_months_pack_once_with_the_pdf_attached(
    org, november, smtp_server, tmp_path
):
    german_leader = make_user("leader", org.sales, name="Lotte Leiterin", language="de")
    db.session.commit()
    # 1 November 2026 is a Sunday: nothing before the first working day.
    assert review_pack.send_due_review_packs(datetime(2026, 11, 1, 7)) == 0
    # 1 December 2026 is a Tuesday: the first working day.
    assert review_pack.send_due_review_packs(datetime(2026, 12, 1, 6)) == 2
    db.session.commit()
    assert review_pack.send_due_review_packs(datetime(2026, 12, 1, 7)) == 0  # once
    assert review_pack.send_due_review_packs(datetime(2026, 12, 2, 7)) == 0
    db.session.commit()
    pack = db.session.scalars(select(ReviewPack)).one()
    assert pack.month == date(2026, 11, 1) and pack.sent_at is not None
    sending.run_once()
    mails = {
        m["To"]: m for _rcpts, m in smtp_server.received
        if "review pack" in m["Subject"] or "Monatsbericht" in m["Subject"]
    }  # fmt: skip
    assert set(mails) == {org.leader.email, german_leader.email}
    german = mails[german_leader.email]
    assert "Monatsbericht" in german["Subject"]
    attachment = next(part for part in german.iter_attachments())
    assert attachment.get_filename() == "freiraum-review-2026-11.pdf"
    text = pdf_text(attachment.get_content(), tmp_path)
    assert "Bürokratie abgebaut" in " ".join(text.split())
    english = next(mails[org.leader.email].iter_attachments())
    assert "Red tape removed" in " ".join(pdf_text(english.get_content(), tmp_path).split())
    kinds = select(OutboxMessage.status).where(OutboxMessage.kind == "review_pack")
    assert db.session.scalars(kinds).all() == ["sent", "sent"]
