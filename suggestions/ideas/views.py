"""Pages for ideas: list, submit, read, edit, vote and comment."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..core.database import commit_keeping_loaded
from ..core.extensions import db
from ..core.inputs import bounded_int
from ..core.registry import contributions
from ..org.models import Category, Department
from ..org.queries import category_choices, department_choices
from ..policy import can, require
from ..web.forms import attempt, render_form
from ..web.safety import is_htmx, safe_next
from . import bp, queries, rules, search
from .forms import ActionForm, CommentForm, IdeaForm
from .links import comment_url
from .list_filters import kept_filters
from .models import Idea
from .vote_button import kept_vote_button


@bp.get("/")
def index():
    return redirect(url_for("ideas.list_ideas"))


@bp.get("/ideas")
def list_ideas():
    current = queries.IdeaFilter.from_args(request.args)
    page = queries.list_ideas(current_user, current, cards=True)
    for prepare in contributions("idea_list.page"):  # e.g. the clocks' pauses, in one query
        prepare(page.items)
    return render_template(
        "ideas/list.html", page=page, current=current, filters=kept_filters(current)
    )


def _idea_form(form: IdeaForm, keep_category: int | None = None) -> IdeaForm:
    form.category.choices = category_choices(keep_id=keep_category)
    departments = department_choices()
    form.owning_department.choices = departments
    form.affected_departments.choices = departments
    return form


def _idea_text(form: IdeaForm) -> rules.IdeaText:
    affected = form.affected_departments.data or []
    return rules.IdeaText(
        title=form.title.data,
        problem=form.problem.data,
        proposal=form.proposal.data,
        benefit=form.benefit.data,
        category=db.session.get(Category, form.category.data),
        owning_department=db.session.get(Department, form.owning_department.data),
        affected_departments=[db.session.get(Department, i) for i in affected],
        hours_lost_per_month=form.hours_lost_per_month.data,
        customer_facing=form.customer_facing.data,
    )


def _form_saved(idea: Idea, form: IdeaForm) -> None:
    """Higher packages save their fields of the idea form (the ledger's items it touches)."""
    for saved in contributions("idea_form.saved"):
        saved(idea, form)


@bp.route("/ideas/new", methods=["GET", "POST"])
def submit():
    form = _idea_form(IdeaForm())
    if request.method == "GET" and current_user.department_id:
        form.owning_department.data = current_user.department_id
    if form.validate_on_submit():

        def submit_and_save():
            idea = rules.submit_idea(current_user, _idea_text(form), anonymous=form.anonymous.data)
            _form_saved(idea, form)
            return idea

        done = attempt(
            form,
            submit_and_save,
            done=_("Thank you! Your idea is now visible to everyone."),
            then=lambda idea: url_for("ideas.show", idea_id=idea.id),
            once=form.form_key.data,
        )
        if done:
            return done
    return render_form("ideas/form.html", form, idea=None)


@bp.get("/ideas/similar")
def similar():
    """Existing ideas like the one being written (a fragment for the submit form)."""
    title, problem = request.args.get("title", ""), request.args.get("problem", "")
    ideas = search.similar_to_text(title, problem)
    return render_template(
        "ideas/_similar.html", ideas=ideas, typed=bool((title + problem).strip()),
        voted_ids=queries.voted_ids(current_user, [i.id for i in ideas]),
    )  # fmt: skip


@bp.get("/ideas/<int:idea_id>")
def show(idea_id: int):
    idea, voted = queries.get_idea_and_vote_or_404(idea_id, current_user)
    if is_htmx() and "comments" in request.args:  # "Later comments": that page alone
        page = queries.comments(idea, request.args.get("comments", type=bounded_int))
        return render_template("ideas/_comments.html", idea=idea, comments=page, appended=True)
    return render_idea(idea, voted=voted)


def render_idea(
    idea: Idea,
    comment_form: CommentForm | None = None,
    status: int = 200,
    voted: bool | None = None,
    **parts,
):
    """The idea page; ``parts`` replace what a part provider would give (a form with errors).
    ``voted``: whether the viewer votes for it, when already read with the idea."""
    # Other domains add their part of the page (the workflow's decision panel) through the
    # registry, so this package knows nothing of them.
    context = {}
    for part in contributions("idea_page.context"):
        context.update(part(idea))
    context.update(parts)
    comments = queries.comments(
        idea,
        request.args.get("comments", type=bounded_int),
        holding=request.args.get("comment", type=bounded_int),  # a link to one comment
    )
    may_triage = can(current_user, "idea.see_duplicate_hints", idea)
    hints = search.similar_ideas(idea) if may_triage else []
    return render_template(
        "ideas/show.html",
        idea=idea,
        events=queries.timeline(idea),
        comments=comments,
        # The form only for those who may comment (the page shows it to them alone).
        comment_form=comment_form
        or (CommentForm() if can(current_user, "idea.comment", idea) else None),
        voted=rules.has_voted(idea, current_user) if voted is None else voted,
        **context,
        duplicate_hints=hints,
        show_duplicate_hints=may_triage,
    ), status


@bp.route("/ideas/<int:idea_id>/edit", methods=["GET", "POST"])
def edit(idea_id: int):
    idea = queries.get_idea_or_404(idea_id)
    require(current_user, "idea.edit", idea)
    form = _idea_form(IdeaForm(obj=idea if request.method == "GET" else None), idea.category_id)
    if request.method == "GET":
        form.category.data = idea.category_id
        form.owning_department.data = idea.owning_department_id
        form.affected_departments.data = [d.id for d in idea.affected_departments]
    if form.validate_on_submit():

        def edit_and_save():
            rules.edit_idea(idea, current_user, _idea_text(form))
            _form_saved(idea, form)

        done = attempt(
            form,
            edit_and_save,
            done=_("Your changes are saved. The previous version is kept."),
            then=url_for("ideas.show", idea_id=idea.id),
        )
        if done:
            return done
    return render_form("ideas/form.html", form, idea=idea)


@bp.post("/ideas/<int:idea_id>/vote")
def vote(idea_id: int):
    idea = db.get_or_404(Idea, idea_id)  # its own row: the answer is a fragment
    # The button names the state it sets (add or remove), so a double click cannot undo
    # itself. One hidden field, no form object: CSRFProtect checked this POST's token before
    # the view (a vote without it is refused with 400).
    wanted = request.form.get("vote")
    if wanted in {"add", "remove"}:
        voted = rules.set_vote(idea, current_user, wanted == "add")
    else:
        voted = rules.has_voted(idea, current_user)
    back = safe_next(url_for("ideas.show", idea_id=idea.id))
    # Committed first, so the write lock is not held while the button is drawn; the idea and
    # the person stay loaded (no second read). The new button keeps the page's address: its
    # own URL is a POST-only endpoint.
    commit_keeping_loaded()
    if is_htmx():
        return kept_vote_button(idea, voted, back, generate_csrf())
    return redirect(back)


@bp.post("/ideas/<int:idea_id>/comments")
def comment(idea_id: int):
    idea = queries.get_idea_or_404(idea_id)
    form = CommentForm()
    if form.validate_on_submit():

        def last_page() -> str:
            return url_for("ideas.show", idea_id=idea.id, comments=queries.comment_pages(idea))

        done = attempt(
            form,
            lambda: rules.add_comment(
                idea, current_user, form.body.data, official=form.official.data
            ),
            field="body",
            done=_("Your comment is posted."),
            then=lambda posted: last_page() + "#comments",
            once=form.form_key.data,
            remembered=lambda posted: comment_url(idea.id, posted.id),
        )
        if done:
            return done
    # Keep what was typed: render the page again with the errors next to the field.
    return render_idea(idea, form, status=422)


@bp.post("/ideas/<int:idea_id>/comments/<int:comment_id>/official")
def mark_official(idea_id: int, comment_id: int):
    idea = queries.get_idea_or_404(idea_id)
    comment = queries.get_comment_or_404(idea, comment_id)
    form = ActionForm()
    if form.validate_on_submit():
        official = request.form.get("official") == "1"
        rules.set_official(comment, current_user, official)
        db.session.commit()
        message = _("Marked as the official answer.") if official else _("No longer official.")
        flash(message, "success")
    return redirect(comment_url(idea.id, comment.id))
