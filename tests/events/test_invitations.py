"""Inviting to an event: by tier (participating cities; observers only to the kinds the
region chose, the page saying why the others were left out), a city by hand (an observer
refused with the reason), experts, a working group, the previous meeting's invitees; once
each. Nobody is told before the event is announced, which for a kind with an agenda waits
for the Forum's approval; each person is told once."""

import datetime

import pytest
from django_scopes import scopes_disabled

from alliance.models import AuditEntry, Notification
from cities.models import Stage, Tier
from events.models import AgendaState, EventInvitation, EventKind, EventState, InvitedAs
from events.services import invitations
from events.signals import agenda_approved
from experts.models import Stage as ExpertStage
from tests.experts.factories import ExpertFactory, GroupMemberFactory, WorkingGroupFactory
from tests.factories import CityFactory, ContactFactory

from .factories import EventFactory, EventInvitationFactory, MeetingSeriesFactory

BASE = "/r/aurora/events"


def _invited(event) -> set[str]:
    with scopes_disabled():
        return {str(i) for i in EventInvitation.objects.filter(event=event)
                .select_related("city", "expert")}


@pytest.fixture
def cities(cast):
    region = cast.home.region
    return {
        "pioneer": CityFactory(region=region, name="Maebashi", tier=Tier.PIONEER,
                               stage=Stage.MEMBER),
        "active": CityFactory(region=region, name="Kakogawa", tier=Tier.ACTIVE,
                              stage=Stage.COMMITTED),
        "prospect": CityFactory(region=region, name="Prospect", tier=Tier.ACTIVE,
                                stage=Stage.IN_DIALOGUE),
        "observer": CityFactory(region=region, name="Observa", tier=Tier.OBSERVER,
                                stage=Stage.IN_DIALOGUE),
        "observer2": CityFactory(region=region, name="Watcher", tier=Tier.OBSERVER,
                                 stage=Stage.MEMBER),
        "far": CityFactory(region=region, name="Faraway", tier=Tier.OBSERVER,
                           stage=Stage.CONTACTED),
    }


def test_inviting_by_tier_leaves_observers_out_of_a_regular_meeting_and_says_why(
        cast, secretariat, cities):
    event = EventFactory(region=cast.home.region)
    response = secretariat.post(f"{BASE}/{event.pk}/invitations/tier/",
                                {"tiers": ["pioneer", "active", "observer"]}, follow=True)
    assert _invited(event) == {"Maebashi", "Kakogawa"}
    page = response.content.decode()
    assert "2 observer cities were left out: observers are invited to: Launch meeting" in page
    assert "this is a regular meeting." in page
    assert "2 invited." in page


def test_observers_come_to_the_kinds_the_region_chose(cast, secretariat, cities):
    event = EventFactory(region=cast.home.region, kind=EventKind.ANNUAL_EVENT)
    secretariat.post(f"{BASE}/{event.pk}/invitations/tier/", {"tiers": ["observer"]})
    assert _invited(event) == {"Observa", "Watcher"}
    secretariat.post(f"{BASE}/settings/", {"observer_kinds": ["regular_meeting"]})
    meeting = EventFactory(region=cast.home.region)
    secretariat.post(f"{BASE}/{meeting.pk}/invitations/tier/", {"tiers": ["observer"]})
    assert _invited(meeting) == {"Observa", "Watcher"}


def test_inviting_an_observer_city_by_hand_is_refused_with_the_reason(cast, secretariat,
                                                                      cities):
    event = EventFactory(region=cast.home.region)
    response = secretariat.post(f"{BASE}/{event.pk}/invitations/city/",
                                {"city": cities["observer"].pk}, follow=True)
    assert _invited(event) == set()
    page = response.content.decode()
    assert "Observa is an observer city: observers are invited to:" in page
    secretariat.post(f"{BASE}/{event.pk}/invitations/city/", {"city": cities["prospect"].pk})
    assert _invited(event) == {"Prospect"}


def test_an_invitation_is_made_once(cast, secretariat, cities):
    event = EventFactory(region=cast.home.region)
    for _n in range(2):
        secretariat.post(f"{BASE}/{event.pk}/invitations/tier/", {"tiers": ["pioneer"]})
        secretariat.post(f"{BASE}/{event.pk}/invitations/city/", {"city": cities["pioneer"].pk})
    with scopes_disabled():
        assert EventInvitation.objects.filter(event=event).count() == 1


def test_experts_a_group_and_the_previous_meetings_invitees(cast, secretariat, cities):
    region = cast.home.region
    ExpertFactory(region=region, name="Working Expert", stage=ExpertStage.ACTIVE)
    ExpertFactory(region=region, name="Candidate Expert")
    group = WorkingGroupFactory(region=region)
    GroupMemberFactory(group=group, expert=ExpertFactory(region=region, name="Group Expert",
                                                         stage=ExpertStage.CONFIRMED))
    GroupMemberFactory(group=group, expert=None,
                       contact=ContactFactory(city=cities["active"]))
    event = EventFactory(region=region)
    secretariat.post(f"{BASE}/{event.pk}/invitations/expert/", {"all": "working"})
    assert _invited(event) == {"Working Expert", "Group Expert"}
    secretariat.post(f"{BASE}/{event.pk}/invitations/group/", {"group": group.pk})
    assert _invited(event) == {"Working Expert", "Group Expert", "Kakogawa"}
    response = secretariat.post(f"{BASE}/{event.pk}/invitations/expert/",
                                {"expert_text": "Candidate Expert"}, follow=True)
    assert "Candidate Expert" not in _invited(event)
    assert "Nothing here is called" in response.content.decode()
    following = EventFactory(region=region, follows=event,
                             starts_at=event.starts_at + datetime.timedelta(days=30),
                             ends_at=event.ends_at + datetime.timedelta(days=30))
    page = secretariat.get(f"{BASE}/{following.pk}/invitations/").content.decode()
    assert "Invite the same members as the previous meeting" in page
    secretariat.post(f"{BASE}/{following.pk}/invitations/previous/")
    assert _invited(following) == _invited(event)
    with scopes_disabled():
        assert EventInvitation.objects.get(event=event, city=cities["active"]).invited_as \
            == InvitedAs.WORKING_GROUP


def test_nobody_is_told_before_the_forum_approves_then_everyone_once(cast, secretariat,
                                                                      cities):
    region = cast.home.region
    ContactFactory(city=cities["pioneer"], user=cast.home.city_contact)
    ContactFactory(city=cities["active"], email="key@kakogawa.example.org", is_key=True)
    expert = ExpertFactory(region=region, stage=ExpertStage.ACTIVE, user=cast.home.expert)
    event = EventFactory(region=region)
    secretariat.post(f"{BASE}/{event.pk}/invitations/tier/", {"tiers": ["pioneer", "active"]})
    secretariat.post(f"{BASE}/{event.pk}/invitations/expert/", {"expert": expert.pk})
    with scopes_disabled():
        assert not Notification.objects.filter(key__startswith="event-invitation:").exists()
    # Announcing by hand is refused before the approval.
    response = secretariat.post(f"{BASE}/{event.pk}/announce/", follow=True)
    assert "has not approved the agenda" in response.content.decode()
    with scopes_disabled():
        event.refresh_from_db()
        assert event.state == EventState.PLANNED and event.announced_at is None
        event.agenda_state = AgendaState.APPROVED
        event.save()
        agenda_approved.send(sender=type(event), event=event, actor=cast.home.forum_reviewer)
        agenda_approved.send(sender=type(event), event=event, actor=cast.home.forum_reviewer)
        event.refresh_from_db()
        assert event.state == EventState.ANNOUNCED and event.announced_at
        told = Notification.objects.filter(key__startswith="event-invitation:")
        assert {(n.recipient_id, n.email) for n in told} == {
            (cast.home.city_contact.pk, ""), (None, "key@kakogawa.example.org"),
            (cast.home.expert.pk, "")}
        assert told.count() == 3
        assert not EventInvitation.objects.filter(event=event, notified_at=None).exists()
        assert AuditEntry.objects.filter(action="events.event.announced").count() == 1
    # Invited after the announcement: told at once.
    ContactFactory(city=cities["observer2"], email="key@watcher.example.org", is_key=True)
    secretariat.post(f"{BASE}/settings/", {"observer_kinds": ["regular_meeting"]})
    secretariat.post(f"{BASE}/{event.pk}/invitations/city/", {"city": cities["observer2"].pk})
    with scopes_disabled():
        assert Notification.objects.filter(email="key@watcher.example.org",
                                           key__startswith="event-invitation:").count() == 1


def test_a_one_on_one_session_is_announced_directly(cast, secretariat, cities):
    event = EventFactory(region=cast.home.region, kind=EventKind.ONE_ON_ONE)
    ContactFactory(city=cities["pioneer"], user=cast.home.city_contact)
    secretariat.post(f"{BASE}/{event.pk}/invitations/city/", {"city": cities["pioneer"].pk})
    page = secretariat.get(f"{BASE}/{event.pk}/").content.decode()
    assert "Announce to invitees" in page
    secretariat.post(f"{BASE}/{event.pk}/announce/")
    secretariat.post(f"{BASE}/{event.pk}/announce/")
    with scopes_disabled():
        event.refresh_from_db()
        assert event.state == EventState.ANNOUNCED
        assert Notification.objects.filter(recipient=cast.home.city_contact).count() == 1


def test_a_series_delegate_invites_to_their_series_events_only(cast, client_for, cities):
    from alliance import permissions

    region = cast.home.region
    series = MeetingSeriesFactory(region=region)
    delegate = cast.home.city_contact
    permissions.grant(delegate, "events.manage_series", series)
    theirs = EventFactory(region=region, series=series)
    other = EventFactory(region=region)
    client = client_for(delegate)
    assert client.get(f"{BASE}/{theirs.pk}/invitations/").status_code == 200
    client.post(f"{BASE}/{theirs.pk}/invitations/tier/", {"tiers": ["pioneer"]})
    assert _invited(theirs) == {"Maebashi"}
    assert client.get(
        f"{BASE}/{theirs.pk}/invitations/pick/invitee-cities/?q=Mae").status_code == 200
    assert client.post(f"{BASE}/{other.pk}/invitations/tier/",
                       {"tiers": ["pioneer"]}).status_code == 403
    assert _invited(other) == set()


def test_reviewers_read_invitations_but_do_not_invite(cast, client_for, cities):
    event = EventFactory(region=cast.home.region)
    EventInvitationFactory(event=event, city=cities["pioneer"])
    client = client_for(cast.home.forum_reviewer)
    page = client.get(f"{BASE}/{event.pk}/invitations/").content.decode()
    assert "Maebashi" in page and "Invite these tiers" not in page
    assert client.post(f"{BASE}/{event.pk}/invitations/tier/",
                       {"tiers": ["pioneer"]}).status_code == 403


def test_the_invitation_list_searches_and_pages(cast, secretariat, cities):
    event = EventFactory(region=cast.home.region)
    for city in cities.values():
        EventInvitationFactory(event=event, city=city)
    page = secretariat.get(f"{BASE}/{event.pk}/invitations/?q=kako").content.decode()
    assert "Kakogawa" in page and "Maebashi" not in page
    bad = secretariat.get(f"{BASE}/{event.pk}/invitations/?response=nonsense&page=x")
    assert bad.status_code == 200


def test_the_region_setting_needs_its_right_and_refuses_nonsense(cast, client_for, secretariat):
    assert client_for(cast.home.forum_reviewer).get(f"{BASE}/settings/").status_code == 403
    client = client_for(cast.home.regional_secretariat)
    response = client.post(f"{BASE}/settings/", {"observer_kinds": ["no-such-kind"]})
    assert response.status_code == 200 and response.context["form"].errors
    with scopes_disabled():
        assert invitations.event_settings.observer_kinds(cast.home.region) == [
            "launch_meeting", "annual_event", "domestic_event", "international_event"]


def test_a_closed_event_takes_no_invitation(cast, secretariat, cities):
    event = EventFactory(region=cast.home.region, state=EventState.CANCELLED)
    response = secretariat.post(f"{BASE}/{event.pk}/invitations/tier/", {"tiers": ["pioneer"]},
                                follow=True)
    assert _invited(event) == set()
    assert "cancelled" in response.content.decode()
