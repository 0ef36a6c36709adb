"""Forms of the ledger and of measured impact: validation only, every message localised."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.inputs import BoundedIntegerField, SingleLine
from ..ideas.forms import LONG_TEXT
from .labels import CHANGE_LABELS, KIND_LABELS
from .models import IDEA_CHANGES, LedgerKind


def _count(label, description=None, required: bool = False):
    return BoundedIntegerField(
        label,
        validators=[
            InputRequired(message=_l("Please enter a number.")) if required else Optional(),
            NumberRange(min=0, max=10_000_000, message=_l("Enter a whole number of 0 or more.")),
        ],
        description=description,
    )


class ItemForm(FlaskForm):
    kind = SelectField(
        _l("Kind"),
        choices=[(k.value, KIND_LABELS[k]) for k in LedgerKind],
        validators=[InputRequired(message=_l("Please choose a kind."))],
    )
    title = StringField(
        _l("Name"),
        validators=[
            DataRequired(message=_l("Please fill in this field.")),
            Length(max=150, message=_l("Use at most 150 characters.")),
            SingleLine(),
        ],
        description=_l("As people call it, e.g. “Travel request form B7”."),
    )
    description = TextAreaField(
        _l("What it is for"),
        validators=[Optional(), Length(max=LONG_TEXT, message=_l("This text is too long."))],
    )
    department = SelectField(
        _l("Owning department"),
        coerce=int,
        validators=[InputRequired(message=_l("Please choose a department."))],
    )
    owner = SelectField(_l("Owner"), coerce=int, validators=[Optional()])
    cases_per_month = _count(_l("Cases per month"))
    minutes_per_case = _count(_l("Minutes per case"), _l("Everyone's time together, per case."))
    signatures = _count(_l("Signatures per case"))
    handoffs = _count(_l("Hand-offs per case"), _l("How often the case changes hands."))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"))


class ConfirmImportForm(FlaskForm):
    content = HiddenField(validators=[DataRequired()])


class ChangeForm(FlaskForm):
    """What the implemented idea changed about one item it touches."""

    item = SelectField(_l("Ledger item"), coerce=int, validators=[InputRequired()])
    kind = SelectField(
        _l("What changed"),
        choices=[(k.value, CHANGE_LABELS[k]) for k in IDEA_CHANGES],
        validators=[InputRequired(message=_l("Please say what changed."))],
    )
    steps_removed = _count(_l("Steps or hand-offs removed"))
    signatures_removed = _count(_l("Signatures removed"))
    fields_removed = _count(_l("Form fields removed"))
    # Any active item of the ledger: the search offers them (radio buttons named
    # ``merged_into``); without JavaScript the item's number typed into the search will do.
    merged_into = BoundedIntegerField(
        _l("Merged into"),
        validators=[Optional(), NumberRange(min=1, message=_l("Please choose an item."))],
    )
    merge_q = StringField(
        _l("Search the ledger for the item it went into"),
        validators=[Optional(), Length(max=100, message=_l("Use at most 100 characters."))],
        description=_l("Type part of its name, or its number."),
    )
    note = TextAreaField(
        _l("Note (optional)"),
        validators=[Optional(), Length(max=LONG_TEXT, message=_l("This text is too long."))],
    )

    def merged_into_id(self) -> int | None:
        """The chosen item, or the number typed into the search (without JavaScript)."""
        if self.merged_into.data:
            return self.merged_into.data
        typed = (self.merge_q.data or "").strip().lstrip("#")
        return int(typed) if typed.isdigit() and len(typed) < 10 else None


class PlanForm(FlaskForm):
    """Baseline and target on acceptance, for one touched item or for the idea as a whole."""

    item = SelectField(_l("For"), coerce=int, validators=[Optional()])
    baseline_minutes = _count(_l("Minutes per case today"), required=True)
    baseline_cases = _count(_l("Cases per month today"), required=True)
    baseline_handoffs = _count(_l("Hand-offs today"))
    baseline_signatures = _count(_l("Signatures today"))
    target_minutes = _count(_l("Minutes per case after"), required=True)
    target_cases = _count(_l("Cases per month after"), required=True)
    target_handoffs = _count(_l("Hand-offs after"))
    target_signatures = _count(_l("Signatures after"))


class MeasurementForm(FlaskForm):
    minutes_per_case = _count(_l("Minutes per case now"), required=True)
    cases_per_month = _count(_l("Cases per month now"), required=True)
    handoffs = _count(_l("Hand-offs now"))
    signatures = _count(_l("Signatures now"))


class ReviewPackForm(FlaskForm):
    month = StringField(
        _l("Month"),
        validators=[DataRequired(message=_l("Please choose a month.")), Length(max=7)],
        description=_l("As YYYY-MM, e.g. 2026-11."),
    )
