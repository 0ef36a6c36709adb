"""What people do with ideas: submit, edit, vote, comment. Plain functions, one transaction
each (the caller commits), every permission asked of the policy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from flask_babel import lazy_gettext as _
from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from ..auth.models import User
from ..core.clock import now
from ..core.database import insert_ignoring_duplicates, prepared
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.signals import comment_posted, idea_event_recorded, official_answer_marked, vote_added
from ..org.models import Category, Department
from ..policy import require
from .authorship import acts_as_anonymous_author
from .models import Comment, EventKind, Idea, IdeaEvent, IdeaStatus, IdeaVersion, Vote


@dataclass
class IdeaText:
    """What the author writes; the same for a new idea and an edit."""

    title: str
    problem: str
    proposal: str
    benefit: str
    category: Category
    owning_department: Department
    affected_departments: Sequence[Department]
    hours_lost_per_month: int | None = None
    customer_facing: bool = False


def record_event(
    idea: Idea,
    actor: User | None,
    kind: EventKind | str,
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | None = None,
    note_key: str | None = None,
    department_id: int | None = None,
    related_idea_id: int | None = None,
    amount: Decimal | None = None,
    as_author: bool = False,
) -> IdeaEvent:
    """Add a line to the idea's timeline. ``as_author``: the actor acts as the idea's author
    (not as a head or a commitment owner who happens to be the author), so an anonymous
    author's step is recorded as "the author"'s. ``note_key``: a sentence Freiraum writes
    itself (``ideas.models.AUTOMATIC_TEXTS``), shown in each reader's language."""
    event = IdeaEvent(
        idea_id=idea.id,
        actor_id=actor.id if actor else None,
        kind=kind,
        by_anonymous_author=as_author and acts_as_anonymous_author(idea, actor),
        from_status=from_status,
        to_status=to_status,
        written_note=note or None,
        note_key=note_key,
        department_id=department_id,
        related_idea_id=related_idea_id,
        amount=amount,
        created_at=now(),
    )
    db.session.add(event)
    db.session.flush()
    idea_event_recorded.send(event.__class__, event=event, idea=idea)
    return event


def _check_text(text: IdeaText, *, new_category: bool) -> None:
    if new_category and not text.category.active:
        raise DomainError(_("This category is no longer in use. Please choose another one."))
    if text.hours_lost_per_month is not None and not 0 <= text.hours_lost_per_month <= 100000:
        raise DomainError(_("Hours lost per month must be between 0 and 100,000."))


def _apply_text(idea: Idea, text: IdeaText) -> None:
    idea.title = text.title.strip()
    idea.problem = text.problem.strip()
    idea.proposal = text.proposal.strip()
    idea.benefit = text.benefit.strip()
    idea.category = text.category
    idea.owning_department = text.owning_department
    # The owning department is always among the affected ones.
    affected = {d.id: d for d in text.affected_departments}
    affected.setdefault(text.owning_department.id, text.owning_department)
    idea.affected_departments = sorted(affected.values(), key=lambda d: d.name)
    idea.hours_lost_per_month = text.hours_lost_per_month
    idea.customer_facing = text.customer_facing


def submit_idea(author: User, text: IdeaText, *, anonymous: bool = False) -> Idea:
    require(author, "idea.create")
    _check_text(text, new_category=True)
    moment = now()
    idea = Idea(
        author_id=author.id,
        is_anonymous=anonymous,
        status=IdeaStatus.NEW,
        vote_count=0,
        comment_count=0,
        version=1,
        created_at=moment,
        updated_at=moment,
        status_changed_at=moment,
    )
    _apply_text(idea, text)
    db.session.add(idea)
    db.session.flush()
    record_event(idea, author, EventKind.SUBMITTED, to_status=IdeaStatus.NEW, as_author=True)
    return idea


def edit_idea(idea: Idea, editor: User, text: IdeaText) -> None:
    """Change the text of a new idea, keeping the previous version."""
    require(editor, "idea.edit", idea)
    _check_text(text, new_category=text.category.id != idea.category_id)
    db.session.add(
        IdeaVersion(
            idea_id=idea.id,
            version=idea.version,
            title=idea.title,
            problem=idea.problem,
            proposal=idea.proposal,
            benefit=idea.benefit,
            category_id=idea.category_id,
            hours_lost_per_month=idea.hours_lost_per_month,
            customer_facing=idea.customer_facing,
            replaced_at=now(),
        )
    )
    _apply_text(idea, text)
    idea.version += 1
    idea.updated_at = now()
    record_event(idea, editor, EventKind.EDITED, as_author=True)


def set_vote(idea: Idea, voter: User, wanted: bool) -> bool:
    """Make the voter's vote present (``wanted``) or absent. Idempotent, exact under
    concurrency: the primary key refuses a second row, and the count moves in SQL only when a
    row was really added or removed. Returns whether the voter now votes for the idea."""
    add, remove = _vote_statements()
    if wanted:
        require(voter, "idea.vote", idea)
        statement = add
        values = {"idea_id": idea.id, "user_id": voter.id, "created_at": now(),
                  "department_id": voter.department_id}  # fmt: skip
    else:
        # Taking a vote back is allowed whatever the idea's state.
        statement = remove
        values = {"idea_id": idea.id, "user_id": voter.id}
    # RETURNING tells exactly whether a row changed (INSERT rowcount is -1 under psycopg).
    changed = db.session.connection().execute(statement, values).first()
    if changed is not None:
        _bump(idea, "vote_count", 1 if wanted else -1)
        if wanted:
            vote_added.send(Vote, idea=idea, user=voter)
    return wanted


def _build_vote_statements(dialect: str):
    # The INSERT takes its columns from the values it runs with.
    votes = Vote.__table__
    add = insert_ignoring_duplicates(votes, dialect).returning(votes.c.user_id)
    mine = (votes.c.idea_id == bindparam("idea_id"), votes.c.user_id == bindparam("user_id"))
    return add, delete(votes).where(*mine).returning(votes.c.user_id)


_vote_statements = prepared(_build_vote_statements)


def _bump(idea: Idea, counter: str, delta: int) -> None:
    # On the table, not the ORM class: the ORM's bulk-update machinery cost a vote 0.3 ms and
    # has nothing to do here (the loaded idea gets the new value below).
    new_value = (
        db.session.connection()
        .execute(_bump_statement(counter, delta), {"idea_id": idea.id})
        .scalar_one()
    )
    set_committed_value(idea, counter, new_value)


@cache
def _bump_statement(counter: str, delta: int):
    ideas = Idea.__table__
    column = ideas.c[counter]
    return (
        update(ideas)
        .where(ideas.c.id == bindparam("idea_id"))
        .values({counter: column + delta})
        .returning(column)
    )


def has_voted(idea: Idea, user: User) -> bool:
    query = select(func.count()).where(Vote.idea_id == idea.id, Vote.user_id == user.id)
    return db.session.scalar(query) > 0


def add_comment(idea: Idea, author: User, body: str, *, official: bool = False) -> Comment:
    require(author, "idea.comment", idea)
    if official:
        require(author, "idea.answer_officially", idea)
    body = (body or "").strip()
    if not body:
        raise DomainError(_("A comment cannot be empty."))
    comment = Comment(
        idea_id=idea.id,
        author_id=author.id,
        body=body,
        by_anonymous_author=acts_as_anonymous_author(idea, author),
        is_official=official,
        official_marked_by_id=author.id if official else None,
        created_at=now(),
    )
    db.session.add(comment)
    db.session.flush()
    _bump(idea, "comment_count", 1)
    comment_posted.send(Comment, comment=comment, idea=idea)
    return comment


def set_official(comment: Comment, user: User, official: bool) -> None:
    """Mark a comment (anyone's) as the official answer of the idea's department, or unmark."""
    require(user, "comment.mark_official", comment)
    comment.is_official = official
    comment.official_marked_by_id = user.id if official else None
    official_answer_marked.send(Comment, comment=comment, idea=comment.idea, actor=user)
