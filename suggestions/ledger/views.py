"""Pages of the ledger: the list, an item with its ideas and history, maintaining items, the
CSV import, and the idea page's forms for what changed and for measured impact."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.models import User
from ..core.extensions import db
from ..ideas import queries as idea_queries
from ..ideas.views import render_idea
from ..org.models import Department
from ..org.queries import department_choices
from ..policy import can, require, requires
from ..web.forms import attempt, render_form
from . import bp, impact, importing, queries, rules
from .forms import (
    ChangeForm,
    ConfirmImportForm,
    ImportForm,
    ItemForm,
    MeasurementForm,
    PlanForm,
)
from .models import ChangeKind, ItemStatus, LedgerItem, Measurement


def _owner_choices() -> list[tuple[int, str]]:
    query = (
        select(User.id, User.display_name)
        .where(User.active.is_(True))
        .order_by(User.display_name, User.id)
        .limit(2000)
    )
    return [(0, _("Nobody named"))] + [tuple(row) for row in db.session.execute(query)]


def _maintainable_departments() -> list[tuple[int, str]]:
    if can(current_user, "admin.manage"):
        return department_choices()
    return [(d.id, d.name) for d in current_user.headed_departments]


def _item_form(form: ItemForm) -> ItemForm:
    form.department.choices = _maintainable_departments()
    form.owner.choices = _owner_choices()
    return form


def _item_fields(form: ItemForm) -> rules.ItemFields:
    return rules.ItemFields(
        kind=form.kind.data, title=form.title.data, description=form.description.data or "",
        department=db.session.get(Department, form.department.data),
        owner=db.session.get(User, form.owner.data) if form.owner.data else None,
        cases_per_month=form.cases_per_month.data or 0,
        minutes_per_case=form.minutes_per_case.data or 0,
        signatures=form.signatures.data or 0, handoffs=form.handoffs.data or 0,
    )  # fmt: skip


@bp.get("/ledger")
@requires("ledger.view")
def list_items():
    current = queries.ItemFilter.from_args(request.args)
    page = queries.list_items(current)
    return render_template(
        "ledger/list.html", page=page, current=current, departments=department_choices()
    )


@bp.get("/ledger/search")
@requires("ledger.view")
def search():
    """Items matching what is typed: on the idea form an htmx fragment of checkboxes; for
    "merged into" (``merge_q``) radio buttons over every active item but the one changed."""
    if "merge_q" in request.args:
        changed = request.args.get("item", type=int)
        items = [i for i in queries.search(request.args["merge_q"]) if i.id != changed]
        return render_template("ledger/_merge_search.html", items=items)
    chosen = set(request.args.getlist("ledger_items", type=int))
    items = [i for i in queries.search(request.args.get("ledger_q", "")) if i.id not in chosen]
    return render_template("ledger/_search.html", items=items)


@bp.route("/ledger/new", methods=["GET", "POST"])
@requires("ledger.maintain")
def new_item():
    form = _item_form(ItemForm())
    if form.validate_on_submit():
        done = attempt(
            form, lambda: rules.create_item(current_user, _item_fields(form)),
            done=_("The item is in the ledger."),
            then=lambda item: url_for("ledger.show_item", item_id=item.id),
        )  # fmt: skip
        if done:
            return done
    return render_form("ledger/form.html", form, item=None)


@bp.get("/ledger/<int:item_id>")
@requires("ledger.view")
def show_item(item_id: int):
    item = queries.get_item_or_404(item_id)
    return render_template(
        "ledger/show.html", item=item, ideas=queries.ideas_of(item), history=queries.history(item),
        merged_in=queries.merged_into(item),
    )  # fmt: skip


@bp.route("/ledger/<int:item_id>/edit", methods=["GET", "POST"])
def edit_item(item_id: int):
    item = queries.get_item_or_404(item_id)
    require(current_user, "ledger.maintain", item)
    form = _item_form(ItemForm(obj=item if request.method == "GET" else None))
    if request.method == "GET":
        form.department.data, form.owner.data = item.department_id, item.owner_id or 0
    if form.validate_on_submit():
        done = attempt(
            form, lambda: rules.edit_item(item, current_user, _item_fields(form)),
            done=_("Your changes are saved."),
            then=url_for("ledger.show_item", item_id=item.id),
        )  # fmt: skip
        if done:
            return done
    return render_form("ledger/form.html", form, item=item)


@bp.route("/ledger/import", methods=["GET", "POST"])
@requires("ledger.maintain")
def import_items():
    """Upload: read and check the file, then show the preview (nothing is stored yet)."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        text = importing.decode(upload.read(importing.MAX_BYTES + 1)) if upload else None
        if not text:
            form.file.errors = [_("Please choose a CSV file (UTF-8).")]
        else:
            preview = importing.read(text, current_user)
            return render_template(
                "ledger/import_preview.html", preview=preview,
                confirm=ConfirmImportForm(content=text),
            ), 200 if preview.good else 422  # fmt: skip
    return render_form("ledger/import.html", form)


@bp.post("/ledger/import/confirm")
@requires("ledger.maintain")
def confirm_import():
    """Import the good lines of the file shown in the preview (checked again: the ledger may
    have changed since)."""
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash(_("Please upload the file again."), "error")
        return redirect(url_for("ledger.import_items"))
    preview = importing.read(form.content.data, current_user)
    if preview.good:
        done = attempt(
            form, lambda: importing.run(preview, current_user),
            done=lambda count: _("%(n)s items imported; %(bad)s lines skipped.", n=count,
                                 bad=len(preview.bad)),
            then=url_for("ledger.list_items"),
        )  # fmt: skip
        if done:
            return done
    return render_template("ledger/import_preview.html", preview=preview, confirm=form), 422


@bp.post("/ideas/<int:idea_id>/ledger-changes")
def record_change(idea_id: int):
    idea = idea_queries.get_idea_or_404(idea_id)
    require(current_user, "ledger.record_changes", idea)
    form = change_form(idea, ChangeForm())
    if form.validate_on_submit():

        def record():
            merged_into = None
            if form.kind.data == ChangeKind.MERGED:
                merged_into = rules.merge_target(form.merged_into_id())
            change = rules.ChangeFields(
                item=db.session.get(LedgerItem, form.item.data), kind=form.kind.data,
                steps_removed=form.steps_removed.data or 0,
                signatures_removed=form.signatures_removed.data or 0,
                fields_removed=form.fields_removed.data or 0,
                merged_into=merged_into, note=form.note.data,
            )  # fmt: skip
            return rules.record_change(idea, current_user, change)

        done = attempt(
            form, record, done=_("The ledger now shows what this idea changed."),
            then=url_for("ideas.show", idea_id=idea.id) + "#ledger",
        )  # fmt: skip
        if done:
            return done
    return render_idea(idea, status=422, ledger_change_form=form)


@bp.post("/ideas/<int:idea_id>/impact")
def record_plan(idea_id: int):
    idea = idea_queries.get_idea_or_404(idea_id)
    require(current_user, "impact.plan", idea)
    form = plan_form(idea, PlanForm())
    if form.validate_on_submit():
        baseline = impact.Figures(
            form.baseline_minutes.data, form.baseline_cases.data,
            form.baseline_handoffs.data or 0, form.baseline_signatures.data or 0,
        )  # fmt: skip
        target = impact.Figures(
            form.target_minutes.data, form.target_cases.data,
            form.target_handoffs.data or 0, form.target_signatures.data or 0,
        )  # fmt: skip
        item = db.session.get(LedgerItem, form.item.data) if form.item.data else None
        done = attempt(
            form, lambda: impact.record_plan(idea, current_user, baseline, target, item),
            done=_("Baseline and target are recorded."),
            then=url_for("ideas.show", idea_id=idea.id) + "#impact",
        )  # fmt: skip
        if done:
            return done
    return render_idea(idea, status=422, impact_plan_form=form)


@bp.post("/ideas/<int:idea_id>/measurements/<int:measurement_id>")
def record_measurement(idea_id: int, measurement_id: int):
    idea = idea_queries.get_idea_or_404(idea_id)
    measurement = db.session.get(Measurement, measurement_id)
    if measurement is None or measurement.idea_id != idea.id:
        abort(404)
    require(current_user, "impact.measure", measurement)
    form = MeasurementForm(prefix=f"m{measurement.id}")
    if form.validate_on_submit():
        figures = impact.Figures(form.minutes_per_case.data, form.cases_per_month.data,
                                 form.handoffs.data or 0, form.signatures.data or 0)  # fmt: skip
        done = attempt(
            form, lambda: impact.record_measurement(measurement, current_user, figures),
            done=_("Thank you: the measured figures are recorded."),
            then=url_for("ideas.show", idea_id=idea.id) + "#impact",
        )  # fmt: skip
        if done:
            return done
    return render_idea(idea, status=422, measurement_forms={measurement.id: form})


@bp.get("/measurements")
def my_measurements():
    """The person's queue of figures to measure."""
    require(current_user, "ledger.view")
    return render_template(
        "ledger/measurements.html", measurements=impact.open_measurements(current_user)
    )


def change_form(idea, form: ChangeForm) -> ChangeForm:
    items = [i for i in queries.items_of(idea) if i.status == ItemStatus.ACTIVE]
    form.item.choices = [(i.id, i.title) for i in items]
    form.item.id = "ledger-change-item"  # the merge search leaves this item out
    return form


def plan_form(idea, form: PlanForm) -> PlanForm:
    form.item.choices = [(0, _("The idea as a whole"))] + [
        (i.id, i.title) for i in queries.items_of(idea)
    ]
    return form
