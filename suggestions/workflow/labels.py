"""Words shown for the workflow's stored values."""

from flask_babel import lazy_gettext as _l

from .models import CommitmentState

COMMITMENT_LABELS = {
    CommitmentState.OPEN: _l("Open"),
    CommitmentState.KEPT: _l("Kept on time"),
    CommitmentState.KEPT_LATE: _l("Kept late"),
    CommitmentState.BROKEN: _l("Broken"),
}

VIEW_LABELS = {
    "all": _l("All"),
    "open": _l("Open"),
    "due_soon": _l("Due soon"),
    "overdue": _l("Overdue"),
    "kept": _l("Kept on time"),
    "kept_late": _l("Kept late"),
    "broken": _l("Broken"),
}
