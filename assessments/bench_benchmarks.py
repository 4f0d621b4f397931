"""Benchmarks and reports in `make bench` (registered from assessments/bench.py): the benchmark
pages and a city's results, and the jobs the issue sets budgets for: the regional benchmark
over 5,000 assessments of forty answers (0.3 s on PostgreSQL), a city report PDF (2 s) and
a region report of 500 cities (15 s)."""

from __future__ import annotations

import itertools

from django.utils import timezone

from alliance.bench import (
    BenchJob,
    BenchPage,
    in_region,
    no_kwargs,
    owners_of,
    register,
    register_jobs,
)
from alliance.models import Region, Role
from alliance.pdf import html_to_pdf
from alliance.tenancy import region_scope
from cities.models import City, Contact

from .bench import THIS_YEAR, State, _answers, _campaign, _scores
from .benchmarks import campaign_benchmark
from .models import Answer, Assessment, Campaign, Report, ReviewComment
from .queries import questions_of
from .services.reports import render_report
from .starter import build_starter

_serial = itertools.count(1)
COUNTED = (State.SUBMITTED, State.ACCEPTED)


def this_year(bench) -> Campaign:
    # Pages are prepared before the region's rows are seeded: this year's campaign is the
    # one the seeding then fills.
    return _campaign(bench.region, build_starter(), THIS_YEAR, Campaign.State.OPEN)


def a_campaign(bench) -> dict:
    return {**in_region(bench), "campaign_id": this_year(bench).pk}


def the_latest_campaign(bench) -> dict:
    """The menu's Benchmark: this year's campaign, last year's beside it."""
    this_year(bench)
    return in_region(bench)


def a_city_result(bench) -> dict:
    """A submitted assessment of a city of its own, scored, with last year's; the bench's
    city contact is its contact."""
    region = bench.region
    campaign = this_year(bench)
    last_year = _campaign(region, campaign.version, THIS_YEAR - 1, Campaign.State.CLOSED)
    city = City.objects.create(region=region, name=f"Bench results {next(_serial)}",
                               country="JP", population=250_000)
    Contact.objects.create(region=region, city=city, name="City official",
                           email=bench.users[Role.CITY_CONTACT].email,
                           user=bench.users[Role.CITY_CONTACT])
    now = timezone.now()
    mine = [Assessment.objects.create(region=region, campaign=c, city=city,
                                      state=State.SUBMITTED, submitted_at=now)
            for c in (campaign, last_year)]
    _scores(region, mine)
    bench.subject = mine[0]
    return {**in_region(bench), "assessment_id": mine[0].pk}


def a_report(bench) -> dict:
    """A city report being made: the page the person waits on."""
    a_city_result(bench)
    report = Report.objects.create(region=bench.region, kind=Report.Kind.CITY,
                                   campaign=bench.subject.campaign, assessment=bench.subject,
                                   language="en", fingerprint="bench",
                                   state=Report.State.RENDERING, progress=40)
    return {**in_region(bench), "report_id": report.pk}


PAGES = (
    BenchPage("region-benchmark", Role.FORUM_REVIEWER, the_latest_campaign),
    BenchPage("campaign-benchmark", Role.REGIONAL_SECRETARIAT, a_campaign),
    BenchPage("campaign-benchmark", Role.REGIONAL_SECRETARIAT, a_campaign,
              query="band=medium&tier=active"),
    BenchPage("assessment-results", Role.CITY_CONTACT, a_city_result),
    BenchPage("assessment-results", Role.REGIONAL_SECRETARIAT, a_city_result),
    BenchPage("report-detail", Role.CITY_CONTACT, a_report),
    BenchPage("global:benchmark", Role.GLOBAL_SECRETARIAT, no_kwargs),
)


# -- jobs ---------------------------------------------------------------------------------------

def seeded_region(name: str, cities: int, *, answers: bool) -> tuple[Region, Campaign, list]:
    """A region of its own with this year's campaign: `cities` cities, every assessment
    submitted or accepted and scored, each with forty answers when `answers`."""
    slug = f"bench-job-{name}-{next(_serial)}"
    region = Region.objects.create(name=f"Bench job {name}", slug=slug)
    version = build_starter()
    questions = list(questions_of(version))
    campaign = Campaign.objects.create(
        region=region, year=THIS_YEAR, version=version, opens_on=timezone.localdate(),
        closes_on=timezone.localdate(), state=Campaign.State.OPEN)
    made = City.objects.bulk_create(
        (City(region=region, name=f"Job city {n}", country="JP",
              population=50_000 + (n * 7919) % 3_000_000) for n in range(cities)),
        batch_size=2000)
    now = timezone.now()
    assessments = Assessment.objects.bulk_create(
        (Assessment(region=region, campaign=campaign, city=city, state=COUNTED[n % 2],
                    submitted_at=now, invited_at=now) for n, city in enumerate(made)),
        batch_size=2000)
    if answers:
        for start in range(0, len(assessments), 500):
            rows = []
            for n, assessment in enumerate(assessments[start:start + 500], start):
                rows += _answers(assessment, questions, n)
            Answer.objects.bulk_create(rows, batch_size=5000)
    _scores(region, assessments)
    return region, campaign, assessments


def benchmark_job(cities: int = 5000):
    def prepare():
        region, campaign, _assessments = seeded_region("benchmark", cities, answers=True)

        def work() -> int:
            with region_scope(region):
                return campaign_benchmark(campaign).cities

        return work

    return BenchJob("regional-benchmark", prepare, budget_seconds=0.3,
                    budget_vendor="postgresql")


def _report_work(region: Region, report: Report, items: int):
    """The rendering, timed as a running worker does it: WeasyPrint loaded and its fonts
    read by an earlier PDF of the process."""
    html_to_pdf("<p>日本語 Español</p>")

    def work() -> int:
        with region_scope(region):
            made = render_report(report_id=report.pk)
        if made.state != Report.State.READY:
            raise RuntimeError(f"The bench report failed: {made.error}")
        return items

    return work


def city_report_job(cities: int = 200):
    def prepare():
        region, campaign, assessments = seeded_region("city-report", cities, answers=False)
        mine = assessments[0]
        questions = list(questions_of(campaign.version_id))
        Answer.objects.bulk_create(_answers(mine, questions, 0))
        ReviewComment.objects.bulk_create(
            ReviewComment(region=region, assessment=mine, question=question,
                          body="Please attach the council's decision.",
                          author=(owners_of(region) or [None])[0])
            for question in questions[:5])
        report = Report.objects.create(region=region, kind=Report.Kind.CITY, campaign=campaign,
                                       assessment=mine, language="ja", fingerprint="bench")
        return _report_work(region, report, 1)

    return BenchJob("city-report-pdf", prepare, budget_seconds=2.0)


def region_report_job(cities: int = 500):
    def prepare():
        region, campaign, _assessments = seeded_region("region-report", cities, answers=False)
        report = Report.objects.create(region=region, kind=Report.Kind.REGION,
                                       campaign=campaign, language="en", fingerprint="bench")
        return _report_work(region, report, cities)

    return BenchJob("region-report-pdf", prepare, budget_seconds=15.0)


def register_all() -> None:
    register(*PAGES)
    register_jobs(benchmark_job(), city_report_job(), region_report_job())
