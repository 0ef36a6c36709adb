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

from ..factories import make_department, make_idea, make_user
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
def _november_pdf(browser, leader, language, tmp_path):
    """November's pack made, then opened as a PDF by the leader reading ``language``: the
    response and its text (whitespace folded)."""
    review_pack.make_pack(date(2026, 11, 1))
    leader.language = language
    db.session.commit()
    browser.login(leader)
    response = browser.get("/insights/review-packs/2026-11.pdf")
    assert response.status_code == 200
    return response, " ".join(pdf_text(response.data, tmp_path).split())


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
    response, text = _november_pdf(browser, org.leader, language, tmp_path)
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
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


# -- breaches: the breadth guarantee and the decision clock, by hand ----------------------------


def _broadly_supported(org, title, submitted: datetime, supported: datetime):
    from suggestions.auth.models import Role
    from suggestions.ideas import rules as idea_rules

    with clock.travel_to(submitted):
        idea = make_idea(org.employee, department=org.service, title=title)
    with clock.travel_to(supported):  # four people from three departments
        for department in (org.sales, org.service, org.service, org.third):
            idea_rules.set_vote(idea, make_user(Role.EMPLOYEE, department), True)
        db.session.commit()
    return idea


@pytest.fixture
def breaches(org):
    """November 2026 under a guarantee of 4 supporters from 3 departments (30 days to answer):

    - "Shared printer" broadly supported on 10 October: owed an answer by 9 November, none
      came: a breach of the guarantee, and its decision (due 4 November) is missing too.
    - "Leave requests" supported on 12 October, owed by 11 November, declined on 20 November:
      answered late.
    - "Parking permits" supported on 15 October, declined on 1 November: in time.
    - "Canteen menu" supported on 10 November: owed by 10 December, not this month's.
    - "Badge photos" (not broadly supported) submitted on 1 October, waited 10 days for its
      author: its decision fell due on 10 November, not on 31 October, and is missing.
    """
    from suggestions.workflow import lifecycle
    from suggestions.workflow.decision_settings import save_decision_settings

    org.third = make_department("Logistics")
    save_decision_settings(supporters=4, departments=3, only_decisions=False)
    db.session.commit()
    printer = _broadly_supported(
        org, "Shared printer for all floors", datetime(2026, 10, 5, 9), datetime(2026, 10, 10, 9)
    )
    leave = _broadly_supported(
        org,
        "Fewer signatures on leave requests",
        datetime(2026, 10, 6, 9),
        datetime(2026, 10, 12, 9),
    )
    parking = _broadly_supported(
        org, "Parking permits online", datetime(2026, 10, 7, 9), datetime(2026, 10, 15, 9)
    )
    _broadly_supported(org, "Canteen menu a week ahead",
                       datetime(2026, 11, 2, 9), datetime(2026, 11, 10, 9))  # fmt: skip
    for idea, day in ((leave, datetime(2026, 11, 20, 9)), (parking, datetime(2026, 11, 1, 9))):
        with clock.travel_to(day):
            lifecycle.transition(idea, "decline", org.leader, "Not now.")
            db.session.commit()
    with clock.travel_to(datetime(2026, 10, 1, 9)):
        badge = make_idea(org.employee, department=org.service, title="Badge photos by upload")
    with clock.travel_to(datetime(2026, 10, 3, 9)):
        lifecycle.transition(badge, "ask_info", org.head, "Which badge system?")
        db.session.commit()
    with clock.travel_to(datetime(2026, 10, 13, 9)):
        lifecycle.transition(badge, "provide_info", org.employee, "The new one.")
        db.session.commit()
    return printer, leave, badge


def test_the_pack_lists_the_breadth_guarantees_missed_in_its_month(browser, org, breaches):
    printer, leave, _badge = breaches
    review_pack.make_pack(date(2026, 11, 1))
    db.session.commit()
    figures = json.loads(db.session.scalar(select(ReviewPack.figures)))
    broad = figures["breadth_breaches"]
    assert broad["count"] == 2
    assert [(row["id"], row["due"], row["answered"]) for row in broad["ideas"]] == [
        (printer.id, "2026-11-09", None),
        (leave.id, "2026-11-11", "2026-11-20"),
    ]
    assert (broad["ideas"][0]["supporters"], broad["ideas"][0]["departments"]) == (4, 3)
    assert broad["ideas"][0]["department"] == "Customer Service"
    browser.login(org.leader)
    page = browser.get("/insights/review-packs/2026-11").get_data(as_text=True)
    section = page[page.index('id="breadth-breaches"') :]
    section = section[: section.index("</section>")]
    assert "Shared printer for all floors" in section
    assert "Fewer signatures on leave requests" in section
    assert "Parking permits online" not in section and "Canteen menu" not in section
    assert "4 people, 3 departments" in section and "not yet" in section
    assert "decision due Nov 10, 2026" in page  # "Badge photos", its pause counted
    assert "Erika Employee" not in page


def test_a_decision_falls_due_when_the_clock_says_after_its_pauses(org, breaches):
    printer, _leave, badge = breaches
    november = review_pack.build_figures(date(2026, 11, 1), datetime(2026, 12, 1, 6))
    late = {row["id"]: row for row in november["decision_breaches"]["ideas"]}
    assert late[badge.id]["due"] == "2026-11-10"  # 30 days after 1 October, plus 10 paused
    assert late[printer.id]["due"] == "2026-11-04" and not late[printer.id]["decided"]
    october = review_pack.build_figures(date(2026, 10, 1), datetime(2026, 11, 1, 6))
    assert badge.id not in {row["id"] for row in october["decision_breaches"]["ideas"]}


def test_an_idea_back_on_its_revisit_date_falls_due_from_its_return(org):
    from suggestions.workflow import declines

    declines.add_default_reasons()
    with clock.travel_to(datetime(2026, 7, 1, 9)):
        idea = make_idea(org.employee, department=org.service, title="Archive scans")
    with clock.travel_to(datetime(2026, 7, 20, 9)):
        declines.decline(idea, org.head, reason_id=None, note="Later.",
                         revisit_on=date(2026, 10, 20))  # fmt: skip
        db.session.commit()
    with clock.travel_to(datetime(2026, 10, 20, 5)):
        declines.revisit_due(clock.now())
    november = review_pack.build_figures(date(2026, 11, 1), datetime(2026, 12, 1, 6))
    late = {row["id"]: row["due"] for row in november["decision_breaches"]["ideas"]}
    assert late == {idea.id: "2026-11-19"}


def test_the_pack_leaves_hidden_ideas_and_later_ideas_out(org, november):
    done, waiting = november
    with clock.travel_to(datetime(2026, 12, 2, 9)):
        later = make_idea(org.employee, department=org.sales, title="Submitted in December")
    later.vote_count = 50
    db.session.commit()
    figures = review_pack.build_figures(date(2026, 11, 1), datetime(2026, 12, 3, 9))
    assert [row["id"] for row in figures["waiting"]] == [waiting.id]
    done.hidden_reason = "spam"
    waiting.hidden_reason = "spam"
    db.session.commit()
    figures = review_pack.build_figures(date(2026, 11, 1), datetime(2026, 12, 3, 9))
    assert figures["implemented"] == [] and figures["waiting"] == []


@needs_pdf
@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", ["Breadth guarantee breached", "Shared printer for all floors",
                "Fewer signatures on leave requests", "4 people, 3 departments", "not yet",
                "Nov 9, 2026", "Nov 20, 2026"]),
        ("de", ["Breitengarantie verletzt", "Shared printer for all floors",
                "4 Personen, 3 Abteilungen", "noch nicht", "09.11.2026", "20.11.2026"]),
    ],
)  # fmt: skip
def test_the_pdf_lists_the_missed_breadth_guarantees(
    browser, org, breaches, tmp_path, language, expected
):
    _, text = _november_pdf(browser, org.leader, language, tmp_path)
    for words in expected:
        assert words in text, text[:3000]
    assert "Parking permits online" not in text
    assert "Erika Employee" not in text


def test_overdue_promises_are_counted_as_they_stood_when_the_month_ended(org):
    from decimal import Decimal

    from suggestions.workflow import lifecycle

    def promised(title, due_on):
        with clock.travel_to(datetime(2026, 10, 1, 9)):
            idea = make_idea(org.employee, department=org.service, title=title)
            lifecycle.accept(idea, org.head, owner=org.head, promise="Done by then.",
                             due_on=due_on, estimated_cost=Decimal(100))  # fmt: skip
            db.session.commit()
        return idea

    late = promised("Kept only in December", date(2026, 11, 20))
    promised("Still open", date(2026, 11, 25))
    promised("Due in December", date(2026, 12, 10))
    kept = promised("Kept in time", date(2026, 11, 15))
    with clock.travel_to(datetime(2026, 11, 14, 10)):
        lifecycle.implement(
            kept, org.head, change_summary="Done.", implemented_on=date(2026, 11, 14)
        )
        db.session.commit()
    with clock.travel_to(datetime(2026, 12, 2, 10)):
        lifecycle.implement(
            late, org.head, change_summary="Done.", implemented_on=date(2026, 12, 2)
        )
        db.session.commit()
    figures = review_pack.build_figures(date(2026, 11, 1), datetime(2026, 12, 3, 9))
    # Open past their day at the end of November: the one kept late in December and the one
    # still open; not the one due in December, not the one kept in time.
    assert figures["commitments"]["overdue"] == 2
    assert figures["commitments"]["kept"] == 1 and figures["commitments"]["kept_late"] == 0
