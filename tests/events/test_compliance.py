"""The playbook's minimum: a regular meeting a quarter and an annual event a year, counted in
the region's time zone, shown on the dashboard and warned about once per period."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest

from alliance.models import Notification
from alliance.tenancy import region_scope
from events import compliance
from events.models import EventKind, EventState
from tests.dashboards import dashboard_of
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")  # the home region's zone (tests/conftest.py)
# December: the quarter's last month and the year's last quarter.
DEC_10 = datetime.date(2026, 12, 10)


def at(day, hour=10, zone=TOKYO):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)


def event(region, starts_at, **kwargs):
    return EventFactory(region=region, starts_at=starts_at,
                        ends_at=starts_at + datetime.timedelta(hours=1), **kwargs)


def state_of(region, today):
    with region_scope(region):
        regular, annual = compliance.requirements(region, today)
    return regular, annual


def warn(region, today):
    with region_scope(region):
        return compliance.send_warnings(region=region, today=today)


def warnings():
    return Notification.objects.filter(key__startswith="compliance:")


def test_quarters_and_their_last_month():
    q4 = compliance.quarter_of(DEC_10)
    assert (q4.start, q4.end, q4.code) == (datetime.date(2026, 10, 1),
                                           datetime.date(2027, 1, 1), "2026Q4")
    assert q4.last_stretch(1) == datetime.date(2026, 12, 1)
    q1 = compliance.quarter_of(datetime.date(2026, 3, 31))
    assert (q1.start, q1.end, q1.code) == (datetime.date(2026, 1, 1),
                                           datetime.date(2026, 4, 1), "2026Q1")
    assert compliance.year_of(DEC_10).last_stretch(3) == datetime.date(2026, 10, 1)


def test_a_meeting_just_after_midnight_local_time_counts_in_the_region_s_quarter(cast):
    """1 October 00:30 in Tokyo is 30 September in UTC: it belongs to Q4 in Tokyo."""
    region = cast.home.region
    event(region, at(datetime.date(2026, 10, 1), hour=0).replace(minute=30))
    regular, _annual = state_of(region, DEC_10)
    assert regular.state == "planned"
    regular, _annual = state_of(region, datetime.date(2026, 9, 20))
    assert regular.state == "none"


def test_held_planned_and_none(cast):
    region = cast.home.region
    regular, annual = state_of(region, DEC_10)
    assert (regular.state, annual.state) == ("none", "none")
    assert regular.warn and annual.warn
    event(region, at(datetime.date(2026, 11, 5)), state=EventState.HELD)
    event(region, at(datetime.date(2027, 6, 1)), kind=EventKind.ANNUAL_EVENT)  # next year
    regular, annual = state_of(region, DEC_10)
    assert regular.state == "held" and not regular.warn
    assert annual.state == "none" and annual.warn


def test_no_warning_before_the_quarter_s_last_month(cast):
    regular, annual = state_of(cast.home.region, datetime.date(2026, 11, 30))
    assert regular.state == "none" and not regular.warn
    assert annual.warn  # November is in the year's last quarter
    regular, annual = state_of(cast.home.region, datetime.date(2026, 5, 10))
    assert not regular.warn and not annual.warn


def test_the_secretariat_is_told_once_per_region_and_quarter(cast):
    region = cast.home.region
    event(region, at(datetime.date(2026, 3, 3)), kind=EventKind.ANNUAL_EVENT)
    assert warn(region, DEC_10) == 1
    assert warn(region, DEC_10) == 0
    assert warn(region, DEC_10 + datetime.timedelta(days=5)) == 0
    [notification] = warnings()
    assert notification.recipient == cast.home.regional_secretariat
    assert notification.key.startswith(f"compliance:regular:{region.pk}:2026Q4")
    assert "2026Q4" in notification.subject
    assert not warnings().filter(region=cast.foreign.region).exists()


def test_a_planned_meeting_silences_it_and_a_cancelled_one_does_not(cast):
    region = cast.home.region
    event(region, at(datetime.date(2026, 3, 3)), kind=EventKind.ANNUAL_EVENT)
    cancelled = event(region, at(datetime.date(2026, 12, 20)), state=EventState.CANCELLED)
    assert warn(region, DEC_10) == 1
    warnings().delete()
    cancelled.state = EventState.PLANNED
    cancelled.save()
    assert warn(region, DEC_10) == 0


def test_the_annual_event_warning_names_the_year(cast):
    region = cast.home.region
    event(region, at(datetime.date(2026, 12, 1)))
    assert warn(region, datetime.date(2026, 10, 15)) == 1
    [notification] = warnings()
    assert notification.key.startswith(f"compliance:annual:{region.pk}:2026:")


def test_the_dashboard_shows_both_and_the_way_to_plan_one(cast, client_for):
    region = cast.home.region
    today = datetime.datetime.now(TOKYO).date()
    event(region, at(today, hour=12))
    body = dashboard_of(client_for(cast.home.regional_secretariat), region)
    assert "Playbook minimum" in body
    assert "Planned for" in body
    assert "Plan the annual event" in body and "Plan a regular meeting" not in body
    reviewer = dashboard_of(client_for(cast.home.forum_reviewer), region)
    assert "Playbook minimum" in reviewer and "Plan a regular meeting" not in reviewer
    contact = dashboard_of(client_for(cast.home.city_contact), region)
    assert "Playbook minimum" not in contact


def test_the_way_to_plan_one_opens_the_form_on_that_kind(cast, client_for):
    region = cast.home.region
    body = dashboard_of(client_for(cast.home.regional_secretariat), region)
    link = re.search(r'href="([^"]+\?kind=annual_event)"', body).group(1)
    form = client_for(cast.home.regional_secretariat).get(link.replace("&amp;", "&"))
    assert '<option value="annual_event" selected>' in form.content.decode()
