"""The attendance area's pages cost the same with few and many rows (within the budget), and
the demo's invitations are made for the plans area's demo events, twice without harm."""

import datetime

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from alliance.models import Role
from cities.models import Stage, Tier
from events.models import ActionItem, Event, EventInvitation, EventState
from experts.models import Stage as ExpertStage
from tests.experts.factories import ExpertFactory
from tests.factories import CityFactory, ContactFactory, MembershipFactory, RegionFactory
from tests.querycount import assert_flat_queries

from .factories import ActionItemFactory, EventFactory, EventInvitationFactory

BASE = "/r/aurora/events"


def test_the_invitation_attendance_and_minutes_pages_do_not_grow(cast, secretariat):
    region = cast.home.region
    event = EventFactory(region=region, state=EventState.HELD,
                         starts_at=timezone.now() - datetime.timedelta(days=1),
                         ends_at=timezone.now() - datetime.timedelta(days=1, hours=-1))
    EventInvitationFactory(event=event)

    def grow():
        for _n in range(4):
            EventInvitationFactory(event=event, attended=True)
            EventInvitationFactory(event=event, city=None,
                                   expert=ExpertFactory(region=region))
            ActionItemFactory(event=event, owner=cast.home.expert)

    secretariat.get(f"{BASE}/")
    pages = [f"{BASE}/{event.pk}/invitations/", f"{BASE}/{event.pk}/attendance/",
             f"{BASE}/{event.pk}/minutes/", f"{BASE}/{event.pk}/"]
    for url in pages:
        assert_flat_queries(lambda url=url: secretariat.get(url), grow)


def test_my_events_does_not_grow(cast, client_for):
    region = cast.home.region
    city = CityFactory(region=region)
    ContactFactory(city=city, user=cast.home.city_contact)
    client = client_for(cast.home.city_contact)

    def grow():
        for n in range(4):
            event = EventFactory(region=region, state=EventState.ANNOUNCED,
                                 announced_at=timezone.now(),
                                 starts_at=timezone.now() + datetime.timedelta(days=n - 2),
                                 ends_at=timezone.now() + datetime.timedelta(days=n - 2,
                                                                             hours=1))
            EventInvitationFactory(event=event, city=city)
            ActionItemFactory(event=event, owner=cast.home.city_contact)

    grow()
    client.get(f"{BASE}/mine/")
    assert_flat_queries(lambda: client.get(f"{BASE}/mine/"), grow)
    client.get("/r/aurora/")  # what the dashboard's other cards cache on a first visit
    assert_flat_queries(lambda: client.get("/r/aurora/"), grow)


def test_the_demo_invites_to_the_demo_events_twice_without_harm(db):
    from events import demo_attendance, demo_plans

    japan = RegionFactory(slug="japan", name="Japan", time_zone="Asia/Tokyo")
    secretariat = MembershipFactory(region=japan, role=Role.REGIONAL_SECRETARIAT).user
    for n in range(3):
        ContactFactory(city=CityFactory(region=japan, name=f"Member {n}", stage=Stage.MEMBER,
                                        tier=Tier.PIONEER), is_key=True)
    ExpertFactory(region=japan, stage=ExpertStage.ACTIVE)
    with scope(region=japan):
        demo_attendance.seed(japan, secretariat)  # before the plans' events: nothing
        assert not EventInvitation.objects.exists()
        demo_plans.seed(japan, secretariat)
        demo_attendance.seed(japan, secretariat)
        count = EventInvitation.objects.count()
        demo_attendance.seed(japan, secretariat)
        assert EventInvitation.objects.count() == count
        held = Event.objects.filter(region=japan, state=EventState.HELD).get()
        assert held.minutes and held.invitations.filter(attended=True).exists()
        assert ActionItem.objects.filter(event=held).count() == 1
        summit = Event.objects.get(title=demo_plans.SUMMIT_TITLE["japan"])
        assert summit.invitations.count() == 4
    with scopes_disabled():
        assert EventInvitation.objects.filter(notified_at__isnull=True).exists()
