"""The plans API: events (list, read, create, change; mark-drafted, submit-agenda,
schedule-next, cancel), an event's agenda items, meeting series. Scoped to the region (another
region's event is a 404), 400 with the field's reason on bad input (nothing changes), and a
series' delegate runs their series' events only (another one is a 403)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance import permissions
from events.models import AgendaItem, AgendaState, Event, EventState, MeetingSeries
from experts.models import Involvement
from tests.experts.factories import StakeholderFactory
from tests.factories import ContactFactory

from .factories import AgendaItemFactory, EventFactory, MeetingSeriesFactory

API = "/api/v1/regions/aurora"


def _payload(**data) -> dict:
    day = (timezone.localdate() + datetime.timedelta(weeks=10)).isoformat()
    return {"kind": "regular_meeting", "title": "Regular meeting", "format": "online",
            "online_link": "https://meet.example.org/r", "starts_at": f"{day}T10:00:00",
            "ends_at": f"{day}T11:00:00", **data}


def _count() -> int:
    with scopes_disabled():
        return Event.objects.count()


def test_the_secretariat_creates_an_event_in_local_time_and_lists_it(cast, api_secretariat):
    response = api_secretariat.post(f"{API}/events/", _payload(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["starts_at"].endswith("+09:00") and "T10:00:00" in body["starts_at"]
    assert [m["code"] for m in body["milestones"]] == ["agenda_drafted", "agenda_fixed"]
    listing = api_secretariat.get(f"{API}/events/").json()
    assert [row["id"] for row in listing["results"]] == [body["id"]]


def test_bad_input_answers_400_and_changes_nothing(cast, api_secretariat):
    for bad in ({"ends_at": _payload()["starts_at"]}, {"format": "in_person"},
                {"online_link": "ftp://x"}, {"kind": "party"}, {"state": "held"},
                {"starts_at": "tomorrow"}):
        response = api_secretariat.post(f"{API}/events/", _payload(**bad), format="json")
        assert response.status_code == 400, (bad, response.content)
    assert _count() == 0


def test_a_supported_event_must_be_public(cast, api_secretariat):
    sponsor = StakeholderFactory(region=cast.home.region, involvement=Involvement.EVENTS)
    response = api_secretariat.post(f"{API}/events/", _payload(
        supporting_organization=sponsor.pk), format="json")
    assert response.status_code == 400
    assert "audience" in response.json()
    response = api_secretariat.post(f"{API}/events/", _payload(
        supporting_organization=sponsor.pk, audience="public"), format="json")
    assert response.status_code == 201


def test_another_regions_event_is_a_404(cast, api_secretariat):
    event = EventFactory(region=cast.foreign.region)
    assert api_secretariat.get(f"{API}/events/{event.pk}/").status_code == 404
    assert api_secretariat.post(f"{API}/events/{event.pk}/cancel/", {"reason": "x"},
                                format="json").status_code == 404
    assert api_secretariat.get(f"{API}/events/{event.pk}/agenda-items/").status_code == 404


def test_the_agenda_through_the_api_and_the_forum(cast, api_secretariat):
    event = EventFactory(region=cast.home.region)
    contact = ContactFactory(region=cast.home.region)
    items = f"{API}/events/{event.pk}/agenda-items/"
    response = api_secretariat.post(items, {"title": "City report", "duration_minutes": 20,
                                            "speaker_contact": contact.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["agenda_reopened"] is False
    response = api_secretariat.post(items, {"title": "Two speakers", "duration_minutes": 20,
                                            "speaker_contact": contact.pk,
                                            "speaker_user": cast.home.regional_secretariat.pk},
                                    format="json")
    assert response.status_code == 400
    assert api_secretariat.post(f"{API}/events/{event.pk}/mark-drafted/").status_code == 200
    response = api_secretariat.post(f"{API}/events/{event.pk}/submit-agenda/")
    assert response.status_code == 201
    assert api_secretariat.post(f"{API}/events/{event.pk}/submit-agenda/").status_code == 400
    item_id = api_secretariat.get(items).json()["results"][0]["id"]
    response = api_secretariat.patch(f"{items}{item_id}/", {"duration_minutes": 25},
                                     format="json")
    assert response.status_code == 200 and response.json()["agenda_reopened"] is True
    with scopes_disabled():
        assert Event.objects.get(pk=event.pk).agenda_state == AgendaState.DRAFTED
    assert api_secretariat.delete(f"{items}{item_id}/").status_code == 204


def test_schedule_next_and_cancel(cast, api_secretariat):
    event = EventFactory(region=cast.home.region, online_link="https://meet.example.org/r")
    later = timezone.localdate(event.starts_at) + datetime.timedelta(days=28)
    response = api_secretariat.post(f"{API}/events/{event.pk}/schedule-next/",
                                    {"on": later.isoformat()}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["follows"] == event.pk
    assert api_secretariat.post(f"{API}/events/{event.pk}/cancel/", {},
                                format="json").status_code == 400
    response = api_secretariat.post(f"{API}/events/{event.pk}/cancel/",
                                    {"reason": "No quorum"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == EventState.CANCELLED


def test_a_reviewer_reads_but_does_not_write(cast, api):
    event = EventFactory(region=cast.home.region)
    api.force_authenticate(cast.home.forum_reviewer)
    assert api.get(f"{API}/events/{event.pk}/").status_code == 200
    assert api.patch(f"{API}/events/{event.pk}/", {"title": "x"},
                     format="json").status_code == 403
    assert api.post(f"{API}/events/", _payload(), format="json").status_code == 403
    assert api.post(f"{API}/meeting-series/", {"title": "x"}, format="json").status_code == 403


def test_the_delegates_rights_hold_in_the_api(cast, api):
    series = MeetingSeriesFactory(region=cast.home.region)
    other = MeetingSeriesFactory(region=cast.home.region)
    delegate = cast.home.city_contact
    permissions.grant(delegate, "events.manage_series", series)
    delegate = get_user_model().objects.get(pk=delegate.pk)
    mine = EventFactory(region=cast.home.region, series=series,
                        online_link="https://meet.example.org/m")
    theirs = EventFactory(region=cast.home.region, series=other)
    AgendaItemFactory(event=theirs, region=theirs.region)
    api.force_authenticate(delegate)
    listing = api.get(f"{API}/events/").json()
    assert [row["id"] for row in listing["results"]] == [mine.pk]
    assert api.patch(f"{API}/events/{mine.pk}/", {"title": "Renamed"},
                     format="json").status_code == 200
    assert api.post(f"{API}/events/{mine.pk}/agenda-items/",
                    {"title": "x", "duration_minutes": 5}, format="json").status_code == 201
    assert api.get(f"{API}/events/{theirs.pk}/").status_code == 403
    assert api.patch(f"{API}/events/{theirs.pk}/", {"title": "x"},
                     format="json").status_code == 403
    assert api.post(f"{API}/events/{theirs.pk}/agenda-items/",
                    {"title": "x", "duration_minutes": 5}, format="json").status_code == 403
    assert api.post(f"{API}/events/", _payload(series=other.pk),
                    format="json").status_code == 403
    assert api.post(f"{API}/events/", _payload(series=series.pk),
                    format="json").status_code == 201
    assert [row["id"] for row in api.get(f"{API}/meeting-series/").json()["results"]] == [
        series.pk]
    with scopes_disabled():
        assert AgendaItem.objects.filter(event=theirs).count() == 1
        assert Event.objects.get(pk=theirs.pk).title != "x"


def test_meeting_series_are_created_and_changed(cast, api_secretariat):
    response = api_secretariat.post(f"{API}/meeting-series/",
                                    {"title": "Monthly", "kind": "regular_meeting"},
                                    format="json")
    assert response.status_code == 201, response.content
    series_id = response.json()["id"]
    response = api_secretariat.patch(f"{API}/meeting-series/{series_id}/",
                                     {"is_active": False}, format="json")
    assert response.status_code == 200
    assert api_secretariat.post(f"{API}/meeting-series/", {"title": ""},
                                format="json").status_code == 400
    with scopes_disabled():
        assert not MeetingSeries.objects.get(pk=series_id).is_active
