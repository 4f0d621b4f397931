"""Reads of implementation support that the pages, the API and the dashboard share: workplans
with their next milestone and overdue count (subqueries, no milestone is loaded per row), the
list's totals, the region's figures, and support activities."""

from __future__ import annotations

import datetime

from django.db.models import (
    Avg,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from ..models import (
    MilestoneStatus,
    SupportActivity,
    Workplan,
    WorkplanMilestone,
    WorkplanStatus,
)

MOST_BEHIND_SHOWN = 5


def _open_milestones():
    return WorkplanMilestone.objects.filter(workplan=OuterRef("pk")).exclude(
        status=MilestoneStatus.DONE)


def _overdue(today: datetime.date):
    return _open_milestones().filter(due_on__lt=today)


def with_schedule(rows, today: datetime.date | None = None):
    """Workplans with `next_due` (the soonest open milestone's date and title) and `overdue`
    (how many open milestones are past due)."""
    today = today or timezone.localdate()
    soonest = _open_milestones().exclude(due_on=None).order_by("due_on", "position", "pk")
    overdue = (_overdue(today).order_by().values("workplan")
               .annotate(n=Count("pk")).values("n"))
    return rows.annotate(
        next_due=Subquery(soonest.values("due_on")[:1]),
        next_title=Subquery(soonest.values("title")[:1]),
        overdue=Coalesce(Subquery(overdue, output_field=IntegerField()), 0))


def workplan_rows(rows, today: datetime.date | None = None):
    """A page's workplans: the city, the model policy, the schedule."""
    return (with_schedule(rows, today).select_related("city", "model_policy")
            .only("city__name", "model_policy__title", "model_policy__translations", "status",
                  "milestones_total", "milestones_done", "responsible", "region_id",
                  "city_id", "model_policy_id")
            .order_by("city__name", "pk"))


def filter_workplans(rows, *, policy=None, status: str = "", q: str = "",
                     behind: bool = False, today: datetime.date | None = None):
    if policy is not None:
        rows = rows.filter(model_policy=policy)
    if status:
        rows = rows.filter(status=status)
    for word in q.split():
        rows = rows.filter(city__name__icontains=word)
    if behind:
        rows = rows.filter(Exists(_overdue(today or timezone.localdate())))
    return rows


def _progress():
    return ExpressionWrapper(
        Value(100.0) * F("milestones_done") / NullIf(F("milestones_total"), 0),
        output_field=FloatField())


def totals(rows, today: datetime.date | None = None) -> dict:
    """How many workplans, their average progress (of those with milestones), and how many
    milestones are overdue among them."""
    today = today or timezone.localdate()
    figures = rows.order_by().aggregate(workplans=Count("pk"), progress=Avg(_progress()))
    overdue = (WorkplanMilestone.objects.filter(workplan__in=rows.order_by().values("pk"),
                                                due_on__lt=today)
               .exclude(status=MilestoneStatus.DONE).count())
    return {"workplans": figures["workplans"],
            "progress": round(figures["progress"] or 0), "overdue": overdue}


def region_figures(region, today: datetime.date | None = None) -> dict:
    """The secretariat's dashboard: workplans under way, their average progress, milestones
    overdue, and the few most behind (most overdue milestones, then least progress)."""
    today = today or timezone.localdate()
    active = Workplan.objects.filter(region=region, status=WorkplanStatus.ACTIVE)
    figures = totals(active, today)
    behind = list(workplan_rows(active.filter(Exists(_overdue(today))), today)
                  .order_by("-overdue", "milestones_done", "city__name", "pk")[
                      :MOST_BEHIND_SHOWN])
    return {**figures, "behind": behind}


def activity_rows(region):
    return (SupportActivity.objects.filter(region=region)
            .select_related("city", "event", "workplan__model_policy")
            .only("city__name", "kind", "other_kind", "state", "planned_on", "created_at",
                  "event__title", "event__starts_at", "workplan__model_policy__title",
                  "workplan__model_policy__translations", "region_id", "city_id", "event_id",
                  "workplan_id")
            .order_by("-created_at", "-pk"))


def filter_activities(rows, *, state: str = "", kind: str = "", q: str = ""):
    if state:
        rows = rows.filter(state=state)
    if kind:
        rows = rows.filter(kind=kind)
    for word in q.split():
        rows = rows.filter(Q(city__name__icontains=word) | Q(other_kind__icontains=word)
                           | Q(description__icontains=word))
    return rows
