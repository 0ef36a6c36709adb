"""The decision loop on the web: the idea page's decision panel, every lifecycle action,
triage queues and the public commitments page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.models import User
from ..core.clock import now
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.inputs import bounded_int
from ..core.onetime import first_result, remember
from ..ideas import queries as idea_queries
from ..ideas.models import Idea
from ..ideas.views import render_idea
from ..org.models import Department
from ..org.queries import department_choices, departments, departments_without_head, org_settings
from ..policy import can, require, requires
from ..web.safety import safe_next
from . import bp, breadth, declines, forms, lifecycle, queries, scorecards
from .clocks import clock, preload_pauses
from .labels import VIEW_LABELS


@dataclass(frozen=True)
class Action:
    form: type
    perform: Callable  # (idea, actor, form) -> None
    label: str
    done: str  # flash message after success


def _simple(action: str):
    def perform(idea, actor, form):
        lifecycle.transition(idea, action, actor, form.note.data, revision=form.revision_value())

    return perform


def _accept(idea, actor, form):
    lifecycle.accept(
        idea, actor, owner=db.session.get(User, form.owner.data), promise=form.promise.data,
        due_on=form.due_on.data, estimated_cost=form.estimated_cost.data, note=form.note.data,
        revision=form.revision_value(),
    )  # fmt: skip


def _implement(idea, actor, form):
    lifecycle.implement(
        idea, actor, change_summary=form.change_summary.data,
        implemented_on=form.implemented_on.data, revision=form.revision_value(),
    )  # fmt: skip


def _just_do_it(idea, actor, form):
    lifecycle.just_do_it(
        idea, actor, cost=form.cost.data, change_summary=form.change_summary.data,
        implemented_on=form.implemented_on.data, revision=form.revision_value(),
    )  # fmt: skip


def _decline(idea, actor, form):
    declines.decline(
        idea, actor, reason_id=form.reason.data or None, note=form.note.data,
        change_our_mind=form.change_our_mind.data, revisit_on=form.revisit_on.data,
        revision=form.revision_value(),
    )  # fmt: skip


def _duplicate(idea, actor, form):
    survivor = db.session.get(Idea, form.survivor.data)
    lifecycle.mark_duplicate(idea, actor, survivor, form.note.data, revision=form.revision_value())


def _transfer(idea, actor, form):
    department = db.session.get(Department, form.department.data)
    lifecycle.transfer(idea, actor, department, form.note.data, revision=form.revision_value())


def _estimate(idea, actor, form):
    lifecycle.estimate_cost(
        idea, actor, form.amount.data, form.note.data, revision=form.revision_value()
    )


def _escalate(idea, actor, form):
    lifecycle.escalate(idea, actor, form.note.data, revision=form.revision_value())


def _break(idea, actor, form):
    lifecycle.break_commitment(idea, actor, form.note.data, revision=form.revision_value())


# In the order the panel shows them.
ACTIONS: dict[str, Action] = {
    "acknowledge": Action(forms.NoteForm, _simple("acknowledge"), _l("Start review"),
                          _l("The idea is in review. The author sees it on the timeline.")),
    "ask_info": Action(forms.QuestionForm, _simple("ask_info"), _l("Ask the author for details"),
                       _l("Your question is sent to the author.")),
    "provide_info": Action(forms.AnswerForm, _simple("provide_info"), _l("Answer the question"),
                           _l("Thank you! The idea is back in review.")),
    "estimate_cost": Action(forms.EstimateForm, _estimate, _l("Estimate the cost"),
                            _l("The estimate is recorded.")),
    "accept": Action(forms.AcceptForm, _accept, _l("Accept and commit"),
                     _l("Accepted. The commitment is public now.")),
    "decline": Action(forms.DeclineForm, _decline, _l("Decline"),
                      _l("The idea is declined; the reason is public.")),
    "transfer": Action(forms.TransferForm, _transfer, _l("Hand over to another department"),
                       _l("The idea is handed over.")),
    "escalate": Action(forms.NoteForm, _escalate, _l("Ask leadership to decide"),
                       _l("Leadership decides this idea now.")),
    "mark_duplicate": Action(forms.DuplicateForm, _duplicate, _l("Mark as duplicate"),
                             _l("Marked as duplicate. Votes moved to the idea that stays open.")),
    "reopen": Action(forms.ReasonForm, _simple("reopen"), _l("Reopen"),
                     _l("The idea is open again and waits for a decision.")),
    "start": Action(forms.NoteForm, _simple("start"), _l("Start the work"),
                    _l("The work has started.")),
    "implement": Action(forms.ImplementForm, _implement, _l("Record as implemented"),
                        _l("Implemented! It is listed under “You said, we did”.")),
    "break_commitment": Action(forms.BreakForm, _break, _l("Close the commitment as broken"),
                               _l("The commitment is closed as broken. The idea needs a new "
                                  "decision.")),
    "just_do_it": Action(forms.JustDoItForm, _just_do_it, _l("I did it myself"),
                         _l("You did it! Your change is celebrated under “You said, we did”.")),
    "withdraw": Action(forms.NoteForm, _simple("withdraw"), _l("Withdraw my idea"),
                       _l("Your idea is withdrawn. It stays visible with its history.")),
}  # fmt: skip


def _prepare(name: str, form, idea: Idea, *, fresh: bool):
    """Fill the choices a form needs on this idea, and its defaults when it is ``fresh``."""
    if name == "accept":
        form.owner.choices = [
            (u.id, f"{u.display_name} · {u.department.name}" if u.department else u.display_name)
            for u in lifecycle.commitment_owner_choices()
        ]
        if fresh:
            form.owner.data = current_user.id
            form.estimated_cost.data = idea.estimated_cost
    elif name == "transfer":
        form.department.choices = [(0, _("Choose a department"))] + [
            choice for choice in department_choices() if choice[0] != idea.owning_department_id
        ]
        if fresh:
            form.department.data = 0
    elif name == "decline":
        form.reason.choices = declines.reason_choices(get_locale().language)
    elif name in ("implement", "just_do_it") and fresh:
        form.implemented_on.data = now().date()
    if fresh:
        form.revision.data = str(idea.revision)
    return form


# The one step the panel puts first, per state: the first of these the person may take. The
# other actions follow as plain buttons, or folded under "More actions" when there are many.
PRIMARY_ACTIONS = ("provide_info", "acknowledge", "accept", "implement", "just_do_it",
                   "estimate_cost", "start")  # fmt: skip
INLINE_SECONDARY = 2  # up to this many other actions stay in sight


def decision_panel(idea: Idea, failed: tuple[str, object] | None = None) -> dict:
    """What the idea page shows of the workflow: who decides, the clock, the commitments and
    the actions this person may take (each a form)."""
    names = lifecycle.available_actions(idea, current_user)
    action_forms = {}
    for name in names:
        if failed and failed[0] == name:
            action_forms[name] = failed[1]
        else:
            action_forms[name] = _prepare(
                name, ACTIONS[name].form(prefix=name, formdata=None), idea, fresh=True
            )
    commitments = queries.commitments_of(idea)
    preload_pauses([idea])
    primary = next((name for name in PRIMARY_ACTIONS if name in names), None)
    return {
        "decision": {
            "actions": [(name, ACTIONS[name], action_forms[name]) for name in names],
            "primary": primary,
            "fold_secondary": len(names) - (primary is not None) > INLINE_SECONDARY,
            "failed": failed[0] if failed else None,
            "authority": lifecycle.authority(idea),
            "clock": clock(idea, org_settings()),
            "settings": org_settings(),
            "commitments": commitments,
            "updates": queries.updates_of([c.id for c in commitments]),
            "update_form": forms.CommitmentUpdateForm(prefix="update", formdata=None),
            "duplicate_of": db.session.get(Idea, idea.duplicate_of_id)
            if idea.duplicate_of_id
            else None,
        }
    }


@bp.post("/ideas/<int:idea_id>/<any(" + ", ".join(ACTIONS) + "):action>")
def act(idea_id: int, action: str):
    idea = idea_queries.get_idea_or_404(idea_id)
    spec = ACTIONS[action]
    form = _prepare(action, spec.form(prefix=action), idea, fresh=False)
    offered = action in lifecycle.available_actions(idea, current_user)
    back = redirect(url_for("ideas.show", idea_id=idea_id))
    if form.validate_on_submit():
        if offered and action == "transfer" and not form.is_confirmed():
            # Say where the idea goes before it goes: the form again, naming the department.
            form.confirmed.data = str(form.department.data)
            return render_idea(idea, **decision_panel(idea, failed=(action, form)))
        key = form.form_key.data if hasattr(form, "form_key") else None  # the author's answer
        if repeat := first_result(current_user, key):
            flash(_("You had sent this already: here it is."), "success")
            return redirect(repeat)
        try:
            spec.perform(idea, current_user, form)
        except DomainError as error:
            db.session.rollback()
            if isinstance(error, lifecycle.IdeaChanged) or not offered:
                flash(error.message, "error")  # the page no longer offers this form
                return back
            form.form_errors.append(error.message)
        else:
            remember(current_user, key, url_for("ideas.show", idea_id=idea.id))
            db.session.commit()
            flash(spec.done, "success")
            return redirect(safe_next(url_for("ideas.show", idea_id=idea.id)))
    elif not offered:
        require(current_user, lifecycle.permission_for(action), idea)
        flash(_("This is not possible while the idea is in its current state."), "error")
        return back
    # Show the page again with the form open, its errors beside the fields, nothing lost.
    idea = idea_queries.get_idea_or_404(idea_id)
    return render_idea(idea, status=422, **decision_panel(idea, failed=(action, form)))


@bp.post("/commitments/<int:commitment_id>/updates")
def post_update(commitment_id: int):
    commitment = queries.get_commitment_or_404(commitment_id)
    form = forms.CommitmentUpdateForm(prefix="update")
    if form.validate_on_submit():
        if repeat := first_result(current_user, form.form_key.data):
            flash(_("You had sent this already: here it is."), "success")
            return redirect(repeat)
        try:
            lifecycle.post_commitment_update(commitment, current_user, form.body.data)
        except DomainError as error:
            flash(error.message, "error")
        else:
            at = url_for("ideas.show", idea_id=commitment.idea_id) + "#commitments"
            remember(current_user, form.form_key.data, at)
            db.session.commit()
            flash(_("Your update is posted."), "success")
    else:
        require(current_user, "commitment.update", commitment)
        flash(_("Please write the update."), "error")
    return redirect(url_for("ideas.show", idea_id=commitment.idea_id) + "#commitments")


# -- queues ------------------------------------------------------------------------------------


@bp.get("/queue")
@requires("queue.department")
def department_queue():
    everyone = can(current_user, "queue.leadership")
    own = [d.id for d in current_user.headed_departments]
    chosen = request.args.get("department", type=bounded_int)
    if everyone:
        ids = [chosen] if chosen else [d.id for d in departments()]
        choices = department_choices()
    else:
        ids = [chosen] if chosen in own else own
        choices = [(d.id, d.name) for d in current_user.headed_departments]
    page = queries.department_queue(ids, _page(), _sort())
    preload_pauses(page.items)
    return render_template(
        "workflow/queue.html", page=page, choices=choices, chosen=chosen, kind="department",
        deliveries=queries.delivery_queue(None if everyone else own, current_user),
        settings=org_settings(), page_url=_page_url, sort=_sort(), sort_url=_sort_url,
        scores=scorecards.summaries_for([idea.id for idea in page.items]),
    )  # fmt: skip


@bp.get("/queue/leadership")
@requires("queue.leadership")
def leadership_queue():
    tab = "overdue" if request.args.get("tab") == "overdue" else "decide"
    fetch = queries.overdue_everywhere if tab == "overdue" else queries.leadership_queue
    # Ideas of a department without a head wait here too: say so on their row.
    headless = {d.id for d in departments_without_head()}
    page = fetch(_page(), _sort())
    preload_pauses(page.items)
    return render_template(
        "workflow/queue.html", page=page, kind="leadership", tab=tab,
        settings=org_settings(), page_url=_page_url, headless=headless,
        guarantees=breadth.guarantees_for([idea.id for idea in page.items]), sort=_sort(),
        sort_url=_sort_url,
        scores=scorecards.summaries_for([idea.id for idea in page.items]),
    )  # fmt: skip


def _sort() -> str:
    """Due first (the default), or by the scorecards' average."""
    return "score" if request.args.get("sort") == "score" else "due"


def _sort_url(sort: str) -> str:
    return url_for(request.endpoint, **(request.args.to_dict() | {"sort": sort, "page": 1}))


def _page() -> int:
    return max(1, min(request.args.get("page", 1, type=bounded_int) or 1, 10_000))


def _page_url(number: int) -> str:
    return url_for(request.endpoint, **(request.args.to_dict() | {"page": number}))


# -- public commitments ------------------------------------------------------------------------


@bp.get("/commitments")
def commitments():
    current = queries.CommitmentFilter.from_args(request.args)
    summary = queries.commitment_summary(current)
    return render_template(
        "workflow/commitments.html", current=current, summary=summary,
        page=queries.list_commitments(current, summary), departments=department_choices(),
        owners=queries.owner_choices(), today=now().date(), view_labels=VIEW_LABELS,
    )  # fmt: skip
