"""A person's own data, for them to take away (GDPR art. 15 and 20): a ZIP of JSON files.

Only what is the person's own: their profile, the ideas they wrote (the anonymous ones too:
the file goes to them alone), their comments, votes, follows, notifications, settings and the
names and dates of their tokens (never a secret, not even its hash). Nothing names another
person: a notification says what happened, not who did it.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from ..auth.models import User
from ..auth.tokens import ApiToken
from ..core.clock import now
from ..core.extensions import db
from ..core.registry import contributions
from ..ideas.models import Comment, Idea, IdeaVersion, Vote
from ..notify.models import Follow, Notification, NotificationPreference
from ..workflow.models import Commitment, CommitmentUpdate

BATCH = 500


def _value(value):
    if isinstance(value, datetime):
        return value.isoformat() + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _rows(query, fields: Iterable[str]) -> list[dict]:
    fields = tuple(fields)
    return [
        {name: _value(getattr(row, name)) for name in fields}
        for row in db.session.scalars(query.execution_options(yield_per=BATCH))
    ]


def profile(user: User) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.display_name,
        "department": user.department.name if user.department else None,
        "role": user.role,
        "language": user.language,
        "active": user.active,
        "created_at": _value(user.created_at),
        "last_login_at": _value(user.last_login_at),
        "company_identity": user.external_id,
        "unmapped_department": user.unmapped_department,
        "heads_departments": [d.name for d in user.headed_departments],
    }


IDEA_FIELDS = ("id", "title", "problem", "proposal", "benefit", "status", "is_anonymous",
               "customer_facing", "hours_lost_per_month", "category_id", "owning_department_id",
               "vote_count", "comment_count", "created_at", "updated_at")  # fmt: skip


def ideas(user: User) -> list[dict]:
    query = select(Idea).where(Idea.author_id == user.id).order_by(Idea.id)
    result = _rows(query, IDEA_FIELDS)
    versions: dict[int, list[dict]] = {}
    version_query = (
        select(IdeaVersion)
        .join(Idea, Idea.id == IdeaVersion.idea_id)
        .where(Idea.author_id == user.id)
        .order_by(IdeaVersion.idea_id, IdeaVersion.version)
    )
    for version in _rows(version_query, ("idea_id", "version", "title", "problem", "proposal",
                                          "benefit", "replaced_at")):  # fmt: skip
        versions.setdefault(version.pop("idea_id"), []).append(version)
    for idea in result:
        idea["earlier_versions"] = versions.get(idea["id"], [])
    return result


def data_of(user: User) -> dict[str, object]:
    """Every file of the export, by name."""
    return {
        "profile.json": profile(user),
        "ideas.json": ideas(user),
        "comments.json": _rows(
            select(Comment).where(Comment.author_id == user.id).order_by(Comment.id),
            ("id", "idea_id", "body", "is_official", "by_anonymous_author", "created_at"),
        ),
        "votes.json": _rows(
            select(Vote).where(Vote.user_id == user.id).order_by(Vote.idea_id),
            ("idea_id", "created_at"),
        ),
        "follows.json": _rows(
            select(Follow).where(Follow.user_id == user.id).order_by(Follow.idea_id),
            ("idea_id", "following", "created_at"),
        ),
        "notifications.json": _rows(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id),
            ("id", "kind", "idea_id", "to_status", "detail", "delivery", "created_at", "read_at"),
        ),
        "commitments.json": {
            "owned": _rows(
                select(Commitment).where(Commitment.owner_id == user.id).order_by(Commitment.id),
                ("id", "idea_id", "promise", "due_on", "state", "created_at", "closed_at"),
            ),
            "updates_written": _rows(
                select(CommitmentUpdate)
                .where(CommitmentUpdate.author_id == user.id)
                .order_by(CommitmentUpdate.id),
                ("id", "commitment_id", "body", "created_at"),
            ),
        },
        "settings.json": {
            "language": user.language,
            "notifications": _rows(
                select(NotificationPreference)
                .where(NotificationPreference.user_id == user.id)
                .order_by(NotificationPreference.kind),
                ("kind", "delivery"),
            ),
        },
        "tokens.json": _rows(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id),
            ("id", "name", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"),
        ),
    }


def export_zip(user: User) -> bytes:
    buffer = io.BytesIO()
    files = data_of(user)
    for more in contributions("person.export"):  # packages with their own rows about people
        files |= {name: content for name, content in more(user).items() if name not in files}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, json.dumps(content, ensure_ascii=False, indent=2))
        archive.writestr(
            "README.txt",
            f"Freiraum: personal data of account {user.id}, exported {now().isoformat()}Z.\n"
            "JSON files, UTF-8. Ideas include the anonymous ones you wrote; ids refer to ideas, "
            "categories and departments in Freiraum.\n",
        )
    return buffer.getvalue()


def filename(user: User) -> str:
    return f"freiraum-personal-data-{user.id}-{now():%Y%m%d}.zip"
