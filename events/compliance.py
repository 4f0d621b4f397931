"""The playbook's minimum of regular activities (2-3 Operation, I and IV): at least one regular
meeting a quarter and one annual event a year. An event counts when it is not cancelled
(planned, announced or held) and starts within the period in the region's time zone.

The region dashboard shows both; in a quarter's last month with no regular meeting, and in
the year's last quarter with no annual event, the panel warns and a daily job tells the
region's secretariat, once per region and period."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.models import Notification, Role
from alliance.services.notifications import in_language_of, notify_many

from .models import Event, EventKind, EventState

COUNTED = [EventState.PLANNED, EventState.ANNOUNCED, EventState.HELD]
REGULAR, ANNUAL = "regular", "annual"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # the first day after it
    code: str  # "2026Q4", "2026"

    def moments(self, zone) -> tuple[datetime.datetime, datetime.datetime]:
        return (datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone),
                datetime.datetime.combine(self.end, datetime.time.min, tzinfo=zone))

    def last_stretch(self, months: int) -> datetime.date:
        """The first day of the period's last `months` months."""
        index = self.end.year * 12 + self.end.month - 1 - months
        return datetime.date(index // 12, index % 12 + 1, 1)


def quarter_of(day: datetime.date) -> Period:
    number = (day.month - 1) // 3 + 1
    start = datetime.date(day.year, 3 * number - 2, 1)
    end = (datetime.date(day.year + 1, 1, 1) if number == 4
           else datetime.date(day.year, 3 * number + 1, 1))
    return Period(start, end, f"{day.year}Q{number}")


def year_of(day: datetime.date) -> Period:
    return Period(datetime.date(day.year, 1, 1), datetime.date(day.year + 1, 1, 1),
                  str(day.year))


@dataclass(frozen=True)
class Requirement:
    """One of the two minimums, for the current period."""

    code: str  # REGULAR or ANNUAL
    kind: str  # the EventKind that meets it
    period: Period
    held: datetime.datetime | None  # the latest held event's start
    planned: datetime.datetime | None  # the next planned or announced event's start
    event_id: int | None  # the event the panel links to
    warn: bool  # the period's end is near and nothing counts yet

    @property
    def state(self) -> str:
        if self.held is not None:
            return "held"
        return "planned" if self.planned is not None else "none"


def requirements(region, today: datetime.date | None = None) -> list[Requirement]:
    """This quarter's regular meetings and this year's annual event, from one query. Call
    inside the region's scope (its time zone is active)."""
    zone = timezone.get_current_timezone()
    today = today or timezone.localdate()
    quarter, year = quarter_of(today), year_of(today)
    start, end = year.moments(zone)
    rows = list(Event.objects.filter(
        region=region, kind__in=[EventKind.REGULAR_MEETING, EventKind.ANNUAL_EVENT],
        state__in=COUNTED, starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at", "pk").values_list("pk", "kind", "state", "starts_at"))
    return [
        _requirement(REGULAR, EventKind.REGULAR_MEETING, quarter, rows, zone,
                     warn_from=quarter.last_stretch(1), today=today),
        _requirement(ANNUAL, EventKind.ANNUAL_EVENT, year, rows, zone,
                     warn_from=year.last_stretch(3), today=today),
    ]


def _requirement(code, kind, period: Period, rows, zone, *, warn_from, today) -> Requirement:
    start, end = period.moments(zone)
    mine = [row for row in rows if row[1] == kind and start <= row[3] < end]
    held = [row for row in mine if row[2] == EventState.HELD]
    planned = [row for row in mine if row[2] != EventState.HELD]
    upcoming = [row for row in planned if row[3] >= timezone.now()] or planned
    shown = held[-1] if held else (upcoming[0] if upcoming else None)
    return Requirement(code=code, kind=kind, period=period,
                       held=held[-1][3] if held else None,
                       planned=upcoming[0][3] if upcoming else None,
                       event_id=shown[0] if shown else None,
                       warn=not mine and today >= warn_from)


def plan_url(region, kind: str) -> str:
    """Where to plan an event of `kind` (the events area's form), if it is there."""
    try:
        return f"{reverse('event-create', kwargs={'region_slug': region.slug})}?kind={kind}"
    except NoReverseMatch:
        return ""


def event_url(region, event_id: int | None) -> str:
    if event_id is None:
        return ""
    try:
        return reverse("event-detail", kwargs={"region_slug": region.slug,
                                               "event_id": event_id})
    except NoReverseMatch:
        return ""


def key_of(region, requirement: Requirement) -> str:
    return f"compliance:{requirement.code}:{region.pk}:{requirement.period.code}"


def send_warnings(*, region, today: datetime.date | None = None) -> int:
    """Tell the region's secretariat when a minimum is about to be missed: in a quarter's
    last month without a regular meeting, in the year's last quarter without an annual
    event. Once per region and period (each secretary's key names the period). Returns how
    many notifications were written now. Call inside the region's scope."""
    due = [r for r in requirements(region, today) if r.warn]
    if not due:
        return 0
    team = list(get_user_model().objects.filter(
        memberships__region=region, memberships__role=Role.REGIONAL_SECRETARIAT,
        is_active=True).distinct().order_by("pk"))
    rows = [_warning(region, requirement, person)
            for requirement in due for person in team]
    return len(notify_many(rows))


def _warning(region, requirement: Requirement, person) -> Notification:
    with in_language_of(person, region):
        if requirement.code == REGULAR:
            subject = _("No regular meeting planned this quarter (%(period)s)")
            body = _("The playbook asks for at least one regular meeting a quarter, and none "
                     "is planned or held in %(period)s. Plan one before the quarter ends.")
        else:
            subject = _("No annual event planned this year (%(period)s)")
            body = _("The playbook asks for at least one annual event a year, and none is "
                     "planned or held in %(period)s. Plan one before the year ends.")
        words = {"period": requirement.period.code}
        subject, body = subject % words, body % words
    return Notification(key=f"{key_of(region, requirement)}:{person.pk}", recipient=person,
                        region=region, subject=subject, body=body,
                        url=plan_url(region, requirement.kind))
