"""Forms of moderation and internal notes: validation only, every message localised."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..ideas.forms import LONG_TEXT

REASON_CHOICES = [
    ("offensive", _l("Offensive")),
    ("personal_data", _l("Personal data")),
    ("confidential", _l("Confidential")),
    ("other", _l("Other")),
]


def _long(required: bool = False):
    first = DataRequired(message=_l("Please fill in this field.")) if required else Optional()
    return [first, Length(max=LONG_TEXT, message=_l("This text is too long."))]


class ReportForm(FlaskForm):
    reason = SelectField(
        _l("What is wrong?"), choices=REASON_CHOICES,
        validators=[DataRequired(message=_l("Please choose a reason."))],
    )  # fmt: skip
    text = TextAreaField(_l("Tell moderation more (optional)"), validators=_long())


class HideForm(FlaskForm):
    reason = SelectField(
        _l("Reason shown in its place"), choices=REASON_CHOICES,
        validators=[DataRequired(message=_l("Please choose a reason."))],
    )  # fmt: skip
    note = TextAreaField(_l("Note for the record (optional)"), validators=_long())


class DecisionForm(FlaskForm):
    """Show again, dismiss the reports, ask for review: CSRF and an optional note."""

    note = TextAreaField(_l("Note for the record (optional)"), validators=_long())


class HiddenCommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=_long(required=True))


class NoteForm(FlaskForm):
    body = TextAreaField(
        _l("Internal note"), validators=_long(required=True),
        description=_l("Only heads of the departments concerned and leadership read this. "
                       "Markdown works; @Name tells a colleague."),
    )  # fmt: skip
