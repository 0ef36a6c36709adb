"""The privacy page's facts, read from the settings in force (never written by hand)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from . import audit

# The dashboard's rule (insights.metrics.MIN_GROUP_SIZE): governance reads the same setting.
DEFAULT_MIN_GROUP_SIZE = 5


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
    lifetime = config.get("PERMANENT_SESSION_LIFETIME") or timedelta(hours=12)
    if not isinstance(lifetime, timedelta):
        lifetime = timedelta(seconds=int(lifetime))
    return PrivacyFacts(
        min_group_size=int(config.get("INSIGHTS_MIN_GROUP_SIZE", DEFAULT_MIN_GROUP_SIZE)),
        public_voter_lists=bool(config.get("PUBLIC_VOTER_LISTS", False)),
        audit_days=audit.retention_days(),
        sent_mail_days=int(config.get("OUTBOX_KEEP_SENT_DAYS") or 30),
        session_hours=int(lifetime.total_seconds() // 3600),
        remember_days=_days(config.get("REMEMBER_COOKIE_DURATION") or timedelta(days=30)),
        hold_new_ideas=bool(config.get("HOLD_NEW_IDEAS")),
        company_sign_in=bool(config.get("OIDC_ISSUER") or config.get("LDAP_URL")),
    )
