"""Implementation support in `make bench` (registered from events/bench.py): the region's
workplan list as its workplans grow (and filtered to those behind schedule), a workplan's page
with a dozen milestones and monthly entries as its comments and meetings grow, a city
contact's and an expert's own workplans, the support activities and the templates; and, under
every page, a workplan for every four member cities of a bench region."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from alliance.bench import Batch, Bench, BenchPage, add_background, in_region, owners_of, register
from alliance.models import Role
from assessments.models import ModelPolicy
from cities.models import City, Contact, Stage
from experts.models import Expert, Sector
from experts.models import Stage as ExpertStage

from .models import (
    AgendaItem,
    Event,
    EventKind,
    MilestoneStatus,
    SupportActivity,
    SupportKind,
    SupportState,
    Workplan,
    WorkplanComment,
    WorkplanMilestone,
    WorkplanProgress,
    WorkplanStatus,
    WorkplanTemplate,
)
from .services.workplans import months_back

_serial = itertools.count(1)  # keeps names unique across rounds
MILESTONES_EACH = 6
STATUSES = [MilestoneStatus.DONE, MilestoneStatus.DONE, MilestoneStatus.IN_PROGRESS,
            MilestoneStatus.NOT_STARTED, MilestoneStatus.BLOCKED, MilestoneStatus.NOT_STARTED]
PLAN_STATUSES = [WorkplanStatus.ACTIVE, WorkplanStatus.ACTIVE, WorkplanStatus.ACTIVE,
                 WorkplanStatus.DRAFT, WorkplanStatus.PAUSED, WorkplanStatus.COMPLETED]
KINDS = [k for k in SupportKind.values if k != SupportKind.OTHER]


def _policies() -> list[ModelPolicy]:
    """Adopted model policies (a few made for the bench when the roadmap has none)."""
    adopted = list(ModelPolicy.objects.filter(status=ModelPolicy.Status.ADOPTED)[:6])
    if adopted:
        return adopted
    return [ModelPolicy.objects.create(
        title=f"Bench model policy {n}", summary="A norm.", reference_title="Reference",
        reference_url="https://example.org/reference", status=ModelPolicy.Status.ADOPTED)
        for n in range(1, 4)]


def _workplans(region, cities: list[City], policies: list[ModelPolicy], *,
               milestones: int = MILESTONES_EACH) -> list[Workplan]:
    """A workplan per city (the policies in turn), each with milestones due around today in
    every status, its counts kept as the services keep them."""
    done = sum(1 for n in range(milestones) if STATUSES[n % len(STATUSES)] == "done")
    owner = (owners_of(region) or [None])[0]
    plans = Workplan.objects.bulk_create(
        Workplan(region=region, city=city, model_policy=policies[n % len(policies)],
                 goals="Adopt the model policy and report at a regular meeting.",
                 responsible="Smart city office", status=PLAN_STATUSES[n % len(PLAN_STATUSES)],
                 milestones_total=milestones, milestones_done=done, created_by=owner)
        for n, city in enumerate(cities))
    today = timezone.localdate()
    WorkplanMilestone.objects.bulk_create(
        WorkplanMilestone(region=region, workplan=plan, position=k, title=f"Step {k + 1}",
                          due_on=today + datetime.timedelta(days=30 * k - 60 + n % 20),
                          status=STATUSES[k % len(STATUSES)])
        for n, plan in enumerate(plans) for k in range(milestones))
    return plans


def add_region_workplans(batch: Batch) -> None:
    """A workplan for every four member cities, and a support activity for every other."""
    cities = [c for c in batch.added.get(City, []) if c.stage == Stage.MEMBER][::4]
    if not cities:
        return
    plans = _workplans(batch.region, cities, _policies())
    SupportActivity.objects.bulk_create(
        SupportActivity(region=batch.region, city_id=plan.city_id, workplan=plan,
                        kind=KINDS[n % len(KINDS)], state=SupportState.PLANNED)
        for n, plan in enumerate(plans[::2]))


add_background(add_region_workplans)


# -- the pages ------------------------------------------------------------------------------

def _cities(bench: Bench, count: int) -> list[City]:
    return City.objects.bulk_create(
        City(region=bench.region, name=f"Bench plan city {n}", country="JP",
             population=100_000, stage=Stage.MEMBER)
        for n in itertools.islice(_serial, count))


def add_workplans(bench: Bench, rows: int) -> None:
    _workplans(bench.region, _cities(bench, rows), _policies())


def a_workplan(bench: Bench) -> dict:
    """A workplan with a dozen milestones and a year of monthly entries, advised by an expert
    and shared at a meeting."""
    plan = _workplans(bench.region, _cities(bench, 1), _policies(), milestones=12)[0]
    WorkplanProgress.objects.bulk_create(
        WorkplanProgress(region=bench.region, workplan=plan, month=month,
                         summary="The working team met twice; the inventory grew.",
                         next_steps="Finish the inventory.")
        for month in months_back(12))
    plan.advisors.add(_expert(bench))
    bench.subject = plan
    return {**in_region(bench), "workplan_id": plan.pk}


def add_workplan_rows(bench: Bench, rows: int) -> None:
    """Comments and meetings that shared the workplan."""
    plan = bench.subject
    author = (owners_of(bench.region) or [None])[0]
    WorkplanComment.objects.bulk_create(
        WorkplanComment(region=bench.region, workplan=plan, author=author,
                        body="Start the consultation early.")
        for _n in range(rows))
    now = timezone.now()
    events = Event.objects.bulk_create(
        Event(region=bench.region, kind=EventKind.REGULAR_MEETING,
              title=f"Bench regular meeting {n}",
              starts_at=now - datetime.timedelta(days=30 * k),
              ends_at=now - datetime.timedelta(days=30 * k) + datetime.timedelta(hours=2))
        for k, n in enumerate(itertools.islice(_serial, rows)))
    AgendaItem.objects.bulk_create(
        AgendaItem(region=bench.region, event=event, title="Progress sharing", workplan=plan)
        for event in events)


def _expert(bench: Bench) -> Expert:
    """The bench expert's own record in the region (made once)."""
    user = bench.users[Role.EXPERT]
    expert = Expert.objects.filter(region=bench.region, user=user).first()
    if expert is None:
        expert = Expert.objects.create(region=bench.region, name="Bench advisor",
                                       sector=Sector.ACADEMIC, stage=ExpertStage.ACTIVE,
                                       user=user)
    return expert


def contacts_own(bench: Bench) -> dict:
    """The bench city contact speaks for a city with a workplan."""
    add_own_for_contact(bench, 1)
    return in_region(bench)


def add_own_for_contact(bench: Bench, rows: int) -> None:
    cities = _cities(bench, rows)
    user = bench.users[Role.CITY_CONTACT]
    Contact.objects.bulk_create(
        Contact(region=bench.region, city=city, name="City official", user=user,
                email=user.email) for city in cities)
    _workplans(bench.region, cities, _policies())


def experts_own(bench: Bench) -> dict:
    add_own_for_expert(bench, 1)
    return in_region(bench)


def add_own_for_expert(bench: Bench, rows: int) -> None:
    plans = _workplans(bench.region, _cities(bench, rows), _policies())
    expert = _expert(bench)
    Workplan.advisors.through.objects.bulk_create(
        Workplan.advisors.through(workplan_id=plan.pk, expert_id=expert.pk) for plan in plans)


def add_activities(bench: Bench, rows: int) -> None:
    plans = _workplans(bench.region, _cities(bench, rows), _policies(), milestones=1)
    SupportActivity.objects.bulk_create(
        SupportActivity(region=bench.region, city_id=plan.city_id, workplan=plan,
                        kind=SupportKind.OTHER if n % 5 == 0 else KINDS[n % len(KINDS)],
                        other_kind="Facilitating a citizens' assembly" if n % 5 == 0 else "",
                        state=SupportState.AWAITING_APPROVAL if n % 5 == 0
                        else SupportState.PLANNED,
                        planned_on=timezone.localdate() + datetime.timedelta(days=n % 60))
        for n, plan in enumerate(plans))


def add_templates(bench: Bench, rows: int) -> None:
    WorkplanTemplate.objects.bulk_create(
        WorkplanTemplate(region=bench.region, title=f"Bench template {n}",
                         milestones=[{"title": f"Step {k}", "after_days": 30 * k}
                                     for k in range(8)])
        for n in itertools.islice(_serial, rows))


def register_pages() -> None:
    rs = Role.REGIONAL_SECRETARIAT
    register(
        BenchPage("workplan-list", rs, grow=add_workplans),
        BenchPage("workplan-list", rs, grow=add_workplans, query="behind=on&q=city"),
        BenchPage("workplan-detail", rs, a_workplan, add_workplan_rows),
        BenchPage("workplan-detail", Role.EXPERT, a_workplan, add_workplan_rows),
        BenchPage("own-workplans", Role.CITY_CONTACT, contacts_own, add_own_for_contact),
        BenchPage("own-workplans", Role.EXPERT, experts_own, add_own_for_expert),
        BenchPage("support-activity-list", rs, grow=add_activities),
        BenchPage("workplan-template-list", rs, grow=add_templates),
    )
