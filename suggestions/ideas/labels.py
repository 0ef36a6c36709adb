"""Words shown for stored values."""

from flask_babel import lazy_gettext as _l

from .models import EventKind, IdeaStatus

STATUS_LABELS = {
    IdeaStatus.NEW: _l("New"),
    IdeaStatus.IN_REVIEW: _l("In review"),
    IdeaStatus.NEEDS_INFO: _l("Needs details"),
    IdeaStatus.ACCEPTED: _l("Accepted"),
    IdeaStatus.IN_PROGRESS: _l("In progress"),
    IdeaStatus.IMPLEMENTED: _l("Implemented"),
    IdeaStatus.DECLINED: _l("Declined"),
    IdeaStatus.DUPLICATE: _l("Duplicate"),
    IdeaStatus.WITHDRAWN: _l("Withdrawn"),
}

EVENT_LABELS = {
    EventKind.SUBMITTED: _l("submitted the idea"),
    EventKind.EDITED: _l("edited the idea"),
    EventKind.STATUS_CHANGED: _l("changed the status to"),
    EventKind.INFO_PROVIDED: _l("answered the question; the status is now"),
    EventKind.TRANSFERRED: _l("handed the idea to another department"),
    EventKind.COST_ESTIMATED: _l("estimated the cost"),
    EventKind.ESCALATED: _l("asked leadership to decide"),
    EventKind.MERGED_INTO: _l("merged a duplicate into this idea"),
    EventKind.COMMITMENT_UPDATE: _l("posted a progress update"),
    EventKind.COMMITMENT_CLOSED: _l("closed the commitment as broken"),
}

SORT_LABELS = {
    "top": _l("Top"),
    "new": _l("Newest"),
    "discussed": _l("Most discussed"),
    "relevance": _l("Best match"),  # offered only with a search
}

# Why moderation took an idea or comment out of view (stored in ``hidden_reason``), and the
# hold before an organisation's approval of a new idea.
HIDDEN_REASONS = {
    "offensive": _l("offensive"),
    "personal_data": _l("personal data"),
    "confidential": _l("confidential"),
    "other": _l("other"),
    "awaiting_approval": _l("waiting for approval"),
}


def hidden_notice(reason: str | None) -> str:
    """The line shown in place of a hidden item."""
    if reason == "awaiting_approval":
        return str(_l("Waiting for approval by moderation."))
    label = HIDDEN_REASONS.get(reason or "", HIDDEN_REASONS["other"])
    return str(_l("Hidden by moderation: %(reason)s", reason=label))


# The texts every idea card and vote button shows (ideas/cards.py: once per page).
CARD_TEXTS = {
    "vote_for": _l("Vote for this idea"),
    "take_back": _l("Take back your vote"),
    "votes": _l("votes"),
    "you_voted": _l("you voted"),
    "not_voted": _l("not voted yet"),
    "customers_notice": _l("Customers notice"),
    "just_did_it": _l("Just did it"),
}
