"""people: erased accounts (tombstones) and CSV imports waiting for the admin's confirmation

Revision ID: 0011_people
Revises: 0010_external_identity
Create Date: 2026-12-03 08:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011_people"
down_revision = "0010_external_identity"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))
    op.create_table(
        "people_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("admin_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("deactivate_missing", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["admin_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("people_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_imports_token"), ["token"], unique=True)
        batch_op.create_index(batch_op.f("ix_people_imports_admin_id"), ["admin_id"], unique=False)


def downgrade():
    with op.batch_alter_table("people_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_imports_admin_id"))
        batch_op.drop_index(batch_op.f("ix_people_imports_token"))
    op.drop_table("people_imports")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
