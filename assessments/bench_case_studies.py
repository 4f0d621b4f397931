"""The case studies in `make bench` (registered from assessments/bench.py): the region's
list, read by the secretariat (every state) and by a city contact (those ready for the Hub),
as the region's cities' case studies grow."""

from __future__ import annotations

from alliance.bench import Bench, BenchPage, register
from alliance.models import Role
from cities.models import City

from .models import CaseStudy, ModelPolicy, Principle

STATES = [CaseStudy.State.DRAFT, CaseStudy.State.READY, CaseStudy.State.SENT]


def add_case_studies(bench: Bench, rows: int) -> None:
    """`rows` case studies over the region's cities, each serving two principles."""
    cities = list(City.objects.filter(region=bench.region).order_by("pk")[:rows])
    principles = list(Principle.objects.all())
    policy = ModelPolicy.objects.filter(status=ModelPolicy.Status.ADOPTED).first()
    added = CaseStudy.objects.bulk_create(
        CaseStudy(region=bench.region, city=city, title=f"Initiative of {city.name}",
                  summary="Sensors reviewed for privacy before they go up.",
                  model_policy=policy if n % 2 else None, state=STATES[n % len(STATES)])
        for n, city in enumerate(cities * (rows // max(len(cities), 1) or 1)))
    CaseStudy.principles.through.objects.bulk_create(
        CaseStudy.principles.through(casestudy=case_study,
                                     principle=principles[(n + k) % len(principles)])
        for n, case_study in enumerate(added) for k in range(2))


def register_pages() -> None:
    register(BenchPage("case-study-list", Role.REGIONAL_SECRETARIAT, grow=add_case_studies),
             BenchPage("case-study-list", Role.CITY_CONTACT, grow=add_case_studies))
