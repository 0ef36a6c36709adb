"""The pages where people make, see and revoke their personal access tokens, and where an
admin sees and revokes anyone's."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import tokens
from ..auth.tokens import ApiToken
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.pagination import paginate
from ..policy import require, requires
from ..web.forms import ActionForm, refused, render_form
from . import pages_bp as bp
from .forms import SCOPE_LABELS, TokenForm


@bp.route("/account/tokens", methods=["GET", "POST"])
def my_tokens():
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        try:
            token, secret = tokens.create_token(
                current_user, name=form.name.data, scope=form.scope.data,
                expires_in_days=int(form.expires.data) if form.expires.data else None,
            )  # fmt: skip
        except DomainError as error:
            refused(form, error)
        else:
            db.session.commit()
            form = TokenForm(formdata=None)
    # No redirect after success: the secret is shown in this one answer and nowhere else
    # (never flashed into a cookie), so this route keeps its own try.
    return render_form(
        "api/tokens.html", form, secret=secret, tokens=tokens.tokens_of(current_user),
        scopes=SCOPE_LABELS, action_form=ActionForm(),
    )  # fmt: skip


@bp.post("/account/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    token = db.get_or_404(ApiToken, token_id)
    require(current_user, "token.revoke", token)
    if ActionForm().validate_on_submit():
        tokens.revoke(token, current_user)
        db.session.commit()
        flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
    if request.form.get("from") == "admin":
        return redirect(url_for("api_tokens.admin_tokens"))
    return redirect(url_for("api_tokens.my_tokens"))


@bp.get("/admin/tokens")
@requires("admin.manage")
def admin_tokens():
    page = paginate(tokens.all_tokens_query(), request.args.get("page", 1, type=int))
    return render_template(
        "api/admin_tokens.html", page=page, scopes=SCOPE_LABELS, action_form=ActionForm()
    )
