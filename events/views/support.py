"""Implementation support pages (/r/<region>/support/): the region's workplans and their
templates, a workplan's page (goals, milestones, advisors, comments, monthly follow-ups,
agenda items that shared it, support activities), the workplans that are a city contact's or
an expert's own, and support activities with the Global Secretariat's approval of another
kind. Who may do what is asked of events.services.workplans (the services ask again)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance import permissions
from alliance.navigation import AreaItem, area_menu
from alliance.pagination import PER_PAGE, CountedPaginator, paginate
from alliance.templatetags.formats import day, number, when
from alliance.views import (
    history,
    refused,
    refused_as_message,
    refused_into,
    requires,
    url_prefix,
)

from ..forms.support import (
    ActivityEditForm,
    ActivityFilterForm,
    ActivityForm,
    AdvisorForm,
    CommentForm,
    MilestoneForm,
    MilestoneRows,
    MilestoneStatusForm,
    ProgressForm,
    TemplateForm,
    WorkplanCreateForm,
    WorkplanFilterForm,
    WorkplanForm,
    milestone_rows,
)
from ..models import (
    AgendaItem,
    MilestoneStatus,
    SupportActivity,
    SupportKind,
    SupportState,
    Workplan,
    WorkplanComment,
    WorkplanMilestone,
    WorkplanProgress,
    WorkplanTemplate,
)
from ..queries import support as queries
from ..services import support, workplans
from ..services.support import NOT_CONDUCTED

VIEW, MANAGE = workplans.VIEW, workplans.MANAGE
MANAGE_SUPPORT = support.MANAGE
COMMENTS_SHOWN = 20
ENTRIES_SHOWN = 12
SHARED_SHOWN = 10
ACTIVITIES_SHOWN = 10
MILESTONES_SHOWN = workplans.MAX_MILESTONES
WORKPLAN_COLUMNS = tuple(f.name for f in Workplan._meta.concrete_fields)


MENU = [
    AreaItem(gettext_lazy("Workplans"), "workplan-list", VIEW,
             ("workplan-create", "workplan-detail", "workplan-edit", "milestone-create",
              "milestone-edit")),
    AreaItem(gettext_lazy("My workplans"), "own-workplans", workplans.has_own),
    AreaItem(gettext_lazy("Workplan templates"), "workplan-template-list", MANAGE,
             ("workplan-template-",)),
    AreaItem(gettext_lazy("Support activities"), "support-activity-list", MANAGE_SUPPORT,
             ("support-activity-",)),
]


def _page(request, template: str, context: dict):
    menu = area_menu(request, MENU, label=_("Implementation support"))
    return render(request, template, {**context, "support_menu": menu})


def _posted(request):
    return request.POST if request.method == "POST" else None


def _workplan(request, workplan_id) -> Workplan:
    """The region's workplan (404 otherwise) for someone who may read it (403 otherwise)."""
    workplan = get_object_or_404(
        Workplan.objects.filter(region=request.region)
        .select_related("city", "model_policy", "template")
        .only(*WORKPLAN_COLUMNS, "city__name", "city__region_id", "model_policy__title",
              "model_policy__translations", "model_policy__status", "template__title"),
        pk=workplan_id)
    workplan.region = request.region
    if not workplans.may_view(request.user, workplan):
        raise PermissionDenied
    return workplan


def _editable(request, workplan_id) -> Workplan:
    workplan = _workplan(request, workplan_id)
    if not workplans.may_edit(request.user, workplan):
        raise PermissionDenied
    return workplan


def _to_workplan(workplan: Workplan, anchor: str = ""):
    url = reverse("workplan-detail", kwargs={"region_slug": workplan.region.slug,
                                             "workplan_id": workplan.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


# -- templates ------------------------------------------------------------------------------

@requires(MANAGE)
def template_list(request, region_slug):
    rows = WorkplanTemplate.objects.filter(region=request.region).order_by("-is_active",
                                                                          "title", "pk")
    return _page(request, "events/support/template_list.html",
                  {"page_obj": paginate(request, rows)})


def _template_form(request, template: WorkplanTemplate | None):
    initial = ({"title": template.title, "goals": template.goals,
                "is_active": template.is_active} if template else {"is_active": True})
    form = TemplateForm(_posted(request), initial=initial)
    rows = MilestoneRows(_posted(request), prefix="milestones",
                         initial=template.milestones if template else None)
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        with refused_into(form):
            data = {**form.cleaned_data, "milestones": milestone_rows(rows)}
            if template is None:
                template = workplans.create_template(actor=request.user, region=request.region,
                                                     **data)
                messages.success(request, _("Template created."))
            else:
                workplans.update_template(actor=request.user, template=template, **data)
                messages.success(request, _("Template saved."))
            return redirect("workplan-template-list", region_slug=request.region.slug)
    return _page(request, "events/support/template_form.html", {
        "form": form, "rows": rows, "template": template,
        "history": history(request, template) if template else None})


@requires(MANAGE)
def template_create(request, region_slug):
    return _template_form(request, None)


@requires(MANAGE)
def template_edit(request, region_slug, workplan_template_id):
    template = get_object_or_404(WorkplanTemplate.objects.filter(region=request.region),
                                 pk=workplan_template_id)
    return _template_form(request, template)


# -- lists ----------------------------------------------------------------------------------

ROW = ('<tr><td><a href="{url}{pk}/">{city}</a></td><td>{policy}</td>'
       '<td><span class="state state-{status}">{status_label}</span></td>'
       '<td><progress class="meter" max="100" value="{percent}" aria-label="{progress_label}">'
       '</progress> <span class="small">{share}</span></td><td>{next}</td></tr>')


def workplan_lines(rows, *, region_slug: str, today) -> str:
    """The workplans' table rows, written once per page (a `{% url %}` and three filters per
    row cost more through the template engine than the rest of the page)."""
    url = url_prefix("workplan-detail", "workplan_id", region_slug=region_slug)
    words = {"share": _("%(done)s of %(total)s milestones done (%(percent)s%%)"),
             "progress": _("Progress"), "overdue": _("%(count)s overdue"),
             "none": _("No milestone")}
    lines = []
    for plan in rows:
        percent = plan.progress_percent
        if plan.next_due:
            next_due = escape(f"{day(plan.next_due)} · {plan.next_title}")
            if plan.next_due < today:
                next_due += format_html(' <span class="state tone-danger">{}</span>',
                                        words["overdue"] % {"count": plan.overdue})
        else:
            next_due = "—"
        lines.append(ROW.format(
            url=url, pk=plan.pk, city=escape(plan.city.name),
            policy=escape(plan.model_policy.shown_title), status=escape(plan.status),
            status_label=escape(plan.status_label), percent=percent,
            progress_label=escape(words["progress"]),
            share=escape(words["share"] % {"done": plan.milestones_done,
                                           "total": plan.milestones_total,
                                           "percent": percent})
            if plan.milestones_total else escape(words["none"]),
            next=next_due))
    return mark_safe("".join(lines))


@requires(VIEW)
def workplan_list(request, region_slug):
    filters = WorkplanFilterForm(request.GET or None)
    rows = Workplan.objects.filter(region=request.region)
    today = timezone.localdate()
    if filters.is_valid():
        data = filters.cleaned_data
        rows = queries.filter_workplans(rows, policy=data["policy"], status=data["status"],
                                        q=data["q"], behind=data["behind"], today=today)
    elif filters.is_bound:
        rows = rows.none()
    totals = queries.totals(rows, today)
    page = CountedPaginator(queries.workplan_rows(rows, today), PER_PAGE,
                            known_count=totals["workplans"]).get_page(request.GET.get("page"))
    return _page(request, "events/support/workplan_list.html", {
        "filters": filters, "page_obj": page, "totals": totals,
        "rows": workplan_lines(page.object_list, region_slug=region_slug, today=today),
        "manages": workplans.manages(request.user, request.region),
        "query": request.GET.urlencode()})


@requires("alliance.view_region")
def own_workplans(request, region_slug):
    """A city contact's city's workplans, an expert's advised ones."""
    if not workplans.has_own(request.user, request.region):
        raise PermissionDenied
    today = timezone.localdate()
    rows = workplans.own_workplans(request.user, request.region)
    page = paginate(request, queries.workplan_rows(rows, today))
    return _page(request, "events/support/own_workplans.html", {
        "page_obj": page,
        "rows": workplan_lines(page.object_list, region_slug=region_slug, today=today),
        "edits": permissions.can(request.user, workplans.EDIT_OWN, region=request.region)})


@requires(MANAGE)
def workplan_create(request, region_slug):
    form = WorkplanCreateForm(_posted(request), region=request.region)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            workplan = workplans.create_workplan(actor=request.user, region=request.region,
                                                 **form.cleaned_data)
            messages.success(request, _("Workplan created."))
            return _to_workplan(workplan)
    return _page(request, "events/support/workplan_form.html", {"form": form,
                                                                  "workplan": None})


def workplan_edit(request, region_slug, workplan_id):
    workplan = _editable(request, workplan_id)
    form = WorkplanForm(_posted(request), initial={
        field: getattr(workplan, field) for field in workplans.WORKPLAN_EDITABLE})
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            workplans.update_workplan(actor=request.user, workplan=workplan,
                                      **form.cleaned_data)
            messages.success(request, _("Workplan saved."))
            return _to_workplan(workplan)
    return _page(request, "events/support/workplan_form.html", {"form": form,
                                                                  "workplan": workplan})


# -- a workplan's page ----------------------------------------------------------------------

def workplan_detail(request, region_slug, workplan_id):
    workplan = _workplan(request, workplan_id)
    user, region = request.user, request.region
    may_edit = workplans.may_edit(user, workplan)
    manages = workplans.manages(user, region)
    may_comment = manages or workplans.advises(user, workplan)
    may_support = permissions.can(user, MANAGE_SUPPORT, region=region)
    today = timezone.localdate()
    month = workplans.this_month(today)
    entries = list(WorkplanProgress.objects.filter(region=region, workplan=workplan)
                   .values("month", "summary", "next_steps", "author__full_name",
                           "author__email")[:ENTRIES_SHOWN])
    current = next((e for e in entries if e["month"] == month), None)
    milestones = list(WorkplanMilestone.objects.filter(region=region, workplan=workplan)
                      [:MILESTONES_SHOWN])
    milestone_url = url_prefix("milestone-edit", "milestone_id", region_slug=region_slug,
                               workplan_id=workplan.pk)
    context = {
        "workplan": workplan, "may_edit": may_edit, "manages": manages,
        "may_comment": may_comment, "milestones": milestones,
        "milestone_rows": milestone_lines(request, milestones, url=milestone_url,
                                          may_edit=may_edit, today=today),
        "milestone_form": MilestoneForm(auto_id="new_milestone_%s",
                                        initial={"status": MilestoneStatus.NOT_STARTED})
        if may_edit else None,
        "advisors": list(workplan.advisors.order_by("name").only("name", "organization")),
        "advisor_form": AdvisorForm(region=region) if manages else None,
        "comments": comment_lines(list(
            WorkplanComment.objects.filter(region=region, workplan=workplan)
            .values("body", "created_at", "author__full_name", "author__email")
            [:COMMENTS_SHOWN])),
        "comment_form": CommentForm() if may_comment else None,
        "entries": entry_lines(entries), "this_month": month_name(month),
        "current_entry": current,
        "progress_form": ProgressForm(initial={
            "summary": current["summary"], "next_steps": current["next_steps"]}
            if current else None) if may_edit else None,
        "missing": [month_name(m) for m in workplans.missing_months(
            workplan, {e["month"] for e in entries}, today)],
        "shared": _shared(request, workplan),
        "activities": _activities(request, workplan),
        "may_support": may_support,
        "support_url": reverse("support-activity-create", kwargs={"region_slug": region_slug})
        + f"?workplan={workplan.pk}" if may_support else "",
        "share": progress_share(workplan),
        "history": history(request, workplan),
    }
    return _page(request, "events/support/workplan_detail.html", context)


COMMENT = ('<li class="mb-3"><p class="mb-1">{body}</p>'
           '<small class="text-body-secondary">{author} · {when}</small></li>')
ENTRY = ('<li class="mb-3"><h3 class="h6">{month} <small class="text-body-secondary">· {author}'
         '</small></h3><p class="mb-1">{summary}</p>{next}</li>')


def _author(row: dict) -> str:
    return escape(row["author__full_name"] or row["author__email"] or "—")


def comment_lines(comments: list[dict]) -> str:
    """The comments' list items, written once per page (a few filters each through the
    template engine cost more than the rest of the page)."""
    return mark_safe("".join(COMMENT.format(
        body=linebreaksbr(comment["body"]), author=_author(comment),
        when=escape(when(comment["created_at"]))) for comment in comments))


def entry_lines(entries: list[dict]) -> str:
    """The monthly follow-ups' list items, written once per page."""
    label = escape(_("Next steps:"))
    return mark_safe("".join(ENTRY.format(
        month=escape(month_name(entry["month"])), author=_author(entry),
        summary=linebreaksbr(entry["summary"]),
        next=f'<p class="mb-0 text-body-secondary">{label} '
             f'{linebreaksbr(entry["next_steps"])}</p>' if entry["next_steps"] else "")
        for entry in entries))


def month_name(month) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def _shared(request, workplan: Workplan) -> list[dict]:
    """The agenda items that put the workplan on an event's agenda (progress sharing)."""
    items = (AgendaItem.objects.filter(region=request.region, workplan=workplan)
             .select_related("event").only("title", "event__title", "event__starts_at")
             .order_by("-event__starts_at", "pk")[:SHARED_SHOWN])
    linked = permissions.can(request.user, "events.view", region=request.region)
    url = url_prefix("event-detail", "event_id", region_slug=request.region.slug) if linked \
        else ""
    return [{"item": item, "event": item.event,
             "url": f"{url}{item.event_id}/" if linked else ""} for item in items]


def _activities(request, workplan: Workplan) -> list:
    if not permissions.can(request.user, MANAGE_SUPPORT, region=request.region):
        return []
    return list(SupportActivity.objects.filter(region=request.region, workplan=workplan)
                .only("kind", "other_kind", "state", "planned_on")[:ACTIVITIES_SHOWN])


@require_POST
def workplan_advisors(request, region_slug, workplan_id):
    """Add the expert chosen (`expert`) or remove one (`remove`: an expert's id)."""
    workplan = _workplan(request, workplan_id)
    if not workplans.manages(request.user, request.region):
        raise PermissionDenied
    current = list(workplan.advisors.all())
    remove = request.POST.get("remove", "")
    if remove:
        advisors = [e for e in current if str(e.pk) != remove]
        with refused_as_message(request):
            workplans.set_advisors(actor=request.user, workplan=workplan, advisors=advisors)
            messages.success(request, _("Advisor removed."))
        return _to_workplan(workplan, "advisors")
    form = AdvisorForm(request.POST, region=request.region)
    if form.is_valid():
        expert = form.cleaned_data["expert"]
        with refused_as_message(request):
            workplans.set_advisors(actor=request.user, workplan=workplan,
                                   advisors=[*current, expert])
            messages.success(request, _("%(name)s advises the workplan.") % {
                "name": expert.name})
    else:
        messages.error(request, " ".join(form.errors.get("expert", [])))
    return _to_workplan(workplan, "advisors")


@require_POST
def workplan_comment(request, region_slug, workplan_id):
    workplan = _workplan(request, workplan_id)
    if not workplans.may_comment(request.user, workplan):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        with refused_as_message(request):
            workplans.add_comment(actor=request.user, workplan=workplan,
                                  body=form.cleaned_data["body"])
            messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("Write the comment (at most 5,000 characters)."))
    return _to_workplan(workplan, "comments")


@require_POST
def workplan_progress(request, region_slug, workplan_id):
    workplan = _editable(request, workplan_id)
    form = ProgressForm(request.POST)
    if form.is_valid():
        with refused_as_message(request):
            _entry, created = workplans.record_progress(actor=request.user, workplan=workplan,
                                                        **form.cleaned_data)
            messages.success(request, _("This month's follow-up saved.") if created
                             else _("This month's follow-up updated."))
    else:
        messages.error(request, _("Say what progressed this month (at most 5,000 "
                                  "characters)."))
    return _to_workplan(workplan, "follow-up")


# -- milestones -----------------------------------------------------------------------------

MILESTONE_ROW = ('<tr id="milestone-{pk}"><td>{title}{responsible}</td><td>{due}{overdue}</td>'
                 '<td>{status}</td></tr>')
STATUS_FORM = (
    '<form method="post" action="{url}{pk}/status/" hx-post="{url}{pk}/status/" '
    'hx-target="closest tr" hx-swap="outerHTML" '
    'class="d-flex flex-wrap gap-2 align-items-center">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
    '<label class="visually-hidden" for="milestone-status-{pk}">{label}</label>'
    '<select class="form-select form-select-sm w-auto" name="status" '
    'id="milestone-status-{pk}">{options}</select>'
    '<button type="submit" class="btn btn-sm btn-outline-secondary">{save}'
    '<span class="visually-hidden"> {title}</span></button>{error}</form>')


def milestone_lines(request, milestones, *, url: str, may_edit: bool, today,
                    error: str = "") -> str:
    """The milestones' table rows, written once per page: a status form per row through the
    template engine costs more than the rest of the page."""
    words = {"overdue": escape(_("Overdue")), "save": escape(_("Save")),
             "status_of": _("Status of %(title)s")}
    token = get_token(request) if may_edit else ""
    choices = [(value, escape(label)) for value, label in MilestoneStatus.choices]
    lines = []
    for milestone in milestones:
        title = escape(milestone.title)
        overdue = (milestone.due_on is not None and milestone.due_on < today
                   and milestone.status != MilestoneStatus.DONE)
        if may_edit:
            options = "".join(
                f'<option value="{value}"{" selected" if value == milestone.status else ""}>'
                f'{label}</option>' for value, label in choices)
            status = STATUS_FORM.format(
                url=url, pk=milestone.pk, token=token, options=options, save=words["save"],
                title=title, label=escape(words["status_of"] % {"title": milestone.title}),
                error=f'<span class="text-danger small" role="alert">{escape(error)}</span>'
                if error else "")
            shown = f'<a href="{url}{milestone.pk}/">{title}</a>'
        else:
            status = (f'<span class="state state-{escape(milestone.status)}">'
                      f'{escape(milestone.status_label)}</span>')
            shown = title
        lines.append(MILESTONE_ROW.format(
            pk=milestone.pk, title=shown,
            responsible=f'<br><small class="text-body-secondary">'
                        f'{escape(milestone.responsible)}</small>'
            if milestone.responsible else "",
            due=day(milestone.due_on) if milestone.due_on else "—",
            overdue=f' <span class="state tone-danger">{words["overdue"]}</span>'
            if overdue else "",
            status=status))
    return mark_safe("".join(lines))


def _milestone(request, workplan: Workplan, milestone_id) -> WorkplanMilestone:
    milestone = get_object_or_404(
        WorkplanMilestone.objects.filter(region=request.region, workplan=workplan),
        pk=milestone_id)
    milestone.workplan = workplan
    return milestone


def milestone_create(request, region_slug, workplan_id):
    workplan = _editable(request, workplan_id)
    form = MilestoneForm(_posted(request), initial={"status": MilestoneStatus.NOT_STARTED})
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            workplans.add_milestone(actor=request.user, workplan=workplan, **form.cleaned_data)
            messages.success(request, _("Milestone added."))
            return _to_workplan(workplan, "milestones")
    return _page(request, "events/support/milestone_form.html", {
        "form": form, "workplan": workplan, "milestone": None})


def milestone_edit(request, region_slug, workplan_id, milestone_id):
    workplan = _editable(request, workplan_id)
    milestone = _milestone(request, workplan, milestone_id)
    form = MilestoneForm(_posted(request), initial={
        field: getattr(milestone, field) for field in workplans.MILESTONE_EDITABLE})
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            workplans.update_milestone(actor=request.user, milestone=milestone,
                                       **form.cleaned_data)
            messages.success(request, _("Milestone saved."))
            return _to_workplan(workplan, "milestones")
    return _page(request, "events/support/milestone_form.html", {
        "form": form, "workplan": workplan, "milestone": milestone})


@require_POST
def milestone_status(request, region_slug, workplan_id, milestone_id):
    """The status changed in the milestones' table: htmx gets the row and the progress back,
    a browser without JavaScript the page."""
    workplan = _editable(request, workplan_id)
    milestone = _milestone(request, workplan, milestone_id)
    form = MilestoneStatusForm(request.POST)
    error = _("Choose a status from the list.")
    if form.is_valid():
        error = ""
        with refused() as refusal:
            milestone = workplans.update_milestone(actor=request.user, milestone=milestone,
                                                   status=form.cleaned_data["status"])
        if refusal:
            error = refusal.error.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Milestone status saved."))
        return _to_workplan(workplan, "milestones")
    workplan.refresh_from_db(fields=["milestones_total", "milestones_done"])
    if error:
        milestone.refresh_from_db(fields=["status"])
    row = milestone_lines(request, [milestone], may_edit=True, today=timezone.localdate(),
                          error=error, url=url_prefix("milestone-edit", "milestone_id",
                                                      region_slug=region_slug,
                                                      workplan_id=workplan.pk))
    return render(request, "events/support/_milestone_status.html", {"workplan": workplan,
                                                                     "row": row})


@require_POST
def milestone_delete(request, region_slug, workplan_id, milestone_id):
    workplan = _editable(request, workplan_id)
    milestone = _milestone(request, workplan, milestone_id)
    with refused_as_message(request):
        workplans.delete_milestone(actor=request.user, milestone=milestone)
        messages.success(request, _("Milestone deleted."))
    return _to_workplan(workplan, "milestones")


# -- support activities ---------------------------------------------------------------------

ACTIVITY_ROW = ('<tr><td><a href="{url}{pk}/">{kind}</a></td><td>{city}</td>'
                '<td><span class="state state-{state}">{state_label}</span></td>'
                '<td>{planned}</td><td>{event}</td><td>{policy}</td></tr>')


def activity_lines(rows, *, region_slug: str) -> str:
    url = url_prefix("support-activity-detail", "activity_id", region_slug=region_slug)
    lines = []
    for activity in rows:
        lines.append(ACTIVITY_ROW.format(
            url=url, pk=activity.pk, kind=escape(str(activity)), city=escape(activity.city.name),
            state=escape(activity.state), state_label=escape(activity.state_label),
            planned=day(activity.planned_on) if activity.planned_on else "—",
            event=escape(activity.event.title) if activity.event_id else "—",
            policy=escape(activity.workplan.model_policy.shown_title)
            if activity.workplan_id else "—"))
    return mark_safe("".join(lines))


@requires(MANAGE_SUPPORT)
def activity_list(request, region_slug):
    filters = ActivityFilterForm(request.GET or None)
    rows = queries.activity_rows(request.region)
    if filters.is_valid():
        rows = queries.filter_activities(rows, **filters.cleaned_data)
    elif filters.is_bound:
        rows = rows.none()
    page = paginate(request, rows)
    return _page(request, "events/support/activity_list.html", {
        "filters": filters, "page_obj": page, "query": request.GET.urlencode(),
        "rows": activity_lines(page.object_list, region_slug=region_slug),
        "awaiting": SupportActivity.objects.filter(
            region=request.region, state=SupportState.AWAITING_APPROVAL).count()})


def _limits() -> dict:
    return {"not_conducted": NOT_CONDUCTED,
            "allowed": [label for value, label in SupportKind.choices
                        if value != SupportKind.OTHER]}


@requires(MANAGE_SUPPORT)
def activity_create(request, region_slug):
    initial = {}
    workplan_id = request.GET.get("workplan", "")
    if workplan_id.isdigit():
        plan = (Workplan.objects.filter(region=request.region, pk=int(workplan_id))
                .select_related("city").first())
        if plan is not None:
            initial = {"workplan": plan.pk, "city": plan.city_id}
    form = ActivityForm(_posted(request), region=request.region, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            activity = support.create_activity(actor=request.user, region=request.region,
                                               **form.cleaned_data)
            messages.success(request, _("Support activity planned.")
                             if activity.state == SupportState.PLANNED else
                             _("Support activity saved: it waits for the Global Secretariat's "
                               "approval."))
            return redirect("support-activity-detail", region_slug=region_slug,
                            activity_id=activity.pk)
    return _page(request, "events/support/activity_form.html", {"form": form, **_limits()})


@requires(MANAGE_SUPPORT)
def activity_detail(request, region_slug, activity_id):
    activity = get_object_or_404(
        SupportActivity.objects.filter(region=request.region)
        .select_related("city", "event", "workplan__model_policy", "created_by"),
        pk=activity_id)
    activity.region = request.region
    other = activity.kind == SupportKind.OTHER
    linkable = activity.state == SupportState.PLANNED
    form = ActivityEditForm(_posted(request), region=request.region, other=other,
                            linkable=linkable, initial={
        "workplan": activity.workplan_id, "other_kind": activity.other_kind,
        "description": activity.description, "planned_on": activity.planned_on,
        "event": activity.event_id})
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            support.update_activity(actor=request.user, activity=activity, **form.cleaned_data)
            messages.success(request, _("Support activity saved."))
            return redirect("support-activity-detail", region_slug=region_slug,
                            activity_id=activity.pk)
    approval = support.latest_request(activity)
    return _page(request, "events/support/activity_detail.html", {
        "activity": activity, "form": form, "approval": approval,
        "may_finish": linkable, "event_linkable": linkable,
        "history": history(request, activity), **_limits()})


@require_POST
@requires(MANAGE_SUPPORT)
def activity_done(request, region_slug, activity_id):
    activity = get_object_or_404(SupportActivity.objects.filter(region=request.region),
                                 pk=activity_id)
    activity.region = request.region
    with refused_as_message(request):
        support.mark_done(actor=request.user, activity=activity)
        messages.success(request, _("Support activity marked done."))
    return redirect("support-activity-detail", region_slug=region_slug, activity_id=activity.pk)


def progress_share(workplan: Workplan) -> str:
    """"3 of 4 milestones done (75%)", or that it has none."""
    if not workplan.milestones_total:
        return _("No milestone")
    return _("%(done)s of %(total)s milestones done (%(percent)s%%)") % {
        "done": number(workplan.milestones_done), "total": number(workplan.milestones_total),
        "percent": workplan.progress_percent}


urlpatterns = [
    path("", workplan_list, name="workplan-list"),
    path("mine/", own_workplans, name="own-workplans"),
    path("workplans/new/", workplan_create, name="workplan-create"),
    path("workplans/<int:workplan_id>/", workplan_detail, name="workplan-detail"),
    path("workplans/<int:workplan_id>/edit/", workplan_edit, name="workplan-edit"),
    path("workplans/<int:workplan_id>/advisors/", workplan_advisors, name="workplan-advisors"),
    path("workplans/<int:workplan_id>/comments/", workplan_comment, name="workplan-comment"),
    path("workplans/<int:workplan_id>/progress/", workplan_progress, name="workplan-progress"),
    path("workplans/<int:workplan_id>/milestones/new/", milestone_create,
         name="milestone-create"),
    path("workplans/<int:workplan_id>/milestones/<int:milestone_id>/", milestone_edit,
         name="milestone-edit"),
    path("workplans/<int:workplan_id>/milestones/<int:milestone_id>/status/",
         milestone_status, name="milestone-status"),
    path("workplans/<int:workplan_id>/milestones/<int:milestone_id>/delete/",
         milestone_delete, name="milestone-delete"),
    path("templates/", template_list, name="workplan-template-list"),
    path("templates/new/", template_create, name="workplan-template-create"),
    path("templates/<int:workplan_template_id>/", template_edit,
         name="workplan-template-edit"),
    path("activities/", activity_list, name="support-activity-list"),
    path("activities/new/", activity_create, name="support-activity-create"),
    path("activities/<int:activity_id>/", activity_detail, name="support-activity-detail"),
    path("activities/<int:activity_id>/done/", activity_done, name="support-activity-done"),
]
