"""The organisation's rules for fair decisions: when support is broad enough to be owed a
leadership answer, and what counts as a first response. One row (id 1); without it the
defaults apply."""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import Boolean, Integer
from sqlalchemy.orm import Mapped, mapped_column

from ..core.extensions import db
from ..core.kept import kept_row

DEFAULT_SUPPORTERS = 25
DEFAULT_DEPARTMENTS = 3


class DecisionSettings(db.Model):
    __tablename__ = "decision_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Breadth guarantee: at least this many supporters from at least this many departments.
    breadth_supporters: Mapped[int] = mapped_column(Integer, default=DEFAULT_SUPPORTERS)
    breadth_departments: Mapped[int] = mapped_column(Integer, default=DEFAULT_DEPARTMENTS)
    # Organisations that want only a decision (not an acknowledgement or an official answer)
    # to stop the first-response clock.
    only_decisions_respond: Mapped[bool] = mapped_column(Boolean, default=False)


def decision_settings() -> DecisionSettings:
    """The settings row, or the defaults (not added to the session) when there is none. Read
    once per request (every clock on a page asks), and kept per process while the stamp
    stands (core.kept)."""
    if has_request_context() and "decision_settings" in g:
        return g.decision_settings
    row = kept_row(DecisionSettings, 1, lambda: db.session.get(DecisionSettings, 1)) or _defaults()
    if has_request_context():
        g.decision_settings = row
    return row


def _defaults() -> DecisionSettings:
    return DecisionSettings(
        id=1,
        breadth_supporters=DEFAULT_SUPPORTERS,
        breadth_departments=DEFAULT_DEPARTMENTS,
        only_decisions_respond=False,
    )


def save_decision_settings(*, supporters: int, departments: int, only_decisions: bool) -> None:
    from flask_babel import lazy_gettext as _

    from ..core.errors import DomainError

    if not 1 <= departments <= supporters:
        raise DomainError(_("The departments cannot outnumber the supporters."))
    row = db.session.get(DecisionSettings, 1)
    if row is None:
        row = DecisionSettings(id=1)
        db.session.add(row)
    row.breadth_supporters = supporters
    row.breadth_departments = departments
    row.only_decisions_respond = only_decisions
    db.session.flush()
    if has_request_context():
        g.pop("decision_settings", None)
