"""Forms of fair decisions: settings, decline reasons, scorecards, campaigns."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.inputs import DayWithinReach, SingleLine
from ..ideas.forms import LONG_TEXT


def _required():
    return DataRequired(message=_l("Please fill in this field."))


def _count(label, minimum: int):
    return IntegerField(
        label,
        validators=[
            InputRequired(message=_l("Please enter a number.")),
            NumberRange(min=minimum, max=100_000,
                        message=_l("Please enter a number between %(min)s and %(max)s.")),
        ],
    )  # fmt: skip


class DecisionSettingsForm(FlaskForm):
    breadth_supporters = _count(_l("Supporters for the breadth guarantee"), 1)
    breadth_departments = _count(_l("…from at least this many departments"), 1)
    only_decisions_respond = BooleanField(
        _l("Only a decision counts as the first response"),
        description=_l("Otherwise starting the review, a question to the author or an official "
                       "answer from a head or leader counts too."),
    )  # fmt: skip


class DeclineReasonForm(FlaskForm):
    name_en = StringField(
        _l("Name (English)"), validators=[_required(), Length(max=80), SingleLine()]
    )
    name_de = StringField(
        _l("Name (German)"), validators=[_required(), Length(max=80), SingleLine()]
    )
    position = IntegerField(
        _l("Position in lists"), default=0, validators=[Optional(), NumberRange(min=0, max=1000)]
    )
    active = BooleanField(_l("Can be chosen for new declines"), default=True)


SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


def _score(label, description):
    return RadioField(
        label, choices=SCORE_CHOICES, coerce=int, description=description,
        validators=[InputRequired(message=_l("Please choose a score from 1 to 5."))],
    )  # fmt: skip


class ScorecardForm(FlaskForm):
    impact = _score(_l("Impact"), _l("1: hardly noticed, 5: changes a lot"))
    effort = _score(_l("Effort"), _l("1: a little work, 5: a big project"))
    cost = _score(_l("Cost"), _l("1: next to nothing, 5: a large budget"))
    risk = _score(_l("Risk"), _l("1: safe, 5: could go badly wrong"))
    comment = TextAreaField(
        _l("Comment (optional, seen by heads and leadership only)"),
        validators=[Optional(), Length(max=LONG_TEXT, message=_l("This text is too long."))],
    )


class CampaignForm(FlaskForm):
    question = StringField(
        _l("Question"),
        validators=[_required(), Length(max=200), SingleLine()],
        description=_l("For example: Which approval step could we drop?"),
    )
    description = TextAreaField(
        _l("What it is about (optional)"),
        validators=[Optional(), Length(max=LONG_TEXT, message=_l("This text is too long."))],
    )
    deadline = DateField(
        _l("Ideas until"),
        validators=[InputRequired(message=_l("Please enter a date.")), DayWithinReach()],
    )
    departments = SelectMultipleField(
        _l("Asks these departments (none: everyone)"), coerce=int, validators=[Optional()]
    )
