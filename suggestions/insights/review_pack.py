"""The leadership review pack: one month on one page (HTML) and in a PDF (WeasyPrint).

What it holds: implemented changes with their effect, red tape removed, commitments kept and
overdue, breaches of the decision clock and of the breadth guarantee, departments that did not
answer in time, and the oldest waiting ideas with the most support. Its figures are frozen as
JSON when the pack is made, so the archive reads the same later. ``send_due_review_packs(now)``
makes last month's pack on the first working day of a month and mails it to leadership
(idempotent).

Never a person's name: ideas by title and department, figures by department.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime, timedelta

import click
from flask import (
    abort,
    current_app,
    flash,
    has_request_context,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from ..auth.models import Role, User
from ..core.clock import now
from ..core.errors import DomainError
from ..core.extensions import db
from ..ideas.models import Idea, IdeaStatus, publicly_visible
from ..ledger import impact
from ..ledger import queries as ledger_queries
from ..ledger.forms import ReviewPackForm
from ..ledger.models import ImpactPlan
from ..org.models import Department
from ..org.queries import org_settings
from ..policy import require, requires
from ..web.templating import locale
from ..workflow import breadth, clocks
from ..workflow.decision_settings import decision_settings
from ..workflow.models import Commitment, CommitmentState
from . import bp, metrics
from .models import ReviewPack

UNANSWERED_STATES = (IdeaStatus.WITHDRAWN, IdeaStatus.DUPLICATE)
LIST_LIMIT = 20


class PdfUnavailable(Exception):
    """WeasyPrint or the system libraries it needs (Pango) are not installed."""


# ---------------------------------------------------------------- months


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def first_working_day(first: date) -> date:
    day = first
    while day.weekday() >= 5:  # Saturday, Sunday
        day += timedelta(days=1)
    return day


def parse_month(text: str) -> date | None:
    try:
        year, month = (int(part) for part in (text or "").strip().split("-"))
        return date(year, month, 1) if 1970 <= year <= 2199 else None
    except (ValueError, TypeError):
        return None


# ---------------------------------------------------------------- the figures


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def build_figures(first: date, at: datetime | None = None) -> dict:
    """Everything the pack shows for the month starting ``first``, as plain JSON values."""
    at = at or now()
    start, end = _moment(first), _moment(next_month(first))
    settings = org_settings()
    scope = metrics.Scope(start=start, end=end, department_ids=None, at=min(at, end))
    names = dict(db.session.execute(select(Department.id, Department.name).limit(10000)).all())
    promises = metrics.commitments(scope).total
    return {
        "month": first.isoformat(),
        "made_at": at.isoformat(timespec="minutes"),
        "implemented": _implemented(first, next_month(first), names),
        "red_tape": asdict(ledger_queries.red_tape_removed(since=start, until=end)),
        "hours": [
            {"department": name, "projected": round(p, 1), "measured": round(m, 1)}
            for name, p, m in impact.hours_by_department(
                until=next_month(first) - timedelta(days=1)
            )
        ],
        "commitments": {
            "kept": promises.kept,
            "kept_late": promises.kept_late,
            "broken": promises.broken,
            "overdue": _overdue_at(end),
        },  # fmt: skip
        "decision_breaches": _decision_breaches(
            start, end, settings.decision_days, names, min(at, end)
        ),
        "breadth_breaches": _breadth_breaches(start, end, at, names),
        "unanswered": _unanswered(start, end, settings.first_response_days, names),
        "waiting": _waiting(end, min(at, end), names),
    }


def _overdue_at(end: datetime) -> int:
    """Promises past their due day and still open when the month ended, however they ended
    since (a pack made later for a past month counts them the same)."""
    return db.session.scalar(
        select(func.count())
        .select_from(Commitment)
        .where(
            Commitment.due_on < end.date(),
            Commitment.created_at < end,
            or_(Commitment.state == CommitmentState.OPEN, Commitment.closed_at >= end),
        )
    )


def _implemented(first: date, after: date, names: dict) -> list[dict]:
    ideas = list(
        db.session.execute(
            select(
                Idea.id,
                Idea.title,
                Idea.owning_department_id,
                Idea.change_summary,
                Idea.implemented_on,
            )  # fmt: skip
            .where(
                Idea.status == IdeaStatus.IMPLEMENTED,
                Idea.implemented_on >= first,
                Idea.implemented_on < after,
                publicly_visible(),
            )  # fmt: skip
            .order_by(Idea.implemented_on, Idea.id)
            .limit(100)
        ).all()
    )
    ids = [row.id for row in ideas]
    projected: dict[int, float] = {}
    if ids:
        saved = func.sum(
            ImpactPlan.baseline_minutes * ImpactPlan.baseline_cases
            - ImpactPlan.target_minutes * ImpactPlan.target_cases
        )
        query = select(ImpactPlan.idea_id, saved).where(ImpactPlan.idea_id.in_(ids))
        projected = {
            i: (s or 0) * 12 / 60 for i, s in db.session.execute(query.group_by(ImpactPlan.idea_id))
        }
    changes: dict[int, list[dict]] = {i: [] for i in ids}
    for change in ledger_queries.changes_for_ideas(ids):
        changes[change.idea_id].append({"item": change.item.title, "kind": change.kind})
    return [
        {
            "id": row.id,
            "title": row.title,
            "department": names.get(row.owning_department_id, "?"),
            "summary": row.change_summary or "",
            "on": row.implemented_on.isoformat(),
            "projected": round(projected[row.id], 1) if row.id in projected else None,
            "changes": changes[row.id],
        }  # fmt: skip
        for row in ideas
    ]


def _decision_breaches(
    start: datetime, end: datetime, days: int, names: dict, at: datetime
) -> dict:
    """Ideas whose decision fell due in the month and came late or not at all. The due date is
    the clock's: from the submission (or the return to the queue on a revisit date), moved by
    the time the idea waited for its author."""
    rows = db.session.execute(
        select(
            Idea.id,
            Idea.title,
            Idea.owning_department_id,
            Idea.created_at,
            Idea.decided_at,
            Idea.status,
        )  # fmt: skip
        .where(
            # A clock never starts before the submission: the index narrows to ideas old
            # enough; one decided before the month cannot have been late in it.
            Idea.created_at < end - timedelta(days=days),
            or_(Idea.decided_at.is_(None), Idea.decided_at >= start),
            Idea.status.not_in(UNANSWERED_STATES),
            Idea.done_by_empowerment.is_(False),
            publicly_visible(),
        )
        .order_by(Idea.created_at, Idea.id)
        .limit(5000)
    ).all()
    dues = clocks.decision_due_dates(((r.id, r.created_at, r.status) for r in rows), days, at)
    late = [
        r
        for r in rows
        if start <= dues[r.id] < end and (r.decided_at is None or r.decided_at > dues[r.id])
    ]
    late.sort(key=lambda r: (dues[r.id], r.id))
    return {
        "count": len(late),
        "ideas": [
            {
                "id": r.id,
                "title": r.title,
                "department": names.get(r.owning_department_id, "?"),
                "decided": r.decided_at is not None,
                "due": dues[r.id].date().isoformat(),
            }  # fmt: skip
            for r in late[:LIST_LIMIT]
        ],
    }


def _breadth_breaches(start: datetime, end: datetime, at: datetime, names: dict) -> dict:
    """Ideas supported broadly enough that leadership owed an answer by a date in the month,
    and answered late or not at all (the breadth guarantee of ``workflow.breadth``)."""
    missed = breadth.breaches_due_between(start, end, at)
    return {
        "count": len(missed),
        "ideas": [
            {
                "id": b.idea_id,
                "title": b.title,
                "department": names.get(b.department_id, "?"),
                "supporters": b.supporters,
                "departments": b.departments,
                "due": b.due_at.date().isoformat(),
                "answered": b.decided_at.date().isoformat() if b.decided_at else None,
            }  # fmt: skip
            for b in missed[:LIST_LIMIT]
        ],
    }


def _unanswered(start: datetime, end: datetime, days: int, names: dict) -> list[dict]:
    """Departments with ideas whose first response fell due in the month and did not come in
    time, with how many. Where only decisions count as a response (decision settings), the
    decision is the response."""
    # Due at created + days: the window is on the indexed creation time; lateness is decided
    # here, since interval arithmetic differs between the databases.
    due = Idea.created_at
    answer = Idea.decided_at if decision_settings().only_decisions_respond else (
        Idea.first_response_at)  # fmt: skip
    rows = db.session.execute(
        select(Idea.owning_department_id, Idea.created_at, answer)
        .where(
            due >= start - timedelta(days=days),
            due < end - timedelta(days=days),
            Idea.status.not_in(UNANSWERED_STATES),
            Idea.done_by_empowerment.is_(False),
            publicly_visible(),
        )  # fmt: skip
        .limit(5000)
    ).all()
    counts: dict[int, int] = {}
    for dept, created, answered in rows:
        if answered is None or answered > created + timedelta(days=days):
            counts[dept] = counts.get(dept, 0) + 1
    return sorted(
        ({"department": names.get(d, "?"), "ideas": n} for d, n in counts.items()),
        key=lambda row: (-row["ideas"], row["department"]),
    )


def _waiting(end: datetime, at: datetime, names: dict) -> list[dict]:
    """The ideas submitted before the month ended and still waiting for a decision, the most
    supported first, the oldest first among equals."""
    rows = db.session.execute(
        select(Idea.id, Idea.title, Idea.vote_count, Idea.created_at, Idea.owning_department_id)
        .where(Idea.status.in_(IdeaStatus.UNDECIDED), Idea.created_at < end, publicly_visible())
        .order_by(Idea.vote_count.desc(), Idea.created_at, Idea.id)
        .limit(10)
    ).all()
    return [
        {
            "id": r.id,
            "title": r.title,
            "votes": r.vote_count,
            "department": names.get(r.owning_department_id, "?"),
            "days": max(0, (at - r.created_at).days),
        }  # fmt: skip
        for r in rows
    ]


# ---------------------------------------------------------------- making, showing, sending


def make_pack(first: date, actor: User | None = None, at: datetime | None = None) -> ReviewPack:
    """Make (or make again) the pack of a past month; the caller commits."""
    at = at or now()
    if first >= month_start(at.date()):
        raise DomainError(_("A review pack covers a month that is over."))
    figures = json.dumps(build_figures(first, at))
    pack = db.session.scalar(select(ReviewPack).where(ReviewPack.month == first))
    if pack is None:
        pack = ReviewPack(month=first)
        db.session.add(pack)
    pack.figures = figures
    pack.made_at = at
    pack.made_by_id = actor.id if actor else None
    return pack


def get_pack_or_404(year: int, month: int) -> ReviewPack:
    if not 1 <= month <= 12 or not 1970 <= year <= 2199:
        abort(404)
    pack = db.session.scalar(select(ReviewPack).where(ReviewPack.month == date(year, month, 1)))
    if pack is None:
        abort(404)
    return pack


def render_pack(pack: ReviewPack, template: str, **extra) -> str:
    figures = json.loads(pack.figures)
    rows = [(r["department"], r["projected"], r["measured"]) for r in figures["hours"]]
    context = dict(pack=pack, f=figures, hours_rows=rows, **extra)
    if not has_request_context():  # the worker mails the PDF: no request, no page context
        return current_app.jinja_env.get_template(template).render(**context)
    return render_template(template, **context)


def render_pdf(pack: ReviewPack, language: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: Pango or its friends are missing
        raise PdfUnavailable(str(error)) from None
    with force_locale(language):
        html = render_pack(pack, "insights/review_pack_pdf.html", language=language)
    return HTML(string=html, base_url=current_app.static_folder).write_pdf()


def pdf_name(pack: ReviewPack) -> str:
    return f"freiraum-review-{pack.month:%Y-%m}.pdf"


def send_due_review_packs(at: datetime | None = None) -> int:
    """On (or after, if the worker missed it) the first working day of a month: make last
    month's pack if nobody has, and mail it to leadership with the PDF attached, once.
    Returns the number of mails put in the outbox."""
    from ..notify import outbox
    from ..notify.mail_content import RenderedMail, absolute_url, render

    at = at or now()
    this_month = month_start(at.date())
    if at.date() < first_working_day(this_month):
        return 0
    first = previous_month(this_month)
    pack = db.session.scalar(select(ReviewPack).where(ReviewPack.month == first))
    if pack is not None and pack.sent_at is not None:
        return 0
    if pack is None:
        pack = make_pack(first, None, at)
        db.session.flush()
    leaders = list(
        db.session.scalars(
            select(User).where(User.role == Role.LEADER, User.active.is_(True)).limit(500)
        )
    )
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    pdfs: dict[str, bytes | None] = {}
    mails = []
    for leader in leaders:
        language = leader.language or default
        if language not in pdfs:
            try:
                pdfs[language] = render_pdf(pack, language)
            except PdfUnavailable:
                current_app.logger.warning(
                    "Review pack mailed without its PDF: WeasyPrint is missing."
                )
                pdfs[language] = None
        link = absolute_url("insights.show_review_pack", year=first.year, month=first.month)
        with force_locale(language):
            subject = _("Freiraum review pack: %(month)s", month=month_label(first))
            reason = _("You get this as a member of leadership.")
        text, html = render(
            "review_pack", language, pack=pack, link=link, month=month_label(first, language),
            has_pdf=bool(pdfs[language]), language=language, title=subject, reason=reason,
            settings_link=absolute_url("notify.settings"),
        )  # fmt: skip
        mails.append(
            RenderedMail(
                recipient=leader.email, language=language, kind="review_pack", subject=subject,
                body_text=text, body_html=html,
                attachment_name=pdf_name(pack) if pdfs[language] else None,
                attachment=pdfs[language],
            )
        )  # fmt: skip
    count = outbox.enqueue_mails(mails)
    pack.sent_at = at
    return count


def iso_day(text: str | None) -> str:
    """A day kept in the frozen figures (ISO) as the reader reads a date."""
    from ..web.templating import format_moment

    return format_moment(date.fromisoformat(text)) if text else ""


def month_label(first: date, language: str | None = None) -> str:
    from flask_babel import format_date

    if language:
        with force_locale(language):
            return format_date(first, "LLLL yyyy")
    return format_date(first, "LLLL yyyy")


def dashboard_section(scope: metrics.Scope) -> tuple[str, dict]:
    """The dashboard's part on measured impact and red tape removed, in the person's view."""
    rows = impact.hours_by_department(scope.department_ids, until=scope.end.date())
    removed = ledger_queries.red_tape_removed(scope.department_ids, scope.start, scope.end)
    return "ledger/_dashboard.html", {"rows": rows, "removed": removed}


# ---------------------------------------------------------------- pages


@bp.route("/insights/review-packs", methods=["GET", "POST"])
@requires("review_pack.view")
def review_packs():
    form = ReviewPackForm()
    if form.validate_on_submit():
        require(current_user, "review_pack.make")
        first = parse_month(form.month.data)
        try:
            if first is None:
                raise DomainError(_("Please enter a month as YYYY-MM, e.g. 2026-11."))
            make_pack(first, current_user)
        except DomainError as error:
            form.month.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The review pack is ready."), "success")
            return redirect(
                url_for("insights.show_review_pack", year=first.year, month=first.month)
            )
    elif not form.is_submitted():
        form.month.data = f"{previous_month(month_start(now().date())):%Y-%m}"
    packs = list(
        db.session.scalars(select(ReviewPack).order_by(ReviewPack.month.desc()).limit(240))
    )
    status = 422 if form.errors else 200
    return render_template("insights/review_packs.html", packs=packs, form=form), status


@bp.get("/insights/review-packs/<int:year>-<int:month>")
@requires("review_pack.view")
def show_review_pack(year: int, month: int):
    pack = get_pack_or_404(year, month)
    return render_pack(pack, "insights/review_pack.html", language=locale())


@bp.get("/insights/review-packs/<int:year>-<int:month>.pdf")
@requires("review_pack.view")
def review_pack_pdf(year: int, month: int):
    pack = get_pack_or_404(year, month)
    try:
        data = render_pdf(pack, locale())
    except PdfUnavailable:
        return render_template("insights/pdf_unavailable.html", pack=pack), 503
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{pdf_name(pack)}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@click.command("send-review-packs")
def send_review_packs() -> None:
    """Mail last month's review pack to leadership, on the first working day (idempotent)."""
    count = send_due_review_packs()
    db.session.commit()
    click.echo(f"Review pack mails queued: {count}.")
