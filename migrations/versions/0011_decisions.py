"""decisions: the worker's jobs, reasoned declines, breadth, scorecards, campaigns

Revision ID: 0011_decisions
Revises: 0010_external_identity
Create Date: 2026-12-03 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_decisions'
down_revision = '0011_people'
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

    op.create_table(
        'decision_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('breadth_supporters', sa.Integer(), nullable=False, server_default='25'),
        sa.Column('breadth_departments', sa.Integer(), nullable=False, server_default='3'),
        sa.Column('only_decisions_respond', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint('id'),
    )
    reasons = op.create_table(
        'decline_reasons',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name_en', sa.String(length=80), nullable=False),
        sa.Column('name_de', sa.String(length=80), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name_en'),
        sa.UniqueConstraint('name_de'),
    )
    op.bulk_insert(reasons, [
        {'id': 1, 'name_en': 'Legal requirement', 'name_de': 'Gesetzliche Vorgabe', 'position': 10, 'active': True},
        {'id': 2, 'name_en': 'Cost out of proportion', 'name_de': 'Kosten unverhältnismäßig', 'position': 20, 'active': True},
        {'id': 3, 'name_en': 'Already planned', 'name_de': 'Bereits geplant', 'position': 30, 'active': True},
        {'id': 4, 'name_en': 'Conflicts with another change', 'name_de': 'Widerspricht einer anderen Änderung', 'position': 40, 'active': True},
        {'id': 5, 'name_en': 'Other reason', 'name_de': 'Anderer Grund', 'position': 90, 'active': True},
    ])
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("SELECT setval(pg_get_serial_sequence('decline_reasons', 'id'), 5)")
    op.create_table(
        'declines',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('idea_id', sa.Integer(), nullable=False),
        sa.Column('reason_id', sa.Integer(), nullable=True),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('change_our_mind', sa.Text(), nullable=True),
        sa.Column('revisit_on', sa.Date(), nullable=True),
        sa.Column('revisited_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['reason_id'], ['decline_reasons.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_declines_idea', 'declines', ['idea_id', 'id'])
    op.create_index('ix_declines_revisit', 'declines', ['revisited_at', 'revisit_on'])
    op.create_index('ix_declines_department_reason', 'declines', ['department_id', 'reason_id'])
    with op.batch_alter_table('votes', schema=None) as batch_op:
        # The voter's department when they voted: breadth counts where support came from.
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_votes_department_id', 'departments', ['department_id'], ['id'], ondelete='SET NULL')
    op.execute(
        "UPDATE votes SET department_id = "
        "(SELECT users.department_id FROM users WHERE users.id = votes.user_id)"
    )
    op.create_table(
        'breadth_guarantees',
        sa.Column('idea_id', sa.Integer(), nullable=False),
        sa.Column('reached_at', sa.DateTime(), nullable=False),
        sa.Column('due_at', sa.DateTime(), nullable=False),
        sa.Column('supporters', sa.Integer(), nullable=False),
        sa.Column('departments', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('idea_id'),
    )
    op.create_index('ix_breadth_guarantees_due', 'breadth_guarantees', ['due_at', 'idea_id'])
    op.create_table(
        'scorecards',
        sa.Column('idea_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('impact', sa.Integer(), nullable=False),
        sa.Column('effort', sa.Integer(), nullable=False),
        sa.Column('cost', sa.Integer(), nullable=False),
        sa.Column('risk', sa.Integer(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('scored_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('idea_id', 'user_id'),
    )
    op.create_table(
        'campaigns',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('question', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('deadline', sa.Date(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_campaigns_deadline', 'campaigns', ['deadline', 'id'])
    op.create_table(
        'campaign_departments',
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('campaign_id', 'department_id'),
    )
    op.create_table(
        'campaign_ideas',
        sa.Column('idea_id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('idea_id'),
    )
    op.create_index('ix_campaign_ideas_campaign', 'campaign_ideas', ['campaign_id', 'idea_id'])


def downgrade():
    op.drop_index('ix_campaign_ideas_campaign', table_name='campaign_ideas')
    op.drop_table('campaign_ideas')
    op.drop_table('campaign_departments')
    op.drop_index('ix_campaigns_deadline', table_name='campaigns')
    op.drop_table('campaigns')
    op.drop_table('scorecards')
    op.drop_index('ix_breadth_guarantees_due', table_name='breadth_guarantees')
    op.drop_table('breadth_guarantees')
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_constraint('fk_votes_department_id', type_='foreignkey')
        batch_op.drop_column('department_id')
    op.drop_index('ix_declines_department_reason', table_name='declines')
    op.drop_index('ix_declines_revisit', table_name='declines')
    op.drop_index('ix_declines_idea', table_name='declines')
    op.drop_table('declines')
    op.drop_table('decline_reasons')
    op.drop_table('decision_settings')
    op.drop_index(op.f('ix_job_runs_started_at'), table_name='job_runs')
    op.drop_index('ix_job_runs_job_started', table_name='job_runs')
    op.drop_table('job_runs')
    op.drop_table('job_leases')
