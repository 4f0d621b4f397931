"""A week before an announced event, the invitees told of it who have not answered are asked
once (the daily job run twice sends nothing more); those who answered, and events not
announced, are left alone."""

import datetime

from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.models import Notification
from events import tasks
from events.models import EventState, Response
from tests.factories import CityFactory, ContactFactory

from .factories import EventFactory, EventInvitationFactory


def _reminders():
    with scopes_disabled():
        return list(Notification.objects.filter(key__contains=":reminder:"))


def test_invitees_who_have_not_answered_are_asked_once(cast):
    region = cast.home.region
    now = timezone.now()
    soon = now + datetime.timedelta(days=3)
    event = EventFactory(region=region, title="Regular meeting", starts_at=soon,
                         ends_at=soon + datetime.timedelta(hours=1),
                         state=EventState.ANNOUNCED, announced_at=now)
    waiting, answered = CityFactory(region=region), CityFactory(region=region)
    ContactFactory(city=waiting, user=cast.home.city_contact)
    ContactFactory(city=answered, email="key@answered.example.org", is_key=True)
    EventInvitationFactory(event=event, city=waiting, notified_at=now)
    EventInvitationFactory(event=event, city=answered, notified_at=now,
                           response=Response.ACCEPTED)
    later = EventFactory(region=region, state=EventState.ANNOUNCED, announced_at=now,
                         starts_at=now + datetime.timedelta(days=20),
                         ends_at=now + datetime.timedelta(days=20, hours=1))
    EventInvitationFactory(event=later, city=waiting, notified_at=now)
    quiet = EventFactory(region=region, starts_at=soon, ends_at=soon + datetime.timedelta(1))
    EventInvitationFactory(event=quiet, city=waiting)

    assert tasks.send_answer_reminders(region_id=region.pk) == 1
    assert tasks.send_answer_reminders(region_id=region.pk) == 0
    [reminder] = _reminders()
    assert reminder.recipient == cast.home.city_contact
    assert reminder.subject.startswith("Will you attend Regular meeting")
    assert tasks.plan_answer_reminders() == 2  # one task per region, sending nothing new
    assert len(_reminders()) == 1
