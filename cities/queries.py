"""Reads about cities shared by pages, exports and the API (inside the region's scope)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce, Lag, Lead

from alliance.models import AuditEntry

from . import extensions, stages
from .models import City, Contact, Criterion, CriterionScore, Stage


def _priority():
    """Weighted score as a percentage of the best possible: sum(score x weight) over
    sum(3 x weight) of the criteria the city was scored on. Unscored cities have none."""
    scores = CriterionScore.objects.filter(city=OuterRef("pk")).order_by().values("city")
    share = ExpressionWrapper(
        Sum(F("score") * F("criterion__weight")) * 100.0
        / Sum(CriterionScore.MAX * F("criterion__weight")), output_field=FloatField())
    return Subquery(scores.annotate(v=share).values("v")[:1], output_field=FloatField())


def city_rows(region):
    """Cities with their owner, partner network, tags and priority loaded once."""
    return (City.objects.filter(region=region)
            .select_related("owner", "partner_network")
            .prefetch_related("tags")
            .annotate(priority=_priority()))


def city_record(region):
    """city_rows for a city's own page: with its region and how many contacts it has."""
    contacts = (Contact.objects.filter(city=OuterRef("pk")).order_by().values("city")
                .annotate(n=Count("pk")).values("n"))
    return city_rows(region).select_related("region").annotate(
        contact_count=Coalesce(Subquery(contacts), 0))


def scoring_rows(region):
    """Cities with their priority and nothing else loaded: the scoring grid's rows."""
    return City.objects.filter(region=region).annotate(priority=_priority())


def scores_of(cities) -> dict[tuple[int, int], CriterionScore]:
    """{(city id, criterion id): score} for these cities, in one query."""
    return {(s.city_id, s.criterion_id): s
            for s in CriterionScore.objects.filter(city__in=[c.pk for c in cities])}


def criteria_scored(city):
    """The region's criteria, each with this city's `score` and `note` (None when unscored),
    in one query: they stand in for the city's CriterionScore rows on its page."""
    given = CriterionScore.objects.filter(city=city, criterion=OuterRef("pk"))
    return (Criterion.objects.filter(region_id=city.region_id)
            .annotate(score=Subquery(given.values("score")[:1]),
                      note=Subquery(given.values("note")[:1])))


def cities_in(region):
    """The city table's rows: city_rows plus each city's key contact."""
    key_contacts = Prefetch("contacts", queryset=Contact.objects.filter(is_key=True),
                            to_attr="key_contacts")
    return city_rows(region).prefetch_related(key_contacts)


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
    cards = (City.objects.filter(region=region).select_related("owner")
             .annotate(priority=_priority()))
    for city in cards.order_by(F("priority").desc(nulls_last=True), "name"):
        columns[city.stage].append(city)
    return columns


def timeline(city):
    """The city's history as one timeline, newest first: its own audit trail, its contacts'
    and what other apps register as belonging to the city (cities.extensions). Slice it."""
    city_type, contact_type = (ContentType.objects.get_for_model(m) for m in (City, Contact))
    belongs = (Q(content_type=city_type, object_id=city.pk)
               | Q(content_type=contact_type, object_id__in=city.contacts.values("pk")))
    for source in extensions.TIMELINE_SOURCES:
        belongs |= source(city)
    return (AuditEntry.objects.filter(belongs).select_related("actor")
            .order_by("-created_at", "-id"))


def neighbours(region, city: City, **filters) -> dict[str, City | None]:
    """The cities just before and after `city` in the city table under `filters` (those of
    filter_cities, sort included), found in one query: each city listed is numbered by its
    place, and the two whose neighbour is `city` are kept."""
    listed = filter_cities(City.objects.filter(region=region).annotate(priority=_priority()),
                           **filters)
    order = [*listed.query.order_by, "pk"]
    # A city once, however many of its contacts the search matched.
    rows = (City.objects.filter(region=region, pk__in=listed.order_by().values("pk"))
            .annotate(priority=_priority(),
                      before=Window(Lag("pk"), order_by=order),
                      after=Window(Lead("pk"), order_by=order))
            .filter(Q(before=city.pk) | Q(after=city.pk)).only("pk", "name"))
    found = {"previous": None, "next": None}
    for row in rows:
        found["previous" if row.after == city.pk else "next"] = row
    return found
