"""Celery tasks of the assessment app: thin, idempotent, each calling a service."""

from celery import shared_task

from alliance.tenancy import RegionTask


# -- reports ------------------------------------------------------------------------------------

@shared_task(base=RegionTask, soft_time_limit=120, time_limit=150)
def render_report(region, report_id: int) -> bool:
    """A PDF report of a city or of the region (assessments.services.reports); the limits
    are its SOFT_TIME_LIMIT and TIME_LIMIT."""
    from .services import reports

    report = reports.render_report(report_id=report_id)
    return report is not None and report.state == report.State.READY
