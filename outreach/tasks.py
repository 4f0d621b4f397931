"""Thin Celery doors onto the outreach services. Each is safe to run twice."""

from celery import shared_task

from alliance.models import Region
from alliance.tenancy import RegionTask

from .services import follow_ups


@shared_task
def plan_follow_ups() -> int:
    """Daily (beat "outreach-follow-ups"): one task per region, each in its own scope."""
    region_ids = list(Region.objects.values_list("pk", flat=True))
    for region_id in region_ids:
        follow_up_region.delay(region_id=region_id)
    return len(region_ids)


@shared_task(base=RegionTask)
def follow_up_region(region) -> int:
    """One task per due letter: a letter that fails is retried alone, the others go on."""
    letter_ids = follow_ups.due_letter_ids(region=region)
    for letter_id in letter_ids:
        follow_up_letter.delay(region_id=region.pk, letter_id=letter_id)
    return len(letter_ids)


@shared_task(base=RegionTask)
def follow_up_letter(region, letter_id: int) -> bool:
    return follow_ups.propose_follow_up(region=region, letter_id=letter_id) is not None
