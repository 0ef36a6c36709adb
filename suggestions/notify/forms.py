"""Forms for following, notification settings and webhooks: validation only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..core.inputs import SingleLine
from ..ideas.forms import MultiCheckboxField
from .models import Delivery
from .rules import PREFERENCES, Preference
from .webhooks import EVENTS

DELIVERY_LABELS = {
    Delivery.IN_APP: _l("In the app only"),
    Delivery.EMAIL: _l("Email at once"),
    Delivery.DIGEST: _l("Weekly digest"),
    Delivery.OFF: _l("Off"),
}


class FollowForm(FlaskForm):
    """Sets following to the state named, so a double click cannot undo itself."""

    follow = HiddenField(validators=[DataRequired()])


def preferences_form(
    current: dict[str, Delivery], offered: dict[str, Preference] | None = None
) -> FlaskForm:
    """One choice per kind of event offered to the person, each offering the deliveries that
    kind allows."""

    class PreferencesForm(FlaskForm):
        pass

    for kind, preference in (PREFERENCES if offered is None else offered).items():
        field = RadioField(
            preference.label,
            choices=[(d.value, DELIVERY_LABELS[d]) for d in preference.choices],
            default=current[kind].value,
            validators=[DataRequired(message=_l("Please choose one."))],
        )
        setattr(PreferencesForm, kind, field)
    return PreferencesForm()


class WebhookForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(message=_l("Please fill in this field.")),
            Length(max=120),
            SingleLine(),
        ],
        description=_l("For you: which channel this is, e.g. “Teams: Customer Service”."),
    )
    url = StringField(
        _l("Address (URL)"),
        validators=[
            DataRequired(message=_l("Please fill in this field.")),
            Length(max=2000),
            SingleLine(),
        ],
        description=_l("The incoming webhook address of the channel. It must start with https://."),
    )
    secret = StringField(
        _l("Secret"),
        validators=[
            Optional(),
            Length(min=16, max=200, message=_l("Use between 16 and 200 characters.")),
            SingleLine(),
        ],
        description=_l(
            "Signs every call (HMAC-SHA256). Leave empty to keep the current one; a new webhook "
            "gets a random secret."
        ),
    )
    events = MultiCheckboxField(
        _l("Events"),
        choices=list(EVENTS.items()),
        validators=[DataRequired(message=_l("Choose at least one event."))],
    )
    active = BooleanField(_l("Active"), default=True)
