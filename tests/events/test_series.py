"""Meeting series and their delegation: the secretariat hands a series to a member in writing
(role, scope, review date, update notes, ending it). The delegate then runs that series'
events (edits them, builds their agendas, schedules the next one, plans one in the series)
and nothing else: another series' event, or one with no series, answers 403."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.models import Delegation, DelegationNote, Notification
from events.models import AgendaItem, Event, EventFormat, MeetingSeries

from .factories import AgendaItemFactory, EventFactory, MeetingSeriesFactory

BASE = "/r/aurora/events"


def _fresh(user):
    """The user again: guardian and the roles cache remember answers per user object."""
    return get_user_model().objects.get(pk=user.pk)


def _hand_over(secretariat, series, person):
    review = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    return secretariat.post(f"{BASE}/series/{series.pk}/hand-over/", {
        "delegate": person.pk, "role": "Host of the regular meeting",
        "scope": "Agendas and speakers", "review_on": review})


def _delegated(cast, secretariat):
    series = MeetingSeriesFactory(region=cast.home.region, title="Regular meeting")
    response = _hand_over(secretariat, series, cast.home.city_contact)
    assert response.status_code == 302, response.content.decode()
    return series


def _online(**kwargs):
    return EventFactory(format=EventFormat.ONLINE, online_link="https://meet.example.org/m",
                        **kwargs)


def test_the_secretariat_creates_a_series_and_hands_it_over_in_writing(cast, secretariat):
    response = secretariat.post(f"{BASE}/series/new/", {
        "title": "Monthly city meeting", "kind": "regular_meeting",
        "description": "Progress sharing", "is_active": "on"})
    assert response.status_code == 302
    with scopes_disabled():
        series = MeetingSeries.objects.get(title="Monthly city meeting")
    _hand_over(secretariat, series, cast.home.city_contact)
    with scopes_disabled():
        delegation = Delegation.objects.get(object_id=series.pk,
                                            permission="events.manage_series")
        assert Notification.objects.filter(recipient=cast.home.city_contact,
                                           key=f"delegation:{delegation.pk}:granted").exists()
    assert delegation.role == "Host of the regular meeting"
    page = secretariat.get(f"{BASE}/series/{series.pk}/").content.decode()
    assert "Host of the regular meeting" in page and "End the delegation" in page


def test_the_delegate_runs_their_series_events(cast, secretariat, client_for):
    series = _delegated(cast, secretariat)
    event = _online(region=cast.home.region, series=series)
    client = client_for(_fresh(cast.home.city_contact))
    page = client.get(f"{BASE}/{event.pk}/").content.decode()
    assert "Add an item" in page and "Schedule the next meeting" in page
    response = client.post(f"{BASE}/{event.pk}/agenda/new/",
                           {"title": "City report", "duration_minutes": 15})
    assert response.status_code == 302
    assert client.get(f"{BASE}/{event.pk}/pick/agenda-contacts/?q=").status_code == 200
    response = client.post(f"{BASE}/{event.pk}/agenda/submit/")
    assert response.status_code == 302
    later = timezone.localdate(event.starts_at) + datetime.timedelta(days=28)
    response = client.post(f"{BASE}/{event.pk}/next/", {"on": later.isoformat()})
    assert response.status_code == 302
    with scopes_disabled():
        assert Event.objects.filter(follows=event, series=series).exists()
    assert client.get(f"{BASE}/new/?series={series.pk}").status_code == 200
    assert client.get(f"{BASE}/series/{series.pk}/").status_code == 200


def test_the_delegate_may_not_touch_another_series_or_the_region(cast, secretariat,
                                                                 client_for):
    series = _delegated(cast, secretariat)
    other = MeetingSeriesFactory(region=cast.home.region, title="Other series")
    theirs = _online(region=cast.home.region, series=other)
    loose = _online(region=cast.home.region)
    item = AgendaItemFactory(event=theirs, region=theirs.region)
    client = client_for(_fresh(cast.home.city_contact))
    for event in (theirs, loose):
        assert client.get(f"{BASE}/{event.pk}/").status_code == 403
        assert client.get(f"{BASE}/{event.pk}/edit/").status_code == 403
        assert client.post(f"{BASE}/{event.pk}/agenda/new/",
                           {"title": "x", "duration_minutes": 5}).status_code == 403
        assert client.post(f"{BASE}/{event.pk}/cancel/", {"reason": "no"}).status_code == 403
    assert client.post(f"{BASE}/{theirs.pk}/agenda/{item.pk}/delete/").status_code == 403
    assert client.get(f"{BASE}/{theirs.pk}/pick/agenda-contacts/?q=").status_code == 403
    assert client.get(f"{BASE}/new/").status_code == 403
    assert client.get(f"{BASE}/new/?series={other.pk}").status_code == 403
    assert client.get(f"{BASE}/series/{other.pk}/").status_code == 403
    assert client.get(f"{BASE}/series/{series.pk}/edit/").status_code == 403
    with scopes_disabled():
        assert AgendaItem.objects.filter(event=theirs).count() == 1


def test_the_delegate_cannot_move_an_event_out_of_their_series(cast, secretariat, client_for):
    series = _delegated(cast, secretariat)
    other = MeetingSeriesFactory(region=cast.home.region, title="Other series")
    event = _online(region=cast.home.region, series=series)
    client = client_for(_fresh(cast.home.city_contact))
    page = client.get(f"{BASE}/{event.pk}/edit/")
    data = {name: value for name, value in page.context["form"].initial.items()
            if value is not None}
    data.update(series=other.pk, kind=event.kind, format=event.format,
                audience=event.audience, title=event.title,
                starts_at=timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
                ends_at=timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"))
    data.pop("organizer", None)
    response = client.post(f"{BASE}/{event.pk}/edit/", data)
    assert response.status_code == 403
    with scopes_disabled():
        assert Event.objects.get(pk=event.pk).series_id == series.pk


def test_the_delegate_writes_update_notes_and_the_secretariat_ends_it(cast, secretariat,
                                                                      client_for):
    series = _delegated(cast, secretariat)
    with scopes_disabled():
        delegation = Delegation.objects.get(object_id=series.pk, ended_on=None)
    client = client_for(_fresh(cast.home.city_contact))
    client.post(f"{BASE}/series/{series.pk}/delegations/{delegation.pk}/notes/",
                {"body": "The March agenda is with the Forum."})
    with scopes_disabled():
        assert DelegationNote.objects.filter(delegation=delegation).count() == 1
    assert client.post(f"{BASE}/series/{series.pk}/delegations/{delegation.pk}/end/"
                       ).status_code == 403
    response = client_for(cast.home.regional_secretariat).post(
        f"{BASE}/series/{series.pk}/delegations/{delegation.pk}/end/", follow=True)
    assert "The delegation has ended." in response.content.decode()
    event = _online(region=cast.home.region, series=series)
    assert client_for(_fresh(cast.home.city_contact)).get(
        f"{BASE}/{event.pk}/edit/").status_code == 403


def test_the_event_page_names_the_delegate(cast, secretariat):
    series = _delegated(cast, secretariat)
    event = _online(region=cast.home.region, series=series)
    page = secretariat.get(f"{BASE}/{event.pk}/").content.decode()
    assert f"handed to {cast.home.city_contact}" in page


def test_a_series_page_lists_its_meetings(cast, secretariat):
    series = MeetingSeriesFactory(region=cast.home.region, title="Regular meeting")
    now = timezone.now()
    _online(region=cast.home.region, series=series, title="Next one")
    _online(region=cast.home.region, series=series, title="Last one",
            starts_at=now - datetime.timedelta(days=30),
            ends_at=now - datetime.timedelta(days=30) + datetime.timedelta(hours=1))
    page = secretariat.get(f"{BASE}/series/{series.pk}/").content.decode()
    assert "Next one" in page and "Last one" in page
    listing = secretariat.get(f"{BASE}/series/").content.decode()
    assert "Regular meeting" in listing


def test_the_delegate_finds_their_series_on_their_dashboard(cast, secretariat, client_for):
    series = _delegated(cast, secretariat)
    page = client_for(_fresh(cast.home.city_contact)).get("/r/aurora/").content.decode()
    assert "Meeting series you run" in page and f"/events/series/{series.pk}/" in page
    other = client_for(cast.home.expert).get("/r/aurora/").content.decode()
    assert "Meeting series you run" not in other
