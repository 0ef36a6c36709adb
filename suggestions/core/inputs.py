"""Bounds for what a request may carry: ids, numbers, amounts and one-line texts.

Every value from a URL, a query string or a form passes one of these before it reaches a
query or a column. PostgreSQL refuses integers beyond a column's type (``int4`` ids: 2^31 - 1)
and SQLite cannot bind integers beyond 2^63 - 1: an id past those bounds names nothing, so it is
a 404 (URLs) or ignored (filters, cursors), never a 500. Money is finite, non-negative and
within what ``Numeric(12, 2)`` holds; a one-line text holds no control characters (exports,
mails and headers could not carry them).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from wtforms import DecimalField, Field, IntegerField
from wtforms.validators import StopValidation, ValidationError

# Ids are ``int4`` on PostgreSQL: the smallest integer column we look up by.
DB_INT_MAX = 2**31 - 1
# Numeric(12, 2): ten digits before the decimal point.
MONEY_MAX = Decimal("9999999999.99")

# Days a person may enter. Beyond them, a range's end plus one day, or a deadline's clock,
# would leave what ``datetime`` can hold (9999-12-31 is its last day).
EARLIEST_DAY = date(1970, 1, 1)
LATEST_DAY = date(2199, 12, 31)

# C0 and C1 control characters and DEL. Tab, CR and LF are control characters too: a one-line
# field has no use for them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` in every route: an id beyond the database's integer is not found."""

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def bounded_int(value: str) -> int:
    """An integer a query may compare with a column, for ``request.args.get(..., type=...)``:
    anything else raises ``ValueError``, so the argument falls back to its default."""
    number = int(value)
    if abs(number) > DB_INT_MAX:
        raise ValueError("out of range")
    return number


def in_db_range(number: int) -> bool:
    return abs(number) <= DB_INT_MAX


def has_control_characters(text: str | None) -> bool:
    return bool(text) and CONTROL_CHARACTERS.search(text) is not None


class SingleLine:
    """Refuses control characters (NUL, ESC, bell, line breaks...) in a one-line field."""

    def __init__(self, message=None) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and has_control_characters(field.data):
            raise ValidationError(
                self.message or _l("Please use letters, digits and punctuation only.")
            )


class DayWithinReach:
    """Refuses days before 1970 or after 2199 (a DateField's validator)."""

    def __call__(self, form, field) -> None:
        if isinstance(field.data, date) and not EARLIEST_DAY <= field.data <= LATEST_DAY:
            raise StopValidation(_l("Please choose a day between 1970 and 2199."))


class BoundedIntegerField(IntegerField):
    """An IntegerField that refuses numbers no column could hold (before any range check)."""

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not in_db_range(self.data):
            self.data = None
            raise ValueError(_l("This number is too large."))


class MoneyField(DecimalField):
    """An amount of money: finite, not negative, at most ``maximum``, two decimal places.

    ``Decimal`` reads "NaN", "sNaN", "Infinity" and "1e400" as numbers; comparing a
    signalling NaN raises, and the others cannot be stored or shown. They are refused here,
    with a form error, before any other validator sees them."""

    def __init__(self, label=None, validators=None, maximum: Decimal = MONEY_MAX, **kwargs):
        kwargs.setdefault("places", 2)
        super().__init__(label, validators, **kwargs)
        self.maximum = maximum

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        raw = valuelist[0].strip()
        if "," in raw and "." not in raw:  # "1200,50", as German speakers write it
            raw = raw.replace(",", ".")
        try:
            amount = Decimal(raw)
        except (InvalidOperation, ValueError):
            self.data = None
            raise ValueError(_l("Please enter an amount, e.g. 1200 or 1200.50.")) from None
        if not amount.is_finite():
            self.data = None
            raise ValueError(_l("Please enter an amount, e.g. 1200 or 1200.50."))
        self.data = amount

    def pre_validate(self, form) -> None:
        if self.data is None:
            return
        if self.data < 0:
            raise StopValidation(_l("Enter an amount of 0 or more."))
        if self.data > self.maximum:
            raise StopValidation(_l("This amount is too large."))
        self.data = self.data.quantize(Decimal("0.01"))


def format_money(amount, currency: str) -> str:
    """An amount as the page shows it. Rows stored before these bounds existed may hold
    amounts no format can show (NaN, infinity, 1e30): they read "?" rather than break a page."""
    from flask_babel import format_currency

    if amount is None:
        return ""
    try:
        value = Decimal(str(amount))
        if not value.is_finite() or abs(value) > MONEY_MAX:
            return "?"
        return format_currency(value, currency)
    except (InvalidOperation, ValueError, ArithmeticError):
        return "?"


class IdListField(Field):
    """Several record numbers sent under one name (checkboxes filled by a search while
    typing): whole numbers a column can hold, at most ``limit``; what they name is checked by
    the domain that reads them."""

    def __init__(self, label=None, validators=None, limit: int = 50, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.limit = limit

    def process_formdata(self, valuelist) -> None:
        ids: list[int] = []
        for value in valuelist:
            text = (value or "").strip()
            if not text:
                continue
            if not text.isdigit() or not in_db_range(int(text)):
                self.data = []
                raise ValueError(_l("Please choose from the list."))
            if int(text) not in ids:
                ids.append(int(text))
        if len(ids) > self.limit:
            self.data = ids[: self.limit]
            raise ValueError(_l("Please choose at most %(n)s.", n=self.limit))
        self.data = ids

    def _value(self) -> str:
        return ""
