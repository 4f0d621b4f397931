"""Thin Celery doors onto the services. Every task is safe to run twice."""

from celery import shared_task
from django.conf import settings

from .models import Region
from .services import delegations, notifications
from .tenancy import RegionTask


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600,
             max_retries=8)
def deliver_notification(notification_id: int) -> bool:
    return notifications.deliver(notification_id=notification_id)


@shared_task
def deliver_notifications(notification_ids: list[int]) -> int:
    """A chunk of the outbox written in bulk (notifications.notify_many). One that cannot be
    sent now stays undelivered for the sweep; the rest of the chunk goes on."""
    sent = 0
    for pk in notification_ids:
        try:
            sent += notifications.deliver(notification_id=pk)
        except OSError:
            continue
    return sent


@shared_task
def sweep_notifications() -> int:
    """Deliver what a broker outage or a lost task left behind."""
    ids = notifications.undelivered_ids(older_than=settings.NOTIFICATION_SWEEP_AFTER)
    return sum(notifications.deliver(notification_id=pk) for pk in ids)


@shared_task
def plan_delegation_reviews() -> int:
    """Daily (beat "delegation-reviews"): one task per region, each in its own scope."""
    region_ids = list(Region.objects.values_list("pk", flat=True))
    for region_id in region_ids:
        remind_delegation_reviews.delay(region_id=region_id)
    return len(region_ids)


@shared_task(base=RegionTask)
def remind_delegation_reviews(region) -> int:
    """The secretariat is told of each delegation past its review date, once per date."""
    return delegations.remind_overdue_reviews(region=region)
