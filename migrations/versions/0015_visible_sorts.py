"""ideas: the list's two counted orders (votes, comments) indexed for visible ideas only, so a
page by number skips ideas in the index without reading each skipped idea's row

Revision ID: 0015_visible_sorts
Revises: 0014_idea
Create Date: 2026-12-04 21:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015_visible_sorts"
down_revision = "0014_idea"
branch_labels = None
depends_on = None

VISIBLE = "hidden_reason IS NULL"  # publicly_visible()
INDEXES = {"ix_ideas_visible_top": "vote_count", "ix_ideas_visible_discussed": "comment_count"}


def upgrade() -> None:
    for name, column in INDEXES.items():
        op.create_index(
            name, "ideas", [column, "id"],
            sqlite_where=sa.text(VISIBLE), postgresql_where=sa.text(VISIBLE),
        )  # fmt: skip


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="ideas")
