"""The tables of fair decisions, imported by ``create_app`` so SQLAlchemy knows them all."""

from . import breadth, campaigns, decision_settings, declines, scorecards  # noqa: F401
