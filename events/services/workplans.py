"""Model-policy implementation support: workplan templates, a city's workplan per model policy
(goals, milestones with due dates and status, the person responsible), the experts advising
it, their comments, and the monthly follow-up (playbook, Appendix III: Model Policy
Implementation Support; 2-3 Operation III).

Who may do what: the secretariat (events.manage_workplans) keeps the templates and every
workplan of the region, its advisors included; a city contact (events.edit_own_workplans)
keeps their own city's workplans (goals, responsible person, status, milestones, monthly
entries), the city being the one whose contact is linked to their account; an expert
(events.advise_workplans) reads and comments on the workplans they advise; a Forum reviewer
(events.view_workplans) reads. Another city's workplan, to a contact or an expert who does not
advise it, is refused (403) as another city's page is; another region's is not found.

`milestones_total` and `milestones_done` are kept here, on every milestone change, so lists
and the dashboard sum progress without counting milestones."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError
from alliance.services import audit
from alliance.services.changes import locked, save_locked
from alliance.services.notifications import in_language_of, notify
from assessments.models import ModelPolicy
from cities.models import City, Contact
from experts.models import Expert
from experts.stages import WORKING

from ..models import (
    MilestoneStatus,
    Workplan,
    WorkplanComment,
    WorkplanMilestone,
    WorkplanProgress,
    WorkplanStatus,
    WorkplanTemplate,
)

VIEW = "events.view_workplans"
MANAGE = "events.manage_workplans"
EDIT_OWN = "events.edit_own_workplans"
ADVISE = "events.advise_workplans"

TEMPLATE_EDITABLE = ("title", "goals", "milestones", "is_active")
WORKPLAN_EDITABLE = ("goals", "responsible", "status")
MILESTONE_EDITABLE = ("title", "due_on", "status", "responsible")
PROGRESS_EDITABLE = ("summary", "next_steps")
MAX_AFTER_DAYS = 3650  # a template's milestone falls within ten years of the start
MAX_TEMPLATE_MILESTONES = 50
MAX_MILESTONES = 200
MONTHS_SHOWN = 6  # the months whose follow-up the workplan's page checks


# -- who may do what ------------------------------------------------------------------------

def manages(user, region) -> bool:
    return permissions.can(user, MANAGE, region=region)


def own_city_ids(user, region) -> frozenset[int]:
    """The cities of the region whose contact is linked to `user` (read once per request)."""
    if not permissions.can(user, EDIT_OWN, region=region):
        return frozenset()
    cache = user.__dict__.setdefault("_workplan_cities", {})
    if region.pk not in cache:
        cache[region.pk] = frozenset(Contact.objects.filter(region=region, user=user)
                                     .values_list("city_id", flat=True))
    return cache[region.pk]


def advises(user, workplan: Workplan) -> bool:
    """An expert whose record is linked to `user` is one of the workplan's advisors."""
    if not permissions.can(user, ADVISE, region=workplan.region):
        return False
    return Workplan.advisors.through.objects.filter(
        workplan_id=workplan.pk, expert__user=user).exists()


def may_edit(user, workplan: Workplan) -> bool:
    """The secretariat, or a contact of the workplan's own city."""
    return manages(user, workplan.region) or workplan.city_id in own_city_ids(user,
                                                                              workplan.region)


def may_comment(user, workplan: Workplan) -> bool:
    return manages(user, workplan.region) or advises(user, workplan)


def may_view(user, workplan: Workplan) -> bool:
    return (permissions.can(user, VIEW, region=workplan.region) or may_edit(user, workplan)
            or advises(user, workplan))


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("Your role does not allow this here."))


def visible_workplans(user, region):
    """The region's workplans `user` may read: all of them for the secretariat and reviewers;
    their own city's for a city contact; those they advise for an expert."""
    rows = Workplan.objects.filter(region=region)
    if permissions.can(user, VIEW, region=region):
        return rows
    return rows.filter(_own_filter(user, region))


def own_workplans(user, region):
    """The workplans that are a city contact's or an expert's own: their city's, those they
    advise (the secretariat has none of its own)."""
    return Workplan.objects.filter(region=region).filter(_own_filter(user, region))


def _own_filter(user, region) -> Q:
    where = Q(pk__in=[])
    cities = own_city_ids(user, region)
    if cities:
        where |= Q(city_id__in=cities)
    if permissions.can(user, ADVISE, region=region):
        where |= Q(pk__in=Workplan.advisors.through.objects.filter(
            expert__user=user, expert__region=region).values("workplan_id"))
    return where


def has_own(user, region) -> bool:
    """The person keeps or advises workplans (the navigation's "My workplans")."""
    return (permissions.can(user, EDIT_OWN, region=region)
            or permissions.can(user, ADVISE, region=region))


# -- choices --------------------------------------------------------------------------------

def adopted_policies():
    return ModelPolicy.objects.filter(status=ModelPolicy.Status.ADOPTED).order_by("title")


def city_choices(region):
    return City.objects.filter(region=region).order_by("name", "pk")


def advisor_choices(region):
    """Experts working with the region (confirmed or active)."""
    return Expert.objects.filter(region=region, stage__in=WORKING).order_by("name", "pk")


def offered_templates(region):
    return WorkplanTemplate.objects.filter(region=region, is_active=True).order_by("title", "pk")


def this_month(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()).replace(day=1)


def months_back(count: int, today: datetime.date | None = None) -> list[datetime.date]:
    """The first days of this month and the `count - 1` before it, newest first."""
    month = this_month(today)
    months = []
    for _n in range(count):
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return months


def missing_months(workplan: Workplan, entered: set[datetime.date],
                   today: datetime.date | None = None) -> list[datetime.date]:
    """Of the MONTHS_SHOWN months before this one since the workplan started, those with no
    entry (this month's entry is the form's to write)."""
    started = this_month(timezone.localtime(workplan.created_at).date())
    return [month for month in months_back(MONTHS_SHOWN + 1, today)[1:]
            if month >= started and month not in entered]


# -- templates ------------------------------------------------------------------------------

def clean_milestone_rows(rows) -> list[dict]:
    """A template's milestones as stored: [{"title", "after_days"}], in order of days."""
    if not isinstance(rows, list):
        raise DomainError(_("Give the milestones as a list of titles and days."),
                          field="milestones")
    cleaned = []
    for row in rows:
        if not isinstance(row, dict):
            raise DomainError(_("Each milestone needs a title and a number of days."),
                              field="milestones")
        title = str(row.get("title") or "").strip()
        days = row.get("after_days")
        if not title or len(title) > 200:
            raise DomainError(_("Each milestone needs a title (at most 200 characters)."),
                              field="milestones")
        if isinstance(days, bool) or not isinstance(days, int) or not (
                0 <= days <= MAX_AFTER_DAYS):
            raise DomainError(_("Days after the start must be a whole number from 0 to "
                                "%(max)s.") % {"max": MAX_AFTER_DAYS}, field="milestones")
        cleaned.append({"title": title, "after_days": days})
    if len(cleaned) > MAX_TEMPLATE_MILESTONES:
        raise DomainError(_("A template has at most %(max)s milestones.")
                          % {"max": MAX_TEMPLATE_MILESTONES}, field="milestones")
    return sorted(cleaned, key=lambda row: row["after_days"])


def create_template(*, actor, region, title: str, goals: str = "", milestones=(),
                    is_active: bool = True) -> WorkplanTemplate:
    _require(manages(actor, region))
    title = title.strip()
    if not title:
        raise DomainError(_("Give the template a title."), field="title")
    rows = clean_milestone_rows(list(milestones))
    with transaction.atomic():
        template = WorkplanTemplate.objects.create(region=region, title=title, goals=goals,
                                                   milestones=rows, is_active=is_active)
        audit.record(actor=actor, action="events.workplan_template.created", target=template,
                     region=region, title=title)
    return template


def update_template(*, actor, template: WorkplanTemplate, **changes) -> WorkplanTemplate:
    _require(manages(actor, template.region))
    if "milestones" in changes:
        changes["milestones"] = clean_milestone_rows(list(changes["milestones"]))
    if "title" in changes:
        changes["title"] = changes["title"].strip()
        if not changes["title"]:
            raise DomainError(_("Give the template a title."), field="title")
    with transaction.atomic():
        row = locked(template)
        save_locked(actor=actor, row=row, changes=changes, editable=TEMPLATE_EDITABLE,
                    action="events.workplan_template.changed")
    return row


# -- workplans ------------------------------------------------------------------------------

def create_workplan(*, actor, region, city: City, model_policy: ModelPolicy,
                    template: WorkplanTemplate | None = None, responsible: str = "",
                    goals: str = "", status: str = WorkplanStatus.ACTIVE,
                    today: datetime.date | None = None) -> Workplan:
    """A city's workplan for a model policy; from a template, its goals (unless given) and its
    milestones, each due its number of days after today."""
    _require(manages(actor, region))
    if city.region_id != region.pk:
        raise DomainError(_("Choose a city of this region."), field="city")
    if model_policy.status != ModelPolicy.Status.ADOPTED:
        raise DomainError(_("Choose a model policy of the Policy Roadmap."),
                          field="model_policy")
    if template is not None and template.region_id != region.pk:
        raise DomainError(_("Choose a template of this region."), field="template")
    if status not in WorkplanStatus.values:
        raise DomainError(_("Choose a status from the list."), field="status")
    start = today or timezone.localdate()
    rows = clean_milestone_rows(template.milestones) if template else []
    duplicate = DomainError(
        _("%(city)s already has a workplan for “%(policy)s”.")
        % {"city": city.name, "policy": model_policy.shown_title}, field="model_policy")
    with transaction.atomic():
        # Lock the city: two people may start its workplan for the same policy at once (the
        # unique constraint stands behind this where the lock cannot, as on SQLite).
        locked(city)
        if Workplan.objects.filter(city=city, model_policy=model_policy).exists():
            raise duplicate
        try:
            with transaction.atomic():
                workplan = Workplan.objects.create(
                    region=region, city=city, model_policy=model_policy, template=template,
                    goals=goals.strip() or (template.goals if template else ""),
                    responsible=responsible.strip(), status=status, created_by=actor,
                    milestones_total=len(rows))
        except IntegrityError:
            raise duplicate from None
        WorkplanMilestone.objects.bulk_create(
            WorkplanMilestone(region=region, workplan=workplan, position=index,
                              title=row["title"],
                              due_on=start + datetime.timedelta(days=row["after_days"]))
            for index, row in enumerate(rows))
        audit.record(actor=actor, action="events.workplan.created", target=workplan,
                     region=region, city=city.name, policy=model_policy.title,
                     template=template.title if template else "", milestones=len(rows))
    return workplan


def update_workplan(*, actor, workplan: Workplan, **changes) -> Workplan:
    _require(may_edit(actor, workplan))
    if "status" in changes and changes["status"] not in WorkplanStatus.values:
        raise DomainError(_("Choose a status from the list."), field="status")
    for field in ("goals", "responsible"):
        if field in changes:
            changes[field] = (changes[field] or "").strip()
    with transaction.atomic():
        row = locked(workplan, "region")
        saved = save_locked(actor=actor, row=row, changes=changes, editable=WORKPLAN_EDITABLE,
                            action="events.workplan.changed")
        if saved.changed:
            row.updated_at = timezone.now()
            row.save(update_fields=["updated_at"])
    return row


def set_advisors(*, actor, workplan: Workplan, advisors) -> Workplan:
    """The experts advising the workplan (the secretariat names them)."""
    _require(manages(actor, workplan.region))
    advisors = list(advisors)
    allowed = set(advisor_choices(workplan.region).filter(
        pk__in=[e.pk for e in advisors]).values_list("pk", flat=True))
    refused = [e.name for e in advisors if e.pk not in allowed]
    if refused:
        raise DomainError(_("Only confirmed or active experts of the region advise "
                            "workplans: %(names)s") % {"names": ", ".join(refused)},
                          field="advisors")
    with transaction.atomic():
        row = locked(workplan, "region", "city", "model_policy")
        before = {e.pk: e.name for e in row.advisors.all()}
        after = {e.pk: e.name for e in advisors}
        if before.keys() == after.keys():
            return row
        row.advisors.set(advisors)
        audit.record(actor=actor, action="events.workplan.advisors_set", target=row,
                     region=row.region,
                     added=", ".join(sorted(n for pk, n in after.items() if pk not in before)),
                     removed=", ".join(sorted(n for pk, n in before.items()
                                              if pk not in after)))
        _tell_advisors(row, [e.pk for e in advisors if e.pk not in before and e.user_id])
    return row


def workplan_url(workplan: Workplan) -> str:
    return reverse("workplan-detail", kwargs={"region_slug": workplan.region.slug,
                                              "workplan_id": workplan.pk})


def _tell_advisors(workplan: Workplan, expert_ids: list[int]) -> None:
    """An expert who signs in hears that they advise the workplan (once per workplan)."""
    if not expert_ids:
        return
    for expert in Expert.objects.filter(region=workplan.region,
                                        pk__in=expert_ids).select_related("user"):
        with in_language_of(expert.user, workplan.region):
            subject = _("You advise the workplan of %(city)s on “%(policy)s”") % {
                "city": workplan.city.name, "policy": workplan.model_policy.shown_title}
            body = _("Read its goals and milestones, and comment on them from its page.")
        notify(recipient=expert.user, key=f"workplan:{workplan.pk}:advisor:{expert.pk}",
               subject=subject, body=body, url=workplan_url(workplan), region=workplan.region)


def _recount(workplan: Workplan) -> None:
    """The workplan's milestone counts again (its row is locked by the caller)."""
    counts = WorkplanMilestone.objects.filter(region=workplan.region,
                                              workplan=workplan).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(status=MilestoneStatus.DONE)))
    workplan.milestones_total, workplan.milestones_done = counts["total"], counts["done"]
    workplan.updated_at = timezone.now()
    workplan.save(update_fields=["milestones_total", "milestones_done", "updated_at"])


def _clean_milestone(changes: dict) -> dict:
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
        if not changes["title"]:
            raise DomainError(_("Give the milestone a title."), field="title")
    if "responsible" in changes:
        changes["responsible"] = (changes["responsible"] or "").strip()
    if "status" in changes and changes["status"] not in MilestoneStatus.values:
        raise DomainError(_("Choose a status from the list."), field="status")
    return changes


def add_milestone(*, actor, workplan: Workplan, title: str, due_on=None,
                  status: str = MilestoneStatus.NOT_STARTED, responsible: str = ""
                  ) -> WorkplanMilestone:
    _require(may_edit(actor, workplan))
    data = _clean_milestone({"title": title, "status": status, "responsible": responsible})
    with transaction.atomic():
        row = locked(workplan, "region")
        if row.milestones_total >= MAX_MILESTONES:
            raise DomainError(_("A workplan has at most %(max)s milestones.")
                              % {"max": MAX_MILESTONES}, field="title")
        milestone = WorkplanMilestone.objects.create(
            region=row.region, workplan=row, position=row.milestones_total, due_on=due_on,
            done_at=timezone.now() if data["status"] == MilestoneStatus.DONE else None, **data)
        _recount(row)
        audit.record(actor=actor, action="events.workplan.milestone_added", target=row,
                     region=row.region, title=milestone.title)
    return milestone


def update_milestone(*, actor, milestone: WorkplanMilestone, **changes) -> WorkplanMilestone:
    workplan = milestone.workplan
    _require(may_edit(actor, workplan))
    changes = _clean_milestone(changes)
    with transaction.atomic():
        plan = locked(workplan, "region")
        row = locked(milestone)
        if "status" in changes and changes["status"] != row.status:
            row.done_at = timezone.now() if changes["status"] == MilestoneStatus.DONE else None
            row.save(update_fields=["done_at"])
        saved = save_locked(actor=actor, row=row, changes=changes,
                            editable=MILESTONE_EDITABLE,
                            action="events.workplan.milestone_changed", target=plan,
                            region=plan.region, milestone=row.title)
        if "status" in saved.changed:
            _recount(plan)
    return row


def delete_milestone(*, actor, milestone: WorkplanMilestone) -> None:
    workplan = milestone.workplan
    _require(may_edit(actor, workplan))
    with transaction.atomic():
        plan = locked(workplan, "region")
        title = milestone.title
        WorkplanMilestone.objects.filter(region=plan.region, pk=milestone.pk).delete()
        _recount(plan)
        audit.record(actor=actor, action="events.workplan.milestone_deleted", target=plan,
                     region=plan.region, title=title)


def add_comment(*, actor, workplan: Workplan, body: str) -> WorkplanComment:
    _require(may_comment(actor, workplan),
             _("Only the secretariat and the workplan's advisors comment on it."))
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write the comment."), field="body")
    with transaction.atomic():
        comment = WorkplanComment.objects.create(region=workplan.region, workplan=workplan,
                                                 author=actor, body=body)
        audit.record(actor=actor, action="events.workplan.commented", target=workplan,
                     region=workplan.region, comment=body[:200])
    return comment


def record_progress(*, actor, workplan: Workplan, summary: str, next_steps: str = "",
                    today: datetime.date | None = None) -> tuple[WorkplanProgress, bool]:
    """This month's follow-up: written once, then edited (never a second entry). Returns the
    entry and whether it is new."""
    _require(may_edit(actor, workplan))
    summary, next_steps = (summary or "").strip(), (next_steps or "").strip()
    if not summary:
        raise DomainError(_("Say what progressed this month."), field="summary")
    month = this_month(today)
    with transaction.atomic():
        plan = locked(workplan, "region")
        entry = (WorkplanProgress.objects.select_for_update()
                 .filter(region=plan.region, workplan=plan, month=month).first())
        if entry is None:
            entry = WorkplanProgress.objects.create(region=plan.region, workplan=plan,
                                                    month=month, summary=summary,
                                                    next_steps=next_steps, author=actor)
            audit.record(actor=actor, action="events.workplan.progress_recorded", target=plan,
                         region=plan.region, month=month.isoformat(), summary=summary[:200])
            return entry, True
        save_locked(actor=actor, row=entry, changes={"summary": summary,
                                                     "next_steps": next_steps},
                    editable=PROGRESS_EDITABLE, action="events.workplan.progress_changed",
                    target=plan, region=plan.region, month=month.isoformat())
    return entry, False
