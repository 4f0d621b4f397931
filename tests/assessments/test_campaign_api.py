"""The campaigns API: drafts with clear 400s, the launch, and every city's progress; scoped
to the region and flat in queries."""

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope

from assessments.models import Assessment, Campaign
from cities.models import Stage
from tests.factories import CityFactory, ContactFactory
from tests.querycount import assert_flat_queries

from .factories import AssessmentFactory, CampaignFactory, VersionFactory

BASE = "/api/v1/regions/aurora/campaigns"


@pytest.fixture
def home(cast):
    return cast.home.region


@pytest.fixture
def version(db):
    return VersionFactory(published_at=timezone.now())


def _draft(version, **overrides):
    today = datetime.date.today()
    data = {"year": today.year, "version": version.pk, "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(weeks=8)).isoformat()}
    return {**data, **overrides}


def test_a_campaign_is_drafted_and_read_back(home, version, api_secretariat):
    response = api_secretariat.post(f"{BASE}/", _draft(version, reminder_days=10),
                                    format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["reminder_days"], body["version"]) == (
        "draft", 10, version.pk)
    listed = api_secretariat.get(f"{BASE}/").json()["results"]
    assert [c["id"] for c in listed] == [body["id"]]
    assert api_secretariat.get(f"{BASE}/{body['id']}/").json()["year"] == body["year"]


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"closes_on": "2000-01-01"}, "closes_on", "deadline must come after"),
    ({"year": 10**20}, "year", "too large"),
    ({"variant": "tiny"}, "variant", "not a valid choice"),
    ({"state": "open"}, "state", "Unknown field"),
    ({"opens_on": "soon"}, "opens_on", "wrong format"),
])
def test_bad_drafts_answer_400_with_the_field_and_change_nothing(
        home, version, api_secretariat, change, field, words):
    response = api_secretariat.post(f"{BASE}/", _draft(version, **change), format="json")
    assert response.status_code == 400
    assert words.lower() in " ".join(response.json()[field]).lower()
    with scope(region=home):
        assert not Campaign.objects.exists()


def test_a_draft_version_or_a_second_campaign_of_the_year_is_refused(home, version,
                                                                     api_secretariat):
    draft = VersionFactory(state="draft")
    response = api_secretariat.post(f"{BASE}/", _draft(draft), format="json")
    assert response.status_code == 400 and "version" in response.json()
    assert api_secretariat.post(f"{BASE}/", _draft(version), format="json").status_code == 201
    response = api_secretariat.post(f"{BASE}/", _draft(version), format="json")
    assert response.status_code == 400
    assert "one campaign a year" in response.json()["year"][0]


def test_the_launch_asks_the_member_cities(home, version, api_secretariat,
                                           django_capture_on_commit_callbacks):
    city = CityFactory(region=home, name="Kochi", stage=Stage.MEMBER)
    ContactFactory(city=city, is_key=True)
    campaign_id = api_secretariat.post(f"{BASE}/", _draft(version), format="json").json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = api_secretariat.post(f"{BASE}/{campaign_id}/launch/")
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["launch_total"]) == ("launching", 1)
    assert api_secretariat.get(f"{BASE}/{campaign_id}/").json()["state"] == "open"
    again = api_secretariat.post(f"{BASE}/{campaign_id}/launch/")
    assert again.status_code == 400
    assert "already launched" in again.json()["non_field_errors"][0]


def test_readers_may_not_draft_or_launch(cast, home, api):
    campaign = CampaignFactory(region=home, state=Campaign.State.DRAFT)
    api.force_authenticate(cast.home.forum_reviewer)
    assert api.get(f"{BASE}/").status_code == 200
    assert api.post(f"{BASE}/{campaign.pk}/launch/").status_code == 403
    api.force_authenticate(cast.home.city_contact)
    assert api.get(f"{BASE}/").status_code == 403


def test_the_progress_lists_every_city_with_its_state_and_filters(home, api_secretariat):
    campaign = CampaignFactory(region=home, state=Campaign.State.OPEN)
    for name, state in [("Kochi", Assessment.State.SUBMITTED),
                        ("Nara", Assessment.State.IN_PROGRESS)]:
        AssessmentFactory(campaign=campaign, city=CityFactory(region=home, name=name),
                          state=state, last_activity_at=timezone.now())
    rows = api_secretariat.get(f"{BASE}/{campaign.pk}/assessments/").json()["results"]
    assert [(r["city_name"], r["state"]) for r in rows] == [("Kochi", "submitted"),
                                                            ("Nara", "in_progress")]
    assert rows[0]["last_activity_at"]
    rows = api_secretariat.get(f"{BASE}/{campaign.pk}/assessments/?state=in_progress").json()
    assert [r["city_name"] for r in rows["results"]] == ["Nara"]
    assert api_secretariat.get(
        f"{BASE}/{campaign.pk}/assessments/?state=nope").status_code == 400


def test_another_regions_campaign_is_not_found(cast, api_secretariat):
    foreign = CampaignFactory(region=cast.foreign.region, state=Campaign.State.DRAFT)
    assert api_secretariat.get(f"{BASE}/{foreign.pk}/").status_code == 404
    assert api_secretariat.get(f"{BASE}/{foreign.pk}/assessments/").status_code == 404
    assert api_secretariat.post(f"{BASE}/{foreign.pk}/launch/").status_code == 404


def test_the_progress_costs_the_same_for_many_cities(home, api_secretariat):
    campaign = CampaignFactory(region=home, state=Campaign.State.OPEN)

    def grow():
        for _ in range(20):
            AssessmentFactory(campaign=campaign, city=CityFactory(region=home))

    grow()
    api_secretariat.get(f"{BASE}/{campaign.pk}/assessments/")
    assert_flat_queries(lambda: api_secretariat.get(f"{BASE}/{campaign.pk}/assessments/"),
                        grow)
