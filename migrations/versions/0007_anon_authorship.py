"""anonymous authors stay "the author" in their own comments and steps

Revision ID: 0007_anon
Revises: 0006_insights_snapshots
Create Date: 2026-12-02 16:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_anon'
down_revision = '0006_insights_snapshots'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('by_anonymous_author', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('idea_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('by_anonymous_author', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    # What was written before: the author's comments on their own anonymous idea, and the
    # steps the pages already showed as "the author" (everything but commitment work).
    op.execute(
        "UPDATE comments SET by_anonymous_author = true WHERE EXISTS (SELECT 1 FROM ideas "
        "WHERE ideas.id = comments.idea_id AND ideas.is_anonymous = true "
        "AND ideas.author_id = comments.author_id)"
    )
    op.execute(
        "UPDATE idea_events SET by_anonymous_author = true WHERE kind NOT IN "
        "('commitment_update', 'commitment_closed') AND EXISTS (SELECT 1 FROM ideas "
        "WHERE ideas.id = idea_events.idea_id AND ideas.is_anonymous = true "
        "AND ideas.author_id = idea_events.actor_id)"
    )
    # The dashboard's covering index carries the new column (participation reads it).
    op.drop_index('ix_comments_insights_author', table_name='comments')
    op.create_index('ix_comments_insights_author', 'comments',
                    ['author_id', 'created_at', 'idea_id', 'by_anonymous_author'], unique=False)


def downgrade():
    op.drop_index('ix_comments_insights_author', table_name='comments')
    op.create_index('ix_comments_insights_author', 'comments',
                    ['author_id', 'created_at', 'idea_id'], unique=False)
    with op.batch_alter_table('idea_events', schema=None) as batch_op:
        batch_op.drop_column('by_anonymous_author')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('by_anonymous_author')
