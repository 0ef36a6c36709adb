"""insights: indexes for the dashboard's figures and "You said, we did"

Revision ID: 0005_insights
Revises: 0002
Create Date: 2026-11-26 10:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005_insights'
down_revision = '0002'
branch_labels = None
depends_on = None

INDEXES = [
    ('ix_ideas_created_department_status', 'ideas', ['created_at', 'owning_department_id', 'status']),
    ('ix_ideas_first_response_at', 'ideas', ['first_response_at']),
    ('ix_ideas_decided_at', 'ideas', ['decided_at']),
    ('ix_ideas_implemented_at', 'ideas', ['implemented_at']),
    ('ix_ideas_status_implemented_on', 'ideas', ['status', 'implemented_on', 'id']),
    ('ix_ideas_author_created', 'ideas', ['author_id', 'created_at']),
    ('ix_votes_user_created', 'votes', ['user_id', 'created_at']),
    ('ix_comments_author_created', 'comments', ['author_id', 'created_at']),
    ('ix_votes_created', 'votes', ['created_at']),
    ('ix_comments_created', 'comments', ['created_at']),
    ('ix_commitments_closed_at', 'commitments', ['closed_at']),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
