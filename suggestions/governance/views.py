"""Governance on the web: reporting, the moderation queue and its decisions, the moderator
flag, internal notes, the audit log and the privacy page. Routes read the form, call one
domain function and redirect or render."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.models import User
from ..core.database import commit_keeping_loaded
from ..core.extensions import db
from ..core.inputs import bounded_int
from ..ideas import queries as idea_queries
from ..ideas.links import comment_url
from ..ideas.models import Comment, Idea
from ..ideas.views import render_idea
from ..policy import can, require, requires
from ..web.forms import attempt, render_form
from ..web.safety import safe_next
from . import audit, bp, moderation, notes, privacy
from .forms import DecisionForm, HiddenCommentForm, HideForm, NoteForm, ReportForm
from .models import Moderator

KINDS = "any(idea, comment)"


def _load(kind: str, item_id: int) -> tuple[Idea, Comment | None]:
    if kind == "comment":
        comment = db.session.get(Comment, item_id) or abort(404)
        return idea_queries.get_idea_or_404(comment.idea_id), comment
    return idea_queries.get_idea_or_404(item_id), None


def _back(idea: Idea, comment: Comment | None) -> str:
    if comment is not None:
        return comment_url(idea.id, comment.id)
    return url_for("ideas.show", idea_id=idea.id)


# -- the idea page's parts (registered in init_app) ---------------------------------------------


def idea_page_parts(idea: Idea) -> dict:
    parts: dict = {}
    if can(current_user, "note.read", idea):
        parts["internal_notes"] = notes.notes_of(idea)
        parts["note_form"] = NoteForm(prefix="note")
    return parts


# -- reporting ----------------------------------------------------------------------------------


@bp.route("/ideas/<int:idea_id>/report", methods=["GET", "POST"], defaults={"comment_id": None})
@bp.route("/ideas/<int:idea_id>/comments/<int:comment_id>/report", methods=["GET", "POST"])
def report(idea_id: int, comment_id: int | None):
    idea = idea_queries.get_idea_or_404(idea_id)
    comment = idea_queries.get_comment_or_404(idea, comment_id) if comment_id else None
    require(current_user, "moderation.report", comment or idea)
    form = ReportForm()
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: moderation.report(current_user, idea, comment, form.reason.data,
                                      form.text.data),
            done=_("Thank you. Moderation will look at it."), then=_back(idea, comment),
        )  # fmt: skip
        if done:
            return done
    return render_form("governance/report.html", form, idea=idea, comment=comment)


# -- the queue and its decisions ----------------------------------------------------------------


@bp.get("/moderation")
@requires("moderation.queue")
def queue():
    return render_template("governance/queue.html", items=moderation.queue())


@bp.get(f"/moderation/<{KINDS}:kind>/<int:item_id>")
@requires("moderation.queue")
def item(kind: str, item_id: int):
    idea, comment = _load(kind, item_id)
    return _item_page(idea, comment, HideForm())


def _item_page(idea, comment, hide_form, status: int = 200):
    key = moderation.target_key(idea, comment)
    return render_template(
        "governance/item.html", idea=idea, comment=comment, kind="comment" if comment else "idea",
        record=moderation.record_of(key), hide_form=hide_form, decision_form=DecisionForm(),
    ), status  # fmt: skip


@bp.post(f"/moderation/<{KINDS}:kind>/<int:item_id>/hide")
@requires("moderation.decide")
def hide(kind: str, item_id: int):
    idea, comment = _load(kind, item_id)
    form = HideForm()
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: moderation.hide(current_user, idea, comment, form.reason.data, form.note.data),
            done=_("Hidden. The author is told and may ask for a review."),
            then=url_for("governance.queue"),
        )  # fmt: skip
        if done:
            return done
    return _item_page(idea, comment, form, 422)


def _decide(kind: str, item_id: int, act, done: str):
    idea, comment = _load(kind, item_id)
    form = DecisionForm()
    back = url_for("governance.item", kind=kind, item_id=item_id)
    if form.validate_on_submit():
        answer = attempt(
            None, lambda: act(current_user, idea, comment, form.note.data), done=done, then=back
        )
        if answer:
            return answer
        db.session.rollback()  # the refusal is flashed; nothing of the step is kept
        return _item_page(idea, comment, HideForm(), 422)
    return redirect(back)


@bp.post(f"/moderation/<{KINDS}:kind>/<int:item_id>/show")
@requires("moderation.decide")
def show(kind: str, item_id: int):
    return _decide(kind, item_id, moderation.show, _("Shown again."))


@bp.post(f"/moderation/<{KINDS}:kind>/<int:item_id>/dismiss")
@requires("moderation.decide")
def dismiss(kind: str, item_id: int):
    return _decide(kind, item_id, moderation.dismiss, _("The reports are closed."))


@bp.post(f"/moderation/<{KINDS}:kind>/<int:item_id>/review")
def ask_review(kind: str, item_id: int):
    idea, comment = _load(kind, item_id)
    require(current_user, "moderation.ask_review", comment or idea)
    if DecisionForm().validate_on_submit():
        done = attempt(
            None,
            lambda: moderation.ask_review(current_user, idea, comment,
                                          request.form.get("note", "")),
            done=_("Moderation will look at it again."), then=_back(idea, comment),
        )  # fmt: skip
        if done:
            return done
    return redirect(_back(idea, comment))


@bp.route("/moderation/comment/<int:item_id>/edit", methods=["GET", "POST"])
def edit_hidden_comment(item_id: int):
    idea, comment = _load("comment", item_id)
    require(current_user, "moderation.ask_review", comment)
    form = HiddenCommentForm(obj=comment if request.method == "GET" else None)
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: moderation.edit_hidden_comment(current_user, idea, comment, form.body.data),
            field="body",
            done=_("Your comment is changed. Ask moderation to look again when ready."),
            then=_back(idea, comment),
        )  # fmt: skip
        if done:
            return done
    return render_form("governance/edit_comment.html", form, idea=idea, comment=comment)


@bp.post("/admin/users/<int:user_id>/moderator")
@requires("moderation.grant")
def set_moderator(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    back = safe_next(url_for("auth.admin_edit_user", user_id=user.id))
    if DecisionForm().validate_on_submit():
        grant = request.form.get("moderator") == "1"

        def set_flag() -> None:
            flag = db.session.get(Moderator, user.id)
            if grant and flag is None:
                moderation.grant(current_user, user)
            elif not grant and flag is not None:
                moderation.revoke(current_user, user, flag)

        done = attempt(
            None, set_flag, then=back,
            done=_("%(name)s is a moderator.", name=user.display_name) if grant
            else _("%(name)s is no longer a moderator.", name=user.display_name),
        )  # fmt: skip
        if done:
            return done
    return redirect(back)


# -- internal notes -----------------------------------------------------------------------------


@bp.post("/ideas/<int:idea_id>/notes")
def write_note(idea_id: int):
    idea = idea_queries.get_idea_or_404(idea_id)
    require(current_user, "note.write", idea)
    form = NoteForm(prefix="note")
    if form.validate_on_submit():
        written = []
        done = attempt(
            form, lambda: written.append(notes.write_note(current_user, idea, form.body.data)),
            field="body", done=_("The internal note is saved."),
            then=url_for("ideas.show", idea_id=idea.id) + "#internal-notes",
        )  # fmt: skip
        if done:
            for person in written[0].notified:
                flash(_("%(name)s is told.", name=person.display_name), "success")
            for person in written[0].not_notified:
                flash(_("%(name)s cannot see internal notes, not notified.",
                        name=person.display_name), "warning")  # fmt: skip
            return done
    return render_idea(idea, note_form=form, status=422)


@bp.get("/ideas/<int:idea_id>/notes/people")
def mention_suggestions(idea_id: int):
    idea = idea_queries.get_idea_or_404(idea_id)
    require(current_user, "note.read", idea)
    typed = request.args.get("q") or request.args.get("note-body") or ""
    # What follows the last "@" (the textarea sends its whole text while one types).
    fragment = typed.rsplit("@", 1)[-1] if "@" in typed else ""
    people = notes.suggest(idea, fragment if "\n" not in fragment else "")
    return render_template("governance/_mention_list.html", people=people)


# -- the audit log ------------------------------------------------------------------------------


def _audit_filter() -> audit.AuditFilter:
    """Read leniently: a value that makes no sense is ignored (never an error, never a write)."""
    args = request.args
    target = (args.get("target") or "").strip()
    target_kind, _sep, target_id = target.partition(":")
    return audit.AuditFilter(
        actor_id=args.get("actor", type=bounded_int),
        kind=(args.get("kind") or "").strip()[:64] or None,
        target_kind=target_kind[:32] or None,
        target_id=bounded_int(target_id) if target_id.isdigit() else None,
        start=_day(args.get("start")),
        end=_day(args.get("end")),
    )


def _day(value: str | None) -> date | None:
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    # The calendar's ends are no period to look in (and a day after the last one overflows).
    return day if day and 1900 <= day.year <= 9000 else None


@bp.get("/admin/audit")
@requires("audit.read")
def audit_log():
    f = _audit_filter()
    found = audit.page(f, (request.args.get("before") or "")[:40])
    return render_template(
        "governance/audit.html", page=found, f=f, kinds=audit.kind_choices(),
        retention_days=audit.retention_days(),
        actor_name=lambda e: audit.actor_name(e, found.actors),
        args={k: v for k, v in request.args.items() if k != "before" and v},
    )  # fmt: skip


@bp.get("/admin/audit.csv")
@requires("audit.read")
def audit_export():
    from ..core.clock import now
    from .csvfile import csv_response

    f = _audit_filter()
    audit.record("audit.exported", current_user, None, after={"filter": request.args.to_dict()})
    commit_keeping_loaded()  # the streamed rows still read the person (their language)
    return csv_response(f"freiraum-audit-{now():%Y-%m-%d}.csv", audit.export_rows(f))


# -- the privacy page ---------------------------------------------------------------------------


@bp.get("/privacy")
def privacy_page():
    return render_template("governance/privacy.html", facts=privacy.facts())
