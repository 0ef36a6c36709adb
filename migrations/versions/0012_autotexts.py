"""automatic texts as keys: the timeline's and the bell's sentences Freiraum writes itself;
the bell's list by time

Revision ID: 0012_autotexts
Revises: 0011_governance
Create Date: 2026-12-03 15:00:00

An escalation because the estimate is above the department's budget wrote its sentence in the
language of the person who estimated. It is stored as a key now and shown in each reader's
language. Existing rows with the sentence in English or German get the key and lose the text.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012_autotexts"
down_revision = "0011_governance"
branch_labels = None
depends_on = None

# key -> every stored form of its sentence (the languages Freiraum wrote it in).
STORED = {
    "above_budget": (
        "Above the department's decision budget.",
        "Über dem Entscheidungsbudget der Abteilung.",
    ),
}
ENGLISH = {key: forms[0] for key, forms in STORED.items()}


def upgrade():
    with op.batch_alter_table("idea_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note_key", sa.String(length=40), nullable=True))
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("detail_key", sa.String(length=40), nullable=True))
        # The bell's list, newest first by time (notify.queries.notifications_page).
        batch_op.create_index("ix_notifications_user_created", ["user_id", "created_at", "id"])

    events = sa.table(
        "idea_events",
        sa.column("kind", sa.String),
        sa.column("note", sa.Text),
        sa.column("note_key", sa.String),
    )
    notifications = sa.table(
        "notifications",
        sa.column("kind", sa.String),
        sa.column("detail", sa.Text),
        sa.column("detail_key", sa.String),
    )
    for key, forms in STORED.items():
        op.execute(
            events.update()
            .where(events.c.kind == "escalated", events.c.note.in_(forms))
            .values(note_key=key, note=None)
        )
        op.execute(
            notifications.update()
            .where(notifications.c.detail.in_(forms))
            .values(detail_key=key, detail=None)
        )


def downgrade():
    events = sa.table("idea_events", sa.column("note", sa.Text), sa.column("note_key", sa.String))
    notifications = sa.table(
        "notifications", sa.column("detail", sa.Text), sa.column("detail_key", sa.String)
    )
    for key, english in ENGLISH.items():
        op.execute(events.update().where(events.c.note_key == key).values(note=english))
        op.execute(
            notifications.update().where(notifications.c.detail_key == key).values(detail=english)
        )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_user_created")
        batch_op.drop_column("detail_key")
    with op.batch_alter_table("idea_events", schema=None) as batch_op:
        batch_op.drop_column("note_key")
