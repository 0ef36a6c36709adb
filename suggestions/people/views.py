"""People pages: the CSV import (upload, preview, confirm), erasing a person, and a person's
download of their own data."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..auth.models import User
from ..core.errors import DomainError
from ..core.extensions import db, limiter
from ..core.signals import data_exported
from ..policy import can, require, requires
from ..web.forms import attempt, refused
from . import bp, erasure, importer, personal_data, uploads
from .forms import ConfirmImportForm, EraseForm, ExportForm, ImportForm


def _max_bytes() -> int:
    return int(current_app.config["PEOPLE_IMPORT_MAX_MB"]) * 1024 * 1024


def _too_large_message() -> str:
    return _("The file is larger than %(mb)d MB. Please split it into smaller files.",
             mb=current_app.config["PEOPLE_IMPORT_MAX_MB"])  # fmt: skip


@bp.url_value_preprocessor
def _upload_limit(endpoint, _values):
    """Runs before any hook reads the body (the CSRF check does): a file larger than the
    limit is refused by its Content-Length, without reading it."""
    if endpoint != "people.import_upload" or request.method != "POST":
        return
    if not can(current_user, "people.import"):
        return  # the view refuses, with the usual limit
    request.max_content_length = _max_bytes()
    if (request.content_length or 0) > _max_bytes():
        form = ImportForm(formdata=None)
        form.form_errors.append(_too_large_message())
        abort(make_response(render_template("people/import.html", form=form), 413))


@bp.get("/admin/people/import")
@requires("people.import")
def import_page():
    return render_template("people/import.html", form=ImportForm())


@bp.post("/admin/people/import")
@requires("people.import")
def import_upload():
    form = ImportForm()
    if form.validate_on_submit():
        try:
            text = importer.decode(form.file.data.read(), form.encoding.data)
            plan = importer.plan_import(
                current_user, text, deactivate_missing=form.deactivate_missing.data
            )
        except DomainError as error:
            # Not ``attempt``: reading a file changes nothing until it is confirmed, and the
            # answer is the preview page itself, not a redirect.
            refused(form, error)
        else:
            if not plan.ok:  # nothing to confirm: nothing kept
                return _preview(plan, None)
            upload = uploads.keep(
                current_user, filename=form.file.data.filename or "", text=text,
                deactivate_missing=form.deactivate_missing.data,
            )  # fmt: skip
            db.session.commit()
            return _preview(plan, upload)
    return render_template("people/import.html", form=form), 422


def _preview(plan: importer.Plan, upload, status: int | None = None):
    confirm = ConfirmImportForm(formdata=None, token=upload.token if upload else "")
    status = status or (200 if plan.ok else 422)
    return render_template(
        "people/preview.html", plan=plan, filename=upload.filename if upload else
        request.files["file"].filename, confirm_form=confirm,
        shown=importer.SHOWN,
    ), status  # fmt: skip


@bp.post("/admin/people/import/confirm")
@requires("people.import")
def import_confirm():
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        upload = uploads.load(current_user, form.token.data)
    except DomainError as error:
        refused(None, error)
        return redirect(url_for("people.import_page"))

    def apply() -> importer.Plan:
        try:
            plan = importer.apply_import(
                current_user, upload.content, deactivate_missing=upload.deactivate_missing
            )
        except IntegrityError:  # a sign-in with one of the new addresses, while it was written
            raise DomainError(
                _("The people changed meanwhile. Please check the preview again.")
            ) from None
        uploads.forget(upload)
        return plan

    done = attempt(
        None, apply, then=url_for("auth.admin_users"),
        done=lambda plan: _("Import done: %(created)d created, %(updated)d updated, "
                            "%(unchanged)d unchanged, %(deactivated)d deactivated.",
                            **plan.counts()),
    )  # fmt: skip
    if done:
        return done
    # The people changed since the preview: show what the file would do now.
    db.session.rollback()
    upload = uploads.load(current_user, form.token.data)
    plan = importer.plan_import(
        current_user, upload.content, deactivate_missing=upload.deactivate_missing
    )
    return _preview(plan, upload, 422)


@bp.get("/admin/people/import/sample.csv")
@requires("people.import")
def import_sample():
    return Response(
        importer.SAMPLE.encode("utf-8-sig"),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="freiraum-people-sample.csv"'},
    )


def _person_or_404(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.get("/admin/users/<int:user_id>/erase")
def erase_page(user_id: int):
    person = _person_or_404(user_id)
    require(current_user, "people.erase", person)
    form = EraseForm()
    try:
        erasure.check_erasable(current_user, person)
    except DomainError as error:
        form.form_errors.append(error.message)
    return render_template("people/erase.html", form=form, person=person)


@bp.post("/admin/users/<int:user_id>/erase")
def erase_person(user_id: int):
    person = _person_or_404(user_id)
    require(current_user, "people.erase", person)
    form = EraseForm()
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: erasure.erase(current_user, person, confirm_email=form.confirm_email.data),
            done=_("The account is erased. Its ideas and comments now show “Former employee”."),
            then=url_for("auth.admin_users"),
        )  # fmt: skip
        if done:
            return done
    return render_template("people/erase.html", form=form, person=person), 422


def _export_limit() -> str:
    return current_app.config["PERSONAL_DATA_EXPORT_LIMIT"]


def _export_key() -> str:
    return f"personal-data:{getattr(current_user, 'id', None)}"


@bp.post("/account/personal-data")
@limiter.limit(_export_limit, key_func=_export_key)
@requires("people.export_own")
def export_own():
    if not ExportForm().validate_on_submit():
        abort(400)
    data = personal_data.export_zip(current_user)
    current_app.logger.info("personal data exported by user %s", current_user.id)
    data_exported.send(current_user, actor=current_user, what="personal-data.zip")
    db.session.commit()  # the audit log keeps the download
    return Response(
        data,
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{personal_data.filename(current_user)}"',
            "Cache-Control": "no-store",
        },
    )
