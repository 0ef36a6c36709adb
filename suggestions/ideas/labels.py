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
