"""Forms every domain's pages share."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

LONG_TEXT = 10000


class ActionForm(FlaskForm):
    """A button that changes state: CSRF and an optional note."""

    note = TextAreaField(
        _l("Note (optional)"),
        validators=[Optional(), Length(max=LONG_TEXT, message=_l("This text is too long."))],
    )
