"""Celery tasks of the assessment app: thin, idempotent, each calling a service."""

from celery import shared_task

from alliance.models import Region
from alliance.tenancy import RegionTask

from .services import campaigns

# -- campaigns ----------------------------------------------------------------------------------


@shared_task(base=RegionTask)
def launch(region, campaign_id: int) -> int:
    """A campaign's launch: its assessments and invitations, in chunks, then it opens."""
    return campaigns.run_launch(region=region, campaign_id=campaign_id)


def _each_region(task) -> int:
    """One task per region, each in its own scope: a region that fails is retried alone."""
    region_ids = list(Region.objects.values_list("pk", flat=True))
    for region_id in region_ids:
        task.delay(region_id=region_id)
    return len(region_ids)


@shared_task
def plan_reminders() -> int:
    """Daily (beat "assessment-reminders")."""
    return _each_region(send_reminders)


@shared_task(base=RegionTask)
def send_reminders(region) -> int:
    return campaigns.send_due_reminders(region=region)


@shared_task
def plan_digests() -> int:
    """Weekly (beat "assessment-campaign-digest")."""
    return _each_region(send_digests)


@shared_task(base=RegionTask)
def send_digests(region) -> int:
    return campaigns.send_digests(region=region)


@shared_task
def plan_closing() -> int:
    """Daily (beat "assessment-campaign-close"), just after midnight."""
    return _each_region(close_campaigns)


@shared_task(base=RegionTask)
def close_campaigns(region) -> int:
    return campaigns.close_due_campaigns(region=region)


@shared_task
def plan_schedule() -> int:
    """Daily (beat "assessment-annual-schedule"): the month's draft campaigns."""
    return _each_region(prepare_campaign)


@shared_task(base=RegionTask)
def prepare_campaign(region) -> bool:
    return campaigns.prepare_scheduled_campaign(region=region) is not None


@shared_task
def plan_stalled_launches() -> int:
    """Every few minutes (beat "assessment-stalled-launches"): a launch whose task was lost
    starts again; it skips what the first run did."""
    return _each_region(resume_launches)


@shared_task(base=RegionTask)
def resume_launches(region) -> int:
    campaign_ids = campaigns.stalled_launches(region=region)
    for campaign_id in campaign_ids:
        launch.delay(region_id=region.pk, campaign_id=campaign_id)
    return len(campaign_ids)


# -- reports ------------------------------------------------------------------------------------

@shared_task(base=RegionTask, soft_time_limit=120, time_limit=150)
def render_report(region, report_id: int) -> bool:
    """A PDF report of a city or of the region (assessments.services.reports); the limits
    are its SOFT_TIME_LIMIT and TIME_LIMIT."""
    from .services import reports

    report = reports.render_report(report_id=report_id)
    return report is not None and report.state == report.State.READY
