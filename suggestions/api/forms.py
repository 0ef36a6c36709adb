"""The form that makes a personal access token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..auth.tokens import TokenScope

SCOPE_LABELS = {
    TokenScope.READ: _l("Read only"),
    TokenScope.WRITE: _l("Read and write"),
}
EXPIRY_CHOICES = [
    ("30", _l("30 days")),
    ("90", _l("90 days")),
    ("365", _l("One year")),
    ("", _l("Never")),
]


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Please fill in this field.")), Length(max=100)],
        description=_l("What the token is for, e.g. “Teams bot”."),
    )
    scope = SelectField(_l("Access"), choices=[(k.value, v) for k, v in SCOPE_LABELS.items()])
    expires = SelectField(_l("Expires after"), choices=EXPIRY_CHOICES, default="90")
    create = SubmitField(_l("Create token"))
