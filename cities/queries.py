"""Reads about cities shared by pages, exports and the API (inside the region's scope)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import Lag, Lead, RowNumber
from django_countries import countries

from alliance.models import AuditEntry

from . import extensions, stages
from .models import City, Contact, Criterion, CriterionScore, Stage, Tag, Tier


def city_rows(region):
    """Cities with their owner, partner network and tags loaded once."""
    return (City.objects.filter(region=region)
            .select_related("owner", "partner_network")
            .prefetch_related("tags"))


def cities_of_contact(region, user) -> list[City]:
    """The cities of the region whose contact `user` is (their accounts are linked through
    Contact.user): usually one."""
    # Through the contacts' user index (the scope adds their region): a join from the
    # region's cities, or the region named twice, has SQLite read every contact of it.
    return list(City.objects.filter(
        region=region, pk__in=Contact.objects.filter(user=user).values("city_id"))
        .only("name").order_by("name"))


def scoring_rows(region):
    """What the scoring grid shows of a city: its name, stage and priority."""
    return City.objects.filter(region=region).only("name", "stage", "priority")


def scores_of(cities) -> dict[tuple[int, int], CriterionScore]:
    """{(city id, criterion id): score} for these cities, in one query."""
    return {(s.city_id, s.criterion_id): s
            for s in CriterionScore.objects.filter(city__in=[c.pk for c in cities])}


def criteria_scored(city):
    """The region's criteria, each with this city's `score` and `note` (None when unscored),
    in one query: they stand in for the city's CriterionScore rows on its page."""
    return (Criterion.objects.filter(region_id=city.region_id)
            .annotate(given=FilteredRelation("scores", condition=Q(scores__city=city)))
            .annotate(score=F("given__score"), note=F("given__note")))


def _key_contacts() -> Prefetch:
    return Prefetch("contacts", queryset=Contact.objects.filter(is_key=True),
                    to_attr="key_contacts")


def cities_in(region):
    """The API's and the export's rows: each city with its owner, its tags (a list,
    `tag_list`) and its key contact (`key_contacts`, a list of at most one)."""
    return (City.objects.filter(region=region).select_related("owner")
            .prefetch_related(Prefetch("tags", to_attr="tag_list"), _key_contacts()))


# What a table row shows: the rest of a city stays in the database. Rows are read as values
# (dicts): a page of model instances, each with its owner, costs several times as much.
ROW_FIELDS = ("pk", "name", "local_name", "country", "population", "tier", "stage",
              "priority", "owner__full_name", "owner__email")


def table_rows(region):
    """The city table's cities, to filter, count and cut into pages; row_values() reads the
    page shown. (Read as values here, the count would join every city's owner.)"""
    return City.objects.filter(region=region)


def row_values(cities) -> list[dict]:
    """What the table shows of these cities (a page of table_rows): dicts of ROW_FIELDS.
    Their tags and key contacts come from tag_names() and key_contact_names()."""
    return list(cities.values(*ROW_FIELDS))


def tag_names(region, city_ids) -> dict[int, list[str]]:
    """{city id: its tags' names, in order} for these cities, in one query."""
    names: dict[int, list[str]] = {}
    for city_id, name in (Tag.objects.filter(region=region, cities__in=city_ids)
                          .values_list("cities", "name")):
        names.setdefault(city_id, []).append(name)
    return names


def key_contact_names(region, city_ids) -> dict[int, str]:
    """{city id: its key contact's name} for these cities, in one query."""
    return dict(Contact.objects.filter(region=region, city__in=city_ids, is_key=True)
                .order_by().values_list("city", "name"))


def _in_order(field: str, values) -> Case:
    """A field's place in `values`: stages sort in pipeline order, not by their codes."""
    return Case(*(When(**{field: value}, then=Value(i)) for i, value in enumerate(values)),
                default=Value(len(values)), output_field=IntegerField())


def _country_order(rows) -> Case:
    """Codes would put Switzerland (CH) before China (CN): rank the countries these rows hold
    by their names in the reader's language (one small query, only when sorting by country)."""
    codes = rows.order_by().values_list("country", flat=True).distinct()
    return _in_order("country", sorted(codes, key=countries.name))


# The table's sortable columns: the expression each sorts by, given the rows. A column
# sorts by "<key>" and, reversed, by "-<key>".
SORT_COLUMNS = {
    "name": lambda rows: F("name"),
    "country": _country_order,
    "population": lambda rows: F("population"),
    "tier": lambda rows: _in_order("tier", Tier.values),
    "stage": lambda rows: _in_order("stage", stages.BOARD_COLUMNS),
    "owner": lambda rows: F("owner__full_name"),
    "priority": lambda rows: F("priority"),
}
SORTS = [key for column in SORT_COLUMNS for key in (column, f"-{column}")]
DEFAULT_SORT = "-priority"


def _ordering(rows, sort: str):
    by = SORT_COLUMNS[sort.removeprefix("-")](rows)
    # Blanks (no score, no owner, no population) come last both ways.
    return by.desc(nulls_last=True) if sort.startswith("-") else by.asc(nulls_last=True)


def filter_cities(rows, *, q="", stage="", tier="", country="", owner=None, tag="",
                  min_priority=None, sort=DEFAULT_SORT):
    if q:
        # EXISTS, not a join: a join repeats a city per matching contact and needs DISTINCT.
        contact_named = Contact.objects.filter(city=OuterRef("pk"), name__icontains=q)
        rows = rows.filter(Q(name__icontains=q) | Q(local_name__icontains=q)
                           | Q(notes__icontains=q) | Exists(contact_named))
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
    return rows.order_by(_ordering(rows, sort if sort in SORTS else DEFAULT_SORT), "name")


def stage_counts(region) -> dict[str, int]:
    """How many cities each stage holds, counted in one query."""
    return dict(City.objects.filter(region=region).order_by().values_list("stage")
                .annotate(n=Count("pk")))


def funnel(region) -> list[tuple[str, str, int]]:
    """(stage, label, count) for every stage, in board order."""
    counts = stage_counts(region)
    return [(s, Stage(s).label, counts.get(s, 0)) for s in stages.BOARD_COLUMNS]


def intending_count(region) -> int:
    return City.objects.filter(region=region, stage__in=stages.INTENDING).count()


BOARD_CARDS = 25  # cards a board column shows, and shows more by
# What a card shows, read as values: a board reads a couple of hundred, and model instances
# cost several times as much.
CARD_FIELDS = ("pk", "name", "country", "tier", "stage", "priority", "owner__full_name",
               "owner__email")


def _cards(region):
    return City.objects.filter(region=region).values(*CARD_FIELDS)


def _card_order() -> list:
    return [F("priority").desc(nulls_last=True), F("name").asc(), F("pk").asc()]


def board(region, per_column: int = BOARD_CARDS, *, only=None) -> dict[str, list[dict]]:
    """The first cards of every column (or of the `only` stages), limited in SQL.

    One query: inside, every city of the columns is numbered in board order within its stage,
    reading only ids; outside, the cities numbered up to `per_column` are read as cards
    (dicts of CARD_FIELDS)."""
    shown = [stage for stage in stages.BOARD_COLUMNS if only is None or stage in only]
    first = (City.objects.filter(region=region, stage__in=shown)
             .annotate(place=Window(RowNumber(), partition_by=F("stage"),
                                    order_by=_card_order()))
             .filter(place__lte=per_column).values("pk"))
    columns = {stage: [] for stage in shown}
    for card in _cards(region).filter(pk__in=first).order_by(*_card_order()):
        columns[card["stage"]].append(card)
    return columns


def column_cards(region, stage: str, *, offset: int, limit: int = BOARD_CARDS) -> list[dict]:
    """One column's cards after its first `offset`, in board order ("show more")."""
    return list(_cards(region).filter(stage=stage).order_by(*_card_order())
                [offset:offset + limit])


def card(region, city_id: int) -> dict:
    """One city as a board card shows it."""
    return _cards(region).get(pk=city_id)


# What a timeline entry shows (its time, its sentence, a note): fewer columns to read and build.
TIMELINE_FIELDS = ("created_at", "action", "data", "actor__full_name", "actor__email")


def timeline(city):
    """The city's history as one timeline, newest first: its own audit trail, its contacts'
    and what other apps register as belonging to the city (cities.extensions). Slice it."""
    city_type, contact_type = (ContentType.objects.get_for_model(m) for m in (City, Contact))
    belongs = (Q(content_type=city_type, object_id=city.pk)
               | Q(content_type=contact_type, object_id__in=city.contacts.values("pk")))
    for source in extensions.TIMELINE_SOURCES:
        belongs |= source(city)
    return (AuditEntry.objects.filter(belongs).select_related("actor")
            .only(*TIMELINE_FIELDS).order_by("-created_at", "-id"))


def neighbours(region, city: City, **filters) -> dict[str, City | None]:
    """The cities just before and after `city` in the city table under `filters` (those of
    filter_cities, sort included), found in one query: each city listed is numbered by its
    place, and the two whose neighbour is `city` are kept."""
    listed = filter_cities(City.objects.filter(region=region), **filters)
    order = [*listed.query.order_by, "pk"]
    # A city once, however many of its contacts the search matched.
    rows = (City.objects.filter(region=region, pk__in=listed.order_by().values("pk"))
            .annotate(before=Window(Lag("pk"), order_by=order),
                      after=Window(Lead("pk"), order_by=order))
            .filter(Q(before=city.pk) | Q(after=city.pk)).only("pk", "name"))
    found = {"previous": None, "next": None}
    for row in rows:
        found["previous" if row.after == city.pk else "next"] = row
    return found
