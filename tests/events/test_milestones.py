"""The playbook's milestones before an event (agenda drafted six weeks before, agenda and
speakers fixed four weeks before) and the daily reminders: to the organizer (or the
secretariat when there is none), when due within a week or overdue and not met, once per
event and milestone; never for cancelled, held or past events, nor a one-on-one session."""

import datetime

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from alliance.models import Notification
from events import tasks
from events.models import AgendaState, EventKind, EventState
from events.services import events

from .factories import EventFactory

NOW = timezone.now().replace(microsecond=0)


def _in(days: float):
    return NOW + datetime.timedelta(days=days)


def _remind(region, now=NOW) -> int:
    with scope(region=region):
        return events.send_milestone_reminders(region=region, now=now)


def _notes(user=None):
    with scopes_disabled():
        rows = Notification.objects.filter(key__startswith="event:")
        return list(rows.filter(recipient=user) if user else rows)


def test_milestone_dates_are_six_and_four_weeks_before(cast):
    event = EventFactory(region=cast.home.region, starts_at=_in(60),
                         ends_at=_in(60) + datetime.timedelta(hours=1))
    drafted, fixed = events.milestones(event, NOW)
    assert drafted.due == event.starts_at - datetime.timedelta(weeks=6)
    assert fixed.due == event.starts_at - datetime.timedelta(weeks=4)
    assert (drafted.state, fixed.state) == ("upcoming", "upcoming")


def test_milestone_states_follow_the_agenda_and_the_clock(cast):
    event = EventFactory(region=cast.home.region, starts_at=_in(31),
                         ends_at=_in(31) + datetime.timedelta(hours=1))
    drafted, fixed = events.milestones(event, NOW)
    assert drafted.state == "overdue" and fixed.state == "due_soon"
    event.agenda_state = AgendaState.DRAFTED
    drafted, fixed = events.milestones(event, NOW)
    assert drafted.state == "done" and fixed.state == "due_soon"
    event.agenda_state = AgendaState.SUBMITTED
    assert all(m.met for m in events.milestones(event, NOW))
    assert events.next_milestone(event, NOW) is None


def test_the_organizer_is_reminded_once_per_event_and_milestone(cast):
    organizer = cast.home.regional_secretariat
    # Drafted due in 3 days; fixed due in 17 days (not yet within the week).
    event = EventFactory(region=cast.home.region, organizer=organizer, starts_at=_in(45),
                         ends_at=_in(45) + datetime.timedelta(hours=1))
    assert _remind(cast.home.region) == 1
    [note] = _notes(organizer)
    assert note.key == f"event:{event.pk}:agenda_drafted:{organizer.pk}"
    assert "Agenda drafted" in note.subject and f"/events/{event.pk}/" in note.url
    assert _remind(cast.home.region) == 0  # the job runs daily: nothing twice
    assert _remind(cast.home.region, now=NOW + datetime.timedelta(days=12)) == 1  # fixed now
    assert len(_notes(organizer)) == 2


def test_a_met_milestone_is_not_reminded(cast):
    EventFactory(region=cast.home.region, organizer=cast.home.regional_secretariat,
                 starts_at=_in(40), ends_at=_in(40) + datetime.timedelta(hours=1),
                 agenda_state=AgendaState.DRAFTED)
    assert _remind(cast.home.region) == 0
    EventFactory(region=cast.home.region, organizer=cast.home.regional_secretariat,
                 starts_at=_in(20), ends_at=_in(20) + datetime.timedelta(hours=1),
                 agenda_state=AgendaState.APPROVED)
    assert _remind(cast.home.region) == 0


def test_without_an_organizer_the_secretariat_is_reminded(cast):
    EventFactory(region=cast.home.region, starts_at=_in(20),
                 ends_at=_in(20) + datetime.timedelta(hours=1))
    assert _remind(cast.home.region) == 2  # both overdue, one secretary
    assert {n.recipient_id for n in _notes()} == {cast.home.regional_secretariat.pk}


def test_no_reminder_for_cancelled_held_past_or_one_on_one_events(cast):
    region = cast.home.region
    for state in (EventState.CANCELLED, EventState.HELD):
        EventFactory(region=region, state=state, starts_at=_in(20),
                     ends_at=_in(20) + datetime.timedelta(hours=1))
    EventFactory(region=region, starts_at=_in(-2), ends_at=_in(-2) + datetime.timedelta(hours=1))
    EventFactory(region=region, kind=EventKind.ONE_ON_ONE, starts_at=_in(20),
                 ends_at=_in(20) + datetime.timedelta(hours=1))
    EventFactory(region=cast.foreign.region, starts_at=_in(20),
                 ends_at=_in(20) + datetime.timedelta(hours=1))
    assert _remind(region) == 0


def test_the_daily_job_fans_out_per_region(cast):
    EventFactory(region=cast.home.region, organizer=cast.home.regional_secretariat,
                 starts_at=_in(44), ends_at=_in(44) + datetime.timedelta(hours=1))
    EventFactory(region=cast.foreign.region, organizer=cast.foreign.regional_secretariat,
                 starts_at=_in(44), ends_at=_in(44) + datetime.timedelta(hours=1))
    tasks.plan_milestone_reminders.delay()
    tasks.plan_milestone_reminders.delay()
    assert len(_notes(cast.home.regional_secretariat)) == 1
    assert len(_notes(cast.foreign.regional_secretariat)) == 1
