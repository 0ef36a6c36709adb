"""Sign in, sign out, the person's own settings, and the login wall around everything else."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..core.errors import DomainError
from ..core.extensions import db, limiter, login_email_key, login_manager
from ..core.kept import kept_row, watch_person
from ..core.signals import sign_in_failed, signed_in
from ..web.forms import attempt, form_status, render_form
from ..web.safety import is_htmx, safe_next
from . import accounts, bp, ldap, limits, oidc, proxy, queries, reset
from .directory import sign_in_external
from .forms import AccountForm, ForgotPasswordForm, LoginForm, PasswordForm, ResetPasswordForm
from .models import User

# Everything else needs a signed-in user.
PUBLIC_ENDPOINTS = {
    "auth.login", "auth.set_language", "auth.forgot_password", "auth.reset_password",
    "auth.oidc_login", "auth.oidc_callback", "static", "health", "ready",
    "governance.privacy_page",  # readable before signing in
}  # fmt: skip


@login_manager.user_loader
def load_user(token: str) -> User | None:
    user_id, _, version = token.partition(":")
    if not user_id.isdigit():
        return None
    # Kept per process while the stamp stands: a change to the person (deactivated, another
    # role, signed out everywhere) moves it, and this check sees the change at once. Their own
    # stamp (the bell's) comes in the same statement.
    watch_person(int(user_id))
    user = kept_row(
        User, int(user_id), lambda: queries.user_with_department(int(user_id)), ("department",)
    )
    if user is None or not user.active or str(user.session_version) != version:
        return None
    return user


@bp.before_app_request
def require_login():
    if request.endpoint == "static" or request.endpoint is None:
        return None
    refused = _sign_in_from_proxy()
    if refused is not None:
        return refused
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if request.blueprint == "api":  # the API authenticates every request by its token
        return None
    if not current_user.is_authenticated:
        if is_htmx():
            # htmx cannot follow a redirect to a full page in place: send the browser there.
            return "", 401, {"HX-Redirect": url_for("auth.login")}
        return login_manager.unauthorized()
    return None


def _sign_in_from_proxy():
    """Sign in the person the company's proxy names (only from its networks; proxy.py)."""
    login = proxy.asserted_login()
    if login is None:
        return None
    if current_user.is_authenticated and proxy.is_signed_in_as(current_user, login):
        return None
    try:
        user = proxy.sign_in(login)
    except DomainError as error:
        db.session.rollback()
        current_app.logger.warning("Proxy sign-in refused for %s: %s", login, error.message)
        logout_user()
        form = LoginForm()
        form.form_errors.append(error.message)
        return _login_page(form), 401
    db.session.commit()
    _sign_in(user, method="proxy")
    return None


def _login_limits():
    return current_app.config["RATELIMIT_LOGIN_PER_ADDRESS"]


def _account_limits():
    return current_app.config["RATELIMIT_LOGIN_PER_ACCOUNT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limits, methods=["POST"])
@limiter.limit(
    _account_limits, methods=["POST"], key_func=login_email_key, exempt_when=limits.usual_browser
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("ideas.list_ideas"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = _authenticate(form.email.data, form.password.data)
        except DomainError as error:
            db.session.rollback()
            user = None
            form.form_errors.append(error.message)
        if user is None:
            sign_in_failed.send(None, login=form.email.data)
            db.session.commit()  # the audit log keeps the failed attempt
            if not form.form_errors:
                # One message for a wrong password, an unknown address and a disabled account.
                form.form_errors.append(_("Email or password is not correct."))
        else:
            db.session.commit()
            _sign_in(user, remember=form.remember.data, method="password")
            response = redirect(safe_next(url_for("ideas.list_ideas")))
            limits.remember_device(response, form.email.data)
            return response
    form.password.data = None
    return _login_page(form), 200 if not form.errors else 401


def _authenticate(login: str, password: str) -> User | None:
    """The company directory first (when configured), then a local password. A directory
    that is down raises DomainError unless a local password (break-glass) lets the person in."""
    down = None
    if ldap.enabled():
        try:
            identity = ldap.authenticate(login, password)
        except DomainError as error:
            identity, down = None, error
        if identity is not None:
            return sign_in_external(identity, group_roles=current_app.config["LDAP_GROUP_ROLES"])
    user = accounts.authenticate(login, password)
    if user is None and down is not None:
        raise down
    return user


def _login_page(form: LoginForm) -> str:
    return render_template(
        "auth/login.html", form=form, oidc_provider=oidc.provider_name() if oidc.enabled() else None
    )


def _sign_in(user: User, *, remember: bool = False, method: str) -> None:
    """The one way every method signs a person in: a fresh session, then the login cookie."""
    session.clear()
    session.permanent = True
    login_user(user, remember=remember)
    signed_in.send(user, user=user, method=method)
    db.session.commit()


@bp.get("/login/oidc")
def oidc_login():
    if not oidc.enabled():
        return redirect(url_for("auth.login"))
    next_url = safe_next(url_for("ideas.list_ideas"))
    try:
        response = oidc.authorize_redirect(url_for("auth.oidc_callback", _external=True))
    except DomainError as error:
        form = LoginForm()
        form.form_errors.append(error.message)
        return _login_page(form), 503
    session["oidc_next"] = next_url
    return response


@bp.get("/login/oidc/callback")
@limiter.limit(_login_limits)
def oidc_callback():
    if not oidc.enabled():
        return redirect(url_for("auth.login"))
    next_url = session.get("oidc_next") or url_for("ideas.list_ideas")
    try:
        user, id_token = oidc.finish_sign_in()
    except DomainError as error:
        db.session.rollback()  # nobody is created or changed
        form = LoginForm()
        form.form_errors.append(error.message)
        return _login_page(form), 401
    db.session.commit()
    _sign_in(user, method="oidc")
    if id_token:
        session[oidc.ID_TOKEN_KEY] = id_token
    return redirect(next_url)


def _reset_limits_per_address():
    return current_app.config["RATELIMIT_RESET_PER_ADDRESS"]


def _reset_limits_per_email():
    return current_app.config["RATELIMIT_RESET_PER_EMAIL"]


def _reset_email_key() -> str:
    # Its own key space: the login's per-account counter is not touched by reset requests.
    return "reset:" + accounts.normalise_email(request.form.get("email") or "")


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_limits_per_address, methods=["POST"])
@limiter.limit(_reset_limits_per_email, methods=["POST"], key_func=_reset_email_key)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        with reset.taking_the_same_time():
            reset.request_reset(
                form.email.data, str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
            )
            db.session.commit()
        # The same page whether or not the address has an account.
        return render_template(
            "auth/forgot_password.html", form=None, minutes=reset.valid_minutes()
        )
    return render_template("auth/forgot_password.html", form=form), 200 if not form.errors else 422


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        reset.user_for_token(token)
    except DomainError as error:
        return render_template("auth/reset_password.html", form=None, problem=error.message), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: reset.reset_password(token, form.new.data),
            done=None,  # flashed below, into the session that follows the sign-out
            then=url_for("auth.login"),
        )
        if done:
            logout_user()  # whoever was signed in on this browser signs in again too
            session.clear()
            flash(_("Your password is set. Please sign in with it."), "success")
            return done
    return render_form("auth/reset_password.html", form, min_length=accounts.MIN_PASSWORD_LENGTH)


@bp.post("/logout")
def logout():
    accounts.end_sessions(current_user)
    db.session.commit()
    id_token = session.get(oidc.ID_TOKEN_KEY)
    logout_user()
    session.clear()
    flash(_("You are signed out."), "success")
    # Signed in through the provider: end its session too, or the next click signs in again.
    provider_logout = oidc.logout_url(id_token, url_for("auth.login", _external=True))
    return redirect(provider_logout or url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
def account():
    account_form = AccountForm(prefix="account", language=current_user.language or "")
    password_form = PasswordForm(prefix="password")
    if account_form.save.data and account_form.validate_on_submit():
        current_user.language = account_form.language.data or None
        db.session.commit()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("auth.account"))
    if password_form.change.data and password_form.validate_on_submit():
        done = attempt(
            password_form,
            lambda: accounts.change_own_password(
                current_user, password_form.current.data, password_form.new.data
            ),
            done=_("Your password is changed. Other devices are signed out."),
            then=url_for("auth.account"),
        )
        if done:
            # this device stays signed in (with the new session version); all others are out
            login_user(current_user._get_current_object())
            return done
    return render_template(
        "auth/account.html", account_form=account_form, password_form=password_form
    ), form_status(account_form, password_form)


@bp.post("/language")
def set_language():
    language = request.form.get("language", "")
    if language not in current_app.config["LANGUAGES"]:
        language = ""
    response = redirect(safe_next(url_for("ideas.list_ideas")))
    if current_user.is_authenticated:
        current_user.language = language or None
        db.session.commit()
    else:
        response.set_cookie(
            "language", language, max_age=365 * 24 * 3600, samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
        )  # fmt: skip
    return response
