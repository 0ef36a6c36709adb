"""person stamps: one row per person that every change to their notifications moves, so each
process may keep the bell's unread count between requests and still see a change at once

Revision ID: 0014_fixed
Revises: 0014_vote
Create Date: 2026-12-04 19:00:00

Triggers move the person's stamp in the same transaction as the change, whoever writes (the
app, the worker, a command, SQL by hand), to a random number, as 0013_stamp does for the
stamp of all (suggestions/core/kept.py). A person without a row has had no change yet: the
first one inserts it.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014_fixed"
down_revision = "0014_vote"
branch_labels = None
depends_on = None

TABLES = ("notifications",)
RANDOM = {"postgresql": "(random() * 9.2e18)::bigint", "sqlite": "random()"}

# PostgreSQL: once per statement, over the rows it changed (a bulk insert of thousands of
# notifications moves each person once), in the order of the people (no two writers lock two
# people in opposite orders).
POSTGRES_FUNCTION = f"""CREATE FUNCTION person_stamps_move() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE person_stamps SET version = {RANDOM["postgresql"]};
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO person_stamps (user_id, version)
        SELECT user_id, {RANDOM["postgresql"]}
        FROM (SELECT DISTINCT user_id FROM new_rows) AS people
        ORDER BY user_id
        ON CONFLICT (user_id) DO UPDATE SET version = EXCLUDED.version;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO person_stamps (user_id, version)
        SELECT user_id, {RANDOM["postgresql"]}
        FROM (SELECT DISTINCT user_id FROM old_rows) AS people
        ORDER BY user_id
        ON CONFLICT (user_id) DO UPDATE SET version = EXCLUDED.version;
    ELSE
        INSERT INTO person_stamps (user_id, version)
        SELECT user_id, {RANDOM["postgresql"]}
        FROM (SELECT user_id FROM old_rows
              UNION SELECT user_id FROM new_rows) AS people
        ORDER BY user_id
        ON CONFLICT (user_id) DO UPDATE SET version = EXCLUDED.version;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql"""

POSTGRES_TRIGGERS = {
    "insert": "AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows",
    "update": "AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows",
    "truncate": "AFTER TRUNCATE ON {table}",
}

# Plain statements, no conflict clause: inside a cascade (a deleted idea's notifications)
# SQLite applies the outer statement's conflict policy, so INSERT OR REPLACE would fail.
SQLITE_MOVE = (
    "UPDATE person_stamps SET version = random() WHERE user_id = {row}.user_id; "
    "INSERT INTO person_stamps (user_id, version) SELECT {row}.user_id, random() "
    "WHERE NOT EXISTS (SELECT 1 FROM person_stamps WHERE user_id = {row}.user_id);"
)
SQLITE_TRIGGERS = {
    "insert": ("AFTER INSERT", ("NEW",)),
    "update": ("AFTER UPDATE", ("OLD", "NEW")),
    "delete": ("AFTER DELETE", ("OLD",)),
}


def upgrade():
    op.create_table(
        "person_stamps",
        sa.Column("user_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_person_stamps")),
    )
    dialect = op.get_bind().dialect.name
    for table in TABLES:  # everyone with rows already has a stamp
        op.execute(
            f"INSERT INTO person_stamps (user_id, version) SELECT DISTINCT user_id, 0 "
            f"FROM {table}"
        )
    if dialect == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            for name, when in POSTGRES_TRIGGERS.items():
                op.execute(
                    f"CREATE TRIGGER {table}_person_stamp_{name} {when.format(table=table)} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION person_stamps_move()"
                )
        return
    for table in TABLES:
        for name, (when, rows) in SQLITE_TRIGGERS.items():
            moves = " ".join(SQLITE_MOVE.format(row=row) for row in rows)
            op.execute(
                f"CREATE TRIGGER {table}_person_stamp_{name} {when} ON {table} "
                f"FOR EACH ROW BEGIN {moves} END"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            for name in POSTGRES_TRIGGERS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_person_stamp_{name} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS person_stamps_move()")
    else:
        for table in TABLES:
            for name in SQLITE_TRIGGERS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_person_stamp_{name}")
    op.drop_table("person_stamps")
