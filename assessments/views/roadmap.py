"""The Policy Roadmap: a region reads it and proposes model policies; the Global Secretariat
keeps it from /global/assessments/roadmap/."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance import permissions
from alliance.pagination import paginate
from alliance.views import history, refused_as_message, refused_into, requires, url_prefix

from ..forms.roadmap import PolicyForm, ProposalForm
from ..models import ModelPolicy, Principle, QuestionnaireVersion
from ..services import roadmap

Status = ModelPolicy.Status
# How a status reads as a pill (static/css/portal.css "Tones").
TONES = {Status.PROPOSED: "tone-warning", Status.ADOPTED: "tone-success",
         Status.DECLINED: "tone-danger", Status.RETIRED: ""}


def _with_tone(policies):
    for policy in policies:
        policy.tone = TONES.get(policy.status, "")
    return policies


ADOPTED_ROW = ('<li class="list-group-item"><a href="{}">{}</a>\n'
               '          <div class="text-body-secondary small">{}</div></li>')
PROPOSAL_ROW = ('<li class="list-group-item d-flex justify-content-between align-items-start '
                'gap-2">\n          <a href="{}">{}</a>\n          <span class="pill {}">{}</span>'
                '\n        </li>')


def _adopted_rows(policies, prefix: str) -> str:
    """A principle's adopted policies as `<li>`s, written once per page: a roadmap holds
    dozens, and a {% url %} and filters per policy cost more than the rest of the page."""
    return mark_safe("".join(ADOPTED_ROW.format(
        f"{prefix}{policy.pk}/", escape(policy.shown_title),
        escape(Truncator(policy.shown_summary).words(30, truncate=" …")))
        for policy in policies))


def _proposal_rows(policies, prefix: str) -> str:
    labels = {}
    rows = []
    for policy in policies:
        if policy.status not in labels:
            labels[policy.status] = escape(policy.status_label)
        rows.append(PROPOSAL_ROW.format(f"{prefix}{policy.pk}/", escape(policy.shown_title),
                                        TONES.get(policy.status, ""), labels[policy.status]))
    return mark_safe("".join(rows))


@requires("assessments.view_roadmap")
def roadmap_page(request, region_slug):
    prefix = url_prefix("model-policy-detail", "policy_id", region_slug=region_slug)
    # What the rows show: titles, summaries and statuses, not the policies' whole text, nor
    # the proposals' principles.
    proposals = list(roadmap.proposals_of(request.region).prefetch_related(None)
                     .only("title", "translations", "status")[:50])
    principles = list(Principle.objects.prefetch_related(Prefetch(
        "model_policies", to_attr="adopted",
        queryset=ModelPolicy.objects.filter(status=Status.ADOPTED).order_by("title")
        .only("title", "summary", "translations"))))
    for principle in principles:
        principle.adopted_rows = _adopted_rows(principle.adopted, prefix)
    may_preview = permissions.can(request.user, "assessments.view_questionnaires",
                                  region=request.region)
    questionnaires = (QuestionnaireVersion.objects.filter(
        state=QuestionnaireVersion.State.PUBLISHED).select_related("questionnaire")
        .order_by("-published_at", "-id")[:10] if may_preview else [])
    return render(request, "assessments/roadmap_page.html", {
        "principles": principles, "proposals": proposals,
        "proposal_rows": _proposal_rows(proposals, prefix),
        "questionnaires": questionnaires,
        "may_propose": permissions.can(request.user, "assessments.propose_policy",
                                       region=request.region)})


@requires("assessments.view_roadmap")
def model_policy_detail(request, region_slug, policy_id):
    policy = get_object_or_404(
        roadmap.policies_visible_in(request.region).prefetch_related("principles")
        .select_related("proposed_by_region"), pk=policy_id)
    policy.tone = TONES.get(policy.status, "")
    approvals = list(roadmap.approvals_of(policy)[:10]) if policy.proposed_by_region_id else []
    latest = approvals[0] if approvals else None
    return render(request, "assessments/roadmap_policy.html", {
        "policy": policy, "approval": latest, "checklist": roadmap.checklist_of(policy),
        "may_ask_again": bool(
            latest and latest.state == latest.State.CHANGES_REQUESTED
            and policy.status == Status.PROPOSED
            and policy.proposed_by_region_id == request.region.pk
            and permissions.can(request.user, "assessments.propose_policy",
                                region=request.region)),
        "history": history(request, policy)})


@requires("assessments.propose_policy")
def model_policy_propose(request, region_slug):
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            policy = roadmap.propose_policy(actor=request.user, region=request.region,
                                            **form.cleaned_data)
            messages.success(request, _("Proposal sent to the Global Secretariat. It joins the "
                                        "roadmap once they approve it."))
            return redirect("model-policy-detail", region_slug=region_slug, policy_id=policy.pk)
    return render(request, "assessments/roadmap_propose.html", {"form": form})


@require_POST
@requires("assessments.propose_policy")
def model_policy_ask_again(request, region_slug, policy_id):
    policy = get_object_or_404(roadmap.proposals_of(request.region), pk=policy_id)
    with refused_as_message(request):
        roadmap.ask_again(actor=request.user, policy=policy)
        messages.success(request, _("Proposal sent to the Global Secretariat again."))
    return redirect("model-policy-detail", region_slug=region_slug, policy_id=policy.pk)


# -- the Global Secretariat's pages -----------------------------------------------------------

@requires("assessments.manage_roadmap")
def global_roadmap(request):
    status = request.GET.get("status", "")
    rows = (ModelPolicy.objects.select_related("proposed_by_region")
            .prefetch_related("principles").order_by("title", "id"))
    if status in Status.values:
        rows = rows.filter(status=status)
    page_obj = paginate(request, rows)
    _with_tone(page_obj.object_list)
    return render(request, "assessments/roadmap_global.html", {
        "page_obj": page_obj, "status": status, "statuses": Status.choices})


@requires("assessments.manage_roadmap")
def policy_create(request):
    form = PolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            roadmap.create_policy(actor=request.user, **form.service_fields())
            messages.success(request, _("Model policy added to the roadmap."))
            return redirect("global:roadmap")
    return render(request, "assessments/roadmap_policy_form.html", {"form": form})


@requires("assessments.manage_roadmap")
def policy_edit(request, policy_id):
    policy = get_object_or_404(ModelPolicy.objects.select_related("proposed_by_region"),
                               pk=policy_id)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            roadmap.update_policy(actor=request.user, policy=policy, **form.service_fields())
            messages.success(request, _("Model policy saved."))
            return redirect("global:roadmap")
    policy.tone = TONES.get(policy.status, "")
    approval = (roadmap.approvals_of(policy).first() if policy.proposed_by_region_id
                else None)
    return render(request, "assessments/roadmap_policy_form.html", {
        "form": form, "policy": policy, "history": history(request, policy),
        "checklist": roadmap.checklist_of(policy), "approval": approval})


@require_POST
@requires("assessments.manage_roadmap")
def policy_retire(request, policy_id):
    policy = get_object_or_404(ModelPolicy, pk=policy_id)
    with refused_as_message(request):
        roadmap.retire_policy(actor=request.user, policy=policy)
        messages.success(request, _("Model policy retired from the roadmap."))
    return redirect(reverse("global:model-policy-edit", kwargs={"policy_id": policy.pk}))


urlpatterns = [
    path("roadmap/", roadmap_page, name="roadmap"),
    path("roadmap/propose/", model_policy_propose, name="model-policy-propose"),
    path("roadmap/<int:policy_id>/", model_policy_detail, name="model-policy-detail"),
    path("roadmap/<int:policy_id>/ask-again/", model_policy_ask_again,
         name="model-policy-ask-again"),
]
global_urlpatterns = [
    path("roadmap/", global_roadmap, name="roadmap"),
    path("roadmap/new/", policy_create, name="model-policy-create"),
    path("roadmap/<int:policy_id>/", policy_edit, name="model-policy-edit"),
    path("roadmap/<int:policy_id>/retire/", policy_retire, name="model-policy-retire"),
]
