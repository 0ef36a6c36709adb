from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

ENCODING_CHOICES = [
    ("utf-8", _l("UTF-8 (with or without BOM; Excel: “CSV UTF-8”)")),
    ("cp1252", _l("Windows-1252 (older Excel “CSV”)")),
]


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Please choose a file."))])
    encoding = SelectField(_l("Encoding"), choices=ENCODING_CHOICES, default="utf-8")
    deactivate_missing = BooleanField(_l("Deactivate people who are not in the file"))
    preview = SubmitField(_l("Show preview"))


class ConfirmImportForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Length(max=64)])
    confirm = SubmitField(_l("Import now"))


class EraseForm(FlaskForm):
    confirm_email = StringField(
        _l("Type the person's email address to confirm"),
        validators=[DataRequired(_l("Please fill in this field.")), Length(max=254)],
    )
    erase = SubmitField(_l("Erase for good"))


class ExportForm(FlaskForm):
    download = SubmitField(_l("Download my data"))
