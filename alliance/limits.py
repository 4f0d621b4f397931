"""Bounds on numbers read from requests, shared by forms and the API.

An id past the database's 64-bit column makes some backends raise instead of finding
nothing (SQLite's OverflowError, PostgreSQL's out-of-range error): refuse it as input."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1

TOO_LARGE = _("This number is too large: at most %(limit_value)s.")
TOO_SMALL = _("This number is too small: at least %(limit_value)s.")


class WholeNumberField(forms.IntegerField):
    """An integer field whose refusal of a big number says it is too large.

    Django reads "1e20" as not a whole number; it is one, only too large (or, written as
    1.5e3, not whole): say which."""

    default_error_messages = {"max_value": TOO_LARGE, "min_value": TOO_SMALL}

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            number = as_integral(value)
            if number is None:
                raise
            return number


# Beyond every bound the portal sets; kept small so "1e999999" costs nothing to refuse.
HUGE = 10**30


def as_integral(value) -> int | None:
    """The integer that `value` (an int, or text such as "1e20") stands for, or None.

    Numbers past HUGE come back as HUGE: they are refused as too large all the same."""
    text = str(value).strip()
    if len(text) > 50:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    if abs(number) > HUGE:
        return HUGE if number > 0 else -HUGE
    if number != number.to_integral_value():
        return None
    return int(number)
