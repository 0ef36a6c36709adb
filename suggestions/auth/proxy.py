"""Sign-in by a header from the company's reverse proxy (which already did Kerberos or SAML).

The header is believed only when the request comes straight from one of the configured proxy
networks: anyone else could type it. From anywhere else it is ignored and logged.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from flask import current_app, request

from .directory import Identity, sign_in_external
from .models import User


def enabled() -> bool:
    return bool(current_app.config["PROXY_AUTH_HEADER"])


@lru_cache(maxsize=16)
def _networks(cidrs: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def _peer_address() -> str:
    """The address the connection came from, not what X-Forwarded-For claims (ProxyFix, when
    on, keeps the original in the environ)."""
    original = request.environ.get("werkzeug.proxy_fix.orig") or {}
    return original.get("REMOTE_ADDR") or request.environ.get("REMOTE_ADDR") or ""


def from_trusted_proxy() -> bool:
    try:
        address = ipaddress.ip_address(_peer_address())
    except ValueError:
        return False
    networks = _networks(tuple(current_app.config["PROXY_AUTH_NETWORKS"] or ()))
    return any(address in network for network in networks)


def _read(name: str | None) -> str:
    if not name:
        return ""
    # REMOTE_USER is set by the web server in the WSGI environ, not sent as a header.
    value = request.environ.get(name) if name == "REMOTE_USER" else request.headers.get(name)
    return (value or "").strip()


def asserted_login() -> str | None:
    """The login the proxy asserts for this request, or None (no header, or not believed)."""
    if not enabled():
        return None
    login = _read(current_app.config["PROXY_AUTH_HEADER"])
    if not login:
        return None
    if not from_trusted_proxy():
        current_app.logger.warning(
            "Proxy sign-in header %s ignored: %s is not a configured proxy network",
            current_app.config["PROXY_AUTH_HEADER"], _peer_address(),
        )  # fmt: skip
        return None
    return login[:254]


def identity_for(login: str) -> Identity:
    config = current_app.config
    email = login
    if "@" not in email and config["PROXY_AUTH_EMAIL_DOMAIN"]:
        email = f"{login}@{config['PROXY_AUTH_EMAIL_DOMAIN']}"
    department = _read(config["PROXY_AUTH_DEPARTMENT_HEADER"]) or None
    return Identity(
        external_id=f"proxy:{login.lower()}",
        email=email,
        display_name=_read(config["PROXY_AUTH_NAME_HEADER"]),
        department=department,
    )


def is_signed_in_as(user: User, login: str) -> bool:
    return user.external_id == identity_for(login).external_id


def sign_in(login: str) -> User:
    """The person the proxy asserts, created or updated. Raises DomainError (deactivated,
    no usable email address)."""
    return sign_in_external(identity_for(login), group_roles={})
