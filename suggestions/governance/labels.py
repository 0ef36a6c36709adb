"""Words shown for the audit log's codes. The codes stay what is stored, filtered on and
exported (the CSV keeps them: they are data); a person reads these labels."""

from __future__ import annotations

import json

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..ideas.labels import STATUS_LABELS
from ..web.templating import translated

# A status change is logged as ``idea.<new status>`` (audit._on_idea_event): those are named
# from the status labels, so a new status needs no line here.
KIND_LABELS = {
    "idea.submitted": _l("Idea submitted"),
    "idea.edited": _l("Idea edited"),
    "idea.info_provided": _l("Idea: question answered"),
    "idea.transferred": _l("Idea handed to another department"),
    "idea.cost_estimated": _l("Idea: cost estimated"),
    "idea.escalated": _l("Idea sent to leadership"),
    "idea.merged_into": _l("Idea: duplicate merged in"),
    "idea.revisited": _l("Idea back in the queue on its revisit date"),
    "idea.commitment_update": _l("Commitment: progress update"),
    "idea.commitment_closed": _l("Commitment closed as broken"),
    "comment.marked_official": _l("Comment marked as official answer"),
    "comment.unmarked_official": _l("Comment no longer the official answer"),
    "moderation.reported": _l("Moderation: reported"),
    "moderation.hidden": _l("Moderation: hidden"),
    "moderation.shown": _l("Moderation: shown again"),
    "moderation.approved": _l("Moderation: approved"),
    "moderation.dismissed": _l("Moderation: reports dismissed"),
    "moderation.review_requested": _l("Moderation: review asked for"),
    "moderation.edited": _l("Moderation: hidden comment changed"),
    "moderator.granted": _l("Moderator role given"),
    "moderator.revoked": _l("Moderator role taken away"),
    "note.written": _l("Internal note written"),
    "user.changed": _l("Account changed"),
    "user.deactivated": _l("Account deactivated"),
    "user.reactivated": _l("Account reactivated"),
    "user.erased": _l("Account erased"),
    "accounts.imported": _l("Accounts imported"),
    "department.created": _l("Department created"),
    "department.changed": _l("Department changed"),
    "settings.changed": _l("Settings changed"),
    "sign_in.succeeded": _l("Signed in"),
    "sign_in.failed": _l("Sign-in failed"),
    "token.created": _l("Access token created"),
    "token.revoked": _l("Access token revoked"),
    "export.downloaded": _l("Export downloaded"),
    "audit.exported": _l("Audit log downloaded"),
    "audit.pruned": _l("Old entries removed"),
}

TARGET_LABELS = {
    "idea": _l("Idea"),
    "comment": _l("Comment"),
    "user": _l("Account"),
    "department": _l("Department"),
    "token": _l("Access token"),
    "settings": _l("Settings"),
    "login": _l("Sign-in"),
    "export": _l("Export"),
}


def kind_label(kind: str) -> str:
    """What an entry records, in the reader's words; a code without a label as itself."""
    if kind in KIND_LABELS:
        return translated(KIND_LABELS[kind])
    group, _dot, status = kind.partition(".")
    if group == "idea" and status in STATUS_LABELS:
        return _("Idea status: %(status)s", status=translated(STATUS_LABELS[status]))
    return kind


def target_label(kind: str | None) -> str:
    return translated(TARGET_LABELS[kind]) if kind in TARGET_LABELS else kind or ""


def change_text(stored: str | None) -> str:
    """A stored before/after value as a person reads it: the JSON with its letters as letters
    ("Büro", not "B\\u00fcro"); what is not JSON as it was stored."""
    if not stored:
        return ""
    try:
        value = json.loads(stored)
    except ValueError:
        return stored
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
