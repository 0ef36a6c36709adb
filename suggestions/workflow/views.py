"""The decision loop on the web: the idea page's decision panel, every lifecycle action,
triage queues and the public commitments page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.models import User
from ..core.clock import today
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.inputs import bounded_int
from ..core.onetime import first_result, remember
from ..ideas import queries as idea_queries
from ..ideas.models import Idea
from ..ideas.views import render_idea
from ..org.models import Department
from ..org.queries import (
    department_choices,
    department_choices_within,
    departments,
    departments_without_head,
    org_settings,
    visible_department_ids,
)
from ..policy import can, require, requires
from ..web.forms import attempt, refused
from ..web.safety import safe_next
from . import bp, breadth, declines, forms, lifecycle, queries, scorecards
from .clocks import clock, preload_pauses
from .labels import VIEW_LABELS
from .models import Commitment, CommitmentState


@dataclass(frozen=True)
class ActionPage:
    """An action on the web: the form it asks for and the domain call that performs it; its
    label, message and button style are the lifecycle's (``lifecycle.STEPS``)."""

    form: type
    perform: Callable  # (idea, actor, form) -> None
    step: lifecycle.Step

    @property
    def label(self) -> str:
        return self.step.label

    @property
    def done(self) -> str:  # flash message after success
        return self.step.done

    @property
    def style(self) -> str:
        return self.step.style


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


_A = lifecycle.Action
# The actions that need more than a note, or do more than change the status.
_SPECIAL: dict[lifecycle.Action, tuple[type, Callable | None]] = {
    _A.ASK_INFO: (forms.QuestionForm, None),
    _A.PROVIDE_INFO: (forms.AnswerForm, None),
    _A.ESTIMATE_COST: (forms.EstimateForm, _estimate),
    _A.ACCEPT: (forms.AcceptForm, _accept),
    _A.DECLINE: (forms.DeclineForm, _decline),
    _A.TRANSFER: (forms.TransferForm, _transfer),
    _A.ESCALATE: (forms.NoteForm, _escalate),
    _A.MARK_DUPLICATE: (forms.DuplicateForm, _duplicate),
    _A.IMPLEMENT: (forms.ImplementForm, _implement),
    _A.BREAK_COMMITMENT: (forms.BreakForm, _break),
    _A.JUST_DO_IT: (forms.JustDoItForm, _just_do_it),
}


def _action_page(action: lifecycle.Action, step: lifecycle.Step) -> ActionPage:
    default_form = forms.ReasonForm if step.note_required else forms.NoteForm
    form, perform = _SPECIAL.get(action, (default_form, None))
    return ActionPage(form, perform or _simple(action), step)


# Every action of the lifecycle, in its order.
ACTIONS: dict[str, ActionPage] = {a: _action_page(a, step) for a, step in lifecycle.STEPS.items()}


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
        form.implemented_on.data = today()
    if fresh:
        form.revision.data = str(idea.revision)
    return form


# The panel puts one step first (``lifecycle.primary_action``); the other actions follow as
# plain buttons, or folded under "More actions" when there are many.
INLINE_SECONDARY = 2  # up to this many other actions stay in sight


def decision_panel(
    idea: Idea,
    failed: tuple[str, object] | None = None,
    update_form: forms.CommitmentUpdateForm | None = None,
) -> dict:
    """What the idea page shows of the workflow: who decides, the clock, the commitments and
    the actions this person may take (each a form; ``failed`` and ``update_form``: one sent
    with mistakes, shown again with them)."""
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
    # The update form only for someone who sees it (an open commitment they may update).
    updatable = any(c.state == "open" and can(current_user, "commitment.update", c)
                    for c in commitments)  # fmt: skip
    preload_pauses([idea])
    primary = lifecycle.primary_action(idea, names)
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
            "update_form": update_form
            or (forms.CommitmentUpdateForm(prefix="update", formdata=None) if updatable else None),
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
        # Not ``web.forms.attempt``: a refusal rolls back first, and when the idea changed
        # meanwhile (or no longer offers the action) the page has no such form to show it on.
        try:
            spec.perform(idea, current_user, form)
        except DomainError as error:
            db.session.rollback()
            if isinstance(error, lifecycle.IdeaChanged) or not offered:
                flash(error.message, "error")  # the page no longer offers this form
                return back
            refused(form, error)
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
    commitment = db.get_or_404(Commitment, commitment_id)
    form = forms.CommitmentUpdateForm(prefix="update")
    back = url_for("ideas.show", idea_id=commitment.idea_id) + "#commitments"
    # The idea page has the update form only while the commitment is open: a refusal of a
    # closed one is flashed, any other is shown beside the field.
    shown = form if commitment.state == CommitmentState.OPEN else None
    if form.validate_on_submit():
        done = attempt(
            shown,
            lambda: lifecycle.post_commitment_update(commitment, current_user, form.body.data),
            done=_("Your update is posted."), then=back, once=form.form_key.data, field="body",
        )  # fmt: skip
        if done:
            return done
    require(current_user, "commitment.update", commitment)
    if shown is None:  # closed: the page has no update form to show a mistake on
        return redirect(back)
    # The idea page again with the update's mistakes beside its field, nothing typed lost.
    idea = idea_queries.get_idea_or_404(commitment.idea_id)
    return render_idea(idea, status=422, **decision_panel(idea, update_form=form))


# -- queues ------------------------------------------------------------------------------------


@bp.get("/queue")
@requires("queue.department")
def department_queue():
    allowed = visible_department_ids(current_user, "queue.leadership")
    chosen = request.args.get("department", type=bounded_int)
    if allowed is None:
        ids = [chosen] if chosen else [d.id for d in departments()]
    else:
        ids = [chosen] if chosen in allowed else list(allowed)
    page = queries.department_queue(ids, _page(), _sort())
    preload_pauses(page.items)
    return render_template(
        "workflow/queue.html", page=page, choices=department_choices_within(allowed),
        chosen=chosen, kind="department",
        deliveries=queries.delivery_queue(None if allowed is None else list(allowed), current_user),
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
        owners=queries.owner_choices(), today=today(), view_labels=VIEW_LABELS,
    )  # fmt: skip
