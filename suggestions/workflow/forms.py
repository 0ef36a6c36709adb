"""Forms of the decision loop. Each carries the idea's revision, so a decision made on a page
that is no longer current is refused instead of overwriting someone else's."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.inputs import BoundedIntegerField, DayWithinReach, MoneyField
from ..core.onetime import OneTimeKeyField
from ..ideas.forms import LONG_TEXT


def _required():
    return DataRequired(message=_l("Please fill in this field."))


def _text(label, *, required: bool, description=None):
    validators = [_required()] if required else [Optional()]
    validators.append(Length(max=LONG_TEXT, message=_l("This text is too long.")))
    return TextAreaField(label, validators=validators, description=description)


def _amount(label, *, required: bool, description=None):
    return MoneyField(
        label,
        validators=[
            InputRequired(message=_l("Please enter an amount.")) if required else Optional(),
        ],
        description=description,
    )


class _RevisionForm(FlaskForm):
    revision = HiddenField()

    def revision_value(self) -> int | None:
        try:
            return int(self.revision.data)
        except (TypeError, ValueError):
            return None


class NoteForm(_RevisionForm):
    note = _text(_l("Note (optional)"), required=False)


class ReasonForm(_RevisionForm):
    note = _text(_l("Reason (shown to everyone)"), required=True)


class QuestionForm(_RevisionForm):
    note = _text(_l("What do you need to know?"), required=True)


class AnswerForm(_RevisionForm):
    form_key = OneTimeKeyField()
    note = _text(_l("Your answer"), required=True)


class AcceptForm(_RevisionForm):
    estimated_cost = _amount(
        _l("Estimated cost"), required=False,
        description=_l("Decides who may accept: within the department's budget, its head."),
    )  # fmt: skip
    owner = SelectField(
        _l("Who delivers"),
        coerce=int,
        validators=[InputRequired(message=_l("Please choose who delivers."))],
    )
    promise = _text(_l("What will be done"), required=True)
    due_on = DateField(
        _l("Due date"),
        validators=[InputRequired(message=_l("Please enter a date.")), DayWithinReach()],
    )
    note = _text(_l("Note (optional)"), required=False)


class ImplementForm(_RevisionForm):
    change_summary = _text(
        _l("What changed?"), required=True,
        description=_l("In words everyone understands: what is different now?"),
    )  # fmt: skip
    implemented_on = DateField(
        _l("In effect since"),
        validators=[InputRequired(message=_l("Please enter a date.")), DayWithinReach()],
    )


class JustDoItForm(ImplementForm):
    cost = _amount(_l("What it cost"), required=True)


class DuplicateForm(_RevisionForm):
    survivor = BoundedIntegerField(
        _l("Number of the idea that stays open"),
        validators=[
            InputRequired(message=_l("Please enter the number of an idea.")),
            NumberRange(min=1, message=_l("Please enter the number of an idea.")),
        ],
    )
    note = _text(_l("Note (optional)"), required=False)


class TransferForm(_RevisionForm):
    # No department is chosen in advance: the first choice is "Choose a department" (0), and
    # the idea moves only after the page has said where to (``confirmed`` repeats that id).
    department = SelectField(
        _l("Hand over to"),
        coerce=int,
        validators=[
            InputRequired(message=_l("Please choose a department.")),
            NumberRange(min=1, message=_l("Please choose a department.")),
        ],
    )
    note = _text(_l("Note (optional)"), required=False)
    confirmed = HiddenField()

    def target_name(self) -> str | None:
        """The chosen department's name, to say where the idea goes."""
        return dict(self.department.choices or []).get(self.department.data) or None

    def is_confirmed(self) -> bool:
        return bool(self.department.data) and self.confirmed.data == str(self.department.data)


class EstimateForm(_RevisionForm):
    amount = _amount(_l("Estimated cost"), required=True)
    note = _text(_l("Note (optional)"), required=False)


class CommitmentUpdateForm(FlaskForm):
    form_key = OneTimeKeyField()
    body = _text(_l("Progress update"), required=True)


class BreakForm(_RevisionForm):
    note = _text(_l("Why it will not be delivered (shown to everyone)"), required=True)


class DeclineForm(_RevisionForm):
    # The choices are the active reasons (views); an old form without one is declined as
    # "no reason given" rather than refused, so the reason is checked by the domain.
    reason = SelectField(_l("Reason"), coerce=int, validate_choice=False,
                         validators=[Optional()])  # fmt: skip
    note = _text(_l("Why (shown to everyone)"), required=True)
    change_our_mind = _text(
        _l("What would change our mind (optional)"), required=False,
        description=_l("What would have to be different for a yes: shown with the decision."),
    )  # fmt: skip
    revisit_on = DateField(
        _l("Revisit on (optional)"),
        validators=[Optional(), DayWithinReach()],
        description=_l("On this day the idea comes back to the department's queue by itself."),
    )
