"""Indexes the dashboard needs on other domains' tables. Declared here, next to the queries
that use them, and created by migration 0005_insights.

Each range filter of ``metrics`` reads one of these instead of the whole table: the figures
cost the same with a hundred ideas in the period whether the table holds a thousand or a
million.
"""

from sqlalchemy import Index

from ..ideas.models import Comment, Idea, Vote
from ..workflow.models import Commitment

INDEXES = [
    # Funnel and deadlines: ideas submitted in the range (covering the funnel's columns).
    Index("ix_ideas_created_department_status", Idea.created_at, Idea.owning_department_id,
          Idea.status),
    # Durations: ideas that reached a step in the range.
    Index("ix_ideas_first_response_at", Idea.first_response_at),
    Index("ix_ideas_decided_at", Idea.decided_at),
    Index("ix_ideas_implemented_at", Idea.implemented_at),
    # "You said, we did": implemented ideas, newest first.
    Index("ix_ideas_status_implemented_on", Idea.status, Idea.implemented_on, Idea.id),
    # Participation: did this person submit, vote or comment in the range?
    Index("ix_ideas_author_created", Idea.author_id, Idea.created_at),
    Index("ix_votes_user_created", Vote.user_id, Vote.created_at),
    Index("ix_comments_author_created", Comment.author_id, Comment.created_at),
    # Cross-department work: votes and comments given in the range.
    Index("ix_votes_created", Vote.created_at),
    Index("ix_comments_created", Comment.created_at),
    # Commitments closed in the range.
    Index("ix_commitments_closed_at", Commitment.closed_at),
]  # fmt: skip
