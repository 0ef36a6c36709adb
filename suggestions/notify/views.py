"""Pages: the notifications list, settings, following an idea; admin pages for webhooks and
the outbox."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.extensions import db
from ..core.inputs import bounded_int
from ..ideas import queries as idea_queries
from ..ideas.links import comment_url
from ..policy import requires
from ..web.forms import ActionForm, attempt, render_form
from ..web.safety import is_htmx, safe_next
from . import bp, inbox, outbox, queries, rules, webhooks
from .forms import DELIVERY_LABELS, FollowForm, WebhookForm, preferences_form
from .models import Delivery, Notification, OutboxMessage, Webhook

# ---------------------------------------------------------------- the bell


@bp.get("/notifications")
def list_notifications():
    page = queries.notifications_page(current_user, request.args.get("before", type=bounded_int))
    return render_template("notify/list.html", page=page, action_form=ActionForm())


@bp.post("/notifications/<int:notification_id>/open")
def open_notification(notification_id: int):
    notification = db.get_or_404(Notification, notification_id)
    inbox.mark_read(notification, current_user)  # the CSRF token is checked for every POST
    db.session.commit()
    if notification.idea_id is None:
        return redirect(url_for("notify.list_notifications"))
    if notification.comment_id:  # the page of the comments that holds it
        return redirect(comment_url(notification.idea_id, notification.comment_id))
    return redirect(url_for("ideas.show", idea_id=notification.idea_id))


@bp.post("/notifications/<int:notification_id>/read")
def read_notification(notification_id: int):
    notification = db.get_or_404(Notification, notification_id)
    inbox.mark_read(notification, current_user)
    db.session.commit()
    if is_htmx():
        return render_template("notify/_item.html", n=notification)
    return redirect(safe_next(url_for("notify.list_notifications")))


@bp.post("/notifications/read-all")
def read_all_notifications():
    inbox.mark_all_read(current_user)
    db.session.commit()
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notify.list_notifications"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
def settings():
    offered = rules.preferences_offered(current_user)
    form = preferences_form(rules.preferences_of(current_user.id), offered)
    if form.validate_on_submit():
        choices = {kind: getattr(form, kind).data for kind in offered}
        rules.save_preferences(current_user, choices)
        db.session.commit()
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("notify.settings"))
    status = 422 if form.errors else 200
    return render_template(
        "notify/settings.html", form=form, preferences=offered,
        deliveries=list(Delivery), delivery_labels=DELIVERY_LABELS,
    ), status  # fmt: skip


# ---------------------------------------------------------------- following


@bp.post("/ideas/<int:idea_id>/follow")
def follow(idea_id: int):
    idea = idea_queries.get_idea_or_404(idea_id)
    form = FollowForm()
    if form.validate_on_submit() and form.follow.data in {"add", "remove"}:
        following = inbox.set_following(idea, current_user, form.follow.data == "add")
        db.session.commit()
        if not is_htmx():
            flash(
                _("You follow this idea now.")
                if following
                else _("You no longer follow this idea."),
                "success",
            )
    else:
        following = rules.is_following(idea.id, current_user.id)
    if is_htmx():
        return render_template("notify/_follow.html", idea=idea, following=following)
    return redirect(safe_next(url_for("ideas.show", idea_id=idea.id)))


# ---------------------------------------------------------------- admin: webhooks


@bp.get("/admin/webhooks")
@requires("admin.manage")
def admin_webhooks():
    return render_template(
        "notify/admin_webhooks.html", hooks=queries.webhooks(), events=webhooks.EVENTS,
        action_form=ActionForm(),
    )  # fmt: skip


@bp.route("/admin/webhooks/new", methods=["GET", "POST"], defaults={"webhook_id": None})
@bp.route("/admin/webhooks/<int:webhook_id>", methods=["GET", "POST"])
@requires("admin.manage")
def admin_edit_webhook(webhook_id: int | None):
    hook = db.get_or_404(Webhook, webhook_id) if webhook_id is not None else None
    form = WebhookForm(obj=hook)
    if request.method == "GET":
        form.secret.data = ""
        if hook:
            form.events.data = hook.event_list
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: webhooks.save_webhook(
                current_user, hook, name=form.name.data, url=form.url.data,
                secret=form.secret.data, events=form.events.data or [], active=form.active.data,
            ),
            field="url", done=_("The webhook is saved."),
            then=lambda saved: url_for("notify.admin_edit_webhook", webhook_id=saved.id),
        )  # fmt: skip
        if done:
            return done
    return render_form("notify/admin_webhook_form.html", form, hook=hook, action_form=ActionForm())


@bp.post("/admin/webhooks/<int:webhook_id>/delete")
@requires("admin.manage")
def admin_delete_webhook(webhook_id: int):
    hook = db.get_or_404(Webhook, webhook_id)
    if ActionForm().validate_on_submit():
        webhooks.delete_webhook(current_user, hook)
        db.session.commit()
        flash(_("The webhook is deleted."), "success")
    return redirect(url_for("notify.admin_webhooks"))


# ---------------------------------------------------------------- admin: outbox

_ADDRESS = re.compile(r"[^\s<>\"']+@[^\s<>\"']+")


def shown_error(message) -> str | None:
    """A discreet message's error without the address it names."""
    if not message.last_error:
        return None
    return _ADDRESS.sub("…", message.last_error) if message.discreet else message.last_error


def address_free_error(message) -> str | None:
    """A waiting message's error without any address: the list of waiting mail names nobody."""
    return _ADDRESS.sub("…", message.last_error) if message.last_error else None


@bp.get("/admin/outbox")
@requires("admin.manage")
def admin_outbox():
    """Failed messages, one by one with their recipient; waiting ones one by one without it
    (what, since when, how many tries, the last error); sent ones as counts only. Who got
    which mail when would tell who follows (so: voted for) which idea, and that is nobody's
    business."""
    page = queries.failed_messages(request.args.get("before", type=bounded_int))
    waiting = queries.waiting_messages(request.args.get("waiting_after", type=bounded_int))
    return render_template(
        "notify/admin_outbox.html", page=page, waiting=waiting, counts=queries.outbox_counts(),
        action_form=ActionForm(), shown_error=shown_error, address_free_error=address_free_error,
    )  # fmt: skip


@bp.post("/admin/outbox/<int:message_id>/retry")
@requires("admin.manage")
def admin_retry_message(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    if ActionForm().validate_on_submit():
        if outbox.retry(message):
            db.session.commit()
            flash(_("The message will be sent again shortly."), "success")
        else:
            flash(_("Only failed messages can be sent again."), "error")
    return redirect(safe_next(url_for("notify.admin_outbox")))


@bp.post("/admin/outbox/retry-failed")
@requires("admin.manage")
def admin_retry_failed():
    if ActionForm().validate_on_submit():
        count = outbox.retry_all_failed()
        db.session.commit()
        flash(_("%(num)s messages will be sent again shortly.", num=count), "success")
    return redirect(url_for("notify.admin_outbox"))
