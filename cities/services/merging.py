"""Merging a duplicate city into the one to keep, with its contacts and history."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError
from alliance.models import AuditEntry
from alliance.services import audit
from alliance.services.changes import save_locked

from .. import extensions
from ..models import City, CriterionScore
from .scoring import recompute_priorities

# The kept city's details that a merge fills in from the duplicate when they are empty.
MERGE_FILLS = ("local_name", "population", "website", "notes")


def merge_cities(*, actor, keep: City, duplicate: City) -> City:
    """Move everything of `duplicate` onto `keep`, then delete `duplicate`.

    Contacts, stage history, tags, the audit trail and what other apps attach to a city
    (cities.extensions: letters) move; a score the kept city
    lacks is taken from the duplicate. One key contact stays (the kept city's, if any)."""
    permissions.require(actor, "cities.edit", region=keep.region)
    if keep.pk == duplicate.pk or keep.region_id != duplicate.region_id:
        raise DomainError(_("Choose another city of this region to merge."), field="duplicate")
    with transaction.atomic():
        # Lock both first, in id order (two merges of the same pair cannot deadlock): a stage
        # move or an edit of either city at the same moment is not undone by the merge.
        both = {city.pk: city for city in City.objects.select_for_update(of=("self",))
                .filter(pk__in=[keep.pk, duplicate.pk]).select_related("region").order_by("pk")}
        if len(both) < 2:  # merged away a moment ago
            raise DomainError(_("Choose another city of this region to merge."),
                              field="duplicate")
        keep, duplicate = both[keep.pk], both[duplicate.pk]
        if keep.contacts.filter(is_key=True).exists():
            duplicate.contacts.update(is_key=False)
        duplicate.contacts.update(city=keep)
        duplicate.stage_changes.update(city=keep)
        for step in extensions.MERGE_STEPS:
            step(keep=keep, duplicate=duplicate)
        keep.tags.add(*duplicate.tags.all())
        scored = set(keep.scores.values_list("criterion_id", flat=True))
        CriterionScore.objects.filter(city=duplicate).exclude(
            criterion_id__in=scored).update(city=keep)
        recompute_priorities(keep.region, city_ids=[keep.pk])
        _move_audit_trail(duplicate, keep)
        filled = {field: getattr(duplicate, field) for field in MERGE_FILLS
                  if not getattr(keep, field) and getattr(duplicate, field)}
        keep, _filled = save_locked(actor=actor, row=keep, changes=filled,
                                    editable=MERGE_FILLS, action="cities.city.changed")
        audit.record(actor=actor, action="cities.city.merged", target=keep, region=keep.region,
                     merged=duplicate.name, merged_id=duplicate.pk)
        duplicate.delete()
    return keep


def _move_audit_trail(source: City, target: City) -> None:
    city_type = ContentType.objects.get_for_model(City)
    AuditEntry.objects.filter(content_type=city_type, object_id=source.pk).update(
        object_id=target.pk)
