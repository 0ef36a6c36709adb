"""Who hears about what, and how. One table says, for each kind of occurrence (an idea event,
optionally narrowed by the status it reached, a comment, a reminder), which message goes to
which audiences and which preference decides its delivery. ``deliver`` applies the table:
notifications under the bell, mails into the outbox, entries for the weekly digest.

Adding a new event kind means adding a row to ``RULES`` (and its wording to ``messages``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from flask import current_app, g, has_request_context
from sqlalchemy import ColumnElement, insert, select, update

from ..auth.models import User
from ..core.clock import now
from ..core.database import insert_ignoring_duplicates, prepared
from ..core.extensions import db
from ..ideas.models import Idea
from ..policy import can, who_ids
from ..workflow.lifecycle import deciders_of_department
from . import mail_content, outbox
from .models import Delivery, Follow, Notification, NotificationPreference
from .routing import (  # noqa: F401  (the table is read as rules.RULES, rules.Audience, ...)
    ANY,
    PREFERENCES,
    RULES,
    Audience,
    Occurrence,
    Preference,
    Recipient,
    Rule,
    rules_for,
)

# ---------------------------------------------------------------- following


def follow(idea_id: int, user_id: int) -> None:
    """Follow on purpose: also undoes an earlier unfollow."""
    _forget_following(idea_id, user_id)
    db.session.execute(
        insert_ignoring_duplicates(Follow.__table__).values(
            idea_id=idea_id, user_id=user_id, following=True, created_at=now()
        )
    )
    db.session.execute(
        update(Follow)
        .where(Follow.idea_id == idea_id, Follow.user_id == user_id, Follow.following.is_(False))
        .values(following=True)
        .execution_options(synchronize_session=False)
    )


def follow_automatically(idea_id: int, user_id: int) -> None:
    """Follow because of writing or voting; someone who unfollowed stays unfollowed."""
    _forget_following(idea_id, user_id)
    db.session.connection().execute(
        _follow_statement(),
        {"idea_id": idea_id, "user_id": user_id, "following": True, "created_at": now()},
    )


# Built once per dialect (a vote runs it in the write lock's time); the INSERT takes its
# columns from the values it runs with.
_follow_statement = prepared(lambda dialect: insert_ignoring_duplicates(Follow.__table__, dialect))


def unfollow(idea_id: int, user_id: int) -> None:
    _forget_following(idea_id, user_id)
    db.session.execute(
        insert_ignoring_duplicates(Follow.__table__).values(
            idea_id=idea_id, user_id=user_id, following=False, created_at=now()
        )
    )
    db.session.execute(
        update(Follow)
        .where(Follow.idea_id == idea_id, Follow.user_id == user_id)
        .values(following=False)
        .execution_options(synchronize_session=False)
    )


def is_following(idea_id: int, user_id: int) -> bool:
    known = g.get("_following") if has_request_context() else None
    if known is not None and (idea_id, user_id) in known:
        return known[idea_id, user_id]
    query = select(Follow.following).where(Follow.idea_id == idea_id, Follow.user_id == user_id)
    return bool(db.session.scalar(query))


def following_column(viewer: User) -> ColumnElement:
    """SQL: whether the viewer follows the idea of the row (``idea_page.columns``)."""
    return (
        select(Follow.following)
        .where(Follow.idea_id == Idea.id, Follow.user_id == viewer.id)
        .scalar_subquery()
    )


def told_following(idea: Idea, viewer: User, value: bool | None) -> None:
    """What ``following_column`` read for this request's viewer, kept for this request (a
    follow or unfollow afterwards in the same request forgets it: ``_forget_following``)."""
    g.setdefault("_following", {})[idea.id, viewer.id] = bool(value)


def _forget_following(idea_id: int, user_id: int) -> None:
    if has_request_context():
        g.get("_following", {}).pop((idea_id, user_id), None)


def move_follows(source_idea_id: int, target_idea_id: int) -> None:
    """When an idea is merged into another, its followers follow the surviving one."""
    rows = db.session.execute(
        select(Follow.user_id, Follow.following).where(Follow.idea_id == source_idea_id)
    ).all()
    for user_id, following in rows:
        if following:
            follow_automatically(target_idea_id, user_id)


# ---------------------------------------------------------------- preferences


def preferences_of(user_id: int) -> dict[str, Delivery]:
    stored = dict(
        db.session.execute(
            select(NotificationPreference.kind, NotificationPreference.delivery).where(
                NotificationPreference.user_id == user_id
            )
        ).all()
    )
    result = {}
    for kind, preference in PREFERENCES.items():
        value = stored.get(kind)
        result[kind] = Delivery(value) if value in preference.choices else preference.default
    return result


def preferences_offered(user: User) -> dict[str, Preference]:
    """The kinds this person may set, in the order of the settings page."""
    return {
        kind: preference
        for kind, preference in PREFERENCES.items()
        if preference.offered_to is None or can(user, preference.offered_to)
    }


def save_preferences(user: User, choices: dict[str, str]) -> None:
    """Store the person's choice per kind (only kinds and values the table knows)."""
    current = {
        p.kind: p
        for p in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    for kind, preference in PREFERENCES.items():
        value = choices.get(kind)
        if value not in preference.choices:
            continue
        if kind in current:
            current[kind].delivery = value
        else:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind, delivery=value))


def deliveries_for(user_ids: Sequence[int], kind: str) -> dict[int, Delivery]:
    preference = PREFERENCES[kind]
    chosen: dict[int, Delivery] = {}
    for chunk in _chunks(user_ids):
        rows = db.session.execute(
            select(NotificationPreference.user_id, NotificationPreference.delivery).where(
                NotificationPreference.kind == kind, NotificationPreference.user_id.in_(chunk)
            )
        ).all()
        for user_id, value in rows:
            if value in preference.choices:
                chosen[user_id] = Delivery(value)
    return {user_id: chosen.get(user_id, preference.default) for user_id in user_ids}


# ---------------------------------------------------------------- recipients


def _chunks(values: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _audience_ids(audience: Audience, occurrence: Occurrence) -> list[int]:
    idea = occurrence.idea
    if audience is Audience.AUTHOR:
        return [idea.author_id] if idea.author_id else []
    if audience is Audience.FOLLOWERS:
        query = select(Follow.user_id).where(Follow.idea_id == idea.id, Follow.following.is_(True))
        return list(db.session.scalars(query.order_by(Follow.user_id)))
    if audience is Audience.LEADERSHIP:
        return list(db.session.scalars(who_ids("queue.leadership")))
    if audience is Audience.OWNER:
        return [occurrence.owner_id] if occurrence.owner_id else []
    raise ValueError(audience)


def _deciders(occurrence: Occurrence) -> list[tuple[int, Audience]]:
    """The heads of the department concerned; leadership when it has no head (the workflow
    says who decides)."""
    department_id = occurrence.department_id or occurrence.idea.owning_department_id
    ids, leadership = deciders_of_department(department_id)
    return [(uid, Audience.LEADERSHIP if leadership else Audience.HEADS) for uid in ids]


def _unfollowed(idea_id: int, user_ids: Iterable[int]) -> set[int]:
    ids = list(user_ids)
    found: set[int] = set()
    for chunk in _chunks(ids):
        found.update(
            db.session.scalars(
                select(Follow.user_id).where(
                    Follow.idea_id == idea_id,
                    Follow.following.is_(False),
                    Follow.user_id.in_(chunk),
                )
            )
        )
    return found


def recipients(occurrence: Occurrence) -> list[Recipient]:
    """Everyone the rules name, once each (the first rule that names a person decides their
    message), never the person who acted, never a deactivated account."""
    picked: dict[int, tuple[Rule, Audience]] = {}
    for rule in rules_for(occurrence.kind, occurrence.to_status):
        candidates: list[tuple[int, Audience]] = []
        for audience in rule.audiences:
            if audience is Audience.HEADS:
                candidates.extend(_deciders(occurrence))
                continue
            candidates.extend((uid, audience) for uid in _audience_ids(audience, occurrence))
        # Unfollowing silences what an idea's readers hear; a head's queue and a
        # commitment owner's duties are not theirs to silence this way.
        readers = {uid for uid, a in candidates if a in (Audience.AUTHOR, Audience.FOLLOWERS)}
        skipped = _unfollowed(occurrence.idea.id, readers) if rule.respect_unfollow else set()
        for user_id, audience in candidates:
            if user_id == occurrence.actor_id or user_id in skipped or user_id in picked:
                continue
            picked[user_id] = (rule, audience)
    if not picked:
        return []

    people: dict[int, tuple[str, str | None]] = {}
    ids = list(picked)
    for chunk in _chunks(ids):
        rows = db.session.execute(
            select(User.id, User.email, User.language).where(
                User.id.in_(chunk), User.active.is_(True)
            )
        ).all()
        people.update({row.id: (row.email, row.language) for row in rows})

    default_language = current_app.config["BABEL_DEFAULT_LOCALE"]
    by_preference: dict[str, list[int]] = {}
    for user_id, (rule, _audience) in picked.items():
        if user_id in people:
            by_preference.setdefault(rule.preference, []).append(user_id)
    deliveries: dict[int, Delivery] = {}
    for kind, user_ids in by_preference.items():
        deliveries.update(deliveries_for(user_ids, kind))

    result = []
    for user_id, (rule, audience) in picked.items():
        if user_id not in people:
            continue
        email, language = people[user_id]
        result.append(
            Recipient(
                user_id=user_id,
                email=email,
                language=language
                if language in current_app.config["LANGUAGES"]
                else default_language,
                rule=rule,
                audience=audience,
                delivery=deliveries[user_id],
            )
        )
    return result


# ---------------------------------------------------------------- delivery


def actor_fields(occurrence: Occurrence) -> tuple[int | None, bool]:
    """(actor_id to store, by_author). An anonymous author acting on their own idea is
    stored as "the author", never by id: no notification can tie them to it. What counts as
    acting as the author was decided when it happened (ideas.authorship)."""
    if occurrence.by_anonymous_author:
        return None, True
    idea = occurrence.idea
    by_author = occurrence.actor_id is not None and occurrence.actor_id == idea.author_id
    # An anonymous author acting in another role (a head, a commitment owner) is named as
    # that person, never as "the author": the two must not meet in one sentence.
    return occurrence.actor_id, by_author and not idea.is_anonymous


def deliver(occurrence: Occurrence) -> list[Recipient]:
    """Write the notifications and mails of one occurrence into the current transaction."""
    people = [r for r in recipients(occurrence) if r.delivery is not Delivery.OFF]
    if not people:
        return []
    actor_id, by_author = actor_fields(occurrence)
    moment = now()
    rows = [
        {
            "user_id": r.user_id,
            "kind": r.rule.message,
            "idea_id": occurrence.idea.id,
            "comment_id": occurrence.comment_id,
            "event_id": occurrence.event_id,
            "actor_id": actor_id,
            "by_author": by_author,
            "to_status": occurrence.to_status,
            "department_id": occurrence.department_id or occurrence.idea.owning_department_id,
            "written_detail": occurrence.detail,
            "detail_key": occurrence.detail_key,
            "delivery": r.delivery.value,
            "created_at": moment,
            "read_at": None,
            "digested_at": None,
        }
        for r in people
    ]
    db.session.execute(insert(Notification), rows)

    mails = [r for r in people if r.delivery is Delivery.EMAIL]
    if mails:
        rendered = mail_content.render_notification_mails(occurrence, mails, actor_id, by_author)
        outbox.enqueue_mails(rendered)
    return people


def deliver_to_person(occurrence: Occurrence, user_id: int, rule: Rule, audience: Audience) -> bool:
    """One person's notification (a mention, a moderation decision on their own item), by
    their preference for ``rule.preference``. Returns whether anything was written."""
    from . import mail_content, outbox

    person = db.session.execute(
        select(User.id, User.email, User.language).where(User.id == user_id, User.active.is_(True))
    ).first()
    if person is None:
        return False
    delivery = deliveries_for([user_id], rule.preference)[user_id]
    if delivery is Delivery.OFF:
        return False
    language = person.language or current_app.config["BABEL_DEFAULT_LOCALE"]
    recipient = Recipient(person.id, person.email, language, rule, audience, delivery)
    db.session.add(
        Notification(
            user_id=user_id, kind=rule.message, idea_id=occurrence.idea.id,
            comment_id=occurrence.comment_id, actor_id=occurrence.actor_id, by_author=False,
            department_id=occurrence.idea.owning_department_id, detail=occurrence.detail,
            detail_key=occurrence.detail_key, delivery=delivery.value, created_at=now(),
        )
    )  # fmt: skip
    if delivery is Delivery.EMAIL:
        rendered = mail_content.render_notification_mails(
            occurrence, [recipient], occurrence.actor_id, False
        )
        outbox.enqueue_mails(rendered)
    return True
