"""Who may write, change, vote on, comment on and follow ideas, and who sees their author."""

from __future__ import annotations

from ..auth.models import User
from ..auth.permissions import heads_department, is_leader
from .models import Comment, Idea, IdeaStatus


def is_author(user: User, idea: Idea) -> bool:
    return idea.author_id is not None and idea.author_id == user.id


def speaks_for(user: User, idea: Idea) -> bool:
    """Leadership everywhere, a head for the ideas their department owns."""
    return is_leader(user) or heads_department(user, idea.owning_department_id)


def _edit_idea(user: User, idea: Idea) -> bool:
    # Once review starts, the text under review must stay what the reviewers read.
    return is_author(user, idea) and idea.status == IdeaStatus.NEW


def _withdraw_idea(user: User, idea: Idea) -> bool:
    return is_author(user, idea) and idea.status in IdeaStatus.WITHDRAWABLE


def _see_author(user: User, idea: Idea) -> bool:
    # Anonymous means anonymous to everyone, admins and leadership included.
    return not idea.is_anonymous or is_author(user, idea)


def _mark_official(user: User, comment: Comment) -> bool:
    return speaks_for(user, comment.idea)


def _still_itself(user: User, idea: Idea) -> bool:
    return idea.status not in IdeaStatus.CLOSED


RULES = {
    "idea.create": lambda user, _: True,
    "idea.edit": _edit_idea,
    "idea.withdraw": _withdraw_idea,
    "idea.vote": _still_itself,
    "idea.comment": _still_itself,
    "idea.follow": _still_itself,
    "idea.see_author": _see_author,
    "idea.answer_officially": speaks_for,
    "comment.mark_official": _mark_official,
    # Likely duplicates of an idea, for those who may triage it (and merge it) while it can
    # still be merged: once decided, withdrawn or merged there is nothing left to merge.
    "idea.see_duplicate_hints": lambda user, idea: (
        idea.status in IdeaStatus.UNDECIDED and speaks_for(user, idea)
    ),
}
