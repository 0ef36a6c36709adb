"""What governance hears besides the audit log's signals: a new idea may have to wait for
approval (setting ``HOLD_NEW_IDEAS``)."""

from __future__ import annotations

from ..core.signals import idea_event_recorded
from ..ideas.models import EventKind
from . import moderation


def _on_idea_event(sender, event, idea, **_extra) -> None:
    if event.kind == EventKind.SUBMITTED:
        moderation.hold_if_required(idea)


def connect() -> None:
    idea_event_recorded.connect(_on_idea_event)
