"""The plans area in `make bench` (registered from events/bench.py): the event list (plain and
filtered) as events grow, an event's page with a ten-item agenda as its history grows, the
event form, and a series' page as its meetings grow. Under them, every bench region holds a
regular meeting a month for years and events of every kind (the background seeder)."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from alliance.bench import (
    Batch,
    Bench,
    BenchPage,
    add_background,
    add_history,
    in_region,
    owners_of,
    register,
)
from alliance.models import Delegation, Role
from cities.models import Contact

from .models import (
    AgendaItem,
    AgendaState,
    Event,
    EventFormat,
    EventKind,
    EventState,
    MeetingSeries,
)
from .services.series import GRANT, default_role, default_scope

_serial = itertools.count(1)  # keeps titles unique across rounds
KINDS = list(EventKind.values)
AGENDA_STATES = list(AgendaState.values)
LINK = "https://meet.example.org/bench"


def _event(region, n: int, starts_at, *, series=None, kind=EventKind.REGULAR_MEETING,
           organizer=None) -> Event:
    past = starts_at < timezone.now()
    return Event(region=region, series=series, kind=kind, title=f"Bench event {n}",
                 format=EventFormat.ONLINE, online_link=LINK, starts_at=starts_at,
                 ends_at=starts_at + datetime.timedelta(hours=2), organizer=organizer,
                 state=EventState.HELD if past else EventState.PLANNED,
                 agenda_state=AgendaState.APPROVED if past
                 else AGENDA_STATES[n % len(AGENDA_STATES)])


# -- the background -------------------------------------------------------------------------

def add_events(batch: Batch) -> None:
    """A regular meeting series with a meeting a month from four years back to a year ahead,
    and for every ten cities an event of some kind spread over the same years."""
    region, owners = batch.region, owners_of(batch.region)
    series = MeetingSeries.objects.create(region=region,
                                          title=f"Bench regular meeting {next(_serial)}")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    monthly = [_event(region, next(_serial), now + datetime.timedelta(days=30 * month),
                      series=series, organizer=owners[month % len(owners)] if owners else None)
               for month in range(-48, 13)]
    count = batch.size.per(10)
    others = [_event(region, n, now + datetime.timedelta(hours=(n * 37) % (5 * 365 * 24)
                                                         - 4 * 365 * 24),
                     kind=KINDS[n % len(KINDS)],
                     organizer=owners[n % len(owners)] if owners else None)
              for n in itertools.islice(_serial, count)]
    Event.objects.bulk_create(monthly + others)


add_background(add_events)


# -- pages ----------------------------------------------------------------------------------

def add_list_events(bench: Bench, rows: int) -> None:
    """Coming events of every kind, some organized by the reader."""
    now = timezone.now()
    Event.objects.bulk_create(
        _event(bench.region, n, now + datetime.timedelta(days=1 + n % 300),
               kind=KINDS[n % len(KINDS)], organizer=bench.user if n % 2 else None)
        for n in itertools.islice(_serial, rows))


def _event_with_agenda(bench: Bench) -> dict:
    """A coming meeting of a series handed to a member, with a ten-item agenda whose
    speakers are city contacts and staff."""
    owner = owners_of(bench.region)[0]
    series = MeetingSeries.objects.create(region=bench.region,
                                          title=f"Bench handed series {next(_serial)}")
    today = timezone.localdate()
    Delegation.objects.create(
        region=bench.region, target=series, delegate=owner, permission=GRANT,
        role=default_role(), scope=default_scope(), starts_on=today,
        review_on=today + datetime.timedelta(days=90), created_by=owner)
    event = _event(bench.region, next(_serial), timezone.now() + datetime.timedelta(days=40),
                   series=series, organizer=owner)
    event.save()
    contacts = list(Contact.objects.filter(region=bench.region).order_by("pk")[:5])
    AgendaItem.objects.bulk_create(
        AgendaItem(region=bench.region, event=event, position=n, title=f"Item {n}",
                   duration_minutes=10,
                   speaker_contact=contacts[n % len(contacts)] if contacts and n % 2 else None,
                   speaker_user=owner if not n % 2 else None)
        for n in range(1, 11))
    bench.subject = event
    return {**in_region(bench), "event_id": event.pk}


def _series_page(bench: Bench) -> dict:
    series = MeetingSeries.objects.create(region=bench.region,
                                          title=f"Bench series {next(_serial)}")
    bench.subject = series
    return {**in_region(bench), "series_id": series.pk}


def add_series_events(bench: Bench, rows: int) -> None:
    """Meetings of the page's series, past and coming."""
    now = timezone.now()
    Event.objects.bulk_create(
        _event(bench.region, n, now + datetime.timedelta(days=30 * (n % 40) - 600),
               series=bench.subject)
        for n in itertools.islice(_serial, rows))


def register_pages() -> None:
    rs = Role.REGIONAL_SECRETARIAT
    register(
        BenchPage("event-list", rs, grow=add_list_events),
        BenchPage("event-list", rs, grow=add_list_events,
                  query="when=all&kind=regular_meeting&mine=on"),
        BenchPage("event-detail", rs, _event_with_agenda, add_history),
        BenchPage("event-create", rs),
        BenchPage("series-detail", rs, _series_page, add_series_events),
        BenchPage("series-list", rs),
    )
