"""An event's agenda: items in order with one speaker each (a city contact, an expert or a
staff member) and running start times; the Forum's approval gate (the agenda is approved and
the event may be announced only once a reviewer approves; changes requested returns it);
editing after submission needs a new approval; the printable agenda and its PDF."""

import datetime

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from alliance.models import ApprovalRequest, AuditEntry, Notification
from alliance.services import approvals
from events.models import AgendaItem, AgendaState, Event, EventKind
from events.services import agendas
from events.signals import agenda_approved
from experts.models import Stage
from tests.events.factories import AgendaItemFactory, EventFactory, WorkplanFactory
from tests.experts.factories import ExpertFactory
from tests.factories import CityFactory, ContactFactory

BASE = "/r/aurora/events"


def _event(pk) -> Event:
    with scopes_disabled():
        return Event.objects.get(pk=pk)


def _items(event) -> list[AgendaItem]:
    with scopes_disabled():
        return list(AgendaItem.objects.filter(event=event).order_by("position", "id"))


def _add(client, event, **data):
    return client.post(f"{BASE}/{event.pk}/agenda/new/",
                       {"title": "Progress sharing", "duration_minutes": 20, **data})


def _submitted(cast, secretariat, **event_kwargs) -> tuple[Event, ApprovalRequest]:
    event = EventFactory(region=cast.home.region, organizer=cast.home.regional_secretariat,
                         **event_kwargs)
    AgendaItemFactory(event=event, region=event.region, title="Welcome")
    response = secretariat.post(f"{BASE}/{event.pk}/agenda/submit/")
    assert response.status_code == 302
    with scopes_disabled():
        approval = ApprovalRequest.objects.get(kind="event_agenda", object_id=event.pk)
    return event, approval


def test_the_organizer_builds_the_agenda_with_a_city_speaker(cast, secretariat):
    event = EventFactory(region=cast.home.region)
    city = CityFactory(region=cast.home.region, name="Maebashi")
    contact = ContactFactory(city=city, region=cast.home.region, name="Aiko Sato")
    workplan = WorkplanFactory(city=city, region=cast.home.region)
    response = _add(secretariat, event, speaker_contact=contact.pk, workplan=workplan.pk)
    assert response.status_code == 302, response.content.decode()
    _add(secretariat, event, title="Expert talk", duration_minutes=30)
    page = secretariat.get(f"{BASE}/{event.pk}/").content.decode()
    assert "Aiko Sato (Maebashi)" in page and "Progress sharing" in page
    start = timezone.localtime(event.starts_at, cast_zone(cast))
    second = start + datetime.timedelta(minutes=20)
    assert second.strftime("%H:%M") in page  # the second item starts after the first
    assert "50 / 60" in page  # the total against the event's length
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="events.agenda.item_added").count() == 2


def cast_zone(cast):
    import zoneinfo

    return zoneinfo.ZoneInfo(cast.home.region.time_zone)


def test_an_item_has_one_speaker_at_most(cast, secretariat):
    event = EventFactory(region=cast.home.region)
    contact = ContactFactory(region=cast.home.region)
    expert = ExpertFactory(region=cast.home.region, stage=Stage.ACTIVE)
    response = _add(secretariat, event, speaker_contact=contact.pk, speaker_expert=expert.pk)
    assert response.status_code == 200
    assert "One speaker per item" in response.context["form"].errors["speaker_expert"][0]
    assert not _items(event)


def test_a_candidate_expert_or_another_regions_contact_cannot_speak(cast, secretariat):
    event = EventFactory(region=cast.home.region)
    candidate = ExpertFactory(region=cast.home.region, stage=Stage.CANDIDATE)
    foreign = ContactFactory(region=cast.foreign.region)
    assert "speaker_expert" in _add(secretariat, event, speaker_expert=candidate.pk
                                    ).context["form"].errors
    assert "speaker_contact" in _add(secretariat, event, speaker_contact=foreign.pk
                                     ).context["form"].errors
    assert not _items(event)


def test_items_move_up_and_down(cast, secretariat):
    event = EventFactory(region=cast.home.region)
    first = AgendaItemFactory(event=event, region=event.region, title="First", position=1)
    second = AgendaItemFactory(event=event, region=event.region, title="Second", position=2)
    response = secretariat.post(f"{BASE}/{event.pk}/agenda/{second.pk}/move/",
                                {"direction": "up"})
    assert response.status_code == 302
    assert [item.title for item in _items(event)] == ["Second", "First"]
    secretariat.post(f"{BASE}/{event.pk}/agenda/{second.pk}/move/", {"direction": "down"})
    assert [item.pk for item in _items(event)] == [first.pk, second.pk]
    secretariat.post(f"{BASE}/{event.pk}/agenda/{first.pk}/delete/")
    assert [item.pk for item in _items(event)] == [second.pk]


def test_marking_drafted_meets_the_first_milestone(cast, secretariat):
    event = EventFactory(region=cast.home.region)
    secretariat.post(f"{BASE}/{event.pk}/agenda/drafted/")
    assert _event(event.pk).agenda_state == AgendaState.DRAFTING  # no item yet
    AgendaItemFactory(event=event, region=event.region)
    secretariat.post(f"{BASE}/{event.pk}/agenda/drafted/")
    event = _event(event.pk)
    assert event.agenda_state == AgendaState.DRAFTED and event.agenda_drafted_at


# -- the Forum's gate ------------------------------------------------------------------------

def test_the_agenda_is_approved_only_when_the_reviewer_approves(cast, secretariat):
    heard = []

    def listener(sender, event, actor, **kwargs):
        heard.append((event.pk, actor.pk))

    agenda_approved.connect(listener)
    try:
        event, approval = _submitted(cast, secretariat)
        assert _event(event.pk).agenda_state == AgendaState.SUBMITTED
        assert approval.route_role == "forum_reviewer"
        assert heard == []  # not announced while the Forum has not approved
        with scope(region=cast.home.region):
            approvals.decide(actor=cast.home.forum_reviewer, approval=approval,
                             decision="approved")
    finally:
        agenda_approved.disconnect(listener)
    assert _event(event.pk).agenda_state == AgendaState.APPROVED
    assert heard == [(event.pk, cast.home.forum_reviewer.pk)]


def test_changes_requested_return_the_agenda_and_tell_the_organizer(cast, client_for):
    organizer = cast.home.regional_secretariat
    event = EventFactory(region=cast.home.region, organizer=organizer)
    AgendaItemFactory(event=event, region=event.region)
    with scope(region=cast.home.region):
        approval = agendas.submit_agenda(actor=cast.global_secretariat, event=event)
        approvals.decide(actor=cast.home.forum_reviewer, approval=approval,
                         decision="changes_requested", comment="Name the city speakers.")
    assert _event(event.pk).agenda_state == AgendaState.CHANGES_REQUESTED
    with scopes_disabled():
        told = Notification.objects.get(recipient=organizer, key__contains="event-organizer")
    assert "Name the city speakers." in told.body
    page = client_for(organizer).get(f"{BASE}/{event.pk}/").content.decode()
    assert "Submit agenda to the Forum" in page  # it can go again


def test_the_reviewer_reads_the_agenda_with_speakers_on_the_decision_page(cast, secretariat,
                                                                          client_for):
    _event_row, approval = _submitted(cast, secretariat, title="Autumn meeting")
    page = client_for(cast.home.forum_reviewer).get(
        f"/r/aurora/approvals/{approval.pk}/").content.decode()
    assert "Autumn meeting" in page and "Welcome" in page


def test_editing_a_submitted_agenda_needs_a_new_approval(cast, secretariat):
    event, approval = _submitted(cast, secretariat)
    response = _add(secretariat, event, title="Late addition")
    assert response.status_code == 302
    assert _event(event.pk).agenda_state == AgendaState.DRAFTED
    page = secretariat.get(f"{BASE}/{event.pk}/").content.decode()
    assert "needs a new Forum approval" in page
    # The pending request stays; approving it now approves nothing.
    with scope(region=cast.home.region):
        approvals.decide(actor=cast.home.forum_reviewer, approval=approval,
                         decision="approved")
    assert _event(event.pk).agenda_state == AgendaState.DRAFTED
    secretariat.post(f"{BASE}/{event.pk}/agenda/submit/")
    assert _event(event.pk).agenda_state == AgendaState.SUBMITTED


def test_editing_an_approved_agenda_puts_it_back_to_drafted(cast, secretariat):
    event, approval = _submitted(cast, secretariat)
    with scope(region=cast.home.region):
        approvals.decide(actor=cast.home.forum_reviewer, approval=approval,
                         decision="approved")
    item = _items(event)[0]
    secretariat.post(f"{BASE}/{event.pk}/agenda/{item.pk}/",
                     {"title": "Welcome and news", "duration_minutes": 10})
    assert _event(event.pk).agenda_state == AgendaState.DRAFTED


def test_a_one_on_one_session_has_no_forum_submission(cast, secretariat):
    event = EventFactory(region=cast.home.region, kind=EventKind.ONE_ON_ONE)
    AgendaItemFactory(event=event, region=event.region)
    page = secretariat.get(f"{BASE}/{event.pk}/").content.decode()
    assert "Submit agenda to the Forum" not in page and "Milestones" not in page
    secretariat.post(f"{BASE}/{event.pk}/agenda/submit/")
    with scopes_disabled():
        assert not ApprovalRequest.objects.filter(kind="event_agenda").exists()


def test_the_printable_agenda_and_its_pdf(cast, secretariat):
    event = EventFactory(region=cast.home.region, title="Winter meeting",
                         venue="Maebashi City Hall")
    AgendaItemFactory(event=event, region=event.region, title="Opening words")
    page = secretariat.get(f"{BASE}/{event.pk}/agenda/print/").content.decode()
    assert "Winter meeting" in page and "Opening words" in page and "Asia/Tokyo" in page
    response = secretariat.get(f"{BASE}/{event.pk}/agenda/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
