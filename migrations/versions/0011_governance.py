"""governance: audit log (append-only, by trigger), moderation, internal notes

Revision ID: 0011_governance
Revises: 0010_external_identity
Create Date: 2026-12-03 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_governance'
down_revision = '0011_ledger'
branch_labels = None
depends_on = None

# Entries may be deleted only when older than a prune permit (written by prune-audit in the
# same transaction); never updated.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
       WHEN NOT EXISTS (SELECT 1 FROM audit_prune_permits p WHERE OLD.created_at < p.cutoff)
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
POSTGRES_TRIGGERS = [
    """CREATE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' AND EXISTS (
           SELECT 1 FROM audit_prune_permits p WHERE OLD.created_at < p.cutoff) THEN
           RETURN OLD;
         END IF;
         RAISE EXCEPTION 'the audit log is append-only';
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
       FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()""",
    # TRUNCATE skips row triggers: refuse it too.
    """CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
       FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()""",
]


def upgrade():
    op.create_table(
        'audit_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('kind', sa.String(length=64), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_label', sa.String(length=32), nullable=True),
        sa.Column('target_kind', sa.String(length=32), nullable=True),
        sa.Column('target_id', sa.Integer(), nullable=True),
        sa.Column('target_label', sa.String(length=255), nullable=True),
        sa.Column('address', sa.String(length=64), nullable=True),
        sa.Column('before', sa.Text(), nullable=True),
        sa.Column('after', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_kind_id', ['kind', 'id'], unique=False)
        batch_op.create_index('ix_audit_entries_actor_id', ['actor_id', 'id'], unique=False)
        batch_op.create_index('ix_audit_entries_target', ['target_kind', 'target_id', 'id'], unique=False)
        batch_op.create_index('ix_audit_entries_created_at', ['created_at', 'id'], unique=False)
    op.create_table(
        'audit_prune_permits',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cutoff', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'moderators',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('granted_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id'),
    )
    op.create_table(
        'moderation_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('target_key', sa.String(length=40), nullable=False),
        sa.Column('idea_id', sa.Integer(), nullable=False),
        sa.Column('comment_id', sa.Integer(), nullable=True),
        sa.Column('reporter_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.String(length=32), nullable=False),
        sa.Column('text', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('reporter_id', 'target_key', name='uq_moderation_reports_reporter'),
    )
    with op.batch_alter_table('moderation_reports', schema=None) as batch_op:
        batch_op.create_index('ix_moderation_reports_open', ['resolved_at', 'target_key', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_reports_idea_id'), ['idea_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_reports_comment_id'), ['comment_id'], unique=False)
    op.create_table(
        'moderation_steps',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('target_key', sa.String(length=40), nullable=False),
        sa.Column('idea_id', sa.Integer(), nullable=False),
        sa.Column('comment_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('reason', sa.String(length=32), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('by_author', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('moderation_steps', schema=None) as batch_op:
        batch_op.create_index('ix_moderation_steps_target', ['target_key', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_steps_idea_id'), ['idea_id'], unique=False)
    op.create_table(
        'internal_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('idea_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('internal_notes', schema=None) as batch_op:
        batch_op.create_index('ix_internal_notes_idea_id', ['idea_id', 'id'], unique=False)
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_reason', sa.String(length=32), nullable=True))
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_reason', sa.String(length=32), nullable=True))

    statements = POSTGRES_TRIGGERS if op.get_bind().dialect.name == 'postgresql' else SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries')
        op.execute('DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries')
        op.execute('DROP FUNCTION IF EXISTS audit_entries_append_only()')
    else:
        op.execute('DROP TRIGGER IF EXISTS audit_entries_no_update')
        op.execute('DROP TRIGGER IF EXISTS audit_entries_no_delete')
    # A plain DROP COLUMN (SQLite 3.35+), not batch mode: batch mode rebuilds the table, and
    # dropping the old ``ideas`` would cascade to every comment, vote and event.
    op.execute('ALTER TABLE comments DROP COLUMN hidden_reason')
    op.execute('ALTER TABLE ideas DROP COLUMN hidden_reason')
    op.drop_table('internal_notes')
    op.drop_table('moderation_steps')
    op.drop_table('moderation_reports')
    op.drop_table('moderators')
    op.drop_table('audit_prune_permits')
    op.drop_table('audit_entries')
