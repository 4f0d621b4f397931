"""The attendance area in `make bench` (registered from events/bench.py): an event's
invitations as they grow, the attendance form of a past meeting, the minutes page as its
actions grow, a city contact's and an expert's events page as their invitations grow, the
calendar feeds page, and the region's feed itself as the region's events grow. Under them,
every bench region's events invite its participating cities and a few experts, with answers
and, once past, attendance (the background seeder)."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from alliance.bench import (
    Batch,
    Bench,
    BenchPage,
    add_background,
    in_region,
    owners_of,
    register,
)
from alliance.models import Role
from cities.models import City, Contact, Stage, Tier
from experts.models import Expert, Sector
from experts.models import Stage as ExpertStage

from .models import (
    ActionItem,
    AgendaState,
    Event,
    EventFormat,
    EventInvitation,
    EventKind,
    EventState,
    InvitedAs,
    Response,
)
from .services import feeds

_serial = itertools.count(1)  # keeps titles unique across rounds
ANSWERS = [Response.ACCEPTED, Response.PENDING, Response.TENTATIVE, Response.ACCEPTED,
           Response.DECLINED, Response.PENDING]
CITIES_PER_EVENT = 25
EXPERTS_PER_EVENT = 3


def _invitation(region, event: Event, n: int, *, city=None, expert=None,
                now=None) -> EventInvitation:
    now = now or timezone.now()
    past = event.ends_at < now
    answer = ANSWERS[n % len(ANSWERS)]
    return EventInvitation(
        region=region, event=event, city=city, expert=expert,
        invited_as=InvitedAs.TIER if city else InvitedAs.EXPERT,
        invited_at=event.starts_at - datetime.timedelta(days=40),
        notified_at=event.starts_at - datetime.timedelta(days=28),
        response=answer, responded_at=None if answer == Response.PENDING else now,
        response_note="Two people from the data office" if n % 7 == 0 else "",
        attended=(answer == Response.ACCEPTED) if past else None,
        attendees="Open data team" if past and n % 3 == 0 else "")


# -- the background -------------------------------------------------------------------------

def add_invitations(batch: Batch) -> None:
    """The region's events not invited yet (the plans area's seeder made them first): each
    invites some of its participating cities and experts working with it."""
    region, now = batch.region, timezone.now()
    cities = list(City.objects.filter(region=region, stage__in=(Stage.MEMBER, Stage.COMMITTED))
                  .order_by("pk").only("pk"))
    experts = list(Expert.objects.filter(region=region, stage__in=(ExpertStage.CONFIRMED,
                                                                   ExpertStage.ACTIVE))
                   .order_by("pk").only("pk"))
    events = list(Event.objects.filter(region=region, invitations__isnull=True)
                  .only("pk", "starts_at", "ends_at").order_by("pk"))
    rows = []
    for index, event in enumerate(events):
        if cities:
            start = index * CITIES_PER_EVENT % len(cities)
            chosen = (cities[start:] + cities[:start])[:CITIES_PER_EVENT]
            rows += [_invitation(region, event, n, city=city, now=now)
                     for n, city in enumerate(chosen)]
        if experts:
            start = index * EXPERTS_PER_EVENT % len(experts)
            chosen = (experts[start:] + experts[:start])[:EXPERTS_PER_EVENT]
            rows += [_invitation(region, event, n, expert=expert, now=now)
                     for n, expert in enumerate(chosen)]
    EventInvitation.objects.bulk_create(rows, batch_size=2000)
    Event.objects.filter(pk__in=[e.pk for e in events], starts_at__gte=now,
                         agenda_state=AgendaState.APPROVED).update(
        state=EventState.ANNOUNCED, announced_at=now)


add_background(add_invitations)


# -- pages ----------------------------------------------------------------------------------

def _meeting(bench: Bench, *, days: int, **fields) -> Event:
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    return Event.objects.create(
        region=bench.region, kind=EventKind.REGULAR_MEETING,
        title=f"Bench meeting {next(_serial)}", format=EventFormat.ONLINE,
        online_link="https://meet.example.org/bench", starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2), organizer=owners_of(bench.region)[0],
        **fields)


def _cities(bench: Bench, rows: int) -> list[City]:
    return City.objects.bulk_create(
        City(region=bench.region, name=f"Invited City {n}", country="JP",
             stage=Stage.MEMBER, tier=Tier.ACTIVE)
        for n in itertools.islice(_serial, rows))


def _event_page(days: int, **fields):
    def prepare(bench: Bench) -> dict:
        bench.subject = _meeting(bench, days=days, **fields)
        return {**in_region(bench), "event_id": bench.subject.pk}

    return prepare


def add_event_invitations(bench: Bench, rows: int) -> None:
    """Cities invited to the page's event, with answers (and attendance once past)."""
    event = bench.subject
    EventInvitation.objects.bulk_create(
        _invitation(bench.region, event, n, city=city)
        for n, city in enumerate(_cities(bench, rows)))


def add_actions(bench: Bench, rows: int) -> None:
    """Actions of the page's meeting: open, overdue and done, owned by the secretariat."""
    owners = owners_of(bench.region)
    today = timezone.localdate()
    ActionItem.objects.bulk_create(
        ActionItem(region=bench.region, event=bench.subject, title=f"Action {n}",
                   owner=owners[n % len(owners)],
                   due_on=today + datetime.timedelta(days=n % 60 - 20),
                   done_at=timezone.now() if n % 3 == 0 else None)
        for n in itertools.islice(_serial, rows))


def _own_city(bench: Bench) -> dict:
    """A city whose contact is the page's reader."""
    [city] = _cities(bench, 1)
    Contact.objects.create(region=bench.region, city=city, name="Bench contact",
                           is_key=True, user=bench.user, email="bench-contact@example.org")
    bench.subject = city
    return in_region(bench)


def _own_expert(bench: Bench) -> dict:
    bench.subject = Expert.objects.create(region=bench.region, name="Bench own expert",
                                          sector=Sector.ACADEMIC, stage=ExpertStage.ACTIVE,
                                          user=bench.user)
    return in_region(bench)


def add_own_invitations(bench: Bench, rows: int) -> None:
    """Announced events, past and coming, inviting the reader's city or expert record; and
    actions they own."""
    now = timezone.now().replace(microsecond=0)
    events = Event.objects.bulk_create(
        Event(region=bench.region, kind=EventKind.REGULAR_MEETING, title=f"Invited {n}",
              format=EventFormat.ONLINE, online_link="https://meet.example.org/bench",
              starts_at=now + datetime.timedelta(days=n % 400 - 100),
              ends_at=now + datetime.timedelta(days=n % 400 - 100, hours=2),
              state=EventState.ANNOUNCED, announced_at=now, agenda_state=AgendaState.APPROVED)
        for n in itertools.islice(_serial, rows))
    subject = bench.subject
    key = {"city": subject} if isinstance(subject, City) else {"expert": subject}
    EventInvitation.objects.bulk_create(
        _invitation(bench.region, event, n, **key) for n, event in enumerate(events))
    ActionItem.objects.bulk_create(
        ActionItem(region=bench.region, event=event, title=f"Share the data {n}",
                   owner=bench.user, due_on=timezone.localdate())
        for n, event in enumerate(events[:rows]))


def _feed(bench: Bench) -> dict:
    feed = feeds.feed_of(bench.user, bench.region)
    return {"token": feed.token}


def add_feed_events(bench: Bench, rows: int) -> None:
    """Coming events of the region, within the feed's window."""
    now = timezone.now().replace(microsecond=0)
    Event.objects.bulk_create(
        Event(region=bench.region, kind=EventKind.WORKSHOP, title=f"Feed event {n}",
              format=EventFormat.IN_PERSON, venue="City hall",
              starts_at=now + datetime.timedelta(hours=n % 5000),
              ends_at=now + datetime.timedelta(hours=n % 5000 + 2))
        for n in itertools.islice(_serial, rows))


def register_pages() -> None:
    rs = Role.REGIONAL_SECRETARIAT
    register(
        BenchPage("invitee-list", rs, _event_page(30), add_event_invitations),
        BenchPage("invitee-list", rs, _event_page(30), add_event_invitations,
                  query="q=City&response=accepted"),
        BenchPage("event-attendance", rs, _event_page(-2, state=EventState.HELD),
                  add_event_invitations),
        BenchPage("event-minutes", rs, _event_page(-2, state=EventState.HELD), add_actions),
        BenchPage("my-events", Role.CITY_CONTACT, _own_city, add_own_invitations),
        BenchPage("my-events", Role.EXPERT, _own_expert, add_own_invitations),
        BenchPage("action-item-create", rs, _event_page(-2, state=EventState.HELD)),
        BenchPage("event-settings", rs),
        BenchPage("calendar-feeds", rs),
        BenchPage("calendar-feed", rs, _feed, add_feed_events),
    )
