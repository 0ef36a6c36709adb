"""decisions: the worker's job leases and runs, reasoned declines, votes' departments

Revision ID: 0011_decisions
Revises: 0010_external_identity
Create Date: 2026-12-03 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_decisions'
down_revision = '0010_external_identity'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'job_leases',
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('next_run_at', sa.DateTime(), nullable=False),
        sa.Column('holder', sa.String(length=40), nullable=True),
        sa.Column('lease_until', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('name'),
    )
    op.create_table(
        'job_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job', sa.String(length=80), nullable=False),
        sa.Column('worker', sa.String(length=40), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('outcome', sa.String(length=12), nullable=False),
        sa.Column('counts', sa.Text(), nullable=True),
        sa.Column('duration_ms', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_job_runs_job_started', 'job_runs', ['job', 'started_at'])
    op.create_index(op.f('ix_job_runs_started_at'), 'job_runs', ['started_at'])


def downgrade():
    op.drop_index(op.f('ix_job_runs_started_at'), table_name='job_runs')
    op.drop_index('ix_job_runs_job_started', table_name='job_runs')
    op.drop_table('job_runs')
    op.drop_table('job_leases')
