"""Status changes of an idea, through the lifecycle state machine."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import DomainError
from ..extensions import db
from ..ideas import queries
from ..ideas.forms import ActionForm
from . import bp, lifecycle


@bp.post("/ideas/<int:idea_id>/withdraw")
def withdraw(idea_id: int):
    idea = queries.get_idea_or_404(idea_id)
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("Please check the note: %(error)s", error="; ".join(form.note.errors)), "error")
    else:
        try:
            lifecycle.transition(idea, "withdraw", current_user, form.note.data)
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Your idea is withdrawn. It stays visible with its history."), "success")
    return redirect(url_for("ideas.show", idea_id=idea.id))
