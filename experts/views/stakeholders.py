"""Key stakeholders other than cities: the region's list with its search and filters, adding
and editing one, its page with its status moves, its engagement clearance and its history."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from alliance import permissions
from alliance.labels import labels_of
from alliance.models import ApprovalRequest
from alliance.pagination import paginate
from alliance.views import history, refused_as_message, refused_into, requires, url_prefix
from cities.models import Channel

from ..forms.people import StakeholderFilterForm, StakeholderForm, StatusMoveForm
from ..models import Involvement, Stakeholder, StakeholderKind, StakeholderStatus
from ..services import stakeholders

Status = StakeholderStatus
# The tone of each status's pill (static/css/portal.css, "Tones").
TONES = {Status.IDENTIFIED: "", Status.APPROACHED: "tone-info", Status.INVOLVED: "tone-success",
         Status.NOT_INVOLVED: "tone-danger"}
NOTHING = "—"


def _stakeholder(request, stakeholder_id) -> Stakeholder:
    return get_object_or_404(Stakeholder.objects.filter(region=request.region)
                             .select_related("region", "owner"), pk=stakeholder_id)


def _to_stakeholder(stakeholder):
    return redirect("stakeholder-detail", region_slug=stakeholder.region.slug,
                    stakeholder_id=stakeholder.pk)


def _with_clearance(rows):
    """Each row's `cleared`: an approved stakeholder clearance, in the list's own query."""
    approved = ApprovalRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(Stakeholder), object_id=OuterRef("pk"),
        kind=stakeholders.STAKEHOLDER_CLEARANCE, state=ApprovalRequest.State.APPROVED)
    return rows.annotate(cleared=Exists(approved))


@require_safe
@requires("experts.view_stakeholders")
def stakeholder_list(request, region_slug):
    filters = StakeholderFilterForm(request.GET)
    if filters.is_valid():
        rows = stakeholders.stakeholders_in(request.region, **filters.cleaned_data)
    else:
        rows = Stakeholder.objects.none()
    page = paginate(request, _with_clearance(rows).only(
        "name", "organization", "kind", "involvement", "status", "channel",
        "is_national_government", "contact_name", "owner__full_name", "owner__email"))
    return render(request, "experts/stakeholder_list.html", {
        "filters": filters, "page_obj": page, "rows": _rows(page, region_slug),
        "narrowed": any(filters.data.get(name) for name in filters.fields),
        "may_edit": permissions.can(request.user, "experts.manage_stakeholders",
                                    region=request.region)})


ROW = ('<tr><td><a href="{prefix}{id}/">{name}</a>{organization}</td><td>{kind}</td>'
       '<td>{involvement}</td><td><span class="state state-{status} {tone}">{status_label}'
       '</span>{clearance}</td><td>{channel}</td><td>{owner}</td></tr>')


def _rows(page, region_slug: str) -> str:
    """The table's `<tr>`s, written from one URL prefix and the labels escaped once a page."""
    prefix = escape(url_prefix("stakeholder-detail", "stakeholder_id", region_slug=region_slug))
    kinds = {k: escape(v) for k, v in labels_of(StakeholderKind).items()}
    involvements = {k: escape(v) for k, v in labels_of(Involvement).items()}
    statuses = {k: escape(v) for k, v in labels_of(Status).items()}
    channels = {k: escape(v) for k, v in labels_of(Channel).items()}
    needs = (' <span class="state tone-warning">{}</span>'.format(
        escape(_("Needs engagement clearance"))))
    cleared = ' <span class="state tone-success">{}</span>'.format(escape(_("Cleared")))
    rows = []
    for row in page:
        clearance = ""
        if row.needs_clearance and row.status == Status.IDENTIFIED:
            clearance = cleared if row.cleared else needs
        owner = row.owner.full_name or row.owner.email if row.owner_id else NOTHING
        rows.append(ROW.format(
            prefix=prefix, id=row.pk, name=escape(row.name),
            organization=(f'<div class="text-body-secondary small">{escape(row.organization)}'
                          '</div>' if row.organization else ""),
            kind=kinds.get(row.kind, escape(row.kind)),
            involvement=involvements.get(row.involvement, escape(row.involvement)),
            status=escape(row.status), tone=TONES.get(row.status, ""),
            status_label=statuses.get(row.status, escape(row.status)), clearance=clearance,
            channel=channels.get(row.channel, NOTHING) if row.channel else NOTHING,
            owner=escape(owner)))
    return mark_safe("".join(rows))


@requires("experts.manage_stakeholders")
def stakeholder_create(request, region_slug):
    form = StakeholderForm(request.POST or None, region=request.region)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            stakeholder = stakeholders.create_stakeholder(
                actor=request.user, region=request.region, **form.cleaned_data)
            messages.success(request, _("%(name)s added to the stakeholders.")
                             % {"name": stakeholder.name})
            return _to_stakeholder(stakeholder)
    return render(request, "experts/stakeholder_form.html", {"form": form})


@requires("experts.manage_stakeholders")
def stakeholder_edit(request, region_slug, stakeholder_id):
    stakeholder = _stakeholder(request, stakeholder_id)
    form = StakeholderForm(request.POST or None, instance=stakeholder, region=request.region)
    if request.method == "POST" and form.is_valid():
        # The form filled the instance; the service compares with the row it locks.
        with refused_into(form):
            stakeholders.update_stakeholder(actor=request.user, stakeholder=stakeholder,
                                            **form.cleaned_data)
            messages.success(request, _("Saved."))
            return _to_stakeholder(stakeholder)
    return render(request, "experts/stakeholder_form.html",
                  {"form": form, "stakeholder": stakeholder})


@require_safe
@requires("experts.view_stakeholders")
def stakeholder_detail(request, region_slug, stakeholder_id):
    stakeholder = _stakeholder(request, stakeholder_id)
    may_edit = permissions.can(request.user, "experts.manage_stakeholders",
                               region=request.region)
    requests = list(stakeholders.clearance_requests(stakeholder)[:5])
    cleared = (stakeholder.needs_clearance
               and stakeholders.approach_refusal(stakeholder) is None)
    pending = any(r.state == ApprovalRequest.State.PENDING for r in requests)
    moves = stakeholders.allowed_moves(stakeholder.status) if may_edit else []
    return render(request, "experts/stakeholder_detail.html", {
        "stakeholder": stakeholder, "may_edit": may_edit, "tone": TONES.get(stakeholder.status),
        "clearance_requests": requests, "cleared": cleared, "pending": pending,
        "may_request": (may_edit and stakeholder.needs_clearance and not cleared
                        and not pending),
        "approach_blocked": stakeholder.needs_clearance and not cleared,
        "moves": [(s, Status(s).label) for s in moves],
        "move_form": StatusMoveForm() if moves else None,
        "approval_url": url_prefix("approval-detail", "approval_id",
                                   region_slug=region_slug),
        "history": history(request, stakeholder)})


@require_POST
@requires("experts.manage_stakeholders")
def stakeholder_status(request, region_slug, stakeholder_id):
    stakeholder = _stakeholder(request, stakeholder_id)
    form = StatusMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status this stakeholder can move to."))
        return _to_stakeholder(stakeholder)
    with refused_as_message(request):
        stakeholders.move_status(actor=request.user, stakeholder=stakeholder,
                                 to=form.cleaned_data["to"], note=form.cleaned_data["note"])
        messages.success(request, _("Status changed."))
    return _to_stakeholder(stakeholder)


@require_POST
@requires("experts.manage_stakeholders")
def stakeholder_clearance(request, region_slug, stakeholder_id):
    stakeholder = _stakeholder(request, stakeholder_id)
    with refused_as_message(request):
        stakeholders.request_clearance(actor=request.user, stakeholder=stakeholder)
        messages.success(request, _("Engagement clearance requested from the Forum reviewers."))
    return _to_stakeholder(stakeholder)


urlpatterns = [
    path("stakeholders/", stakeholder_list, name="stakeholder-list"),
    path("stakeholders/new/", stakeholder_create, name="stakeholder-create"),
    path("stakeholders/<int:stakeholder_id>/", stakeholder_detail, name="stakeholder-detail"),
    path("stakeholders/<int:stakeholder_id>/edit/", stakeholder_edit, name="stakeholder-edit"),
    path("stakeholders/<int:stakeholder_id>/status/", stakeholder_status,
         name="stakeholder-status"),
    path("stakeholders/<int:stakeholder_id>/clearance/", stakeholder_clearance,
         name="stakeholder-clearance"),
]
