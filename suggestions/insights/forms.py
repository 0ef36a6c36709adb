"""The dashboard's filter: a time range and a department, read from the query string."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from ..core.inputs import DayWithinReach
from .metrics import MAX_RANGE_DAYS

RANGES = {
    "30": _l("Last 30 days"),
    "90": _l("Last 90 days"),
    "365": _l("Last 365 days"),
    "quarter": _l("This quarter"),
    "custom": _l("Custom"),
}
DEFAULT_RANGE = "90"


class DashboardForm(FlaskForm):
    """A GET form: no CSRF token (it changes nothing), every value checked."""

    class Meta:
        csrf = False

    range = SelectField(_l("Period"), choices=list(RANGES.items()), default=DEFAULT_RANGE)
    start = DateField(_l("From"), validators=[Optional(), DayWithinReach()])
    end = DateField(_l("To"), validators=[Optional(), DayWithinReach()])
    department = SelectField(
        _l("Department"), coerce=lambda v: int(v) if v not in (None, "") else None,
        validators=[Optional()],
    )  # fmt: skip

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.range.data != "custom":
            return valid
        first, last = self.start.data, self.end.data
        if first is None or last is None:
            self.start.errors = [*self.start.errors, _l("Please choose both days.")]
            return False
        if self.start.errors or self.end.errors:  # days out of reach (before 1970, after 2199)
            return False
        if first > last:
            self.end.errors = [*self.end.errors, _l("The last day is before the first day.")]
            return False
        if (last - first).days > MAX_RANGE_DAYS:
            self.end.errors = [*self.end.errors, _l("Please choose at most ten years.")]
            return False
        return valid


def quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
