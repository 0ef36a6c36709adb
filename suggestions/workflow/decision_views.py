"""Pages of fair decisions: the admin's settings and decline reasons, scorecards, campaigns
and the decisions dashboard."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..core.errors import DomainError
from ..core.extensions import db
from ..policy import can, require, requires
from . import breadth, declines
from .decision_forms import DecisionSettingsForm, DeclineReasonForm
from .decision_settings import decision_settings, save_decision_settings

bp = Blueprint("decisions", __name__)


# -- administration ----------------------------------------------------------------------------


@bp.route("/admin/decisions", methods=["GET", "POST"])
@requires("decisions.settings")
def admin_settings():
    form = DecisionSettingsForm(obj=decision_settings())
    if form.validate_on_submit():
        try:
            save_decision_settings(
                supporters=form.breadth_supporters.data,
                departments=form.breadth_departments.data,
                only_decisions=form.only_decisions_respond.data,
            )
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The settings are saved."), "success")
            return redirect(url_for("decisions.admin_settings"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "decisions/admin_settings.html", form=form,
        reasons=declines.reasons(include_retired=True),
    ), status  # fmt: skip


@bp.route("/admin/decline-reasons/new", methods=["GET", "POST"], defaults={"reason_id": None})
@bp.route("/admin/decline-reasons/<int:reason_id>", methods=["GET", "POST"])
@requires("decisions.settings")
def edit_reason(reason_id: int | None):
    reason = None
    if reason_id is not None:
        reason = db.session.get(declines.DeclineReason, reason_id) or abort(404)
    form = DeclineReasonForm(obj=reason)
    if form.validate_on_submit():
        try:
            declines.save_reason(
                reason, name_en=form.name_en.data, name_de=form.name_de.data,
                position=form.position.data or 0, active=form.active.data,
            )  # fmt: skip
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The reason is saved."), "success")
            return redirect(url_for("decisions.admin_settings"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("decisions/reason_form.html", form=form, reason=reason), status


# -- the decisions dashboard -------------------------------------------------------------------


@bp.get("/insights/decisions")
@requires("insights.dashboard")
def dashboard():
    # Leadership and admins see every department, a head the departments they lead.
    everywhere = can(current_user, "insights.all_departments")
    scope = None if everywhere else [d.id for d in current_user.headed_departments]
    return render_template(
        "decisions/dashboard.html",
        declines=declines.declines_by_reason(get_locale().language, scope),
        breaches=breadth.breaches_by_department(scope),
        settings=decision_settings(),
    )


# -- scorecards --------------------------------------------------------------------------------


@bp.post("/ideas/<int:idea_id>/scorecard")
def score(idea_id: int):
    from ..ideas.queries import get_idea_or_404
    from ..ideas.views import render_idea
    from . import fair, scorecards
    from .decision_forms import ScorecardForm

    idea = get_idea_or_404(idea_id)
    require(current_user, "idea.score", idea)
    form = ScorecardForm()
    if form.validate_on_submit():
        try:
            scorecards.score(
                idea, current_user, impact=form.impact.data, effort=form.effort.data,
                cost=form.cost.data, risk=form.risk.data, comment=form.comment.data,
            )  # fmt: skip
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Your scorecard is saved."), "success")
            return redirect(url_for("ideas.show", idea_id=idea.id) + "#scorecard")
    return render_idea(idea, status=422, **fair.idea_context(idea, score_form=form))
