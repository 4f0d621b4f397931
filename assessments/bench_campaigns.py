"""The campaign pages in `make bench` (registered from assessments/bench.py): the region's
campaigns, this year's campaign with every city of the bench region asked (assessments.bench
seeds its assessments in every state), its progress filtered and searched, the schedule page
and the progress through the API."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from alliance.bench import Bench, BenchJob, BenchPage, in_region, register, register_jobs
from alliance.models import Region, Role
from alliance.tenancy import region_scope
from cities.models import City, Contact, Stage

from .models import BusyPeriod, Campaign
from .services.campaigns import run_launch
from .starter import build_starter

_serial = itertools.count(1)  # keeps the job's regions apart across runs


def this_years_campaign(bench: Bench) -> dict:
    """The campaign assessments.bench fills with an assessment per city (the same region
    and year: its seeder finds this one)."""
    year = datetime.date.today().year
    bench.subject, _created = Campaign.objects.get_or_create(
        region=bench.region, year=year, defaults={
            "version": build_starter(), "opens_on": datetime.date(year, 10, 1),
            "closes_on": datetime.date(year, 12, 18), "state": Campaign.State.OPEN})
    return {**in_region(bench), "campaign_id": bench.subject.pk}


def a_schedule(bench: Bench) -> dict:
    region = bench.region
    if not BusyPeriod.objects.filter(region=region).exists():
        BusyPeriod.objects.bulk_create([
            BusyPeriod(region=region, name="Year end", start_month=12, start_day=20,
                       end_month=1, end_day=10),
            BusyPeriod(region=region, name="Assembly session", start_month=6, start_day=1,
                       end_month=6, end_day=30)])
    return in_region(bench)


def launch_job(cities: int = 5000) -> BenchJob:
    """A campaign's launch over `cities` member cities, each with a key contact: their
    assessments and invitations written in bulk (delivery is the chunked tasks' work)."""

    def prepare():
        region = Region.objects.create(name="Bench job launch",
                                       slug=f"bench-job-launch-{next(_serial)}")
        made = City.objects.bulk_create(
            (City(region=region, name=f"Member city {n}", country="JP", stage=Stage.MEMBER)
             for n in range(cities)), batch_size=2000)
        Contact.objects.bulk_create(
            (Contact(region=region, city=city, name=f"Key contact {city.pk}", is_key=True,
                     email=f"key-{city.pk}@city.example.org") for city in made),
            batch_size=2000)
        today = timezone.localdate()
        campaign = Campaign.objects.create(
            region=region, year=today.year, version=build_starter(), opens_on=today,
            closes_on=today + datetime.timedelta(weeks=8), state=Campaign.State.LAUNCHING,
            launch_total=cities, launched_at=timezone.now())

        def work() -> int:
            with region_scope(region):
                return run_launch(region=region, campaign_id=campaign.pk)

        return work

    return BenchJob("campaign-launch", prepare, budget_seconds=10.0)


def register_pages() -> None:
    rs = Role.REGIONAL_SECRETARIAT
    register(
        BenchPage("campaign-list", rs),
        BenchPage("campaign-detail", rs, this_years_campaign),
        BenchPage("campaign-detail", rs, this_years_campaign, query="state=in_progress&q=ciudad"),
        BenchPage("campaign-detail", Role.FORUM_REVIEWER, this_years_campaign),
        BenchPage("assessment-settings", rs, a_schedule),
        BenchPage("api:campaign-assessment-list", rs, this_years_campaign),
    )
    register_jobs(launch_job())
