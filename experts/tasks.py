"""Celery tasks of the experts app: thin, idempotent, each calling a service."""

from celery import shared_task

from alliance.models import Region
from alliance.tenancy import RegionTask

from .services import terms


@shared_task
def plan_terms_reminders() -> int:
    """Daily (beat "experts-terms-reminders"): one task per region, each in its own scope."""
    region_ids = list(Region.objects.values_list("pk", flat=True))
    for region_id in region_ids:
        send_terms_reminders.delay(region_id=region_id)
    return len(region_ids)


@shared_task(base=RegionTask)
def send_terms_reminders(region) -> int:
    """The weekly reminder to experts who have not accepted the current Terms of Reference
    (a second run in the same week sends nothing)."""
    return terms.send_reminders(region=region)
