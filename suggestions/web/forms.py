"""The idiom of every state-changing form, written once, and the forms every domain shares.

A route that changes something reads the form, asks the policy, calls one domain function and
then either redirects (success) or shows the form again with the domain's reason beside it
(422, nothing the person typed is lost)::

    @bp.route("/admin/things/<int:thing_id>", methods=["GET", "POST"])
    @requires("admin.manage")
    def edit_thing(thing_id):
        thing = db.get_or_404(Thing, thing_id)
        form = ThingForm(obj=thing)
        if form.validate_on_submit():
            done = attempt(
                form, lambda: rules.save_thing(current_user, thing, name=form.name.data),
                done=_("The thing is saved."), then=url_for("things.list_things"),
            )
            if done:
                return done
        return render_form("things/form.html", form, thing=thing)

``attempt`` runs the call; on ``DomainError`` it puts the message on the form (``field`` names a
field to put it beside, else it is a form-level error) and returns None, so the route falls
through to ``render_form``, which answers 422 because the form now has errors. On success it
commits, flashes ``done`` (a message, or a function of the call's result giving one) and
returns the redirect to ``then`` (a URL, or a function of the result giving one). Pass
``form=None`` for buttons without a page of their own: the refusal is flashed instead, and the
route redirects as it would anyway.

Forms that create something carry a one-time key (``core.onetime``): pass it as ``once`` and a
repeated sending is answered with the first one's result instead of creating it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash, redirect, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from ..core.errors import DomainError
from ..core.extensions import db
from ..core.onetime import first_result, remember

T = TypeVar("T")
LONG_TEXT = 10000


class ActionForm(FlaskForm):
    """A button that changes state: CSRF and an optional note."""

    note = TextAreaField(
        _l("Note (optional)"),
        validators=[Optional(), Length(max=LONG_TEXT, message=_l("This text is too long."))],
    )


def attempt(
    form,
    call: Callable[[], T],
    *,
    done: str | Callable[[T], str] | None,
    then: str | Callable[[T], str],
    field: str | None = None,
    once: str | None = None,
    remembered: Callable[[T], str] | None = None,
) -> Response | None:
    """Run ``call``; the redirect after a commit on success, None after a refusal (see the
    module's docstring). ``remembered`` gives the address a repeat of ``once`` is sent to when
    it differs from ``then``."""
    if once and (repeat := first_result(current_user, once)):
        flash(_("You had sent this already: here it is."), "success")
        return redirect(repeat)
    try:
        result = call()
    except DomainError as error:
        refused(form, error, field)
        return None
    url = then(result) if callable(then) else then
    if once:
        remember(current_user, once, remembered(result) if remembered else url)
    db.session.commit()
    if done:
        flash(done(result) if callable(done) else done, "success")
    return redirect(url)


def refused(form, error: DomainError, field: str | None = None) -> None:
    """Show the domain's reason: beside ``field``, on the form, or flashed without a form."""
    if form is None:
        flash(error.message, "error")
    elif field is not None:
        getattr(form, field).errors.append(error.message)
    else:
        form.form_errors.append(error.message)


def form_status(*forms) -> int:
    """422 when any of the forms has errors (its own or the domain's), else 200."""
    return 422 if any(form is not None and form.errors for form in forms) else 200


def render_form(template: str, form, **context) -> tuple[str, int]:
    """The page with ``form`` (passed to the template as ``form``), 422 when it has errors."""
    return render_template(template, form=form, **context), form_status(form)
