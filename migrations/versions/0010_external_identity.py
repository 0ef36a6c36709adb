"""auth: people signed in through the company's identity provider

Revision ID: 0010_external_identity
Revises: 0009_api_tokens
Create Date: 2026-12-02 17:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_external_identity'
down_revision = '0009_api_tokens'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('unmapped_department', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('break_glass', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_users_external_id'), ['external_id'], unique=True)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_external_id'))
        batch_op.drop_column('break_glass')
        batch_op.drop_column('unmapped_department')
        batch_op.drop_column('external_id')
