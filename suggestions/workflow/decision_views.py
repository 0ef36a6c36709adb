"""Pages of fair decisions: the admin's settings and decline reasons, scorecards, campaigns
and the decisions dashboard."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..core.extensions import db
from ..policy import can, require, requires
from ..web.forms import attempt, render_form
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
        done = attempt(
            form,
            lambda: save_decision_settings(
                supporters=form.breadth_supporters.data,
                departments=form.breadth_departments.data,
                only_decisions=form.only_decisions_respond.data,
            ),
            done=_("The settings are saved."), then=url_for("decisions.admin_settings"),
        )  # fmt: skip
        if done:
            return done
    return render_form(
        "decisions/admin_settings.html", form, reasons=declines.reasons(include_retired=True)
    )


@bp.route("/admin/decline-reasons/new", methods=["GET", "POST"], defaults={"reason_id": None})
@bp.route("/admin/decline-reasons/<int:reason_id>", methods=["GET", "POST"])
@requires("decisions.settings")
def edit_reason(reason_id: int | None):
    reason = None
    if reason_id is not None:
        reason = db.session.get(declines.DeclineReason, reason_id) or abort(404)
    form = DeclineReasonForm(obj=reason)
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: declines.save_reason(
                reason, name_en=form.name_en.data, name_de=form.name_de.data,
                position=form.position.data or 0, active=form.active.data,
            ),
            done=_("The reason is saved."), then=url_for("decisions.admin_settings"),
        )  # fmt: skip
        if done:
            return done
    return render_form("decisions/reason_form.html", form, reason=reason)


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
        done = attempt(
            form,
            lambda: scorecards.score(
                idea, current_user, impact=form.impact.data, effort=form.effort.data,
                cost=form.cost.data, risk=form.risk.data, comment=form.comment.data,
            ),
            done=_("Your scorecard is saved."),
            then=url_for("ideas.show", idea_id=idea.id) + "#scorecard",
        )  # fmt: skip
        if done:
            return done
        db.session.rollback()  # nothing of the refused scorecard is shown as saved
    return render_idea(idea, status=422, **fair.idea_context(idea, score_form=form))


# -- campaigns ---------------------------------------------------------------------------------


def _campaign_or_404(campaign_id: int):
    from .campaigns import Campaign

    return db.session.get(Campaign, campaign_id) or abort(404)


@bp.get("/campaigns")
@requires("campaign.view")
def campaigns():
    from .campaigns import list_campaigns

    opened, closed = list_campaigns()
    return render_template("decisions/campaigns.html", opened=opened, closed=closed)


@bp.route("/campaigns/new", methods=["GET", "POST"])
@requires("campaign.create")
def new_campaign():
    from ..org.models import Department
    from ..org.queries import department_choices
    from .campaigns import create_campaign
    from .decision_forms import CampaignForm

    form = CampaignForm()
    form.departments.choices = department_choices()
    if form.validate_on_submit():
        chosen = [db.session.get(Department, i) for i in form.departments.data or []]
        done = attempt(
            form,
            lambda: create_campaign(
                current_user, question=form.question.data, deadline=form.deadline.data,
                description=form.description.data, departments=[d for d in chosen if d],
            ),
            done=_("The campaign is open. Everyone asked can answer it now."),
            then=lambda campaign: url_for("decisions.campaign", campaign_id=campaign.id),
        )  # fmt: skip
        if done:
            return done
    return render_form("decisions/campaign_form.html", form)


@bp.get("/campaigns/<int:campaign_id>")
@requires("campaign.view")
def campaign(campaign_id: int):
    from .campaigns import campaign_page

    found = _campaign_or_404(campaign_id)
    return render_template(
        "decisions/campaign.html", campaign=found, page=campaign_page(found),
        may_file=can(current_user, "campaign.file_idea", found),
    )  # fmt: skip


@bp.route("/campaigns/<int:campaign_id>/ideas/new", methods=["GET", "POST"])
def file_idea(campaign_id: int):
    """The idea form, filing the new idea into the campaign."""
    from ..ideas import rules as idea_rules
    from ..ideas.forms import IdeaForm
    from ..ideas.views import _idea_form, _idea_text
    from .campaigns import file_idea as put_into

    found = _campaign_or_404(campaign_id)
    require(current_user, "campaign.file_idea", found)
    form = _idea_form(IdeaForm())
    if request.method == "GET" and current_user.department_id:
        form.owning_department.data = current_user.department_id
    if form.validate_on_submit():

        def submit():
            idea = idea_rules.submit_idea(
                current_user, _idea_text(form), anonymous=form.anonymous.data
            )
            put_into(found, idea, current_user)
            return idea

        done = attempt(
            form, submit, once=form.form_key.data,
            done=_("Thank you! Your idea is filed into the campaign."),
            then=lambda idea: url_for("ideas.show", idea_id=idea.id),
        )  # fmt: skip
        if done:
            return done
        db.session.rollback()  # half a filing (the idea without its campaign) is not kept
    return render_form("ideas/form.html", form, idea=None, campaign=found)
