"""one-time form keys: a form sent twice creates its idea, comment or update once

Revision ID: 0008_form_keys
Revises: 0007_anon
Create Date: 2026-12-02 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_form_keys'
down_revision = '0007_anon'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('form_keys',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('result_url', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_form_keys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'key', name=op.f('pk_form_keys'))
    )


def downgrade():
    op.drop_table('form_keys')
