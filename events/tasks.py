"""Celery tasks of the events app: thin, idempotent, each calling a service."""

from celery import shared_task

from alliance.models import Region
from alliance.tenancy import RegionTask


@shared_task
def plan_milestone_reminders() -> int:
    """Daily (beat "events-milestone-reminders"): one task per region, each in its scope."""
    region_ids = list(Region.objects.values_list("pk", flat=True))
    for region_id in region_ids:
        send_milestone_reminders.delay(region_id=region_id)
    return len(region_ids)


@shared_task(base=RegionTask)
def send_milestone_reminders(region) -> int:
    """Remind organizers of the playbook's agenda milestones due within a week or overdue
    (once per event and milestone: a second run sends nothing)."""
    from .services import events

    return events.send_milestone_reminders(region=region)


@shared_task
def plan_compliance_warnings() -> int:
    """Daily (beat "events-compliance-warnings"): one task per region, each in its scope."""
    region_ids = list(Region.objects.values_list("pk", flat=True))
    for region_id in region_ids:
        send_compliance_warnings.delay(region_id=region_id)
    return len(region_ids)


@shared_task(base=RegionTask)
def send_compliance_warnings(region) -> int:
    """Warn the secretariat in a quarter's last month with no regular meeting, and in the
    year's last quarter with no annual event (once per region and period)."""
    from . import compliance

    return compliance.send_warnings(region=region)


@shared_task
def plan_answer_reminders() -> int:
    """Daily (beat "events-answer-reminders"): one task per region, each in its scope."""
    region_ids = list(Region.objects.values_list("pk", flat=True))
    for region_id in region_ids:
        send_answer_reminders.delay(region_id=region_id)
    return len(region_ids)


@shared_task(base=RegionTask)
def send_answer_reminders(region) -> int:
    """Ask the invitees of an event within a week who have not answered (once per
    invitation and person: a second run sends nothing)."""
    from .services import invitations

    return invitations.send_answer_reminders(region=region)
