"""Sign-in through the company's OpenID Connect provider (authorization code flow).

Authlib does the protocol: the provider's discovery document, PKCE (S256), ``state`` and
``nonce`` kept in the session, the code exchange, and the ID token's signature (the provider's
published keys), issuer, audience, expiry and nonce. This module turns what can go wrong into a
message a person understands, and a valid ID token into a signed-in person (directory.py).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from flask_babel import lazy_gettext as _
from joserfc.errors import JoseError  # the signature and the token's form

from ..core.errors import DomainError
from .directory import Identity, sign_in_external
from .models import User

# Kept in the session after a sign-in: the provider's logout asks for it (id_token_hint).
ID_TOKEN_KEY = "oidc_id_token"


def init_app(app: Flask) -> None:
    if not app.config["OIDC_ISSUER"]:
        return
    oauth = OAuth(app)
    issuer = app.config["OIDC_ISSUER"].rstrip("/")
    oauth.register(
        "oidc",
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": app.config["OIDC_SCOPES"],
            "code_challenge_method": "S256",
            "timeout": app.config["OIDC_TIMEOUT"],
        },
    )
    app.extensions["freiraum_oidc"] = oauth.oidc
    # Signing out ends at the provider (RP-initiated logout): the browser must let the form go.
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(issuer))
    app.config["CSP_FORM_ACTION_SOURCES"] = [*app.config["CSP_FORM_ACTION_SOURCES"], origin]


def enabled() -> bool:
    return "freiraum_oidc" in current_app.extensions


def provider_name() -> str:
    return current_app.config["OIDC_PROVIDER_NAME"] or str(_("your company account"))


def _client():
    return current_app.extensions["freiraum_oidc"]


def authorize_redirect(redirect_uri: str):
    """The redirect to the provider; state, nonce and the PKCE verifier go into the session."""
    try:
        return _client().authorize_redirect(redirect_uri)
    except (requests.RequestException, ValueError) as error:
        current_app.logger.warning("OIDC: provider unreachable: %s", error)
        raise DomainError(_unreachable()) from error


def finish_sign_in() -> tuple[User, str | None]:
    """Check the provider's answer on the callback and return the signed-in person and the
    ID token (for logout). Raises DomainError with a message for the person; nothing is
    created or changed then."""
    try:
        token = _client().authorize_access_token(
            claims_options={"iss": {"essential": True, "value": _issuer()}}
        )
    except MismatchingStateError as error:
        # No such sign-in was started here, or it was finished already (a replayed answer).
        current_app.logger.warning("OIDC: state does not match a started sign-in: %s", error)
        raise DomainError(
            _("This sign-in was not started here or is finished already. Please start again.")
        ) from error
    except OAuthError as error:
        # The provider refused: the person cancelled, or the code is expired or used.
        current_app.logger.warning("OIDC: provider refused: %s %s", error.error, error.description)
        raise DomainError(
            _("The sign-in was not confirmed by %(provider)s. Please start again.",
              provider=provider_name())
        ) from error  # fmt: skip
    except requests.RequestException as error:
        current_app.logger.warning("OIDC: provider unreachable: %s", error)
        raise DomainError(_unreachable()) from error
    except (JoseError, AuthlibBaseError, KeyError, ValueError) as error:
        # The ID token's signature (joserfc), or its issuer, audience, expiry or nonce (Authlib's
        # claims check) is wrong.
        current_app.logger.warning("OIDC: ID token rejected: %r", error)
        raise DomainError(
            _("The answer from %(provider)s could not be verified. Nobody was signed in.",
              provider=provider_name())
        ) from error  # fmt: skip
    claims: dict[str, Any] = dict(token.get("userinfo") or {})
    if not claims.get("sub"):
        current_app.logger.warning("OIDC: callback without an ID token")
        raise DomainError(
            _("The answer from %(provider)s could not be verified. Nobody was signed in.",
              provider=provider_name())
        )  # fmt: skip
    user = sign_in_external(identity_from_claims(claims), group_roles=_group_roles())
    return user, token.get("id_token")


def identity_from_claims(claims: dict[str, Any]) -> Identity:
    config = current_app.config

    def claim(key: str) -> Any:
        name = config[key]
        return claims.get(name) if name else None

    groups = claim("OIDC_CLAIM_GROUPS") or ()
    if isinstance(groups, str):
        groups = (groups,)
    department = claim("OIDC_CLAIM_DEPARTMENT")
    return Identity(
        external_id=f"oidc:{_issuer()}#{claims['sub']}",
        email=str(claim("OIDC_CLAIM_EMAIL") or ""),
        display_name=str(claim("OIDC_CLAIM_NAME") or ""),
        department=str(department) if department is not None else None,
        groups=tuple(str(group) for group in groups),
        email_verified=claims.get("email_verified") is not False,
    )


def logout_url(id_token: str | None, post_logout_redirect_uri: str) -> str | None:
    """Where to send the browser so the provider ends its session too (RP-initiated logout),
    or None when the provider offers no such endpoint."""
    if not enabled() or not id_token:
        return None
    try:
        endpoint = _client().load_server_metadata().get("end_session_endpoint")
    except (requests.RequestException, ValueError) as error:
        current_app.logger.warning("OIDC: provider unreachable at logout: %s", error)
        return None
    if not endpoint:
        return None
    query = urlencode({
        "id_token_hint": id_token,
        "post_logout_redirect_uri": post_logout_redirect_uri,
        "client_id": current_app.config["OIDC_CLIENT_ID"],
    })  # fmt: skip
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def _issuer() -> str:
    return current_app.config["OIDC_ISSUER"].rstrip("/")


def _group_roles() -> dict[str, str]:
    return dict(current_app.config["OIDC_GROUP_ROLES"] or {})


def _unreachable():
    return _("%(provider)s cannot be reached right now. Please try again later.",
             provider=provider_name())  # fmt: skip
