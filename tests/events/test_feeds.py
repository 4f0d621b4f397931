"""Calendar feeds, read back with the icalendar library: the region's feed and a person's,
times in UTC across a daylight-saving change, a cancelled event marked so, the window, a
rotated address answering 404, and a person's feed never showing another's events."""

import datetime
import zoneinfo

import pytest
from django.test import Client
from django_scopes import scopes_disabled
from icalendar import Calendar

from alliance.models import Role
from cities.models import Stage
from events.models import Audience, CalendarFeed, EventState
from tests.conftest import member
from tests.experts.factories import ExpertFactory
from tests.factories import CityFactory, ContactFactory, RegionFactory

from .factories import EventFactory, EventInvitationFactory

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _feed_url(client, region_slug: str, which: str) -> str:
    page = client.get(f"/r/{region_slug}/events/calendar/")
    assert page.status_code == 200
    return page.context[f"{which}_url"].split("testserver", 1)[1]


def _read(url: str) -> tuple[int, Calendar | None]:
    response = Client().get(url)  # a calendar application: no session
    if response.status_code != 200:
        return response.status_code, None
    assert response["Content-Type"].startswith("text/calendar")
    return 200, Calendar.from_ical(response.content)


def _events(calendar: Calendar) -> dict[str, object]:
    return {str(e.get("summary")): e for e in calendar.walk("VEVENT")}


def _spring_change(year: int) -> datetime.date:
    """The day New York moves its clocks forward in March."""
    day = datetime.date(year, 3, 1)
    while datetime.datetime.combine(day, datetime.time(12), NEW_YORK).utcoffset() == \
            datetime.datetime.combine(day + datetime.timedelta(1), datetime.time(12),
                                      NEW_YORK).utcoffset():
        day += datetime.timedelta(days=1)
    return day + datetime.timedelta(days=1)


@pytest.fixture
def new_york(db):
    region = RegionFactory(name="Hudson", slug="hudson", time_zone="America/New_York")
    return region, member(Role.REGIONAL_SECRETARIAT, region)


def test_the_region_feed_keeps_local_times_across_the_dst_change(new_york):
    region, staff = new_york
    change = _spring_change(datetime.date.today().year + 1)
    before = datetime.datetime.combine(change - datetime.timedelta(days=3),
                                       datetime.time(10), NEW_YORK)
    after = datetime.datetime.combine(change + datetime.timedelta(days=3),
                                      datetime.time(10), NEW_YORK)
    for title, start in (("Before the change", before), ("After the change", after)):
        EventFactory(region=region, title=title, starts_at=start,
                     ends_at=start + datetime.timedelta(hours=1), venue="City Hall")
    client = Client()
    client.force_login(staff)
    status, calendar = _read(_feed_url(client, "hudson", "region"))
    assert status == 200
    shown = _events(calendar)
    first, second = shown["Before the change"], shown["After the change"]
    assert first.decoded("dtstart") == before and second.decoded("dtstart") == after
    assert first.decoded("dtstart").astimezone(datetime.UTC).hour == 15
    assert second.decoded("dtstart").astimezone(datetime.UTC).hour == 14
    assert second.decoded("dtend") - second.decoded("dtstart") == datetime.timedelta(hours=1)
    assert str(first.get("location")) == "City Hall"
    assert str(first.get("url")).endswith(f"/r/hudson/events/{first_pk(region, before)}/")
    assert str(first.get("uid")) != str(second.get("uid"))


def first_pk(region, start) -> int:
    from events.models import Event

    with scopes_disabled():
        return Event.objects.get(region=region, starts_at=start).pk


def test_cancelled_events_show_as_cancelled_unless_never_announced(cast, client_for):
    region = cast.home.region
    EventFactory(region=region, title="Told then cancelled", state=EventState.CANCELLED,
                 announced_at=datetime.datetime.now(datetime.UTC))
    EventFactory(region=region, title="Never told", state=EventState.CANCELLED)
    EventFactory(region=region, title="Long ago",
                 starts_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=200),
                 ends_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=199))
    url = _feed_url(client_for(cast.home.regional_secretariat), "aurora", "region")
    shown = _events(_read(url)[1])
    assert str(shown["Told then cancelled"].get("status")) == "CANCELLED"
    assert "Never told" not in shown and "Long ago" not in shown


def test_a_rotated_address_stops_working(cast, client_for):
    client = client_for(cast.home.regional_secretariat)
    old = _feed_url(client, "aurora", "region")
    assert _read(old)[0] == 200
    client.post("/r/aurora/events/calendar/rotate/", {"feed": "region"})
    new = _feed_url(client, "aurora", "region")
    assert new != old
    assert _read(old)[0] == 404 and _read(new)[0] == 200
    personal = _feed_url(client, "aurora", "personal")
    client.post("/r/aurora/events/calendar/rotate/", {"feed": "personal"})
    assert _read(personal)[0] == 404


def test_a_person_who_left_the_region_reads_nothing_of_it(cast, client_for):
    client = client_for(cast.home.regional_secretariat)
    url = _feed_url(client, "aurora", "region")
    with scopes_disabled():
        cast.home.regional_secretariat.memberships.all().delete()
    assert _read(url)[0] == 404


def test_the_personal_feed_shows_ones_own_invitations_only(cast, client_for):
    region = cast.home.region
    now = datetime.datetime.now(datetime.UTC)
    mine = CityFactory(region=region, stage=Stage.MEMBER)
    theirs = CityFactory(region=region, stage=Stage.MEMBER)
    ContactFactory(city=mine, user=cast.home.city_contact)
    expert = ExpertFactory(region=region, user=cast.home.expert)
    invited = EventFactory(region=region, title="My city's meeting", announced_at=now,
                           state=EventState.ANNOUNCED)
    EventInvitationFactory(event=invited, city=mine)
    other = EventFactory(region=region, title="Another city's meeting", announced_at=now,
                         state=EventState.ANNOUNCED)
    EventInvitationFactory(event=other, city=theirs)
    quiet = EventFactory(region=region, title="Not announced yet")
    EventInvitationFactory(event=quiet, city=mine)
    public = EventFactory(region=region, title="Public summit", audience=Audience.PUBLIC)
    EventInvitationFactory(event=public, city=mine)
    experts_event = EventFactory(region=region, title="Expert session", announced_at=now,
                                 state=EventState.ANNOUNCED)
    EventInvitationFactory(event=experts_event, city=None, expert=expert)
    foreign = EventFactory(region=cast.foreign.region, title="Foreign meeting",
                           announced_at=now, state=EventState.ANNOUNCED)
    foreign_city = CityFactory(region=cast.foreign.region)
    ContactFactory(city=foreign_city, user=cast.foreign.city_contact)
    EventInvitationFactory(event=foreign, city=foreign_city)

    contact_url = _feed_url(client_for(cast.home.city_contact), "aurora", "personal")
    assert set(_events(_read(contact_url)[1])) == {"My city's meeting", "Public summit"}
    expert_url = _feed_url(client_for(cast.home.expert), "aurora", "personal")
    assert set(_events(_read(expert_url)[1])) == {"Expert session"}
    foreign_url = _feed_url(client_for(cast.foreign.city_contact), "borealis", "personal")
    assert set(_events(_read(foreign_url)[1])) == {"Foreign meeting"}
    organizer = EventFactory(region=region, title="I organize",
                             organizer=cast.home.regional_secretariat)
    staff_url = _feed_url(client_for(cast.home.regional_secretariat), "aurora", "personal")
    assert set(_events(_read(staff_url)[1])) == {organizer.title}


def test_only_readers_of_the_regions_events_get_its_feed(cast, client_for):
    page = client_for(cast.home.city_contact).get("/r/aurora/events/calendar/")
    assert page.context["region_feed"] is None
    assert client_for(cast.home.city_contact).post(
        "/r/aurora/events/calendar/rotate/", {"feed": "region"}).status_code == 403
    with scopes_disabled():
        assert not CalendarFeed.objects.filter(user=cast.home.city_contact,
                                               region__isnull=False).exists()
    assert _read("/calendar/not-a-token.ics")[0] == 404
