"""The campaign pages in `make bench` (registered from assessments/bench.py): the region's
campaigns, this year's campaign with every city of the bench region asked (assessments.bench
seeds its assessments in every state), its progress filtered and searched, the schedule page
and the progress through the API."""

from __future__ import annotations

import datetime

from alliance.bench import Bench, BenchPage, in_region, register
from alliance.models import Role

from .models import BusyPeriod, Campaign
from .starter import build_starter


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
