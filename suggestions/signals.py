"""The one hook between the core domains and the parts that react to them (notifications,
webhooks). ``ideas`` and ``workflow`` send; they never import their listeners."""

from blinker import Namespace

_signals = Namespace()

# Sent after an IdeaEvent row is added to the session (same transaction), with event=...
idea_event_recorded = _signals.signal("idea-event-recorded")
