"""The ledger's words for its kinds and changes, in both languages."""

from flask_babel import lazy_gettext as _l

from .models import ChangeKind, ItemStatus, LedgerKind

KIND_LABELS = {
    LedgerKind.RULE: _l("Rule"),
    LedgerKind.FORM: _l("Form"),
    LedgerKind.APPROVAL: _l("Approval step"),
    LedgerKind.REPORT: _l("Report"),
    LedgerKind.TOOL: _l("Tool"),
}

STATUS_LABELS = {
    ItemStatus.ACTIVE: _l("In use"),
    ItemStatus.ABOLISHED: _l("Abolished"),
    ItemStatus.MERGED: _l("Merged"),
}

CHANGE_LABELS = {
    ChangeKind.CREATED: _l("Added to the ledger"),
    ChangeKind.EDITED: _l("Details changed"),
    ChangeKind.IMPORTED: _l("Imported"),
    ChangeKind.ABOLISHED: _l("Abolished"),
    ChangeKind.SIMPLIFIED: _l("Simplified"),
    ChangeKind.MERGED: _l("Merged into another item"),
    ChangeKind.DIGITISED: _l("Digitised"),
}
