"""One way to show times and numbers on every page: `{% load formats %}`.

Times are shown in the active time zone (the region's on its pages: alliance.tenancy), in the
reader's language's short format, with the zone named; numbers in the reader's language with
their thousands grouped. Machine-readable values (`<time datetime>`) keep Django's `date:'c'`.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def when(value) -> str:
    """A moment: "25 Oct 2026, 14:30 JST", "25/10/2026 14:30 UTC-05", "2026/10/25 14:30 JST"."""
    if not isinstance(value, datetime):
        return value if value is not None else ""
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'SHORT_DATETIME_FORMAT')} {zone_name(local)}"


@register.filter
def day(value) -> str:
    """A day, in the active zone when it is a moment: "25 Oct 2026", "25/10/2026"."""
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    if not isinstance(value, date):
        return value if value is not None else ""
    return formats.date_format(value, "SHORT_DATE_FORMAT")


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


def zone_name(moment: datetime) -> str:
    """The zone's abbreviation; a zone without one (America/Bogota says "-05") reads as an
    offset from UTC."""
    name = moment.tzname() or ""
    return f"UTC{name}" if name.startswith(("+", "-")) else name
