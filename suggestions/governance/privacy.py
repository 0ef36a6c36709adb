"""The privacy page's facts, read from the settings in force (never written by hand)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from . import audit

# The dashboard's rule (insights.metrics.MIN_GROUP_SIZE): governance reads the same setting.


@dataclass(frozen=True)
class PrivacyFacts:
    min_group_size: int
    public_voter_lists: bool
    audit_days: int
    sent_mail_days: int
    session_hours: int
    remember_days: int
    hold_new_ideas: bool
    company_sign_in: bool


def _days(value) -> int:
    return value.days if isinstance(value, timedelta) else int(value or 0)


def facts() -> PrivacyFacts:
    config = current_app.config
    lifetime = config["PERMANENT_SESSION_LIFETIME"]
    if not isinstance(lifetime, timedelta):
        lifetime = timedelta(seconds=int(lifetime))
    return PrivacyFacts(
        min_group_size=int(config["INSIGHTS_MIN_GROUP_SIZE"]),
        public_voter_lists=False,  # Freiraum has no list of who voted: counts only
        audit_days=audit.retention_days(),
        sent_mail_days=int(config["OUTBOX_KEEP_SENT_DAYS"]),
        session_hours=int(lifetime.total_seconds() // 3600),
        remember_days=_days(config["REMEMBER_COOKIE_DURATION"]),
        hold_new_ideas=bool(config["HOLD_NEW_IDEAS"]),
        company_sign_in=bool(config["OIDC_ISSUER"] or config["LDAP_URL"]),
    )
