"""Thin Celery doors onto the outreach services. Safe to run twice."""

from celery import shared_task

from alliance.models import Region
from alliance.tenancy import RegionTask

from .services import follow_ups


@shared_task
def plan_follow_ups() -> int:
    """Daily (beat "outreach-follow-ups"): one task per region, each in its own scope."""
    region_ids = list(Region.objects.values_list("pk", flat=True))
    for region_id in region_ids:
        propose_follow_ups.delay(region_id=region_id)
    return len(region_ids)


@shared_task(base=RegionTask)
def propose_follow_ups(region) -> int:
    return follow_ups.propose_follow_ups(region=region)
