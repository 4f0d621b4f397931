"""One way to show times and numbers on every page: `{% load formats %}`.

Times are shown in the active time zone (the region's on its pages: alliance.tenancy), in the
reader's language's short format, with the zone named; numbers in the reader's language with
their thousands grouped. Machine-readable values (`<time datetime>`) keep Django's `date:'c'`.
"""

from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, partial

from django import template
from django.utils import formats, timezone, translation
from django.utils.dateformat import re_escaped, re_formatchars
from django.utils.dates import MONTHS_3

register = template.Library()


@register.filter
def when(value) -> str:
    """A moment: "25 Oct 2026, 14:30 JST", "25/10/2026 14:30 UTC-05", "2026/10/25 14:30 JST"."""
    if not isinstance(value, datetime):
        return value if value is not None else ""
    return shown_moment(timezone.localtime(value), date_formatter("SHORT_DATETIME_FORMAT"))


@register.filter
def day(value) -> str:
    """A day, in the active zone when it is a moment: "25 Oct 2026", "25/10/2026"."""
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    if not isinstance(value, date):
        return value if value is not None else ""
    return date_formatter("SHORT_DATE_FORMAT")(value)


@register.filter
def number(value) -> str:
    """A count or amount with its thousands grouped: "2,000,000", "2.000.000", "2 000 000"."""
    return decimal(value, None)


@register.filter
def decimal(value, places=1) -> str:
    """A number to `places` decimals in the reader's language: "66.7", "66,7"."""
    if value is None or value == "":
        return ""
    if places is not None:
        # Rounded half up, as floatformat does: number_format only cuts the digits off.
        places = int(places)
        value = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def shown_moment(local: datetime, formatter: Callable[[date], str]) -> str:
    """A moment already in the zone it is shown in, as `|when` shows it. A list of moments
    (a history) looks the zone and the `formatter` up once, not for each."""
    return f"{formatter(local)} {zone_name(local)}"


def zone_name(moment: datetime) -> str:
    """The zone's abbreviation; a zone without one (America/Bogota says "-05") reads as an
    offset from UTC."""
    name = moment.tzname() or ""
    return f"UTC{name}" if name.startswith(("+", "-")) else name


def date_formatter(format_name: str) -> Callable[[date], str]:
    """The active language's `format_name` ("SHORT_DATE_FORMAT") as a function of a date or
    a moment, the same text as Django's `date_format`. A list shows a time on every row:
    Django parses the format and translates the month's name on each call, this does it once
    per language."""
    return _formatter(format_name, translation.get_language())


# Django's format characters that a str.format field writes alike; {1} is the month's name.
_FIELDS = {"d": "{0.day:02d}", "j": "{0.day}", "m": "{0.month:02d}", "n": "{0.month}",
           "M": "{1}", "Y": "{0.year:04d}", "H": "{0.hour:02d}", "G": "{0.hour}",
           "i": "{0.minute:02d}", "s": "{0.second:02d}"}


@cache
def _formatter(format_name: str, language: str | None) -> Callable[[date], str]:
    with translation.override(language):
        pattern = formats.get_format(format_name)
        months = {n: str(name).title() for n, name in MONTHS_3.items()}
    fields = []
    for n, piece in enumerate(re_formatchars.split(pattern)):
        if n % 2 == 0:  # text between format characters, backslash escapes undone
            fields.append(re_escaped.sub(r"\1", piece).replace("{", "{{").replace("}", "}}"))
        elif piece in _FIELDS:
            fields.append(_FIELDS[piece])
        else:  # a format character this does not know: Django writes it, call by call
            return partial(_django_format, format_name=format_name, language=language)
    text = "".join(fields)
    return lambda value: text.format(value, months[value.month])


def _django_format(value: date, *, format_name: str, language: str | None) -> str:
    with translation.override(language):
        return formats.date_format(value, format_name)
