"""Indexes the dashboard needs on other domains' tables. Declared here, next to the queries
that use them, and created by migration 0005_insights.

Each range filter of ``metrics`` reads one of these and nothing else: the indexes carry every
column the figure needs (covering), so a year of figures is read from compact, ordered index
pages instead of from scattered table rows. Measured with 100,000 ideas, 500,000 votes and
200,000 comments.
"""

from sqlalchemy import Index

from ..ideas.models import Comment, Idea, Vote
from ..workflow.models import Commitment

INDEXES = [
    # Funnel and deadlines: the ideas submitted in the range.
    Index("ix_ideas_insights_submitted", Idea.created_at, Idea.owning_department_id,
          Idea.status, Idea.done_by_empowerment, Idea.first_response_at, Idea.decided_at),
    # Durations: the ideas that reached a step in the range.
    Index("ix_ideas_insights_responded", Idea.first_response_at, Idea.created_at,
          Idea.owning_department_id, Idea.done_by_empowerment),
    Index("ix_ideas_insights_decided", Idea.decided_at, Idea.created_at,
          Idea.owning_department_id, Idea.done_by_empowerment),
    Index("ix_ideas_insights_implemented", Idea.implemented_at, Idea.created_at,
          Idea.owning_department_id, Idea.done_by_empowerment, Idea.status),
    # Hours saved, and "You said, we did" (implemented ideas, newest first).
    Index("ix_ideas_insights_savings", Idea.status, Idea.owning_department_id,
          Idea.implemented_at, Idea.done_by_empowerment, Idea.hours_lost_per_month),
    Index("ix_ideas_status_implemented_on", Idea.status, Idea.implemented_on, Idea.id),
    # Participation: did this person submit (not anonymously), vote or comment in the range?
    # Cross-department work: which idea did they vote on or comment, and which department
    # owns it (the last index answers that without reading the idea's row).
    Index("ix_ideas_insights_author", Idea.author_id, Idea.created_at, Idea.is_anonymous),
    Index("ix_votes_insights_user", Vote.user_id, Vote.created_at, Vote.idea_id),
    # (an anonymous author's comments on their own idea count nowhere: created by 0007_anon)
    Index("ix_comments_insights_author", Comment.author_id, Comment.created_at, Comment.idea_id,
          Comment.by_anonymous_author),
    Index("ix_ideas_insights_owner", Idea.id, Idea.owning_department_id),
    # Commitments: those closed in the range, and the open ones by department and owner.
    Index("ix_commitments_closed_at", Commitment.closed_at),
    Index("ix_commitments_insights_open", Commitment.state, Commitment.department_id,
          Commitment.owner_id, Commitment.due_on),
]  # fmt: skip
