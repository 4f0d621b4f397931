"""Minutes and action items: the event's manager writes the minutes and adds actions with an
owner (a member of the region, told once) and a due date; open actions first, overdue marked;
done and open again; the owner sees their open actions on their events page."""

import datetime

from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.models import AuditEntry, Notification
from events.models import ActionItem, Event

from .factories import ActionItemFactory, EventFactory

BASE = "/r/aurora/events"


def _items(event) -> list[ActionItem]:
    with scopes_disabled():
        return list(ActionItem.objects.filter(event=event).order_by("pk"))


def test_the_secretariat_writes_the_minutes(cast, secretariat):
    event = EventFactory(region=cast.home.region)
    url = f"{BASE}/{event.pk}/minutes/"
    secretariat.post(url, {"minutes": "1. Welcome.\n2. Progress sharing."})
    with scopes_disabled():
        event = Event.objects.get(pk=event.pk)
        assert event.minutes.startswith("1. Welcome.") and event.minutes_recorded_at
        assert AuditEntry.objects.filter(action="events.minutes.recorded").count() == 1
    page = secretariat.get(f"{BASE}/{event.pk}/").content.decode()
    assert "Progress sharing." in page and "Write the minutes" in page


def test_an_action_with_an_owner_and_a_due_date(cast, secretariat):
    event = EventFactory(region=cast.home.region)
    owner = cast.home.city_contact
    response = secretariat.post(f"{BASE}/{event.pk}/minutes/actions/new/", {
        "title": "Share the translated policy", "owner": owner.pk,
        "due_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat()})
    assert response.status_code == 302
    [item] = _items(event)
    assert item.owner == owner
    with scopes_disabled():
        assert Notification.objects.filter(recipient=owner,
                                           key=f"action-item:{item.pk}:owner:{owner.pk}").exists()
    page = secretariat.get(f"{BASE}/{event.pk}/minutes/").content.decode()
    assert "Share the translated policy" in page and "Mark done" in page


def test_an_owner_from_another_region_is_refused(cast, secretariat):
    event = EventFactory(region=cast.home.region)
    response = secretariat.post(f"{BASE}/{event.pk}/minutes/actions/new/", {
        "title": "Leak", "owner": cast.foreign.regional_secretariat.pk})
    assert response.status_code == 200 and "owner" in response.context["form"].errors
    response = secretariat.post(f"{BASE}/{event.pk}/minutes/actions/new/", {"title": ""})
    assert "title" in response.context["form"].errors
    assert _items(event) == []


def test_open_actions_first_overdue_marked_done_toggles(cast, secretariat):
    event = EventFactory(region=cast.home.region)
    today = timezone.localdate()
    late = ActionItemFactory(event=event, title="Late one", due_on=today - datetime.timedelta(1))
    done = ActionItemFactory(event=event, title="Done one", done_at=timezone.now())
    page = secretariat.get(f"{BASE}/{event.pk}/minutes/").content.decode()
    assert page.index("Late one") < page.index("Done one")
    assert "Overdue" in page
    secretariat.post(f"{BASE}/{event.pk}/minutes/actions/{late.pk}/done/")
    secretariat.post(f"{BASE}/{event.pk}/minutes/actions/{done.pk}/done/")
    with scopes_disabled():
        late.refresh_from_db()
        done.refresh_from_db()
    assert late.done_at is not None and done.done_at is None


def test_editing_an_action_tells_the_new_owner(cast, secretariat):
    event = EventFactory(region=cast.home.region)
    item = ActionItemFactory(event=event, title="Draft the letter")
    secretariat.post(f"{BASE}/{event.pk}/minutes/actions/{item.pk}/", {
        "title": "Draft the letter", "owner": cast.home.expert.pk, "due_on": ""})
    with scopes_disabled():
        item.refresh_from_db()
        assert item.owner == cast.home.expert
        assert Notification.objects.filter(recipient=cast.home.expert).count() == 1
        assert AuditEntry.objects.filter(action="events.action_item.changed").exists()


def test_the_owner_sees_their_open_actions(cast, client_for):
    event = EventFactory(region=cast.home.region, title="Spring meeting")
    ActionItemFactory(event=event, title="Publish the data", owner=cast.home.city_contact)
    ActionItemFactory(event=event, title="Someone else's", owner=cast.home.expert)
    client = client_for(cast.home.city_contact)
    page = client.get(f"{BASE}/mine/").content.decode()
    assert "Publish the data" in page and "Someone else" not in page
    assert "Publish the data" in client.get("/r/aurora/").content.decode()


def test_readers_read_the_minutes_and_others_do_not_write(cast, client_for):
    event = EventFactory(region=cast.home.region, minutes="Agreed the next steps.")
    item = ActionItemFactory(event=event)
    reviewer = client_for(cast.home.forum_reviewer)
    page = reviewer.get(f"{BASE}/{event.pk}/minutes/").content.decode()
    assert "Agreed the next steps." in page and "Save the minutes" not in page
    assert reviewer.post(f"{BASE}/{event.pk}/minutes/", {"minutes": "x"}).status_code == 403
    assert reviewer.post(
        f"{BASE}/{event.pk}/minutes/actions/{item.pk}/done/").status_code == 403
    contact = client_for(cast.home.city_contact)
    assert contact.get(f"{BASE}/{event.pk}/minutes/").status_code == 403


def test_a_series_delegate_keeps_the_minutes_and_attendance_of_their_series_only(
        cast, client_for):
    from alliance import permissions

    from .factories import EventInvitationFactory, MeetingSeriesFactory

    region = cast.home.region
    series = MeetingSeriesFactory(region=region)
    permissions.grant(cast.home.expert, "events.manage_series", series)
    past = timezone.now() - datetime.timedelta(hours=3)
    theirs = EventFactory(region=region, series=series, starts_at=past,
                          ends_at=past + datetime.timedelta(hours=1))
    other = EventFactory(region=region, starts_at=past, ends_at=past + datetime.timedelta(hours=1))
    invitation = EventInvitationFactory(event=theirs)
    client = client_for(cast.home.expert)
    client.post(f"{BASE}/{theirs.pk}/minutes/", {"minutes": "Delegate's notes."})
    client.post(f"{BASE}/{theirs.pk}/attendance/", {f"attended-{invitation.pk}": "yes"})
    assert client.get(f"{BASE}/{theirs.pk}/minutes/actions/new/").status_code == 200
    assert client.post(f"{BASE}/{other.pk}/minutes/", {"minutes": "x"}).status_code == 403
    assert client.get(f"{BASE}/{other.pk}/attendance/").status_code == 403
    with scopes_disabled():
        theirs.refresh_from_db()
        invitation.refresh_from_db()
    assert theirs.minutes == "Delegate's notes." and invitation.attended is True
