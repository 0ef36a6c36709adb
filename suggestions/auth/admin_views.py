"""Administration of user accounts."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.extensions import db
from ..core.inputs import bounded_int
from ..core.pagination import paginate
from ..org.models import Department
from ..org.queries import department_choices
from ..policy import can, requires
from ..web.forms import ActionForm, attempt, render_form
from ..web.safety import safe_next
from . import accounts, bp, queries
from .forms import ROLE_LABELS, UserForm
from .models import User


def _with_departments(form: UserForm) -> UserForm:
    form.department.choices = [(0, _("— none —"))] + department_choices()
    return form


@bp.get("/admin/users")
@requires("admin.manage")
def admin_users():
    search = (request.args.get("q") or "").strip()[:100]
    # People whose department from the company directory matched none here (to map them).
    unmapped = request.args.get("unmapped") == "1"
    query = queries.accounts(search, unmapped=unmapped)
    page = paginate(query, request.args.get("page", 1, type=bounded_int))
    return render_template(
        "admin/users.html", page=page, search=search, roles=ROLE_LABELS, action_form=ActionForm(),
        unmapped=unmapped,
    )  # fmt: skip


@bp.route("/admin/users/new", methods=["GET", "POST"])
@requires("admin.manage")
def admin_new_user():
    form = _with_departments(UserForm())
    if form.validate_on_submit():
        password = form.password.data or accounts.generate_password()
        done = attempt(
            form,
            lambda: accounts.create_user(
                current_user,
                email=form.email.data,
                display_name=form.display_name.data,
                department=db.session.get(Department, form.department.data),
                role=form.role.data,
                language=form.language.data,
                password=password,
            ),
            done=lambda user: _created(user, None if form.password.data else password),
            then=url_for("auth.admin_users"),
        )
        if done:
            return done
    return render_form("admin/user_form.html", form, user=None)


def _created(user: User, initial_password: str | None) -> str:
    if initial_password is None:
        return _("The account for %(name)s is created.", name=user.display_name)
    return _(
        "The account for %(name)s is created. Initial password: %(password)s",
        name=user.display_name, password=initial_password,
    )  # fmt: skip


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@requires("admin.manage")
def admin_edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = _with_departments(UserForm(obj=user))
    del form.email, form.password  # the address is the login; passwords are the person's own
    if request.method == "GET":
        form.department.data = user.department_id or 0
        form.language.data = user.language or ""
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: accounts.update_user(
                current_user,
                user,
                display_name=form.display_name.data,
                department=db.session.get(Department, form.department.data),
                role=form.role.data,
                language=form.language.data,
            ),
            done=_("The changes are saved."),
            then=url_for("auth.admin_users"),
        )
        if done:
            return done
    may_lead = can(user, "department.lead")  # the hint where heads are chosen
    return render_form("admin/user_form.html", form, user=user, may_lead=may_lead)


@bp.post("/admin/users/<int:user_id>/active")
@requires("admin.manage")
def admin_set_active(user_id: int):
    user = db.get_or_404(User, user_id)
    back = safe_next(url_for("auth.admin_users"))
    if ActionForm().validate_on_submit():
        active = request.form.get("active") == "1"
        if active:
            message = _("%(name)s can sign in again.", name=user.display_name)
        else:
            message = _("%(name)s is deactivated and signed out.", name=user.display_name)
        return attempt(
            None, lambda: accounts.set_active(current_user, user, active), done=message, then=back
        ) or redirect(back)
    return redirect(back)
