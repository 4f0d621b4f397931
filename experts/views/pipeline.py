"""The experts area 'pipeline': the expert table, an expert's page (details, topics, stage and
its moves, the invitation and its gate, vetting, conflicts of interest, interviews, Terms of
Reference acceptances, working groups, history), the expert's forms and the interviews."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Cast
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from alliance import permissions
from alliance.labels import labels_of
from alliance.pagination import paginate
from alliance.views import history, refused_as_message, refused_into, requires
from assessments.models import PrincipleKey

from .. import stages
from ..forms.pipeline import (
    DEFAULT_SORT,
    ConflictDecisionForm,
    ExpertFilterForm,
    ExpertForm,
    InterviewForm,
    StageMoveForm,
)
from ..models import (
    Expert,
    ExpertStageChange,
    GroupMember,
    Interview,
    Stage,
    TermsAcceptance,
)
from ..services import conflicts, interviews, pipeline, vetting
from .expert_rows import (
    INTERVIEW_LINE_COLUMNS,
    STAGE_LINE_COLUMNS,
    TABLE_COLUMNS,
    accepted_lines,
    gate_facts,
    interview_lines,
    stage_lines,
    stage_pill,
    table_rows,
    tie_items,
)

STAGE_CHANGES_SHOWN = 10
INTERVIEWS_SHOWN = 10
RELATED_SHOWN = 100
HISTORY_SHOWN = 10


def _expert(request, expert_id) -> Expert:
    return get_object_or_404(
        Expert.objects.filter(region=request.region).select_related("owner", "user"),
        pk=expert_id)


def _to_expert(expert: Expert, anchor: str = ""):
    url = reverse("expert-detail", kwargs={"region_slug": expert.region.slug,
                                           "expert_id": expert.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


# -- the table ------------------------------------------------------------------------------------

COLUMNS = [("name", gettext_lazy("Name")), ("organization", gettext_lazy("Organization")),
           ("sector", gettext_lazy("Sector")), ("stage", gettext_lazy("Stage")),
           ("owner", gettext_lazy("Owner")), ("changed", gettext_lazy("In this stage since"))]


@require_safe
@requires("experts.view")
def expert_list(request, region_slug):
    filters = ExpertFilterForm(request.GET)
    if filters.is_valid():
        data = {k: v for k, v in filters.cleaned_data.items() if v}
        sort = data.get("sort") or DEFAULT_SORT
        rows = pipeline.experts_in(request.region, user=request.user,
                                   **{**data, "sort": sort})
    else:
        # A refused filter shows its error over no rows, not every expert.
        sort = DEFAULT_SORT
        rows = Expert.objects.none()
    page = paginate(request, rows.values(*TABLE_COLUMNS))
    return render(request, "experts/expert_list.html", {
        "filters": filters, "page_obj": page,
        "rows": table_rows(list(page.object_list), region=request.region),
        "headings": _headings(request, sort),
        "may_edit": permissions.can(request.user, "experts.edit", region=request.region),
    })


def _headings(request, sort: str) -> list[dict]:
    """Each column's heading: a link that sorts by it (the other way when it already does)."""
    headings = []
    for key, label in COLUMNS:
        query = request.GET.copy()
        query.pop("page", None)
        way = ""
        if sort in (key, f"-{key}"):
            way = "descending" if sort.startswith("-") else "ascending"
        query["sort"] = key if sort == f"-{key}" or way == "" else f"-{key}"
        headings.append({"label": label, "url": f"?{query.urlencode()}", "way": way})
    return headings


# -- an expert ------------------------------------------------------------------------------------

@require_safe
@requires("experts.view")
def expert_detail(request, region_slug, expert_id):
    expert = _expert(request, expert_id)
    user, region = request.user, request.region
    may = {"edit": permissions.can(user, "experts.edit", region=region),
           "decide": permissions.can(user, "experts.decide_conflicts", region=region)}
    vetting_gate, clearance_gate = vetting.gates_of(expert)
    changes = (ExpertStageChange.objects.filter(expert=expert)
               .values_list(*STAGE_LINE_COLUMNS)[:STAGE_CHANGES_SHOWN])
    shown_interviews = (Interview.objects.filter(expert=expert)
                        .values_list(*INTERVIEW_LINE_COLUMNS)[:INTERVIEWS_SHOWN])
    return render(request, "experts/expert_detail.html", {
        "expert": expert, "may": may, "urls": _urls_of(expert, region),
        "stage_pill": stage_pill(expert.stage),
        "moves": _moves(expert, vetting_gate) if may["edit"] else [],
        "invite_refusal": pipeline.invite_refusal(
            expert, approved=vetting.approved_kinds(vetting_gate, clearance_gate))
        if expert.stage == Stage.VETTED else None,
        "vetting_gate": vetting_gate, "clearance_gate": clearance_gate,
        "gate_facts": gate_facts(vetting_gate, clearance_gate, region=region),
        "may_request_vetting": may["edit"] and _may_request_vetting(expert, vetting_gate),
        "may_request_clearance": may["edit"] and clearance_gate.needed
        and not clearance_gate.approved and not clearance_gate.pending,
        "stage_lines": stage_lines(changes),
        "interview_lines": interview_lines(shown_interviews, region=region),
        **_conflicts_context(request, expert, may_decide=may["decide"],
                             back=request.get_full_path()),
        **_related(expert),
        "history": history(request, expert, HISTORY_SHOWN),
    })


def _urls_of(expert: Expert, region) -> dict:
    """The page's links and forms' targets, reversed once: the expert's own URL plus a part
    (experts.views.pipeline.urlpatterns)."""
    base = reverse("expert-detail", kwargs={"region_slug": region.slug,
                                            "expert_id": expert.pk})
    return {"list": base[:base.rindex(f"{expert.pk}/")], "edit": f"{base}edit/",
            "move": f"{base}move/", "invite": f"{base}invite/", "vetting": f"{base}vetting/",
            "clearance": f"{base}clearance/", "interview": f"{base}interviews/new/"}


def _related(expert: Expert) -> dict:
    """What the expert is linked to, in one query of at most RELATED_SHOWN rows: their
    principles and model policies, the versions of the Terms of Reference they accepted
    (latest first) and the working groups they belong to."""
    def rows_of(model, kind: str, label: str, *, version=None, at=None, position=None):
        return (model.objects.filter(expert_id=expert.pk)
                .annotate(kind=Value(kind), label=F(label), version=version or Value(""),
                          # Typed: PostgreSQL takes an untyped NULL for text.
                          at=at or Cast(Value(None), DateTimeField()),
                          position=position or Value(0))
                .values_list("kind", "label", "version", "at", "position").order_by())

    parts = [rows_of(Expert.principles.through, "principle", "principle__key",
                     position=F("principle__position")),
             rows_of(Expert.model_policies.through, "policy", "modelpolicy__title"),
             rows_of(TermsAcceptance, "terms", "terms__title", version=F("terms__version"),
                     at=F("accepted_at")),
             rows_of(GroupMember, "group", "group__name")]
    rows = list(parts[0].union(*parts[1:], all=True)
                .order_by("kind", "-at", "position", "label")[:RELATED_SHOWN])
    labels = labels_of(PrincipleKey)
    return {
        "topics": {"principles": [labels.get(label, label) for kind, label, *_r in rows
                                  if kind == "principle"],
                   "model_policies": [label for kind, label, *_r in rows if kind == "policy"]},
        "acceptance_items": accepted_lines([(f"{label} {version}", at)
                                            for kind, label, version, at, _p in rows
                                            if kind == "terms"]),
        "group_items": mark_safe("".join(f"<li>{escape(label)}</li>"
                                         for kind, label, *_r in rows if kind == "group")),
    }


def _moves(expert: Expert, vetting_gate) -> list[tuple[str, str]]:
    """The moves the stage control offers: not the gated ones, nor "vetted" for an expert a
    Forum reviewer must vet and has not yet."""
    moves = [s for s in stages.allowed_moves(expert.stage) if s not in stages.GATED]
    if vetting_gate.needed and not vetting_gate.approved:
        moves = [s for s in moves if s != Stage.VETTED]
    return [(s, Stage(s).label) for s in moves]


def _may_request_vetting(expert: Expert, gate) -> bool:
    return (gate.needed and not gate.approved and not gate.pending
            and expert.stage in (Stage.INTERVIEWED, Stage.VETTED))


def _conflicts_context(request, expert: Expert, *, may_decide: bool, back: str = "") -> dict:
    """The conflicts section: the ties drawn once as list items (with a decision form each
    for a person who decides), and the decisions on former ties."""
    ties, stale = conflicts.ties_with_decisions(expert, fresh=False)
    decide_url = ""
    if may_decide:
        decide_url = reverse("expert-conflict", kwargs={"region_slug": request.region.slug,
                                                        "expert_id": expert.pk})
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                       get_token(request))
    return {"ties": ties, "stale_checks": stale, "undecided": conflicts.undecided(ties),
            "tie_items": tie_items(ties, decide_url=decide_url, csrf=csrf, back=back)}


@requires("experts.edit")
def expert_create(request, region_slug):
    form = ExpertForm(request.POST or None, region=request.region,
                      initial={"owner": request.user})
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            expert = pipeline.create_expert(actor=request.user, region=request.region,
                                            **_expert_fields(form))
            messages.success(request, _("%(name)s added as a candidate.")
                             % {"name": expert.name})
            return _to_expert(expert)
    return render(request, "experts/expert_form.html", {"form": form, "expert": None})


def _expert_fields(form: ExpertForm) -> dict:
    data = dict(form.cleaned_data)
    data["principles"] = list(data["principles"])
    data["model_policies"] = list(data["model_policies"])
    return data


@requires("experts.edit")
def expert_edit(request, region_slug, expert_id):
    expert = _expert(request, expert_id)
    form = ExpertForm(request.POST or None, region=request.region,
                      initial=ExpertForm.initial_of(expert))
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            pipeline.update_expert(actor=request.user, expert=expert, **_expert_fields(form))
            messages.success(request, _("Saved."))
            return _to_expert(expert)
    return render(request, "experts/expert_form.html", {"form": form, "expert": expert})


@require_POST
@requires("experts.edit")
def expert_move(request, region_slug, expert_id):
    expert = _expert(request, expert_id)
    form = StageMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the stage to move to."))
        return _to_expert(expert, "stage-heading")
    to = form.cleaned_data["to"]
    with refused_as_message(request):
        vetting.move_stage(actor=request.user, expert=expert, to=to,
                            note=form.cleaned_data["note"])
        messages.success(request, _("%(name)s moved to %(stage)s.")
                         % {"name": expert.name, "stage": Stage(to).label})
    return _to_expert(expert, "stage-heading")


@require_POST
@requires("experts.edit")
def expert_invite(request, region_slug, expert_id):
    expert = _expert(request, expert_id)
    with refused_as_message(request):
        pipeline.invite(actor=request.user, expert=expert)
        messages.success(request, _("Invitation sent to %(email)s. Once %(name)s accepts the "
                                    "Terms of Reference, they are confirmed.")
                         % {"email": expert.email, "name": expert.name})
    return _to_expert(expert, "invite-heading")


@require_POST
@requires("experts.edit")
def expert_vetting(request, region_slug, expert_id):
    expert = _expert(request, expert_id)
    with refused_as_message(request):
        vetting.request_vetting(actor=request.user, expert=expert)
        messages.success(request, _("A Forum reviewer is asked to vet %(name)s.")
                         % {"name": expert.name})
    return _to_expert(expert, "vetting-heading")


@require_POST
@requires("experts.edit")
def expert_clearance(request, region_slug, expert_id):
    expert = _expert(request, expert_id)
    with refused_as_message(request):
        vetting.request_clearance(actor=request.user, expert=expert)
        messages.success(request, _("A Forum reviewer is asked to clear approaching %(name)s.")
                         % {"name": expert.name})
    return _to_expert(expert, "vetting-heading")


@require_POST
@requires("experts.decide_conflicts")
def expert_conflict(request, region_slug, expert_id):
    """A decision on one tie; back to the page it was made on (the expert's or an
    interview's)."""
    expert = _expert(request, expert_id)
    form = ConflictDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision for the tie."))
    else:
        with refused_as_message(request):
            conflicts.decide(actor=request.user, expert=expert, **form.cleaned_data)
            messages.success(request, _("Decision recorded."))
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}):
        return redirect(f"{back.split('#')[0]}#conflicts-heading")
    return _to_expert(expert, "conflicts-heading")


# -- interviews -----------------------------------------------------------------------------------

def _interview(request, interview_id) -> Interview:
    return get_object_or_404(
        Interview.objects.filter(region=request.region)
        .select_related("expert", "expert__region", "interviewer"), pk=interview_id)


@requires("experts.edit")
def interview_create(request, region_slug, expert_id):
    expert = _expert(request, expert_id)
    form = InterviewForm(request.POST or None, region=request.region,
                         initial={"held_on": timezone.localdate(),
                                  "principles": list(expert.principles.all()),
                                  "model_policies": list(expert.model_policies.all())})
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            interview = interviews.record_interview(actor=request.user, expert=expert,
                                                    **form.service_kwargs())
            messages.success(request, _("Interview recorded."))
            return redirect("interview-detail", region_slug=region_slug,
                            interview_id=interview.pk)
    return render(request, "experts/interview_form.html", {
        "form": form, "expert": expert, "interview": None,
        "ties": conflicts.ties_with_decisions(expert)[0]})


@require_safe
@requires("experts.view")
def interview_detail(request, region_slug, interview_id):
    interview = _interview(request, interview_id)
    expert = interview.expert
    may = {"edit": permissions.can(request.user, "experts.edit", region=request.region),
           "decide": permissions.can(request.user, "experts.decide_conflicts",
                                     region=request.region)}
    vetting_gate, clearance_gate = vetting.gates_of(expert)
    return render(request, "experts/interview_detail.html", {
        "interview": interview, "expert": expert, "may": may,
        "stage_pill": stage_pill(expert.stage),
        "flags": vetting.flag_lines(interview),
        "principles": [p.label for p in interview.principles.all()],
        "model_policies": list(interview.model_policies.values_list("title", flat=True)),
        "vetting_gate": vetting_gate, "clearance_gate": clearance_gate,
        "gate_facts": gate_facts(vetting_gate, clearance_gate, region=request.region),
        **_conflicts_context(request, expert, may_decide=may["decide"],
                             back=request.get_full_path()),
    })


@requires("experts.edit")
def interview_edit(request, region_slug, interview_id):
    interview = _interview(request, interview_id)
    form = InterviewForm(request.POST or None, region=request.region,
                         initial=InterviewForm.initial_of(interview))
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            kwargs = form.service_kwargs()
            if kwargs["interviewer"] is None:
                kwargs["interviewer"] = interview.interviewer
            interviews.update_interview(actor=request.user, interview=interview, **kwargs)
            messages.success(request, _("Saved."))
            return redirect("interview-detail", region_slug=region_slug,
                            interview_id=interview.pk)
    return render(request, "experts/interview_form.html", {
        "form": form, "expert": interview.expert, "interview": interview,
        "ties": conflicts.ties_with_decisions(interview.expert)[0]})


urlpatterns = [
    path("", expert_list, name="expert-list"),
    path("new/", expert_create, name="expert-create"),
    path("<int:expert_id>/", expert_detail, name="expert-detail"),
    path("<int:expert_id>/edit/", expert_edit, name="expert-edit"),
    path("<int:expert_id>/move/", expert_move, name="expert-move"),
    path("<int:expert_id>/invite/", expert_invite, name="expert-invite"),
    path("<int:expert_id>/vetting/", expert_vetting, name="expert-vetting"),
    path("<int:expert_id>/clearance/", expert_clearance, name="expert-clearance"),
    path("<int:expert_id>/conflicts/", expert_conflict, name="expert-conflict"),
    path("<int:expert_id>/interviews/new/", interview_create, name="interview-create"),
    path("interviews/<int:interview_id>/", interview_detail, name="interview-detail"),
    path("interviews/<int:interview_id>/edit/", interview_edit, name="interview-edit"),
]
