"""votes: an index on (idea_id, department_id), so the breadth check on a vote reads the
departments of the idea's votes from the index instead of every vote's row

Revision ID: 0014_vote
Revises: 0013_stamp
Create Date: 2026-12-04 19:00:00
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0014_vote"
down_revision = "0013_stamp"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_votes_idea_department", "votes", ["idea_id", "department_id"])


def downgrade() -> None:
    op.drop_index("ix_votes_idea_department", table_name="votes")
