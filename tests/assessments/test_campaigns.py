"""Campaign pages as the secretariat uses them: the schedule and busy periods, drafting a
campaign (with the busy-period warning), the cities that opted in, the launch with its live
progress, the progress page with its filters and one-click reminders, the dashboard card;
who may open what; query counts that stay flat."""

import datetime
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scope

from alliance.models import AuditEntry, Notification
from assessments.models import Assessment, AssessmentSettings, BusyPeriod, Campaign, Variant
from cities.models import Stage
from tests.factories import CityFactory, ContactFactory
from tests.querycount import assert_flat_queries

from .factories import AssessmentFactory, CampaignFactory, VersionFactory

BASE = "/r/aurora/assessments"
State = Assessment.State


@pytest.fixture
def home(cast):
    return cast.home.region


@pytest.fixture
def version(db):
    return VersionFactory(published_at=timezone.now())


def _campaign_form(version, **overrides):
    data = {"year": 2027, "version": version.pk, "variant": Variant.FULL,
            "opens_on": "2027-03-01", "closes_on": "2027-04-30", "reminder_days": 7}
    return {**data, **overrides}


def _only_campaign(region):
    with scope(region=region):
        return Campaign.objects.get(region=region)


# -- schedule and busy periods ------------------------------------------------------------------

def _settings_data(**overrides):
    data = {"schedule-opening_month": "9", "schedule-window_weeks": "6",
            "schedule-reminder_days": "10", "busy-TOTAL_FORMS": "1",
            "busy-INITIAL_FORMS": "0", "busy-MIN_NUM_FORMS": "0", "busy-MAX_NUM_FORMS": "30",
            "busy-0-name": "Year end", "busy-0-start_month": "12", "busy-0-start_day": "20",
            "busy-0-end_month": "1", "busy-0-end_day": "10"}
    return {**data, **overrides}


def test_the_secretariat_sets_the_schedule_and_adds_edits_and_deletes_busy_periods(
        home, secretariat):
    response = secretariat.post(f"{BASE}/settings/", _settings_data())
    assert response.status_code == 302
    with scope(region=home):
        schedule = AssessmentSettings.objects.get(region=home)
        period = BusyPeriod.objects.get()
    assert (schedule.opening_month, schedule.window_weeks, schedule.reminder_days) == (9, 6, 10)
    assert (period.name, period.start_month, period.end_month) == ("Year end", 12, 1)

    page = secretariat.get(f"{BASE}/settings/").content.decode()
    assert 'value="Year end"' in page and "Add a busy period" in page
    edited = _settings_data(**{
        "busy-TOTAL_FORMS": "2", "busy-INITIAL_FORMS": "1", "busy-0-id": str(period.pk),
        "busy-0-name": "Year-end holidays", "busy-1-name": "Assembly session",
        "busy-1-start_month": "6", "busy-1-start_day": "1", "busy-1-end_month": "6",
        "busy-1-end_day": "30"})
    assert secretariat.post(f"{BASE}/settings/", edited).status_code == 302
    with scope(region=home):
        assert sorted(BusyPeriod.objects.values_list("name", flat=True)) == [
            "Assembly session", "Year-end holidays"]
    deleted = _settings_data(**{"busy-INITIAL_FORMS": "1", "busy-0-id": str(period.pk),
                                "busy-0-DELETE": "on"})
    assert secretariat.post(f"{BASE}/settings/", deleted).status_code == 302
    with scope(region=home):
        assert list(BusyPeriod.objects.values_list("name", flat=True)) == ["Assembly session"]
        actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"assessments.settings.changed", "assessments.busy_period.created",
            "assessments.busy_period.changed", "assessments.busy_period.deleted"} <= actions


def test_a_day_a_month_does_not_have_is_a_field_error_and_saves_nothing(home, secretariat):
    response = secretariat.post(f"{BASE}/settings/", _settings_data(**{
        "busy-0-start_month": "2", "busy-0-start_day": "30"}))
    assert response.status_code == 200
    assert "February has no day 30." in response.content.decode()
    with scope(region=home):
        assert not BusyPeriod.objects.exists()
        assert not AssessmentSettings.objects.exists()


def test_only_the_secretariat_changes_the_schedule(cast, client_for):
    assert client_for(cast.home.forum_reviewer).get(f"{BASE}/settings/").status_code == 403
    assert client_for(cast.home.city_contact).get(f"{BASE}/settings/").status_code == 403
    assert client_for(cast.outsider).get(f"{BASE}/settings/").status_code == 404


# -- drafting a campaign --------------------------------------------------------------------

def test_a_campaign_is_drafted_with_a_published_version(home, version, secretariat):
    draft_version = VersionFactory(state="draft")
    page = secretariat.get(f"{BASE}/campaigns/new/").content.decode()
    assert f'<option value="{version.pk}"' in page
    assert f'<option value="{draft_version.pk}"' not in page
    response = secretariat.post(f"{BASE}/campaigns/new/", _campaign_form(version))
    campaign = _only_campaign(home)
    assert response["Location"] == f"{BASE}/campaigns/{campaign.pk}/"
    assert (campaign.year, campaign.state, campaign.closes_on) == (
        2027, Campaign.State.DRAFT, datetime.date(2027, 4, 30))


def test_the_form_shows_clear_field_errors(home, version, secretariat):
    CampaignFactory(region=home, year=2027)
    page = secretariat.post(f"{BASE}/campaigns/new/", _campaign_form(
        version, year=2027, closes_on="2027-02-01")).content.decode()
    assert "The deadline must come after the day the campaign opens." in page
    page = secretariat.post(f"{BASE}/campaigns/new/", _campaign_form(version)).content.decode()
    assert "This region already has a campaign for 2027: one campaign a year." in page
    assert 'aria-invalid="true"' in page
    with scope(region=home):
        assert Campaign.objects.count() == 1


def test_a_window_over_a_busy_period_is_warned_about_and_saved_once_confirmed(
        home, version, secretariat):
    BusyPeriod.objects.create(region=home, name="Assembly session", start_month=4,
                              start_day=20, end_month=5, end_day=10)
    first = secretariat.post(f"{BASE}/campaigns/new/", _campaign_form(version))
    page = first.content.decode()
    assert first.status_code == 200
    assert "This window overlaps busy periods of the region:" in page
    assert "<li>Assembly session</li>" in page and 'name="keep_busy_window"' in page
    with scope(region=home):
        assert not Campaign.objects.exists()
    confirmed = secretariat.post(f"{BASE}/campaigns/new/",
                                 _campaign_form(version, keep_busy_window="on"))
    assert confirmed.status_code == 302
    assert _only_campaign(home).opens_on == datetime.date(2027, 3, 1)


def test_a_launched_campaign_is_no_longer_edited(home, version, secretariat):
    campaign = CampaignFactory(region=home, state=Campaign.State.OPEN, version=version)
    response = secretariat.post(f"{BASE}/campaigns/{campaign.pk}/edit/",
                                _campaign_form(version, year=2040), follow=True)
    assert "This campaign is launched: its settings no longer change." in (
        response.content.decode())
    assert _only_campaign(home).year == campaign.year


def test_a_draft_is_edited(home, version, secretariat):
    campaign = CampaignFactory(region=home, state=Campaign.State.DRAFT, version=version)
    response = secretariat.post(f"{BASE}/campaigns/{campaign.pk}/edit/",
                                _campaign_form(version, year=2031, reminder_days=14))
    assert response.status_code == 302
    campaign = _only_campaign(home)
    assert (campaign.year, campaign.reminder_days) == (2031, 14)


def test_cities_that_opted_in_are_added_with_the_picker_and_removed(cast, home, secretariat):
    campaign = CampaignFactory(region=home, state=Campaign.State.DRAFT)
    otaru = CityFactory(region=home, name="Otaru", stage=Stage.COMMITTED)
    CityFactory(region=home, name="Kochi", stage=Stage.MEMBER)
    foreign = CityFactory(region=cast.foreign.region, name="Foreign town")
    page = secretariat.get(f"{BASE}/campaigns/{campaign.pk}/").content.decode()
    assert 'data-picker-source="/r/aurora/pick/cities/"' in page
    assert "Launching asks 1 city" in page

    url = f"{BASE}/campaigns/{campaign.pk}/cities/add/"
    secretariat.post(url, {"city": otaru.pk})
    page = secretariat.post(url, {"city_text": "Kochi"}).content.decode()
    assert "Kochi is a member city: members are asked anyway." in page
    page = secretariat.post(url, {"city": foreign.pk}).content.decode()
    assert "Choose from the list." in page
    with scope(region=home):
        assert list(campaign.extra_cities.values_list("name", flat=True)) == ["Otaru"]
    page = secretariat.get(f"{BASE}/campaigns/{campaign.pk}/").content.decode()
    assert "Launching asks 2 cities" in page

    secretariat.post(f"{BASE}/campaigns/{campaign.pk}/cities/remove/", {"city": otaru.pk})
    with scope(region=home):
        assert not campaign.extra_cities.exists()


# -- launch and progress ------------------------------------------------------------------------

def test_the_secretariat_launches_and_the_page_shows_the_progress(
        home, version, secretariat, django_capture_on_commit_callbacks):
    today = datetime.date.today()
    campaign = CampaignFactory(region=home, state=Campaign.State.DRAFT, version=version,
                               opens_on=today, closes_on=today + timedelta(days=40))
    for name in ("Kochi", "Nara"):
        ContactFactory(city=CityFactory(region=home, name=name, stage=Stage.MEMBER),
                       is_key=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = secretariat.post(f"{BASE}/campaigns/{campaign.pk}/launch/", follow=True)
    page = response.content.decode()
    assert "Launch started" in page
    assert 'hx-trigger="every 2s"' in page
    assert 'aria-valuemax="2"' in page and "0 of 2 cities asked" in page
    assert "Refresh to see the progress" in page
    polled = secretariat.get(f"{BASE}/campaigns/{campaign.pk}/launch/progress/",
                             HTTP_HX_REQUEST="true")
    assert "0 of 2 cities asked" in polled.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    done = secretariat.get(f"{BASE}/campaigns/{campaign.pk}/launch/progress/",
                           HTTP_HX_REQUEST="true")
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    page = secretariat.get(f"{BASE}/campaigns/{campaign.pk}/").content.decode()
    assert "Not started <strong>2</strong>" in page
    assert len(mail.outbox) == 2


def _open_campaign(home, version=None):
    extra = {"version": version} if version else {}
    return CampaignFactory(region=home, state=Campaign.State.OPEN,
                           closes_on=datetime.date.today() + timedelta(days=30), **extra)


def test_the_progress_page_counts_states_filters_and_searches(home, secretariat):
    campaign = _open_campaign(home)
    for name, state in [("Kochi", State.NOT_STARTED), ("Kobe", State.IN_PROGRESS),
                        ("Nara", State.SUBMITTED), ("Naha", State.RETURNED),
                        ("Otaru", State.ACCEPTED), ("Osaka", State.IN_PROGRESS)]:
        AssessmentFactory(campaign=campaign, city=CityFactory(region=home, name=name),
                          state=state)
    url = f"{BASE}/campaigns/{campaign.pk}/"
    page = secretariat.get(url).content.decode()
    assert "All <strong>6</strong>" in page and "In progress <strong>2</strong>" in page
    assert "Submitted <strong>1</strong>" in page and "Accepted <strong>1</strong>" in page
    page = secretariat.get(url + "?state=in_progress").content.decode()
    assert ">Kobe</a>" in page and ">Osaka</a>" in page and ">Kochi</a>" not in page
    page = secretariat.get(url + "?q=ko").content.decode()
    assert ">Kobe</a>" in page and ">Kochi</a>" in page and ">Nara</a>" not in page
    page = secretariat.get(url + "?state=bogus").content.decode()
    assert "Select a valid choice." in page and ">Kobe</a>" not in page


def test_the_progress_page_shows_25_cities_a_page(home, secretariat):
    campaign = _open_campaign(home)
    for n in range(30):
        AssessmentFactory(campaign=campaign, city=CityFactory(region=home, name=f"City {n:02}"))
    page = secretariat.get(f"{BASE}/campaigns/{campaign.pk}/").content.decode()
    assert ">City 24</a>" in page and ">City 25</a>" not in page
    page = secretariat.get(f"{BASE}/campaigns/{campaign.pk}/?page=2").content.decode()
    assert ">City 25</a>" in page and "Page 2 of 2" in page


def test_a_one_click_reminder_swaps_its_row_in_place_with_a_toast(
        home, secretariat, django_capture_on_commit_callbacks):
    campaign = _open_campaign(home)
    city = CityFactory(region=home, name="Kochi")
    ContactFactory(city=city, is_key=True, email="kochi@example.org")
    assessment = AssessmentFactory(campaign=campaign, city=city, state=State.IN_PROGRESS)
    page = secretariat.get(f"{BASE}/campaigns/{campaign.pk}/").content.decode()
    url = f"{BASE}/campaigns/reminders/{assessment.pk}/"
    assert f'hx-post="{url}"' in page and "js/campaign_progress.js" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat.post(url, HTTP_HX_REQUEST="true")
    row = response.content.decode()
    assert row.startswith(f'<tr id="assessment-{assessment.pk}">')
    assert "Reminder sent to the key contact of Kochi." in response["HX-Trigger"]
    assert [m.to for m in mail.outbox] == [["kochi@example.org"]]

    again = secretariat.post(url, HTTP_HX_REQUEST="true")
    assert "Kochi was already reminded today." in again["HX-Trigger"]
    assert '"tone": "danger"' in again["HX-Trigger"]


def test_a_reminder_without_javascript_comes_back_with_a_message(home, secretariat):
    campaign = _open_campaign(home)
    assessment = AssessmentFactory(campaign=campaign, state=State.SUBMITTED,
                                   city=CityFactory(region=home, name="Nara"))
    back = f"{BASE}/campaigns/{campaign.pk}/?state=submitted"
    response = secretariat.post(f"{BASE}/campaigns/reminders/{assessment.pk}/",
                                {"next": back})
    assert response["Location"] == back
    page = secretariat.get(back).content.decode()
    assert "Nara has submitted its assessment: there is nothing to remind." in page
    assert not Notification.objects.exists()


def test_readers_see_the_progress_but_do_not_remind(cast, home, client_for):
    campaign = _open_campaign(home)
    assessment = AssessmentFactory(campaign=campaign, city=CityFactory(region=home))
    reviewer = client_for(cast.home.forum_reviewer)
    page = reviewer.get(f"{BASE}/campaigns/{campaign.pk}/").content.decode()
    assert f">{assessment.city.name}</a>" in page and "/reminders/" not in page
    assert reviewer.post(f"{BASE}/campaigns/reminders/{assessment.pk}/").status_code == 403
    assert client_for(cast.home.city_contact).get(
        f"{BASE}/campaigns/{campaign.pk}/").status_code == 403


def test_another_regions_campaign_is_not_found(cast, secretariat):
    foreign = CampaignFactory(region=cast.foreign.region, state=Campaign.State.OPEN)
    assessment = AssessmentFactory(campaign=foreign)
    assert secretariat.get(f"{BASE}/campaigns/{foreign.pk}/").status_code == 404
    assert secretariat.post(f"{BASE}/campaigns/reminders/{assessment.pk}/").status_code == 404


def test_the_progress_page_costs_the_same_for_many_cities(home, secretariat):
    campaign = _open_campaign(home)
    url = f"{BASE}/campaigns/{campaign.pk}/"

    def add_cities(count):
        for _ in range(count):
            city = CityFactory(region=home)
            ContactFactory(city=city, is_key=True)
            AssessmentFactory(campaign=campaign, city=city, state=State.IN_PROGRESS,
                              invited_at=timezone.now())

    add_cities(2)
    secretariat.get(url)
    assert_flat_queries(lambda: secretariat.get(url), lambda: add_cities(30))


def test_the_campaign_list_costs_the_same_for_many_campaigns(home, secretariat):
    CampaignFactory(region=home)
    secretariat.get(f"{BASE}/campaigns/")

    def grow():
        for _ in range(10):
            AssessmentFactory(campaign=CampaignFactory(region=home),
                              city=CityFactory(region=home))

    assert_flat_queries(lambda: secretariat.get(f"{BASE}/campaigns/"), grow)


# -- navigation and dashboard -------------------------------------------------------------------

def test_the_menu_and_the_dashboard_card_show_the_open_campaign(home, secretariat):
    campaign = _open_campaign(home)
    for state in (State.SUBMITTED, State.IN_PROGRESS, State.ACCEPTED):
        AssessmentFactory(campaign=campaign, city=CityFactory(region=home), state=state)
    page = secretariat.get("/r/aurora/").content.decode()
    assert f'href="{BASE}/campaigns/"' in page
    assert f"{campaign.year}: 2 of 3 cities have submitted" in page
    assert f'href="{BASE}/campaigns/{campaign.pk}/"' in page


def test_the_campaign_list_shows_each_year(home, secretariat):
    CampaignFactory(region=home, year=2025, state=Campaign.State.CLOSED)
    CampaignFactory(region=home, year=2026, state=Campaign.State.DRAFT,
                    prepared_by_schedule=True)
    page = secretariat.get(f"{BASE}/campaigns/").content.decode()
    assert page.index(">2026</a>") < page.index(">2025</a>")
    assert "Prepared by the schedule" in page
