"""The migrations build exactly the schema the models describe: Alembic's autogenerate compares
the models with the database after ``upgrade head`` (the test database is built that way) and
finds nothing to do, on SQLite and on PostgreSQL. A model changed without its migration, or a
migration that forgot an index, fails here rather than on a production upgrade.

Server defaults are not compared: columns added to existing tables carry one in their
migration to fill the rows already there, and the models need not repeat it.
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData

from suggestions.core.extensions import db


def _search_index(name, type_, parent_names) -> bool:
    # Built by hand in its migration (FTS5 on SQLite, a tsvector table on PostgreSQL), outside
    # the models' metadata; migrations/env.py leaves it out of autogenerate the same way.
    return not (type_ == "table" and name and name.startswith("idea_search"))


def _differences(metadata: MetaData) -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": _search_index}
        )
        return compare_metadata(context, metadata)


def test_the_migrated_schema_is_the_models_schema(app):
    assert _differences(db.metadata) == []


def test_the_comparison_sees_a_column_the_migrations_lack(app):
    changed = MetaData()
    for table in db.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["ideas"].append_column(Column("forgotten", Integer, nullable=True))
    assert [diff[0] for diff in _differences(changed)] == ["add_column"]
