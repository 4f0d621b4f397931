"""An invitee answers on their own events page: a city contact for their own city only, an
expert for themselves; only announced (or public) events show; answers are audited and the
event's page counts them. After the event, the secretariat records attendance."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.models import AuditEntry
from cities.models import Stage, Tier
from events.models import Audience, EventInvitation, EventState, Response
from experts.models import Stage as ExpertStage
from tests.experts.factories import ExpertFactory
from tests.factories import CityFactory, ContactFactory

from .factories import EventFactory, EventInvitationFactory

BASE = "/r/aurora/events"


@pytest.fixture
def world(cast):
    region = cast.home.region
    mine = CityFactory(region=region, name="Maebashi", tier=Tier.PIONEER, stage=Stage.MEMBER)
    other = CityFactory(region=region, name="Kakogawa", stage=Stage.MEMBER)
    ContactFactory(city=mine, user=cast.home.city_contact)
    expert = ExpertFactory(region=region, stage=ExpertStage.ACTIVE, user=cast.home.expert)
    announced = EventFactory(region=region, title="Announced meeting",
                             state=EventState.ANNOUNCED, announced_at=timezone.now())
    quiet = EventFactory(region=region, title="Quiet meeting")
    return {"mine": mine, "other": other, "expert": expert, "announced": announced,
            "quiet": quiet,
            "own": EventInvitationFactory(event=announced, city=mine),
            "theirs": EventInvitationFactory(event=announced, city=other),
            "expert_invitation": EventInvitationFactory(event=announced, city=None,
                                                        expert=expert),
            "hidden": EventInvitationFactory(event=quiet, city=mine)}


def _row(invitation) -> EventInvitation:
    with scopes_disabled():
        return EventInvitation.objects.get(pk=invitation.pk)


def test_a_city_contact_sees_announced_invitations_and_answers_for_their_city(
        cast, client_for, world):
    client = client_for(cast.home.city_contact)
    page = client.get(f"{BASE}/mine/").content.decode()
    assert "Announced meeting" in page and "Quiet meeting" not in page
    assert "Kakogawa" not in page
    for label in ("Attending", "Maybe", "Not attending"):
        assert f">{label}</button>" in page
    response = client.post(f"{BASE}/mine/{world['own'].pk}/answer/",
                           {"response": "accepted", "note": "Two of us"}, follow=True)
    assert "Your answer is saved: Attending." in response.content.decode()
    row = _row(world["own"])
    assert (row.response, row.response_note, row.responded_by) == (
        Response.ACCEPTED, "Two of us", cast.home.city_contact)
    client.post(f"{BASE}/mine/{world['own'].pk}/answer/", {"response": "declined"})
    assert _row(world["own"]).response == Response.DECLINED
    with scopes_disabled():
        entries = AuditEntry.objects.filter(action="events.invitation.responded")
        assert [(e.data["old"], e.data["new"]) for e in entries.order_by("pk")] == [
            ("pending", "accepted"), ("accepted", "declined")]


def test_a_city_contact_cannot_answer_for_another_city_or_a_quiet_event(cast, client_for,
                                                                        world):
    client = client_for(cast.home.city_contact)
    assert client.post(f"{BASE}/mine/{world['theirs'].pk}/answer/",
                       {"response": "accepted"}).status_code == 404
    assert client.post(f"{BASE}/mine/{world['hidden'].pk}/answer/",
                       {"response": "accepted"}).status_code == 404
    assert client.post(f"{BASE}/mine/{world['expert_invitation'].pk}/answer/",
                       {"response": "accepted"}).status_code == 404
    assert _row(world["theirs"]).response == Response.PENDING
    assert client_for(cast.home.regional_secretariat).post(
        f"{BASE}/mine/{world['own'].pk}/answer/", {"response": "accepted"}).status_code == 403


def test_an_expert_answers_for_themselves(cast, client_for, world):
    client = client_for(cast.home.expert)
    page = client.get(f"{BASE}/mine/").content.decode()
    assert "Announced meeting" in page and "Invited: you, as an expert" in page
    client.post(f"{BASE}/mine/{world['expert_invitation'].pk}/answer/",
                {"response": "tentative"})
    assert _row(world["expert_invitation"]).response == Response.TENTATIVE
    assert client.post(f"{BASE}/mine/{world['own'].pk}/answer/",
                       {"response": "accepted"}).status_code == 404


def test_a_public_event_shows_before_its_announcement(cast, client_for, world):
    public = EventFactory(region=cast.home.region, title="Open summit",
                          audience=Audience.PUBLIC)
    EventInvitationFactory(event=public, city=world["mine"])
    page = client_for(cast.home.city_contact).get(f"{BASE}/mine/").content.decode()
    assert "Open summit" in page


def test_a_bad_answer_changes_nothing(cast, client_for, world):
    client = client_for(cast.home.city_contact)
    response = client.post(f"{BASE}/mine/{world['own'].pk}/answer/",
                           {"response": "maybe-later", "note": "x" * 400}, follow=True)
    assert response.status_code == 200
    assert "Choose attending, maybe or not attending" in response.content.decode()
    assert _row(world["own"]).response == Response.PENDING


def test_answers_close_when_the_event_is_over(cast, client_for, world):
    with scopes_disabled():
        event = world["announced"]
        event.starts_at = timezone.now() - datetime.timedelta(hours=3)
        event.ends_at = timezone.now() - datetime.timedelta(hours=2)
        event.save()
    client = client_for(cast.home.city_contact)
    response = client.post(f"{BASE}/mine/{world['own'].pk}/answer/", {"response": "accepted"},
                           follow=True)
    assert "answers are closed" in response.content.decode()
    assert _row(world["own"]).response == Response.PENDING
    assert "Past events" in client.get(f"{BASE}/mine/").content.decode()


def test_the_event_page_counts_the_answers(cast, client_for, world):
    client = client_for(cast.home.city_contact)
    client.post(f"{BASE}/mine/{world['own'].pk}/answer/", {"response": "accepted"})
    page = client_for(cast.home.regional_secretariat).get(
        f"{BASE}/{world['announced'].pk}/").content.decode()
    assert "Attending: 1" in page and "No answer yet: 2" in page
    assert "Maebashi" in page


def test_my_events_is_in_the_menu_of_invitees_only(cast, client_for, world):
    page = client_for(cast.home.city_contact).get("/r/aurora/").content.decode()
    assert f'href="{BASE}/mine/"' in page
    assert "Your next events" in page and "Announced meeting" in page
    page = client_for(cast.home.regional_secretariat).get("/r/aurora/").content.decode()
    assert f'href="{BASE}/mine/"' not in page
    assert client_for(cast.home.regional_secretariat).get(f"{BASE}/mine/").status_code == 403


def test_attendance_is_recorded_after_the_event_started(cast, secretariat, world):
    event = world["announced"]
    url = f"{BASE}/{event.pk}/attendance/"
    own, theirs = world["own"], world["theirs"]
    response = secretariat.post(url, {f"attended-{own.pk}": "yes"}, follow=True)
    assert "once the event has started" in response.content.decode()
    assert _row(own).attended is None
    with scopes_disabled():
        event.starts_at = timezone.now() - datetime.timedelta(hours=2)
        event.ends_at = timezone.now() - datetime.timedelta(hours=1)
        event.save()
    assert secretariat.get(url).status_code == 200
    secretariat.post(url, {f"attended-{own.pk}": "yes", f"attendees-{own.pk}": "Mayor, CIO",
                           f"attended-{theirs.pk}": "no"})
    assert (_row(own).attended, _row(own).attendees) == (True, "Mayor, CIO")
    assert _row(theirs).attended is False
    page = secretariat.get(f"{BASE}/{event.pk}/").content.decode()
    assert "Attended: 1 · did not attend: 1" in page
    response = secretariat.post(url, {f"attendees-{own.pk}": "x" * 400}, follow=True)
    assert "under 300 characters" in response.content.decode()
    assert _row(own).attendees == "Mayor, CIO"


def test_only_the_events_manager_records_attendance(cast, client_for, world):
    url = f"{BASE}/{world['announced'].pk}/attendance/"
    assert client_for(cast.home.forum_reviewer).get(url).status_code == 403
    assert client_for(cast.home.city_contact).get(url).status_code == 403


def test_the_event_page_counts_many_invitations_beyond_those_it_lists(cast, client_for):
    event = EventFactory(region=cast.home.region, title="Big meeting")
    for n in range(12):
        EventInvitationFactory(event=event, response=Response.ACCEPTED if n < 5
                               else Response.PENDING)
    page = client_for(cast.home.regional_secretariat).get(
        f"{BASE}/{event.pk}/").content.decode()
    assert "Attending: 5" in page and "No answer yet: 7" in page
    assert "All 12 invitations" in page
