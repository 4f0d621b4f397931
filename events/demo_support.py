"""Demo implementation support: in every region a workplan template, and workplans for a few
member cities (and the demo city official's city) started some months ago, with milestones done,
under way and overdue; the demo expert (else a confirmed expert) advising the first, comments,
monthly follow-ups, and support activities (a workshop planned, one of another kind waiting for
the Global Secretariat). Safe to run again: a template, workplan or activity already there is
left as it is.

Call inside the region's scope: `seed(region, secretariat_user)`."""

from __future__ import annotations

import datetime

from django.utils import timezone

from alliance.demo import USERS
from alliance.models import Role
from cities.demo import CITY_OFFICIALS
from cities.models import City, Stage
from experts.models import Expert
from experts.stages import WORKING

from .models import MilestoneStatus, SupportActivity, SupportKind, Workplan, WorkplanProgress
from .services import support, workplans

DEMO_EXPERT = next(email for email, _name, role, _region in USERS if role == Role.EXPERT)
TEMPLATE_TITLE = "Model policy implementation: first year"
TEMPLATE_GOALS = ("Adopt the model policy by council decision, name the department that keeps "
                  "it, and report the first results at a regular meeting.")
MILESTONES = [("Name the responsible department", 14), ("Map the current rules and data", 45),
              ("Draft the local version of the policy", 100),
              ("Consult the departments concerned", 150), ("Council adoption", 210),
              ("Share the first results at a regular meeting", 300)]
WORKPLANS_PER_REGION = 3
STARTED_DAYS_AGO = 160
# Per workplan, by position: how many milestones are done, and whether the next is under way.
PROGRESS = [(3, True), (1, False), (2, True), (0, True)]


def seed(region, secretariat) -> None:
    policies = list(workplans.adopted_policies()[:2])
    if not policies:
        return
    template = _template(region, secretariat)
    cities = _cities(region)
    started = timezone.localdate() - datetime.timedelta(days=STARTED_DAYS_AGO)
    expert = _advisor(region)
    for index, city in enumerate(cities):
        policy = policies[index % len(policies)]
        if Workplan.objects.filter(city=city, model_policy=policy).exists():
            continue
        plan = workplans.create_workplan(
            actor=secretariat, region=region, city=city, model_policy=policy,
            template=template, responsible=f"Smart city office, {city.name}", today=started)
        _progress(secretariat, plan, *PROGRESS[index % len(PROGRESS)])
        if index == 0 and expert is not None:
            workplans.set_advisors(actor=secretariat, workplan=plan, advisors=[expert])
            if expert.user_id:
                workplans.add_comment(actor=expert.user, workplan=plan, body=(
                    "Start the consultation early: the legal department needs the draft a "
                    "month before the council."))
        workplans.add_comment(actor=secretariat, workplan=plan, body=(
            "Two other member cities adopted this policy last year; we can introduce them "
            "at the next regular meeting."))
        _entries(secretariat, plan, started)
    _activities(region, secretariat)


def _template(region, secretariat):
    from .models import WorkplanTemplate

    template = WorkplanTemplate.objects.filter(region=region, title=TEMPLATE_TITLE).first()
    if template is None:
        template = workplans.create_template(
            actor=secretariat, region=region, title=TEMPLATE_TITLE, goals=TEMPLATE_GOALS,
            milestones=[{"title": title, "after_days": days} for title, days in MILESTONES])
    return template


def _cities(region) -> list[City]:
    """The member cities first, then those committed to join (they start their workplans
    while joining), and the demo city official's city."""
    members = list(City.objects.filter(region=region, stage__in=(Stage.MEMBER,
                                                                 Stage.COMMITTED))
                   .order_by("-stage", "name")[:WORKPLANS_PER_REGION])
    official = CITY_OFFICIALS.get(region.slug)
    if official:
        city = City.objects.filter(region=region, name=official[0]).first()
        if city is not None and city not in members:
            members.append(city)
    return members


def _advisor(region) -> Expert | None:
    experts = Expert.objects.filter(region=region, stage__in=WORKING)
    return (experts.filter(user__email=DEMO_EXPERT).first()
            or experts.order_by("name").first())


def _progress(actor, plan: Workplan, done: int, under_way: bool) -> None:
    milestones = list(plan.milestones.order_by("position"))
    for milestone in milestones[:done]:
        workplans.update_milestone(actor=actor, milestone=milestone,
                                   status=MilestoneStatus.DONE)
    if under_way and len(milestones) > done:
        workplans.update_milestone(actor=actor, milestone=milestones[done],
                                   status=MilestoneStatus.IN_PROGRESS)


def _entries(actor, plan: Workplan, started: datetime.date) -> None:
    """Follow-ups for the past months but the last one (so the page shows a gap), and this
    month's."""
    months = [m for m in workplans.months_back(workplans.MONTHS_SHOWN)
              if m >= started.replace(day=1)]
    for month in months[2:]:
        WorkplanProgress.objects.get_or_create(
            region=plan.region, workplan=plan, month=month,
            defaults={"summary": "The working team met twice; the inventory of rules grew.",
                      "next_steps": "Finish the inventory.", "author": actor})
    workplans.record_progress(actor=actor, workplan=plan,
                              summary="The draft went to the legal department.",
                              next_steps="Prepare the consultation.")


def _activities(region, secretariat) -> None:
    if SupportActivity.objects.filter(region=region).exists():
        return
    plan = Workplan.objects.filter(region=region).select_related("city").order_by("pk").first()
    if plan is None:
        return
    support.create_activity(
        actor=secretariat, region=region, city=plan.city, workplan=plan,
        kind=SupportKind.WORKSHOP, planned_on=timezone.localdate() + datetime.timedelta(days=20),
        description="A half-day workshop on the model policy with the city's departments.")
    support.create_activity(
        actor=secretariat, region=region, city=plan.city, workplan=plan,
        kind=SupportKind.WORKPLAN_FEEDBACK,
        description="The advising expert reviews the draft before the consultation.")
    support.create_activity(
        actor=secretariat, region=region, city=plan.city, kind=SupportKind.OTHER,
        other_kind="Facilitating a citizens' assembly on the policy",
        description="The city asks the secretariat to facilitate two evenings with residents.")
