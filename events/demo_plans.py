"""Demo events: in Japan, the regular meeting series with a past meeting held and the next one
planned (its agenda with a city speaker, drafted), and the annual summit later in the year.
Safe to run again: a series or an event already there by title is left as it is.

Call inside the region's scope: `seed(region, secretariat_user)`."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cities.models import Contact

from .models import Audience, Event, EventFormat, EventKind, EventState, MeetingSeries
from .services import agendas, events
from .services import series as series_service

SERIES_TITLE = {"japan": "Japan Smart City Regular Meeting",
                "india": "India Alliance Regular Meeting"}
SUMMIT_TITLE = {"japan": "Japan Smart City Summit"}


def _at(days: int, hour: int, region) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=events.zone_of(region))


def seed(region, secretariat) -> None:
    title = SERIES_TITLE.get(region.slug)
    if title and not MeetingSeries.objects.filter(region=region, title=title).exists():
        _series(region, secretariat, title)
    summit = SUMMIT_TITLE.get(region.slug)
    if summit and not Event.objects.filter(region=region, title=summit).exists():
        events.create_event(
            actor=secretariat, region=region, kind=EventKind.ANNUAL_EVENT, title=summit,
            description="The alliance's yearly gathering: member cities present their "
                        "progress on the model policies.",
            format=EventFormat.HYBRID, audience=Audience.PUBLIC, venue="Tokyo International Forum",
            online_link="https://meet.example.org/summit", organizer=secretariat,
            starts_at=_at(120, 10, region), ends_at=_at(120, 17, region))


def _series(region, secretariat, title: str) -> None:
    series = series_service.create_series(
        actor=secretariat, region=region, title=title,
        description="The monthly meeting of member cities: progress sharing on workplans, "
                    "an expert's talk, news from the secretariat.")
    past = events.create_event(
        actor=secretariat, region=region, kind=EventKind.REGULAR_MEETING, title=title,
        format=EventFormat.ONLINE, online_link="https://meet.example.org/regular",
        organizer=secretariat, series=series,
        starts_at=_at(-30, 10, region), ends_at=_at(-30, 11, region))
    agendas.add_item(actor=secretariat, event=past, title="News from the secretariat",
                     duration_minutes=15, speaker_user=secretariat)
    Event.objects.filter(pk=past.pk).update(state=EventState.HELD,
                                            agenda_state="approved")
    following = events.schedule_next(actor=secretariat, event=past,
                                     on=timezone.localdate() + datetime.timedelta(days=45))
    contact = Contact.objects.filter(region=region).order_by("-is_key", "pk").first()
    agendas.add_item(actor=secretariat, event=following, title="Welcome and news",
                     duration_minutes=10, speaker_user=secretariat)
    agendas.add_item(actor=secretariat, event=following,
                     title="Progress sharing: open data workplan", duration_minutes=25,
                     speaker_contact=contact)
    agendas.add_item(actor=secretariat, event=following, title="Questions and next steps",
                     duration_minutes=15)
    agendas.mark_drafted(actor=secretariat, event=following)
