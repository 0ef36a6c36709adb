"""ledger: the bureaucracy ledger, measured impact, the leadership review pack, and files
attached to mails in the outbox (the pack's PDF)

Revision ID: 0011_ledger
Revises: 0010_external_identity
Create Date: 2026-12-03 08:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011_ledger"
down_revision = '0011_decisions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ledger_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("cases_per_month", sa.Integer(), nullable=False),
        sa.Column("minutes_per_case", sa.Integer(), nullable=False),
        sa.Column("signatures", sa.Integer(), nullable=False),
        sa.Column("handoffs", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("ended_by_idea_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_ledger_items_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["ended_by_idea_id"],
            ["ideas.id"],
            name=op.f("fk_ledger_items_ended_by_idea_id_ideas"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_ledger_items_owner_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_items")),
    )
    with op.batch_alter_table("ledger_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ledger_items_department_id", ["department_id", "id"], unique=False
        )
        batch_op.create_index("ix_ledger_items_kind_id", ["kind", "id"], unique=False)
        batch_op.create_index("ix_ledger_items_status_id", ["status", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_items_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "idea_ledger_items",
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["ideas.id"],
            name=op.f("fk_idea_ledger_items_idea_id_ideas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["ledger_items.id"],
            name=op.f("fk_idea_ledger_items_item_id_ledger_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("idea_id", "item_id", name=op.f("pk_idea_ledger_items")),
    )
    with op.batch_alter_table("idea_ledger_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_idea_ledger_items_item_id"), ["item_id"], unique=False)

    op.create_table(
        "ledger_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("steps_removed", sa.Integer(), nullable=False),
        sa.Column("signatures_removed", sa.Integer(), nullable=False),
        sa.Column("fields_removed", sa.Integer(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_ledger_changes_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["ideas.id"],
            name=op.f("fk_ledger_changes_idea_id_ideas"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["ledger_items.id"],
            name=op.f("fk_ledger_changes_item_id_ledger_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["ledger_items.id"],
            name=op.f("fk_ledger_changes_merged_into_id_ledger_items"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_changes")),
    )
    with op.batch_alter_table("ledger_changes", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_changes_idea", ["idea_id", "id"], unique=False)
        batch_op.create_index("ix_ledger_changes_item", ["item_id", "id"], unique=False)
        batch_op.create_index(
            "ix_ledger_changes_kind_created", ["kind", "created_at"], unique=False
        )

    op.create_table(
        "impact_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("baseline_minutes", sa.Integer(), nullable=False),
        sa.Column("baseline_cases", sa.Integer(), nullable=False),
        sa.Column("baseline_handoffs", sa.Integer(), nullable=False),
        sa.Column("baseline_signatures", sa.Integer(), nullable=False),
        sa.Column("target_minutes", sa.Integer(), nullable=False),
        sa.Column("target_cases", sa.Integer(), nullable=False),
        sa.Column("target_handoffs", sa.Integer(), nullable=False),
        sa.Column("target_signatures", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["ideas.id"],
            name=op.f("fk_impact_plans_idea_id_ideas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["ledger_items.id"],
            name=op.f("fk_impact_plans_item_id_ledger_items"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_impact_plans_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impact_plans")),
    )
    with op.batch_alter_table("impact_plans", schema=None) as batch_op:
        batch_op.create_index("ix_impact_plans_idea", ["idea_id", "id"], unique=False)

    op.create_table(
        "impact_measurements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("after_days", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("minutes_per_case", sa.Integer(), nullable=True),
        sa.Column("cases_per_month", sa.Integer(), nullable=True),
        sa.Column("handoffs", sa.Integer(), nullable=True),
        sa.Column("signatures", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["ideas.id"],
            name=op.f("fk_impact_measurements_idea_id_ideas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_impact_measurements_owner_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["impact_plans.id"],
            name=op.f("fk_impact_measurements_plan_id_impact_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_impact_measurements_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impact_measurements")),
        sa.UniqueConstraint("plan_id", "after_days", name=op.f("uq_impact_measurements_plan_id")),
    )
    with op.batch_alter_table("impact_measurements", schema=None) as batch_op:
        batch_op.create_index("ix_impact_measurements_idea", ["idea_id", "id"], unique=False)
        batch_op.create_index(
            "ix_impact_measurements_owner_open", ["owner_id", "recorded_at", "due_on"], unique=False
        )

    op.create_table(
        "review_packs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("made_by_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["made_by_id"],
            ["users.id"],
            name=op.f("fk_review_packs_made_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_packs")),
        sa.UniqueConstraint("month", name=op.f("uq_review_packs_month")),
    )

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachment_name", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("attachment", sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("attachment")
        batch_op.drop_column("attachment_name")
    op.drop_table("review_packs")
    op.drop_table("impact_measurements")
    op.drop_table("impact_plans")
    op.drop_table("ledger_changes")
    op.drop_table("idea_ledger_items")
    op.drop_table("ledger_items")
