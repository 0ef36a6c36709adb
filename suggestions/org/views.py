"""Administration of departments and categories."""

from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.extensions import db, per_process_warning
from ..policy import requires, who
from ..web.forms import attempt, render_form
from . import bp, rules
from .forms import CategoryForm, DepartmentForm, SettingsForm
from .models import Category, Department
from .queries import categories, departments_with_heads, heads_now, org_settings


def _head_candidates() -> dict:
    """The people who may be made a department's head, by id, in name order."""
    query = who("department.lead")
    query = query.order_by(query.selected_columns.display_name)
    return {u.id: u for u in db.session.scalars(query)}


@bp.get("/admin/departments")
@requires("admin.manage")
def departments():
    found = departments_with_heads()
    without_head = [d for d in found if not heads_now(d)]  # leadership decides their ideas
    return render_template(
        "admin/departments.html", departments=found,
        without_head=without_head, without_head_ids={d.id for d in without_head},
    )  # fmt: skip


@bp.route("/admin/departments/new", methods=["GET", "POST"], defaults={"department_id": None})
@bp.route("/admin/departments/<int:department_id>", methods=["GET", "POST"])
@requires("admin.manage")
def edit_department(department_id: int | None):
    department = None
    if department_id is not None:
        department = db.get_or_404(Department, department_id)
    form = DepartmentForm(obj=department)
    candidates = _head_candidates()
    form.heads.choices = [(u.id, f"{u.display_name} <{u.email}>") for u in candidates.values()]
    if request.method == "GET" and department:
        form.heads.data = [u.id for u in department.heads]
    if form.validate_on_submit():
        heads = [candidates[i] for i in form.heads.data or []]  # the form accepts only these
        done = attempt(
            form,
            lambda: rules.save_department(
                current_user, department, name=form.name.data,
                decision_budget=form.decision_budget.data, heads=heads,
            ),
            done=_("The department is saved."), then=url_for("org.departments"),
        )  # fmt: skip
        if done:
            return done
    return render_form("admin/department_form.html", form, department=department)


@bp.get("/admin/categories")
@requires("admin.manage")
def list_categories():
    return render_template("admin/categories.html", categories=categories(include_retired=True))


@bp.route("/admin/categories/new", methods=["GET", "POST"], defaults={"category_id": None})
@bp.route("/admin/categories/<int:category_id>", methods=["GET", "POST"])
@requires("admin.manage")
def edit_category(category_id: int | None):
    category = None
    if category_id is not None:
        category = db.get_or_404(Category, category_id)
    form = CategoryForm(obj=category)
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: rules.save_category(
                current_user, category, name_en=form.name_en.data, name_de=form.name_de.data,
                position=form.position.data or 0, active=form.active.data,
            ),
            done=_("The category is saved."), then=url_for("org.list_categories"),
        )  # fmt: skip
        if done:
            return done
    return render_form("admin/category_form.html", form, category=category)


@bp.route("/admin/settings", methods=["GET", "POST"])
@requires("admin.manage")
def settings():
    current = org_settings()
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: rules.save_settings(
                current_user,
                first_response_days=form.first_response_days.data,
                decision_days=form.decision_days.data,
                default_decision_budget=form.default_decision_budget.data,
                empowerment_budget=form.empowerment_budget.data,
                currency=form.currency.data,
            ),
            done=_("The settings are saved."),
            then=url_for("org.settings"),
        )
        if done:
            return done
    return render_form(
        "admin/settings.html", form, per_process_limits=per_process_warning(current_app)
    )
