"""Reads about cities shared by pages, exports and the API (inside the region's scope)."""

from __future__ import annotations

from django.db.models import (Count, ExpressionWrapper, F, FloatField, OuterRef, Prefetch, Q,
                              Subquery, Sum)

from . import stages
from .models import City, Contact, CriterionScore, Stage



def _priority():
    """Weighted score as a percentage of the best possible: sum(score x weight) over
    sum(3 x weight) of the criteria the city was scored on. Unscored cities have none."""
    scores = CriterionScore.objects.filter(city=OuterRef("pk")).order_by().values("city")
    weighted = scores.annotate(v=Sum(F("score") * F("criterion__weight"))).values("v")[:1]
    best = scores.annotate(v=Sum(CriterionScore.MAX * F("criterion__weight"))).values("v")[:1]
    return ExpressionWrapper(Subquery(weighted) * 100.0 / Subquery(best),
                             output_field=FloatField())


def cities_in(region):
    """The city table's rows: owner, partner network, tags and key contact loaded once."""
    key_contacts = Prefetch("contacts", queryset=Contact.objects.filter(is_key=True),
                            to_attr="key_contacts")
    return (City.objects.filter(region=region)
            .select_related("owner", "partner_network")
            .prefetch_related("tags", key_contacts)
            .annotate(priority=_priority()))


SORTS = {"name": "name", "-priority": F("priority").desc(nulls_last=True),
         "stage": "stage", "-population": F("population").desc(nulls_last=True),
         "country": "country"}


def filter_cities(rows, *, q="", stage="", tier="", country="", owner=None, tag="",
                  min_priority=None, sort="-priority"):
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(local_name__icontains=q)
                           | Q(notes__icontains=q) | Q(contacts__name__icontains=q)).distinct()
    if stage:
        rows = rows.filter(stage=stage)
    if tier:
        rows = rows.filter(tier=tier)
    if country:
        rows = rows.filter(country__iexact=country)
    if owner is not None:
        rows = rows.filter(owner=owner)
    if tag:
        rows = rows.filter(tags__name=tag)
    if min_priority is not None:
        rows = rows.filter(priority__gte=min_priority)
    return rows.order_by(SORTS.get(sort, SORTS["-priority"]), "name")


def funnel(region) -> list[tuple[str, str, int]]:
    """(stage, label, count) for every stage, in board order, counted in one query."""
    counts = dict(City.objects.filter(region=region).order_by().values_list("stage")
                  .annotate(n=Count("pk")))
    return [(s, Stage(s).label, counts.get(s, 0)) for s in stages.BOARD_COLUMNS]


def intending_count(region) -> int:
    return City.objects.filter(region=region, stage__in=stages.INTENDING).count()


def board(region) -> dict[str, list[City]]:
    columns = {stage: [] for stage in stages.BOARD_COLUMNS}
    for city in cities_in(region).order_by(F("priority").desc(nulls_last=True), "name"):
        columns[city.stage].append(city)
    return columns


