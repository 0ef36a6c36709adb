"""insights: the dashboard's figures, kept for a few minutes

Revision ID: 0006_insights_snapshots
Revises: 0005_insights
Create Date: 2026-11-25 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_insights_snapshots'
down_revision = '0005_insights'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('insights_snapshots',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('figures', sa.Text(), nullable=True),
    sa.Column('computed_at', sa.DateTime(), nullable=True),
    sa.Column('refreshing_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_insights_snapshots'))
    )
    op.create_index(op.f('ix_insights_snapshots_computed_at'), 'insights_snapshots', ['computed_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_insights_snapshots_computed_at'), table_name='insights_snapshots')
    op.drop_table('insights_snapshots')
