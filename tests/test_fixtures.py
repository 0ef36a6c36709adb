"""What the fixtures promise beyond a clean database (tests/test_isolation.py proves that)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from suggestions.core.extensions import db

from .conftest import TEST_DATABASE_URL


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="a PostgreSQL setting")
def test_a_test_database_on_postgresql_commits_without_waiting_for_the_disk(app):
    assert db.session.scalar(text("SHOW synchronous_commit")) == "off"
