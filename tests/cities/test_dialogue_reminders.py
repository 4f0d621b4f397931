"""The monthly dialogue reminder: from the first working day of each month, in the region's
time zone, each member city with no dialogue last month is named to its owner, once."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from alliance.models import Notification
from alliance.tenancy import region_scope
from cities.models import Stage
from cities.services import dialogues
from cities.tasks import plan_dialogue_reminders
from tests.events.factories import DialogueFactory
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db
LONG_AGO = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
# 1 November 2025 is a Saturday: the month's first working day is Monday the 3rd.
MONDAY = datetime.date(2025, 11, 3)


def member_city(team, **kwargs):
    kwargs.setdefault("owner", team.regional_secretariat)
    kwargs.setdefault("stage_changed_at", LONG_AGO)
    return CityFactory(region=team.region, stage=Stage.MEMBER, **kwargs)


def send(region, today):
    with region_scope(region):
        return dialogues.send_reminders(region=region, today=today)


def reminders(city=None):
    rows = Notification.objects.filter(key__startswith="dialogue-reminder:")
    if city is not None:
        rows = rows.filter(key__startswith=f"dialogue-reminder:{city.pk}:")
    return rows


def test_the_first_working_day_after_a_saturday_first_is_monday_the_third():
    assert dialogues.first_working_day(datetime.date(2025, 11, 1)) == MONDAY
    assert dialogues.first_working_day(datetime.date(2025, 12, 1)) == datetime.date(2025, 12, 1)
    assert dialogues.first_working_day(datetime.date(2026, 2, 1)) == datetime.date(2026, 2, 2)


def test_nothing_is_sent_before_the_first_working_day(cast):
    member_city(cast.home)
    assert send(cast.home.region, datetime.date(2025, 11, 1)) == 0
    assert send(cast.home.region, datetime.date(2025, 11, 2)) == 0
    assert not reminders().exists()


def test_the_owner_hears_once_per_city_and_month_however_often_it_runs(
        cast, mailoutbox, django_capture_on_commit_callbacks):
    city = member_city(cast.home, name="Maebashi")
    with django_capture_on_commit_callbacks(execute=True):
        assert send(cast.home.region, MONDAY) == 1
    assert send(cast.home.region, MONDAY) == 0
    assert send(cast.home.region, MONDAY + datetime.timedelta(days=1)) == 0
    [reminder] = reminders(city)
    assert reminder.key == f"dialogue-reminder:{city.pk}:2025-10"
    assert reminder.recipient == cast.home.regional_secretariat
    assert "Maebashi" in reminder.subject and "2025-10" in reminder.subject
    assert reminder.url.endswith(f"?city={city.pk}")
    assert len(mailoutbox) == 1


def test_a_missed_first_working_day_is_caught_up_later_in_the_month(cast):
    member_city(cast.home)
    assert send(cast.home.region, datetime.date(2025, 11, 12)) == 1


def test_a_city_spoken_to_last_month_gets_none(cast):
    spoken = member_city(cast.home)
    DialogueFactory(city=spoken, held_on=datetime.date(2025, 10, 31))
    silent = member_city(cast.home)
    DialogueFactory(city=silent, held_on=datetime.date(2025, 9, 30))
    send(cast.home.region, MONDAY)
    assert not reminders(spoken).exists()
    assert reminders(silent).count() == 1


def test_cities_that_are_not_members_get_none(cast):
    for stage in (Stage.IN_DIALOGUE, Stage.COMMITTED, Stage.LEFT, Stage.PAUSED):
        CityFactory(region=cast.home.region, stage=stage, owner=cast.home.regional_secretariat,
                    stage_changed_at=LONG_AGO)
    # A member since this month was not one last month.
    joined = datetime.datetime(2025, 11, 1, 3, tzinfo=datetime.UTC)
    member_city(cast.home, stage_changed_at=joined)
    assert send(cast.home.region, MONDAY) == 0


def test_a_city_without_an_owner_goes_to_the_regional_secretariat(cast):
    from tests.conftest import member

    second = member("regional_secretariat", cast.home.region)
    city = member_city(cast.home, owner=None)
    assert send(cast.home.region, MONDAY) == 2
    assert set(reminders(city).values_list("recipient", flat=True)) == {
        cast.home.regional_secretariat.pk, second.pk}
    assert send(cast.home.region, MONDAY) == 0


def test_the_month_turns_in_the_region_s_time_zone(cast):
    """At 16:00 UTC on Sunday 2 November it is already Monday the 3rd in Tokyo, not in
    Bogotá: the task sends in Tokyo only."""
    member_city(cast.home)
    member_city(cast.foreign)
    moment = datetime.datetime(2025, 11, 2, 16, 0, tzinfo=datetime.UTC)
    with mock.patch.object(timezone, "now", return_value=moment):
        plan_dialogue_reminders.delay()
    assert reminders().filter(region=cast.home.region).count() == 1
    assert not reminders().filter(region=cast.foreign.region).exists()


def test_logging_a_dialogue_clears_the_city_s_reminder(cast, client_for):
    city = member_city(cast.home)
    other = member_city(cast.home)
    send(cast.home.region, MONDAY)
    client = client_for(cast.home.regional_secretariat)
    response = client.post(f"/r/{cast.home.region.slug}/cities/dialogues/new/", {
        "city": city.pk, "held_on": timezone.localdate().isoformat(),
        "with_whom": "mayor", "channel": "visit", "summary": "Met the mayor.",
        "follow_ups-TOTAL_FORMS": "0", "follow_ups-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    assert reminders(city).get().read_at is not None
    assert reminders(other).get().read_at is None
