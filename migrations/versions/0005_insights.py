"""insights: indexes for the dashboard's figures and "You said, we did"

Revision ID: 0005_insights
Revises: 0003_search
Create Date: 2026-11-26 10:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005_insights'
down_revision = '0003_search'
branch_labels = None
depends_on = None

INDEXES = [
    ('ix_ideas_insights_submitted', 'ideas', ['created_at', 'owning_department_id', 'status', 'done_by_empowerment', 'first_response_at', 'decided_at']),
    ('ix_ideas_insights_responded', 'ideas', ['first_response_at', 'created_at', 'owning_department_id', 'done_by_empowerment']),
    ('ix_ideas_insights_decided', 'ideas', ['decided_at', 'created_at', 'owning_department_id', 'done_by_empowerment']),
    ('ix_ideas_insights_implemented', 'ideas', ['implemented_at', 'created_at', 'owning_department_id', 'done_by_empowerment', 'status']),
    ('ix_ideas_insights_savings', 'ideas', ['status', 'owning_department_id', 'implemented_at', 'done_by_empowerment', 'hours_lost_per_month']),
    ('ix_ideas_status_implemented_on', 'ideas', ['status', 'implemented_on', 'id']),
    ('ix_ideas_insights_author', 'ideas', ['author_id', 'created_at', 'is_anonymous']),
    ('ix_votes_insights_user', 'votes', ['user_id', 'created_at', 'idea_id']),
    ('ix_comments_insights_author', 'comments', ['author_id', 'created_at', 'idea_id']),
    ('ix_ideas_insights_owner', 'ideas', ['id', 'owning_department_id']),
    ('ix_commitments_closed_at', 'commitments', ['closed_at']),
    ('ix_commitments_insights_open', 'commitments', ['state', 'department_id', 'owner_id', 'due_on']),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
