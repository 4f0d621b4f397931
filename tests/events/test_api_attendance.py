"""The API of invitations, answers, attendance, minutes and action items: the secretariat
invites (the observer rule's skipped cities in the answer), an invitee answers for their own
city only, bad input answers 400 and changes nothing, another region's event is a 404."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from cities.models import Stage, Tier
from events.models import ActionItem, Event, EventInvitation, EventState, Response
from tests.factories import CityFactory, ContactFactory

from .factories import ActionItemFactory, EventFactory, EventInvitationFactory

API = "/api/v1/regions/aurora"


@pytest.fixture
def world(cast):
    region = cast.home.region
    return {
        "member": CityFactory(region=region, name="Maebashi", tier=Tier.PIONEER,
                              stage=Stage.MEMBER),
        "observer": CityFactory(region=region, name="Observa", tier=Tier.OBSERVER,
                                stage=Stage.IN_DIALOGUE),
        "event": EventFactory(region=region, title="Regular meeting"),
    }


def _count(event) -> int:
    with scopes_disabled():
        return EventInvitation.objects.filter(event=event).count()


def test_inviting_by_tier_answers_with_the_observers_left_out(cast, api_secretariat, world):
    event = world["event"]
    answer = api_secretariat.post(f"{API}/events/{event.pk}/invitations/invite-by-tier/",
                                  {"tiers": ["pioneer", "observer"]}, format="json")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["added"] == 1
    assert body["skipped"] == [{"id": world["observer"].pk, "name": "Observa"}]
    assert "this is a regular meeting" in body["reason"]
    listed = api_secretariat.get(f"{API}/events/{event.pk}/invitations/").json()["results"]
    assert [row["name"] for row in listed] == ["Maebashi"]


def test_inviting_an_observer_by_hand_answers_400(cast, api_secretariat, world):
    event = world["event"]
    refused = api_secretariat.post(f"{API}/events/{event.pk}/invitations/",
                                   {"city": world["observer"].pk}, format="json")
    assert refused.status_code == 400
    assert "observer city" in str(refused.json())
    refused = api_secretariat.post(f"{API}/events/{event.pk}/invitations/",
                                   {"city": world["member"].pk, "expert": 1,
                                    "response": "accepted"}, format="json")
    assert refused.status_code == 400 and "response" in refused.json()
    refused = api_secretariat.post(f"{API}/events/{event.pk}/invitations/invite-by-tier/",
                                   {"tiers": ["gold"]}, format="json")
    assert refused.status_code == 400
    assert _count(event) == 0
    created = api_secretariat.post(f"{API}/events/{event.pk}/invitations/",
                                   {"city": world["member"].pk}, format="json")
    assert created.status_code == 201 and _count(event) == 1


def test_another_regions_event_is_not_found(cast, api, world):
    foreign = EventFactory(region=cast.foreign.region)
    api.force_authenticate(cast.home.regional_secretariat)
    for url in (f"{API}/events/{foreign.pk}/invitations/",
                f"{API}/events/{foreign.pk}/action-items/",
                f"{API}/events/{foreign.pk}/minutes/"):
        assert api.get(url).status_code == 404
    assert api.post(f"{API}/events/{foreign.pk}/invitations/invite-by-tier/",
                    {"tiers": ["pioneer"]}, format="json").status_code == 404


def test_a_city_contact_answers_for_their_own_city_only(cast, api, world):
    event = world["event"]
    with scopes_disabled():
        Event.objects.filter(pk=event.pk).update(state=EventState.ANNOUNCED,
                                                 announced_at=timezone.now())
    ContactFactory(city=world["member"], user=cast.home.city_contact)
    own = EventInvitationFactory(event=event, city=world["member"])
    other = EventInvitationFactory(event=event, city=CityFactory(region=cast.home.region))
    api.force_authenticate(cast.home.city_contact)
    listed = api.get(f"{API}/my-invitations/").json()["results"]
    assert [row["id"] for row in listed] == [own.pk]
    answered = api.post(f"{API}/my-invitations/{own.pk}/rsvp/",
                        {"response": "tentative", "note": "Maybe the CIO"}, format="json")
    assert answered.status_code == 200, answered.json()
    assert answered.json()["response"] == "tentative"
    assert api.post(f"{API}/my-invitations/{other.pk}/rsvp/", {"response": "accepted"},
                    format="json").status_code == 404
    bad = api.post(f"{API}/my-invitations/{own.pk}/rsvp/", {"response": "pending"},
                   format="json")
    assert bad.status_code == 400
    with scopes_disabled():
        assert EventInvitation.objects.get(pk=own.pk).response == Response.TENTATIVE
        assert EventInvitation.objects.get(pk=other.pk).response == Response.PENDING
    assert api.get(f"{API}/events/{event.pk}/invitations/").status_code == 403


def test_attendance_minutes_and_actions(cast, api_secretariat, world):
    event = world["event"]
    invitation = EventInvitationFactory(event=event, city=world["member"])
    url = f"{API}/events/{event.pk}/invitations/attendance/"
    early = api_secretariat.post(url, {"rows": [{"id": invitation.pk, "attended": True}]},
                                 format="json")
    assert early.status_code == 400
    with scopes_disabled():
        Event.objects.filter(pk=event.pk).update(
            starts_at=timezone.now() - datetime.timedelta(hours=2),
            ends_at=timezone.now() - datetime.timedelta(hours=1))
    saved = api_secretariat.post(url, {"rows": [{"id": invitation.pk, "attended": True,
                                                 "attendees": "Mayor"}]}, format="json")
    assert saved.json() == {"changed": 1}
    minutes_url = f"{API}/events/{event.pk}/minutes/"
    assert api_secretariat.post(minutes_url, {"minutes": "Agreed."},
                                format="json").json()["minutes"] == "Agreed."
    assert api_secretariat.get(minutes_url).json()["minutes"] == "Agreed."
    items = f"{API}/events/{event.pk}/action-items/"
    created = api_secretariat.post(items, {"title": "Publish", "owner": cast.home.expert.pk,
                                           "due_on": "2040-01-01"}, format="json")
    assert created.status_code == 400  # too far from the meeting
    created = api_secretariat.post(items, {"title": "Publish", "owner": cast.home.expert.pk},
                                   format="json")
    assert created.status_code == 201, created.json()
    item_id = created.json()["id"]
    done = api_secretariat.patch(f"{items}{item_id}/", {"done": True}, format="json")
    assert done.json()["done"] is True
    assert api_secretariat.patch(f"{items}{item_id}/", {"owner": cast.foreign.expert.pk},
                                 format="json").status_code == 400
    assert api_secretariat.delete(f"{items}{item_id}/").status_code == 204
    with scopes_disabled():
        assert not ActionItem.objects.exists()


def test_a_reviewer_reads_and_does_not_write(cast, api, world):
    event = world["event"]
    ActionItemFactory(event=event)
    api.force_authenticate(cast.home.forum_reviewer)
    assert api.get(f"{API}/events/{event.pk}/action-items/").status_code == 200
    assert api.post(f"{API}/events/{event.pk}/minutes/", {"minutes": "x"},
                    format="json").status_code == 403
    assert api.post(f"{API}/events/{event.pk}/invitations/invite-by-tier/",
                    {"tiers": ["pioneer"]}, format="json").status_code == 403
