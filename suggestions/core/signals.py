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
# -- what the audit log hears (governance.audit). ``actor`` is the User who acted (None: the
# command line or the system); ``before``/``after`` are plain dicts of what changed.

# An admin changed a person's role, department, name or language (actor, user, before, after).
user_changed = _signals.signal("user-changed")
# An admin deactivated or reactivated an account (actor, user, active).
user_activation_changed = _signals.signal("user-activation-changed")
# A department's name, heads or decision budget changed (actor, department, before, after;
# before None: created).
department_saved = _signals.signal("department-saved")
# The organisation's settings changed (actor, before, after).
settings_saved = _signals.signal("settings-saved")
# Someone signed in (user, method: "password", "oidc", "ldap", "proxy").
signed_in = _signals.signal("signed-in")
# A sign-in with a password failed (login: what was typed as the address).
sign_in_failed = _signals.signal("sign-in-failed")
# Accounts were imported from a file (actor, created: int, updated: int).
accounts_imported = _signals.signal("accounts-imported")
# An account's personal data was erased (actor, user).
account_erased = _signals.signal("account-erased")
# A personal access token was created or revoked (actor, token).
token_created = _signals.signal("token-created")
token_revoked = _signals.signal("token-revoked")
# Someone downloaded an export (actor, what: a short name, e.g. "dashboard.csv").
data_exported = _signals.signal("data-exported")

# -- what governance tells notify. Moderation hid an item, showed it again or approved a held
# idea (idea, comment: None for the idea itself, author_id, step: "hidden"/"shown"/"approved",
# reason, actor).
moderation_decided = _signals.signal("moderation-decided")
# Someone was mentioned in an internal note and may read notes (note, idea, person, actor).
note_mentioned = _signals.signal("note-mentioned")
