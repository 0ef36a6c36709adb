"""Who is shown as having done something on an idea.

An anonymous author stays "the author" in everything they do on their own idea: their
comments, their answers to questions, their edits, their withdrawal, "just do it". The fact is
recorded on the row when it happens (``by_anonymous_author`` on comments and events), so every
surface (page, fragments, notifications, mails, webhooks, exports, figures) reads one stored
answer instead of comparing ids again, and a comment that later moves to another idea keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..auth.models import User
from ..org.models import Department
from ..policy import can
from ..web.templating import viewer
from .models import Comment, Idea, IdeaEvent

THE_AUTHOR = _l("The author")
FORMER_EMPLOYEE = _l("Former employee")


def acts_as_anonymous_author(idea: Idea, person: User | int | None) -> bool:
    """Whether this person acting on this idea must be shown as "the author" only."""
    person_id = person.id if isinstance(person, User) else person
    return bool(idea.is_anonymous) and person_id is not None and person_id == idea.author_id


@dataclass(frozen=True)
class ShownPerson:
    """The name and department a reader sees for someone who did something."""

    name: str
    department: Department | None = None
    as_author: bool = False  # shown as "the author" (an anonymous author's own action)


def shown_person(person: User | None, *, by_anonymous_author: bool) -> ShownPerson:
    """The one presenter of people on ideas: an anonymous author's own action carries
    neither their name nor their department (a department of three would name them)."""
    if by_anonymous_author:
        return ShownPerson(str(THE_AUTHOR), None, True)
    if person is None:  # the account was erased
        return ShownPerson(str(FORMER_EMPLOYEE))
    return ShownPerson(person.display_name, person.department)


# -- for pages and the API (the same answers, so they cannot drift apart) ------------------------


def visible_author(idea: Idea):
    """The author the viewer may see, or None (anonymous, or the account is gone)."""
    if idea.author_id is None or not can(viewer(), "idea.see_author", idea):
        return None
    return idea.author


def event_actor_label(event: IdeaEvent, idea: Idea | None = None) -> str:
    """Who did it, without unmasking an anonymous author through their own actions."""
    return shown_person(event.actor, by_anonymous_author=event.by_anonymous_author).name


def comment_author(comment: Comment) -> ShownPerson:
    """Name and department shown on a comment: "the author" alone for an anonymous author."""
    return shown_person(comment.author, by_anonymous_author=comment.by_anonymous_author)
