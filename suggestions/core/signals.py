"""The one hook between the core domains and the parts that react to them (notifications,
webhooks). ``ideas`` and ``workflow`` send; they never import their listeners.

Every signal is sent inside the transaction that made the change, so a listener that adds rows
(a notification, an outbox mail) commits or rolls back together with it.
"""

from blinker import Namespace

_signals = Namespace()

# Sent after an IdeaEvent row is added to the session, with event=IdeaEvent, idea=Idea.
idea_event_recorded = _signals.signal("idea-event-recorded")

# Sent after a comment is added (comment=Comment, idea=Idea), and when a comment is marked as
# (or no longer) the official answer (comment=Comment, idea=Idea, actor=User).
comment_posted = _signals.signal("comment-posted")
official_answer_marked = _signals.signal("official-answer-marked")

# Sent after a vote is added (idea=Idea, user=User); not when it is taken back.
vote_added = _signals.signal("vote-added")

# Sent when a person asked for a password reset link (user=User, token=str, language=str,
# valid_minutes=int): notify mails the link through the outbox, in the same transaction.
password_reset_requested = _signals.signal("password-reset-requested")

# Sent when the actual figures of an implemented idea are due from the commitment's owner
# (idea=Idea, owner_id=int, after_days=int), by ledger.impact.ask_for_measurements.
measurement_requested = _signals.signal("measurement-requested")
