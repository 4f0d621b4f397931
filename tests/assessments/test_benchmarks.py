"""Benchmark figures against hand-computed values: quartiles interpolated as
percentile_cont does, only submitted and accepted assessments counted, the privacy floor,
peer cohorts, a city's place and its change since last year."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from assessments import benchmarks
from assessments.benchmarks import PRIVACY_FLOOR, Band, Cohort
from assessments.models import Assessment, PrincipleKey, PrincipleScore
from cities.models import Tier
from tests.factories import CityFactory, ContactFactory, RegionFactory

from .factories import AssessmentFactory, CampaignFactory, all_principles, principle

pytestmark = pytest.mark.django_db

SUBMITTED, ACCEPTED = Assessment.State.SUBMITTED, Assessment.State.ACCEPTED


def scored(campaign, overall, *, state=SUBMITTED, privacy=None, city=None, **city_fields):
    """An assessment with stored scores, as the scoring service leaves them on submit."""
    city = city or CityFactory(region=campaign.region, **city_fields)
    assessment = AssessmentFactory(campaign=campaign, city=city, state=state,
                                   overall_score=overall)
    if privacy is not None:
        PrincipleScore.objects.create(region=campaign.region, assessment=assessment,
                                      principle=principle(PrincipleKey.PRIVACY), score=privacy)
    return assessment


@pytest.fixture
def campaign():
    return CampaignFactory(region=RegionFactory(slug="aurora"), year=2026)


def test_quartiles_are_interpolated_between_ranked_scores(campaign):
    # Six overall scores: positions 1.25, 2.5 and 3.75 of 0..5 give the quartiles.
    for overall, privacy in ((90, 50), (10, 0), (40, 20), (100, 60), (20, 10), (80, 30)):
        scored(campaign, overall, privacy=privacy, state=ACCEPTED if overall > 50 else SUBMITTED)
    with scope(region=campaign.region):
        bench = benchmarks.campaign_benchmark(campaign)
    assert bench.shown and bench.cities == 6
    overall = bench.overall
    assert (overall.count, overall.minimum, overall.maximum) == (6, 10, 100)
    assert overall.q1 == pytest.approx(25.0)  # 20 + 0.25 x (40 - 20)
    assert overall.median == pytest.approx(60.0)  # (40 + 80) / 2
    assert overall.q3 == pytest.approx(87.5)  # 80 + 0.75 x (90 - 80)
    privacy = bench.of(principle(PrincipleKey.PRIVACY).pk)  # 0 10 20 30 50 60
    assert (privacy.q1, privacy.median, privacy.q3) == pytest.approx((12.5, 25.0, 45.0))


def test_only_submitted_and_accepted_assessments_count(campaign):
    for overall in (10, 20, 30, 40, 50):
        scored(campaign, overall)
    scored(campaign, 99, state=Assessment.State.IN_PROGRESS)
    scored(campaign, 98, state=Assessment.State.RETURNED)
    with scope(region=campaign.region):
        overall = benchmarks.campaign_benchmark(campaign).overall
    assert (overall.count, overall.maximum, overall.median) == (5, 50, 30)


def test_a_cohort_under_the_floor_shows_no_figures(campaign):
    for overall in range(PRIVACY_FLOOR - 1):
        scored(campaign, 10 * overall, privacy=10)
    with scope(region=campaign.region):
        bench = benchmarks.campaign_benchmark(campaign)
        place = benchmarks.place_of(Assessment.objects.filter(campaign=campaign).first())
    assert not bench.shown
    assert all(row.figures == benchmarks.HIDDEN for row in bench.rows)
    assert not place.shown and place.rank is None and place.higher_than is None


def test_a_principle_scored_by_fewer_cities_than_the_floor_is_hidden(campaign):
    for overall in (10, 20, 30, 40, 50):
        scored(campaign, overall, privacy=overall if overall < 30 else None)
    with scope(region=campaign.region):
        bench = benchmarks.campaign_benchmark(campaign)
    assert bench.overall.median == 30
    assert not bench.of(principle(PrincipleKey.PRIVACY).pk).shown


def test_peer_cohorts_cut_by_population_band_and_tier(campaign):
    for overall in (10, 20, 30, 40, 50):
        scored(campaign, overall, population=50_000, tier=Tier.PIONEER)
    for overall in (60, 70, 80, 90, 95):
        scored(campaign, overall, population=2_000_000, tier=Tier.ACTIVE)
    scored(campaign, 100, population=300_000, tier=Tier.PIONEER)
    with scope(region=campaign.region):
        small = benchmarks.campaign_benchmark(campaign, Cohort(band=Band.SMALL))
        metro = benchmarks.campaign_benchmark(campaign, Cohort(band=Band.METRO))
        pioneers = benchmarks.campaign_benchmark(campaign, Cohort(tier=Tier.PIONEER))
        medium = benchmarks.campaign_benchmark(campaign, Cohort(band=Band.MEDIUM))
    assert (small.cities, small.overall.maximum) == (5, 50)
    assert (metro.cities, metro.overall.minimum) == (5, 60)
    assert (pioneers.cities, pioneers.overall.maximum) == (6, 100)
    assert not medium.shown and medium.overall.median is None


def test_a_city_place_and_change_since_last_year(campaign):
    last_year = CampaignFactory(region=campaign.region, year=2025, version=campaign.version)
    mine = scored(campaign, 70, privacy=80)
    scored(last_year, 55, privacy=90, city=mine.city)
    for overall in (10, 40, 60, 90):
        scored(campaign, overall)
    with scope(region=campaign.region):
        place = benchmarks.place_of(mine)
        previous = benchmarks.previous_of(mine)
        lines = benchmarks.results_of(mine, benchmarks.campaign_benchmark(campaign), previous)
    assert (place.rank, place.cities, place.higher_than) == (2, 5, 75)
    assert previous.year == 2025
    overall = lines[0]
    assert (overall.key, overall.score, overall.change) == ("overall", 70, 15)
    assert overall.position == "within"  # q1 40, q3 70
    privacy = next(line for line in lines if line.key == PrincipleKey.PRIVACY)
    assert privacy.change == -10


def test_no_change_without_last_year_assessment_of_the_city(campaign):
    mine = scored(campaign, 70)
    # Another region's campaign of last year is not this city's history.
    CampaignFactory(region=RegionFactory(), year=2025, version=campaign.version)
    with scope(region=campaign.region):
        assert benchmarks.previous_of(mine) is None


def test_global_benchmark_cuts_by_region_with_the_floor_per_region():
    regions = [RegionFactory(slug="aurora"), RegionFactory(slug="borealis")]
    big = CampaignFactory(region=regions[0], year=2026)
    small = CampaignFactory(region=regions[1], year=2026, version=big.version)
    for overall in (10, 20, 30, 40, 50):
        scored(big, overall)
    for overall in (90, 100):
        scored(small, overall)
    with scope(region=None):
        together, by_region = benchmarks.global_benchmark(2026, regions)
    assert (together.cities, together.overall.median, together.overall.maximum) == (7, 40, 100)
    assert by_region[0][1].overall.median == 30
    assert not by_region[1][1].shown and by_region[1][1].overall.maximum is None


# -- the pages ----------------------------------------------------------------------------------

@pytest.fixture
def home_campaign(cast):
    """The home region's campaign with five submitted cities; the city contact's is the
    first (overall 70, 80 on privacy), and it scored 55 the year before."""
    region = cast.home.region
    campaign = CampaignFactory(region=region, year=2026)
    last_year = CampaignFactory(region=region, year=2025, version=campaign.version)
    mine = scored(campaign, 70, privacy=80, name="Maebashi")
    scored(last_year, 55, privacy=90, city=mine.city)
    for overall in (10, 40, 60, 90):
        scored(campaign, overall, privacy=overall)
    ContactFactory(city=mine.city, user=cast.home.city_contact)
    return campaign, mine


def page_url(name, **kwargs):
    return reverse(name, kwargs={"region_slug": "aurora", **kwargs})


def test_secretariat_sees_the_distribution_chart_and_table(secretariat, home_campaign):
    campaign, mine = home_campaign
    response = secretariat.get(page_url("campaign-benchmark", campaign_id=campaign.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in body and "5 cities submitted." in body
    assert "<td class=\"number\">40</td><td class=\"number\">60</td>" in body  # q1, median
    results = page_url("assessment-results", assessment_id=mine.pk)
    assert f'<a href="{results}">Maebashi</a>' in body  # the cohort's cities, best first
    cities = body[body.index("Cities of the cohort"):]
    scores = re.findall(r'<td class="number">(\d+)</td>', cities)
    assert scores == ["90", "70", "60", "40", "10"]


def test_benchmark_page_under_the_floor_says_why(secretariat, home_campaign):
    campaign, _mine = home_campaign
    response = secretariat.get(page_url("campaign-benchmark", campaign_id=campaign.pk),
                               {"band": Band.METRO})
    body = response.content.decode()
    assert "Fewer than 5 cities of this cohort" in body and 'role="img"' not in body


def test_benchmark_page_refuses_a_bad_filter_without_figures(secretariat, home_campaign):
    campaign, _mine = home_campaign
    response = secretariat.get(page_url("campaign-benchmark", campaign_id=campaign.pk),
                               {"tier": "nonsense"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert 'role="img"' not in response.content.decode()


def test_city_contact_sees_own_results_only_once_submitted(cast, client_for, home_campaign):
    campaign, mine = home_campaign
    client = client_for(cast.home.city_contact)
    url = page_url("assessment-results", assessment_id=mine.pk)
    body = client.get(url).content.decode()
    assert "Maebashi: results 2026" in body
    assert "2 of 5 cities; higher than 75% of the others" in body
    assert "+15" in body and "against 2025" in body
    with scope(region=campaign.region):
        Assessment.objects.filter(pk=mine.pk).update(state=Assessment.State.IN_PROGRESS)
    body = client.get(url).content.decode()
    assert "once the assessment is submitted" in body and "2 of 5" not in body


def test_city_contact_cannot_see_another_city_results_nor_the_benchmark(cast, client_for,
                                                                       home_campaign):
    campaign, mine = home_campaign
    with scope(region=campaign.region):
        other = Assessment.objects.filter(campaign=campaign).exclude(pk=mine.pk).first()
    client = client_for(cast.home.city_contact)
    assert client.get(page_url("assessment-results", assessment_id=other.pk)).status_code == 404
    assert client.get(page_url("campaign-benchmark",
                               campaign_id=campaign.pk)).status_code == 403


def test_global_benchmark_for_the_global_secretariat(cast, client_for, home_campaign):
    client = client_for(cast.global_secretariat)
    response = client.get(reverse("global:benchmark"), {"year": 2026})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Aurora" in body and "Borealis" in body
    assert "Fewer than 5 cities: no figures." in body  # Borealis has none
    regional = client_for(cast.home.regional_secretariat)
    assert regional.get(reverse("global:benchmark")).status_code in (403, 404)


def test_api_benchmark_gives_figures_and_none_under_the_floor(cast, api, home_campaign):
    campaign, _mine = home_campaign
    api.force_authenticate(cast.home.regional_secretariat)
    url = f"/api/v1/regions/aurora/campaigns/{campaign.pk}/benchmark/"
    data = api.get(url).data
    assert (data["shown"], data["cities"], data["floor"]) == (True, 5, PRIVACY_FLOOR)
    overall = data["rows"][0]
    assert (overall["principle"], overall["q1"], overall["median"], overall["q3"]) == (
        "overall", 40, 60, 70)
    hidden = api.get(url, {"band": Band.METRO}).data
    assert hidden["shown"] is False and hidden["cities"] is None
    assert all(row["median"] is None and row["count"] is None for row in hidden["rows"])
    assert api.get(url, {"tier": "nonsense"}).status_code == 400
    api.force_authenticate(cast.home.city_contact)
    assert api.get(url).status_code == 403


def test_api_global_benchmark_by_region(cast, api, home_campaign):
    api.force_authenticate(cast.global_secretariat)
    data = api.get("/api/v1/global/benchmark/", {"year": 2026}).data
    assert data["cities"] == 5
    assert [(r["region"], r["shown"]) for r in data["regions"]] == [("aurora", True),
                                                                    ("borealis", False)]
    api.force_authenticate(cast.home.regional_secretariat)
    assert api.get("/api/v1/global/benchmark/").status_code in (403, 404)


def test_the_menus_lead_to_the_benchmarks(cast, client_for, secretariat, home_campaign):
    campaign, _mine = home_campaign
    older = CampaignFactory(region=campaign.region, year=2024, version=campaign.version)
    body = secretariat.get(reverse("region-benchmark", kwargs={"region_slug": "aurora"})
                           ).content.decode()
    assert "Benchmark 2026" in body  # the latest campaign's
    earlier = page_url("campaign-benchmark", campaign_id=older.pk)
    assert f'href="{earlier}">2024</a>' in body  # and the other years'
    # The region menu's "Assessments" leads to the campaigns, whose own menu has the benchmark.
    dashboard = secretariat.get(reverse("region-dashboard", kwargs={"region_slug": "aurora"}))
    campaigns = reverse("campaign-list", kwargs={"region_slug": "aurora"})
    assert f'href="{campaigns}"' in dashboard.content.decode()
    assert reverse("region-benchmark", kwargs={"region_slug": "aurora"}) in (
        secretariat.get(campaigns).content.decode())
    page = client_for(cast.global_secretariat).get(reverse("global:dashboard"))
    assert reverse("global:benchmark") in page.content.decode()


def test_region_benchmark_without_a_campaign(secretariat):
    body = secretariat.get(reverse("region-benchmark", kwargs={"region_slug": "aurora"}))
    assert "No campaign yet" in body.content.decode()


# -- make bench ---------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=False)
def test_bench_jobs_print_their_line_and_fail_over_budget():
    from alliance.bench import BenchJob, registered_jobs
    from alliance.management.commands.bench import JobResult, job_failures, measure_jobs

    registered_jobs()  # the apps' bench modules, in their order (assessments.bench imports
    from assessments import bench_benchmarks  # this one at its end)

    all_principles()
    results = list(measure_jobs([bench_benchmarks.benchmark_job(cities=12),
                                 bench_benchmarks.city_report_job(cities=6),
                                 bench_benchmarks.region_report_job(cities=8)]))
    lines = [r.line() for r in results]
    assert [line.rsplit(" ", 1)[0] for line in lines] == [
        "bench job=regional-benchmark items=12", "bench job=city-report-pdf items=1",
        "bench job=region-report-pdf items=8"]
    assert all(re.fullmatch(r"bench job=\S+ items=\d+ seconds=\d+\.\d{3}", line)
               for line in lines)
    slow = JobResult(BenchJob("slow", lambda: lambda: 1, budget_seconds=0.1), 1, 0.5)
    elsewhere = JobResult(BenchJob("pg-only", lambda: lambda: 1, budget_seconds=0.1,
                                   budget_vendor="oracle"), 1, 0.5)
    assert job_failures([*results[:1], slow, elsewhere]) == ["job slow: 0.50 s, budget 0.1 s"]


def test_figures_kept_in_the_cache_follow_a_score_stored_anew(campaign):
    assessments = [scored(campaign, overall, privacy=overall) for overall in (10, 20, 30, 40, 50)]
    with scope(region=campaign.region):
        before = benchmarks.campaign_benchmark(campaign)
        # Returned, fixed and submitted again: the same overall score, another on privacy.
        PrincipleScore.objects.filter(assessment=assessments[0]).update(score=90)
        Assessment.objects.filter(pk=assessments[0].pk).update(submitted_at=timezone.now())
        after = benchmarks.campaign_benchmark(campaign)
    privacy = principle(PrincipleKey.PRIVACY).pk
    assert before.of(privacy).maximum == 50 and after.of(privacy).maximum == 90
    assert after.overall.maximum == 50  # the overall scores did not change


def test_a_returned_assessment_has_no_place_among_the_submitted(campaign):
    returned = scored(campaign, 95, state=Assessment.State.RETURNED)
    for overall in (10, 20, 30, 40, 50):
        scored(campaign, overall)
    with scope(region=campaign.region):
        place = benchmarks.place_of(returned)
    assert (place.score, place.cities, place.rank, place.counted) == (95, 5, None, False)


def test_the_cohort_list_is_paginated(secretariat, cast):
    campaign = CampaignFactory(region=cast.home.region, year=2026)
    for overall in range(30):
        scored(campaign, overall, name=f"Town {overall:02}")
    url = page_url("campaign-benchmark", campaign_id=campaign.pk)
    first = secretariat.get(url).content.decode()
    second = secretariat.get(url, {"page": 2}).content.decode()
    assert ">Town 29<" in first and ">Town 05<" in first and ">Town 04<" not in first
    assert ">Town 04<" in second and ">Town 00<" in second and ">Town 05<" not in second
    assert "Page 2 of 2" in second


def test_one_menu_item_leads_into_the_assessment_pages_and_marks_them(cast, client_for,
                                                                       secretariat):
    home = "/r/aurora"
    page = secretariat.get(f"{home}/assessments/roadmap/").content.decode()
    start = page.index('aria-label="Main"')
    menu = page[start:page.index("</nav>", start)]
    assert f'href="{home}/assessments/campaigns/" aria-current="page"' in menu
    assert f'href="{home}/assessments/roadmap/"' not in menu  # its own menu has it
    assert 'aria-label="Assessments"' in page
    # A city contact runs no campaign: the roadmap is in their menu itself.
    contact_page = client_for(cast.home.city_contact).get(f"{home}/").content.decode()
    assert f'href="{home}/assessments/roadmap/"' in contact_page
    assert f'href="{home}/assessments/campaigns/"' not in contact_page


def test_the_campaign_and_a_submitted_assessment_lead_to_their_results(
        cast, client_for, secretariat, home_campaign):
    campaign, mine = home_campaign
    page = secretariat.get(page_url("campaign-detail", campaign_id=campaign.pk)).content.decode()
    assert page_url("campaign-benchmark", campaign_id=campaign.pk) in page
    results = page_url("assessment-results", assessment_id=mine.pk)
    contact = client_for(cast.home.city_contact)
    assert results in contact.get(page_url("assessment-detail", assessment_id=mine.pk)
                                  ).content.decode()
    assert results in contact.get("/r/aurora/").content.decode()
