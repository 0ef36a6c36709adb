"""Sign-in against the company's LDAP directory or Active Directory (ldap3).

The password form stays the same: Freiraum searches the person with a service account, then
binds as them with the password they typed (the directory checks it; Freiraum never stores
it). The entry's attributes give email, name, department and groups, as for OpenID Connect.
"""

from __future__ import annotations

import ssl
from typing import Any

import ldap3
from flask import current_app
from flask_babel import lazy_gettext as _
from ldap3.core.exceptions import LDAPException, LDAPSocketOpenError, LDAPStartTLSError
from ldap3.utils.conv import escape_filter_chars

from ..core.errors import DomainError
from .directory import Identity


def enabled() -> bool:
    return bool(current_app.config["LDAP_URL"])


def _server() -> ldap3.Server:
    config = current_app.config
    tls = ldap3.Tls(
        validate=ssl.CERT_REQUIRED,
        ca_certs_file=config["LDAP_CA_FILE"] or None,
        version=ssl.PROTOCOL_TLS_CLIENT,
    )
    return ldap3.Server(
        config["LDAP_URL"], use_ssl=config["LDAP_URL"].startswith("ldaps://"), tls=tls,
        connect_timeout=config["LDAP_TIMEOUT"], get_info=ldap3.NONE,
    )  # fmt: skip


def _connection(server: ldap3.Server, user: str | None, password: str | None) -> ldap3.Connection:
    config = current_app.config
    connection = ldap3.Connection(
        server, user=user, password=password, receive_timeout=config["LDAP_TIMEOUT"],
        raise_exceptions=False, read_only=True,
    )  # fmt: skip
    connection.open()
    # Never go on in the clear when TLS was asked for and did not come up.
    if config["LDAP_START_TLS"] and not connection.start_tls():
        raise LDAPStartTLSError(f"StartTLS failed: {connection.result}")
    return connection


def _first(entry: dict[str, Any], name: str | None) -> str:
    if not name:
        return ""
    value = entry.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "").strip()


def authenticate(login: str, password: str) -> Identity | None:
    """The person the directory knows by this login and password, or None. Raises
    DomainError when the directory cannot be reached (so the page can say so)."""
    config = current_app.config
    login = (login or "").strip()
    if not login or not password:  # an empty password would be an anonymous bind: never
        return None
    attributes = [
        name
        for name in (config["LDAP_ATTR_EMAIL"], config["LDAP_ATTR_NAME"],
                     config["LDAP_ATTR_DEPARTMENT"], config["LDAP_ATTR_GROUPS"])
        if name
    ]  # fmt: skip
    try:
        server = _server()
        service = _connection(server, config["LDAP_BIND_DN"], config["LDAP_BIND_PASSWORD"])
        if not service.bind():
            current_app.logger.error("LDAP: the service account cannot bind: %s", service.result)
            raise DomainError(_unreachable())
        search_filter = config["LDAP_USER_FILTER"].format(login=escape_filter_chars(login))
        service.search(config["LDAP_BASE_DN"], search_filter, attributes=attributes, size_limit=2)
        entries = list(service.response or [])
        service.unbind()
        entries = [entry for entry in entries if entry.get("type") == "searchResEntry"]
        if len(entries) != 1:  # nobody, or more than one person: no guessing
            return None
        dn, found = entries[0]["dn"], entries[0]["attributes"]
        person = _connection(server, dn, password)
        ok = person.bind()
        person.unbind()
    except LDAPSocketOpenError as error:
        current_app.logger.error("LDAP: directory server unreachable: %s", error)
        raise DomainError(_unreachable()) from error
    except LDAPException as error:
        current_app.logger.error("LDAP: %r", error)
        raise DomainError(_unreachable()) from error
    if not ok:
        return None
    groups = found.get(config["LDAP_ATTR_GROUPS"]) if config["LDAP_ATTR_GROUPS"] else None
    return Identity(
        external_id=f"ldap:{dn.lower()}"[:255],
        email=_first(found, config["LDAP_ATTR_EMAIL"]),
        display_name=_first(found, config["LDAP_ATTR_NAME"]),
        department=_first(found, config["LDAP_ATTR_DEPARTMENT"]) or None,
        groups=tuple(str(group) for group in (groups or ())),
    )


def _unreachable():
    return _("The company directory cannot be reached right now. Please try again later.")
