"""Planning events: the secretariat plans one in the region's local time, its rules are
refused on their fields (end after start, venue or link by format, a supported event open to
the public), it is cancelled with a reason or marked held once started, and the next
meeting keeps its local time across a daylight-saving change."""

import datetime
import zoneinfo

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from alliance.models import AuditEntry
from events.models import Audience, Event, EventFormat, EventKind, EventState
from events.services import events
from experts.models import Involvement
from tests.dashboards import dashboard_of
from tests.experts.factories import StakeholderFactory

from .factories import EventFactory, MeetingSeriesFactory

BASE = "/r/aurora/events"
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def _day(weeks: int) -> datetime.date:
    return timezone.localdate(timezone=TOKYO) + datetime.timedelta(weeks=weeks)


def _form(**data) -> dict:
    day = _day(10).isoformat()
    return {"kind": EventKind.REGULAR_MEETING, "title": "Regular meeting", "description": "",
            "format": EventFormat.ONLINE, "audience": Audience.INVITED,
            "starts_at": f"{day}T10:00", "ends_at": f"{day}T11:30", "venue": "",
            "online_link": "https://meet.example.org/r", **data}


def _event(**filters) -> Event:
    with scopes_disabled():
        return Event.objects.get(**filters)


def test_the_secretariat_plans_an_event_in_the_regions_local_time(cast, secretariat):
    response = secretariat.post(f"{BASE}/new/", _form(
        organizer=cast.home.regional_secretariat.pk))
    assert response.status_code == 302, response.content.decode()
    event = _event(title="Regular meeting")
    assert event.starts_at.astimezone(TOKYO).hour == 10
    assert event.starts_at.astimezone(datetime.UTC).hour == 1  # Tokyo is UTC+9
    assert event.organizer == cast.home.regional_secretariat
    page = secretariat.get(f"{BASE}/{event.pk}/").content.decode()
    assert "Agenda drafted" in page and "Agenda and speakers fixed" in page
    assert "Asia/Tokyo" in page
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="events.event.created").exists()


def test_the_form_says_which_time_zone_it_takes(cast, secretariat):
    page = secretariat.get(f"{BASE}/new/").content.decode()
    assert "Local time in Asia/Tokyo" in page


def test_it_refuses_an_end_before_the_start_on_the_end(cast, secretariat):
    day = _day(10).isoformat()
    response = secretariat.post(f"{BASE}/new/", _form(starts_at=f"{day}T10:00",
                                                      ends_at=f"{day}T09:00"))
    assert response.status_code == 200
    assert "must end after it starts" in response.context["form"].errors["ends_at"][0]
    with scopes_disabled():
        assert not Event.objects.exists()


def test_an_event_in_person_needs_a_venue_and_online_a_link(cast, secretariat):
    response = secretariat.post(f"{BASE}/new/", _form(format=EventFormat.IN_PERSON))
    assert "venue" in response.context["form"].errors
    response = secretariat.post(f"{BASE}/new/", _form(format=EventFormat.HYBRID,
                                                      venue="City hall", online_link=""))
    assert "online_link" in response.context["form"].errors
    response = secretariat.post(f"{BASE}/new/", _form(online_link="javascript:alert(1)"))
    assert "online_link" in response.context["form"].errors


def test_a_supported_event_is_open_to_the_public(cast, secretariat):
    sponsor = StakeholderFactory(region=cast.home.region, involvement=Involvement.EVENTS)
    response = secretariat.post(f"{BASE}/new/", _form(supporting_organization=sponsor.pk))
    assert response.status_code == 200
    assert "Open to the public" in response.context["form"].errors["audience"][0]
    response = secretariat.post(f"{BASE}/new/", _form(supporting_organization=sponsor.pk,
                                                      audience=Audience.PUBLIC))
    assert response.status_code == 302
    assert _event(title="Regular meeting").supporting_organization == sponsor


def test_a_stakeholder_not_supporting_events_is_refused(cast, secretariat):
    other = StakeholderFactory(region=cast.home.region, involvement=Involvement.EXPERTISE)
    response = secretariat.post(f"{BASE}/new/", _form(supporting_organization=other.pk,
                                                      audience=Audience.PUBLIC))
    assert "supporting_organization" in response.context["form"].errors


def test_an_edit_is_audited_with_old_and_new(cast, secretariat):
    event = EventFactory(region=cast.home.region, title="Old title")
    data = _form(title="New title")
    data["starts_at"] = event.starts_at.astimezone(TOKYO).strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = event.ends_at.astimezone(TOKYO).strftime("%Y-%m-%dT%H:%M")
    response = secretariat.post(f"{BASE}/{event.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="events.event.changed")
    assert entry.data["title"] == {"old": "Old title", "new": "New title"}


def test_cancelling_needs_a_reason_and_closes_the_event(cast, secretariat):
    event = EventFactory(region=cast.home.region)
    secretariat.post(f"{BASE}/{event.pk}/cancel/", {"reason": ""})
    assert _event(pk=event.pk).state == EventState.PLANNED
    secretariat.post(f"{BASE}/{event.pk}/cancel/", {"reason": "The venue fell through."})
    assert _event(pk=event.pk).state == EventState.CANCELLED
    page = secretariat.get(f"{BASE}/{event.pk}/").content.decode()
    assert "Submit agenda to the Forum" not in page


def test_an_event_is_marked_held_only_once_it_started(cast, secretariat):
    coming = EventFactory(region=cast.home.region)
    secretariat.post(f"{BASE}/{coming.pk}/held/")
    assert _event(pk=coming.pk).state == EventState.PLANNED
    now = timezone.now()
    started = EventFactory(region=cast.home.region, starts_at=now - datetime.timedelta(hours=2),
                           ends_at=now - datetime.timedelta(hours=1))
    secretariat.post(f"{BASE}/{started.pk}/held/")
    assert _event(pk=started.pk).state == EventState.HELD


def test_the_list_shows_upcoming_first_and_filters(cast, secretariat):
    now = timezone.now()
    EventFactory(region=cast.home.region, title="Past meeting",
                 starts_at=now - datetime.timedelta(days=10),
                 ends_at=now - datetime.timedelta(days=10) + datetime.timedelta(hours=1))
    EventFactory(region=cast.home.region, title="Soon meeting",
                 starts_at=now + datetime.timedelta(days=3),
                 ends_at=now + datetime.timedelta(days=3, hours=1))
    EventFactory(region=cast.home.region, title="Summit", kind=EventKind.ANNUAL_EVENT,
                 organizer=cast.home.regional_secretariat)
    EventFactory(region=cast.foreign.region, title="Foreign meeting")
    page = secretariat.get(f"{BASE}/").content.decode()
    assert "Soon meeting" in page and "Summit" in page
    assert "Past meeting" not in page and "Foreign meeting" not in page
    assert page.index("Soon meeting") < page.index("Summit")
    assert "Plan an event" in page
    past = secretariat.get(f"{BASE}/?when=past").content.decode()
    assert "Past meeting" in past and "Soon meeting" not in past
    summits = secretariat.get(f"{BASE}/?kind=annual_event").content.decode()
    assert "Summit" in summits and "Soon meeting" not in summits
    mine = secretariat.get(f"{BASE}/?mine=on").content.decode()
    assert "Summit" in mine and "Soon meeting" not in mine


def test_a_city_contact_and_an_outsider_see_no_planning(cast, client_for):
    event = EventFactory(region=cast.home.region)
    assert client_for(cast.home.city_contact).get(f"{BASE}/").status_code == 403
    assert client_for(cast.home.city_contact).get(f"{BASE}/{event.pk}/edit/").status_code == 403
    assert client_for(cast.outsider).get(f"{BASE}/{event.pk}/").status_code == 404


def test_another_regions_event_is_not_found(cast, secretariat):
    event = EventFactory(region=cast.foreign.region)
    assert secretariat.get(f"{BASE}/{event.pk}/").status_code == 404


def test_a_forum_reviewer_reads_an_event_but_does_not_edit_it(cast, client_for):
    event = EventFactory(region=cast.home.region)
    client = client_for(cast.home.forum_reviewer)
    page = client.get(f"{BASE}/{event.pk}/").content.decode()
    assert event.title in page and "Submit agenda to the Forum" not in page
    assert client.get(f"{BASE}/{event.pk}/edit/").status_code == 403


# -- the next meeting across a daylight-saving change ----------------------------------------

def test_the_next_meeting_keeps_10_local_across_the_dst_change(cast, client_for):
    region = cast.home.region
    region.time_zone = "America/New_York"
    region.save()
    new_york = zoneinfo.ZoneInfo("America/New_York")
    series = MeetingSeriesFactory(region=region)
    # 10:00 on a Monday in October (EDT, UTC-4); the next one in November (EST, UTC-5).
    year = timezone.now().year + 1
    starts = datetime.datetime(year, 10, 12, 10, 0, tzinfo=new_york)
    event = EventFactory(region=region, series=series, starts_at=starts,
                         ends_at=starts + datetime.timedelta(hours=1, minutes=30),
                         venue="City hall", format=EventFormat.HYBRID,
                         online_link="https://meet.example.org/x")
    client = client_for(cast.home.regional_secretariat)
    response = client.post(f"{BASE}/{event.pk}/next/",
                           {"on": datetime.date(year, 11, 9).isoformat()})
    assert response.status_code == 302, response.content.decode()
    following = _event(follows=event)
    local = following.starts_at.astimezone(new_york)
    assert (local.hour, local.minute) == (10, 0)
    assert following.ends_at.astimezone(new_york).strftime("%H:%M") == "11:30"
    assert event.starts_at.astimezone(datetime.UTC).hour == 14
    assert following.starts_at.astimezone(datetime.UTC).hour == 15
    assert (following.series_id, following.venue, following.format, following.title) == (
        series.pk, "City hall", EventFormat.HYBRID, event.title)


def test_the_next_meeting_is_scheduled_once_and_after_this_one(cast, secretariat):
    event = EventFactory(region=cast.home.region, online_link="https://meet.example.org/r")
    before = timezone.localdate(event.starts_at, TOKYO).isoformat()
    response = secretariat.post(f"{BASE}/{event.pk}/next/", {"on": before})
    assert "comes after this one" in response.context["form"].errors["on"][0]
    later = (timezone.localdate(event.starts_at, TOKYO) + datetime.timedelta(days=28))
    secretariat.post(f"{BASE}/{event.pk}/next/", {"on": later.isoformat()})
    response = secretariat.post(f"{BASE}/{event.pk}/next/", {"on": later.isoformat()})
    assert "already scheduled" in str(response.context["form"].errors)
    with scopes_disabled():
        assert Event.objects.filter(follows=event).count() == 1


def test_next_times_keep_the_wall_clock_in_the_service(cast):
    region = cast.home.region
    region.time_zone = "Europe/Berlin"
    region.save()
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    year = timezone.now().year + 1
    event = EventFactory(region=region,
                         starts_at=datetime.datetime(year, 3, 16, 10, tzinfo=berlin),
                         ends_at=datetime.datetime(year, 3, 16, 12, tzinfo=berlin))
    with scope(region=region):
        starts, ends = events.next_times(event, datetime.date(year, 4, 13))
    assert starts.astimezone(berlin).hour == 10 and ends.astimezone(berlin).hour == 12
    assert starts.utcoffset() != event.starts_at.astimezone(berlin).utcoffset()


def test_the_dashboard_shows_the_next_events_with_their_next_milestone(cast, secretariat):
    EventFactory(region=cast.home.region, title="Spring meeting")
    EventFactory(region=cast.home.region, title="Called off", state=EventState.CANCELLED)
    page = dashboard_of(secretariat, cast.home.region)
    assert "Next events" in page and "Spring meeting" in page and "Called off" not in page
    assert "Agenda drafted" in page


def test_the_region_menu_has_events_for_the_secretariat_only(cast, client_for):
    page = client_for(cast.home.regional_secretariat).get(f"{BASE}/").content.decode()
    assert f'href="{BASE}/"' in page
    home = client_for(cast.home.city_contact).get("/r/aurora/").content.decode()
    assert f'href="{BASE}/"' not in home


def test_the_list_event_page_and_series_page_cost_the_same_with_more_rows(cast, secretariat):
    from tests.querycount import assert_flat_queries

    from .factories import AgendaItemFactory

    series = MeetingSeriesFactory(region=cast.home.region)
    event = EventFactory(region=cast.home.region, series=series,
                         organizer=cast.home.regional_secretariat)
    AgendaItemFactory(event=event, region=event.region)

    def grow():
        for n in range(6):
            other = EventFactory(region=cast.home.region, series=series,
                                 organizer=cast.home.regional_secretariat,
                                 kind=list(EventKind)[n])
            AgendaItemFactory(event=other, region=other.region)
            AgendaItemFactory(event=event, region=event.region)

    secretariat.get(f"{BASE}/")  # the session's first request writes when it was seen
    assert_flat_queries(lambda: secretariat.get(f"{BASE}/?when=all&mine=on"), grow)
    assert_flat_queries(lambda: secretariat.get(f"{BASE}/{event.pk}/"), grow)
    assert_flat_queries(lambda: secretariat.get(f"{BASE}/series/{series.pk}/"), grow)
    assert_flat_queries(lambda: secretariat.get(f"{BASE}/series/"), grow)


def test_the_demo_plans_a_series_with_a_held_and_a_next_meeting_and_runs_twice(db):
    from alliance.models import Role
    from events import demo_plans
    from events.models import AgendaItem, MeetingSeries
    from tests.factories import CityFactory, ContactFactory, MembershipFactory, RegionFactory

    japan = RegionFactory(slug="japan", name="Japan", time_zone="Asia/Tokyo")
    secretariat = MembershipFactory(region=japan, role=Role.REGIONAL_SECRETARIAT).user
    contact = ContactFactory(city=CityFactory(region=japan, name="Maebashi"), is_key=True)
    with scope(region=japan):
        demo_plans.seed(japan, secretariat)
        demo_plans.seed(japan, secretariat)
        series = MeetingSeries.objects.get(region=japan)
        held, following = Event.objects.filter(series=series).order_by("starts_at")
        assert held.state == EventState.HELD and following.follows == held
        assert following.starts_at > timezone.now()
        assert AgendaItem.objects.filter(event=following, speaker_contact=contact).exists()
        assert Event.objects.filter(region=japan, kind=EventKind.ANNUAL_EVENT).count() == 1
