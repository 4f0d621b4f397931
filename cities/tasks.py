"""Celery tasks of the cities app: thin, idempotent, each calling a service."""

from celery import shared_task

from alliance.models import Region
from alliance.tenancy import RegionTask

from .services import dialogues


@shared_task
def plan_dialogue_reminders() -> int:
    """Every hour (beat "cities-dialogue-reminders"): one task per region, each in its own
    scope and time zone, which decides whether its month's reminders are due."""
    region_ids = list(Region.objects.values_list("pk", flat=True))
    for region_id in region_ids:
        send_dialogue_reminders.delay(region_id=region_id)
    return len(region_ids)


@shared_task(base=RegionTask)
def send_dialogue_reminders(region) -> int:
    """Remind owners of member cities with no dialogue last month, from the first working day
    of the month in the region's time zone (once per city and month)."""
    return dialogues.send_reminders(region=region)
