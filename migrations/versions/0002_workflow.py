"""workflow: decisions, clocks, commitments

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 23:46:55.742880

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('org_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_response_days', sa.Integer(), nullable=False),
    sa.Column('decision_days', sa.Integer(), nullable=False),
    sa.Column('default_decision_budget', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('empowerment_budget', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_settings'))
    )
    # The one settings row, with the documented defaults.
    op.execute(
        "INSERT INTO org_settings (id, first_response_days, decision_days, "
        "default_decision_budget, empowerment_budget, currency) VALUES (1, 7, 30, 5000, 500, 'EUR')"
    )
    op.create_table('commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('promise', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('delivered_on', sa.Date(), nullable=True),
    sa.Column('close_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_commitments_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_commitments_department_id_departments')),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_commitments_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_commitments_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitments'))
    )
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.create_index('ix_commitments_department_state', ['department_id', 'state', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitments_idea_id'), ['idea_id'], unique=False)
        batch_op.create_index('ix_commitments_owner_state', ['owner_id', 'state', 'due_on'], unique=False)
        batch_op.create_index('ix_commitments_state_due', ['state', 'due_on', 'id'], unique=False)

    op.create_table('commitment_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_commitment_updates_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_commitment_updates_commitment_id_commitments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment_updates'))
    )
    with op.batch_alter_table('commitment_updates', schema=None) as batch_op:
        batch_op.create_index('ix_commitment_updates_commitment', ['commitment_id', 'id'], unique=False)

    with op.batch_alter_table('idea_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('related_idea_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_idea_events_department_id_departments'), 'departments', ['department_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_idea_events_related_idea_id_ideas'), 'ideas', ['related_idea_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('estimated_cost', sa.Numeric(precision=12, scale=2), nullable=True))
        batch_op.add_column(sa.Column('escalated_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('first_response_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('implemented_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('implemented_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('change_summary', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('done_by_empowerment', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_ideas_department_status_created', ['owning_department_id', 'status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ideas_duplicate_of_id'), ['duplicate_of_id'], unique=False)
        batch_op.create_index('ix_ideas_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_ideas_duplicate_of_id_ideas'), 'ideas', ['duplicate_of_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_ideas_duplicate_of_id_ideas'), type_='foreignkey')
        batch_op.drop_index('ix_ideas_status_created')
        batch_op.drop_index(batch_op.f('ix_ideas_duplicate_of_id'))
        batch_op.drop_index('ix_ideas_department_status_created')
        batch_op.drop_column('duplicate_of_id')
        batch_op.drop_column('done_by_empowerment')
        batch_op.drop_column('change_summary')
        batch_op.drop_column('implemented_on')
        batch_op.drop_column('implemented_at')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('first_response_at')
        batch_op.drop_column('escalated_at')
        batch_op.drop_column('estimated_cost')
        batch_op.drop_column('revision')

    with op.batch_alter_table('idea_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_idea_events_related_idea_id_ideas'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_idea_events_department_id_departments'), type_='foreignkey')
        batch_op.drop_column('amount')
        batch_op.drop_column('related_idea_id')
        batch_op.drop_column('department_id')

    with op.batch_alter_table('commitment_updates', schema=None) as batch_op:
        batch_op.drop_index('ix_commitment_updates_commitment')

    op.drop_table('commitment_updates')
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_index('ix_commitments_state_due')
        batch_op.drop_index('ix_commitments_owner_state')
        batch_op.drop_index(batch_op.f('ix_commitments_idea_id'))
        batch_op.drop_index('ix_commitments_department_state')

    op.drop_table('commitments')
    op.drop_table('org_settings')
