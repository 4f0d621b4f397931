"""Selection criteria (the playbook's three plus the region's own) and city scores."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import ExpressionWrapper, F, FloatField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import NullIf
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from alliance import permissions
from alliance.errors import DomainError
from alliance.services import audit
from alliance.services.changes import save_changes
from alliance.tenancy import region_scope

from ..models import City, Criterion, CriterionScore

# Playbook, Preparation step 3, task 2: the criteria every region starts with.
PLAYBOOK_CRITERIA = [
    (gettext_noop("Support from senior leadership"),
     gettext_noop("The mayor or senior officials back participation.")),
    (gettext_noop("Highly enthusiastic personnel"),
     gettext_noop("Working-level officers who will carry the work.")),
    (gettext_noop("Existence of projects"),
     gettext_noop("Smart city projects under way where governance matters.")),
]


def ensure_playbook_criteria(region) -> None:
    """Give a region the playbook's three criteria (idempotent; also from signals)."""
    with region_scope(region):
        for position, (name, description) in enumerate(PLAYBOOK_CRITERIA):
            Criterion.objects.get_or_create(
                region=region, name=name,
                defaults={"description": description, "from_playbook": True,
                          "position": position})


def add_criterion(*, actor, region, name: str, weight: Decimal, description: str = ""
                  ) -> Criterion:
    permissions.require(actor, "cities.manage_criteria", region=region)
    if Criterion.objects.filter(region=region, name__iexact=name.strip()).exists():
        raise DomainError(_("The region already has a criterion with this name."), field="name")
    with transaction.atomic():
        criterion = Criterion.objects.create(region=region, name=name.strip(), weight=weight,
                                             description=description, position=100)
        audit.record(actor=actor, action="cities.criterion.added", target=region,
                     region=region, name=criterion.name, weight=str(weight))
    return criterion


def set_weight(*, actor, criterion: Criterion, weight: Decimal) -> Criterion:
    permissions.require(actor, "cities.manage_criteria", region=criterion.region)
    with transaction.atomic():
        # Every city of the region changes priority: lock them before the criterion, in id
        # order, as scoring locks its cities before its new scores lock the criteria they
        # name. A city scored meanwhile waits, then its scores are read with the new weight.
        list(City.objects.select_for_update(of=("self",)).filter(region=criterion.region)
             .order_by("pk").values_list("pk"))
        criterion, changed = save_changes(
            actor=actor, obj=criterion, changes={"weight": weight}, editable=("weight",),
            related=("region",), action="cities.criterion.weighted", target=criterion.region,
            name=criterion.name)
        if changed:
            recompute_priorities(criterion.region)
    return criterion


def score_city(*, actor, city: City, scores: dict[int, tuple[int | None, str]]) -> None:
    """Record scores {criterion id: (0-3 or None to clear, note)} for one city."""
    score_cities(actor=actor, region=city.region, scores={city.pk: scores})


def score_cities(*, actor, region, scores: dict[int, dict[int, tuple[int | None, str]]]
                 ) -> None:
    """Record scores {city id: {criterion id: (0-3 or None to clear, note)}}, all or nothing:
    one city from its page or the API, or a page of the scoring grid."""
    permissions.require(actor, "cities.edit", region=region)
    criteria = {c.pk: c for c in Criterion.objects.filter(region=region)}
    _check_scores(criteria, [row for city in scores.values() for row in city.items()])
    with transaction.atomic():
        # Lock the cities first, in id order: two people scoring one city at once take turns
        # and neither loses a row; two grids over the same cities cannot deadlock.
        cities = list(City.objects.select_for_update(of=("self",))
                      .filter(region=region, pk__in=scores).order_by("pk"))
        if len(cities) < len(scores):
            raise DomainError(_("Nothing was scored: a city is not in this region."),
                              field="scores")
        _write_scores(actor, region, scores)
        recompute_priorities(region, city_ids=list(scores))
        for city in cities:
            audit.record(actor=actor, action="cities.city.scored", target=city, region=region,
                         scores={criteria[pk].name: value
                                 for pk, (value, _n) in scores[city.pk].items()})


def _check_scores(criteria: dict, rows: list) -> None:
    if any(pk not in criteria for pk, _row in rows):
        raise DomainError(_("Unknown criterion."), field="scores")
    bad = sorted({criteria[pk].name for pk, (value, _note) in rows
                  if value is not None and not 0 <= value <= CriterionScore.MAX})
    if bad:
        raise DomainError(_("Scores run from 0 to 3: %(names)s") % {"names": ", ".join(bad)},
                          field="scores")


def _write_scores(actor, region, scores: dict) -> None:
    """Clear, add and change the rows, a few queries whatever the number of cities."""
    cleared = [Q(city_id=city_id, criterion_id__in=gone) for city_id, rows in scores.items()
               if (gone := [pk for pk, (value, _note) in rows.items() if value is None])]
    if cleared:
        CriterionScore.objects.filter(Q.create(cleared, connector=Q.OR)).delete()
    existing = {(s.city_id, s.criterion_id): s
                for s in CriterionScore.objects.filter(city_id__in=scores)}
    now, new, changed = timezone.now(), [], []
    for city_id, rows in scores.items():
        for pk, (value, note) in rows.items():
            if value is None:
                continue
            row = existing.get((city_id, pk)) or CriterionScore(
                region=region, city_id=city_id, criterion_id=pk)
            row.score, row.note, row.scored_by, row.scored_at = value, note, actor, now
            (changed if row.pk else new).append(row)
    CriterionScore.objects.bulk_create(new)
    CriterionScore.objects.bulk_update(changed, ["score", "note", "scored_by", "scored_at"])


def weighted_priority(scores) -> Subquery:
    """A city's priority from `scores`, its CriterionScore rows (a queryset filtered on
    city=OuterRef("pk")): sum(score x weight) as a percentage of sum(3 x weight) over the
    criteria it was scored on. None when it has no score, or only scores weighing nothing."""
    share = ExpressionWrapper(
        Sum(F("score") * F("criterion__weight")) * 100.0
        / NullIf(Sum(CriterionScore.MAX * F("criterion__weight")), 0),
        output_field=FloatField())
    per_city = scores.order_by().values("city").annotate(v=share).values("v")[:1]
    return Subquery(per_city, output_field=FloatField())


def recompute_priorities(region, *, city_ids=None) -> None:
    """Store the priority of the region's cities (only of `city_ids` when given) from their
    scores, in one UPDATE. Whatever changes scores or weights calls it in its transaction,
    holding the locks of the cities it recomputes (the services here and merging), and so do
    seeders that bulk-create scores."""
    with region_scope(region):
        cities = City.objects.filter(region=region)
        if city_ids is not None:
            cities = cities.filter(pk__in=city_ids)
        cities.update(priority=weighted_priority(
            CriterionScore.objects.filter(city=OuterRef("pk"))))
