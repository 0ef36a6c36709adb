"""stamp: one row that every change to people, departments, categories and settings moves, so each process
may keep those rows between requests and still see a change at the next request

Revision ID: 0013_stamp
Revises: 0012_autotexts
Create Date: 2026-12-04 02:00:00

Triggers move the stamp in the same transaction as the change, whoever writes (the app, a
command, SQL by hand). It is set to a random number rather than counted up: a change rolled
back must never come back as the stamp of another change (suggestions/core/kept.py).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013_stamp"
down_revision = "0012_autotexts"
branch_labels = None
depends_on = None

TABLES = ("users", "departments", "categories", "org_settings", "decision_settings")
OPERATIONS = ("INSERT", "UPDATE", "DELETE")

POSTGRES_FUNCTION = """CREATE FUNCTION stamps_move() RETURNS trigger AS $$
BEGIN
    UPDATE stamps SET version = (random() * 9.2e18)::bigint WHERE id = 1;
    RETURN NULL;
END $$ LANGUAGE plpgsql"""


def upgrade():
    op.create_table(
        "stamps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stamps")),
    )
    op.execute("INSERT INTO stamps (id, version) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION stamps_move()"
            )
        return
    for table in TABLES:
        for operation in OPERATIONS:
            op.execute(
                f"CREATE TRIGGER {table}_stamp_{operation.lower()} AFTER {operation} ON {table} "
                "BEGIN UPDATE stamps SET version = random() WHERE id = 1; END"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_stamp ON {table}")
        op.execute("DROP FUNCTION IF EXISTS stamps_move()")
    else:
        for table in TABLES:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_stamp_{operation.lower()}")
    op.drop_table("stamps")
