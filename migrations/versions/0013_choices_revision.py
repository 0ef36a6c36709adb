"""a revision of the department and category choices, bumped by the database on every change

Revision ID: 0013_choices_revision
Revises: 0012_autotexts
Create Date: 2026-12-04 01:30:00

Every list page and form offers the departments and categories. Each process keeps them and
reads one number per request instead: triggers count every insert, update and delete of
either table (whoever writes: the admin pages, the CLI, an import, plain SQL), so a change made
through one worker is seen by every other on its next request.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013_choices_revision"
down_revision = "0012_autotexts"
branch_labels = None
depends_on = None

TABLES = ("departments", "categories")
# An upsert: the row is made by the first change if it is missing (an emptied table).
BUMP = (
    "INSERT INTO org_revisions (name, revision) VALUES ('choices', 1) "
    "ON CONFLICT (name) DO UPDATE SET revision = org_revisions.revision + 1"
)


def _sqlite_triggers():
    for table in TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = f"{table}_{event.lower()}_revision"
            yield f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {BUMP}; END"


POSTGRES_FUNCTION = f"""CREATE FUNCTION org_choices_revision() RETURNS trigger AS $$
    BEGIN {BUMP}; RETURN NULL; END $$ LANGUAGE plpgsql"""


def upgrade():
    op.create_table(
        "org_revisions",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.execute("INSERT INTO org_revisions (name, revision) VALUES ('choices', 1)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
                f" ON {table} FOR EACH STATEMENT EXECUTE FUNCTION org_choices_revision()"
            )
    else:
        for statement in _sqlite_triggers():
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_revision ON {table}")
        op.execute("DROP FUNCTION IF EXISTS org_choices_revision()")
    else:
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{event}_revision")
    op.drop_table("org_revisions")
