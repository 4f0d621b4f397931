"""Selection criteria (the playbook's three plus the region's own) and city scores."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from alliance import permissions
from alliance.errors import DomainError
from alliance.services import audit
from alliance.services.changes import locked, save_changes
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
        criterion, _changed = save_changes(
            actor=actor, obj=criterion, changes={"weight": weight}, editable=("weight",),
            related=("region",), action="cities.criterion.weighted", target=criterion.region,
            name=criterion.name)
    return criterion


def score_city(*, actor, city: City, scores: dict[int, tuple[int | None, str]]) -> None:
    """Record scores {criterion id: (0-3 or None to clear, note)} for one city."""
    permissions.require(actor, "cities.edit", region=city.region)
    criteria = {c.pk: c for c in Criterion.objects.filter(region=city.region)}
    unknown = set(scores) - set(criteria)
    if unknown:
        raise DomainError(_("Unknown criterion."), field="scores")
    bad = [criteria[pk].name for pk, (value, _note) in scores.items()
           if value is not None and not 0 <= value <= CriterionScore.MAX]
    if bad:
        raise DomainError(_("Scores run from 0 to 3: %(names)s") % {"names": ", ".join(bad)},
                          field="scores")
    with transaction.atomic():
        # Lock the city first: two people scoring it at once take turns, neither loses a row.
        locked(city)
        cleared = [pk for pk, (value, _note) in scores.items() if value is None]
        CriterionScore.objects.filter(city=city, criterion_id__in=cleared).delete()
        existing = {s.criterion_id: s for s in CriterionScore.objects.filter(city=city)}
        now, new, changed = timezone.now(), [], []
        for pk, (value, note) in scores.items():
            if value is None:
                continue
            row = existing.get(pk) or CriterionScore(region=city.region, city=city,
                                                     criterion_id=pk)
            row.score, row.note, row.scored_by, row.scored_at = value, note, actor, now
            (changed if row.pk else new).append(row)
        CriterionScore.objects.bulk_create(new)
        CriterionScore.objects.bulk_update(changed, ["score", "note", "scored_by", "scored_at"])
        audit.record(actor=actor, action="cities.city.scored", target=city, region=city.region,
                     scores={criteria[pk].name: value for pk, (value, _n) in scores.items()})
