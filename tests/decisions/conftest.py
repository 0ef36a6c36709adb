"""Fixtures of fair decisions: the default decline reasons (the migration adds them; the
tables are emptied after every test)."""

from __future__ import annotations

import pytest

from suggestions.core.extensions import db
from suggestions.workflow import declines


@pytest.fixture
def reasons(app):
    declines.add_default_reasons()
    db.session.commit()
    return {reason.name_en: reason for reason in declines.reasons()}
