"""Case studies for the Urban Transformation Hub: the region's list with its filters, writing
one (from scratch or from an assessment's answer), its page, and the export for the Hub."""

import csv
import json

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance import permissions
from alliance.pagination import paginate
from alliance.views import history, refused_as_message, refused_into, requires, url_prefix
from cities.models import City
from cities.queries import cities_of_contact

from ..forms.case_studies import CaseStudyFilterForm, CaseStudyForm
from ..models import Answer, CaseStudy
from ..services import case_studies

State = CaseStudy.State
# What the Hub's team receives for each case study, in this order.
EXPORT_FIELDS = ["city", "country", "title", "summary", "outcome", "principles",
                 "model_policy", "link", "contact_name"]


def _visible(request):
    return (case_studies.visible_to(request.user, request.region)
            .select_related("city", "model_policy").prefetch_related("principles"))


@requires("assessments.view_case_studies")
def case_study_list(request, region_slug):
    filters = CaseStudyFilterForm(request.GET)
    rows = _visible(request)
    rows = _filtered(rows, **filters.cleaned_data) if filters.is_valid() else rows.none()
    manages = case_studies.manages(request.user, request.region)
    # What a row shows, not each case study's, city's and model policy's whole text.
    page = paginate(request, rows.order_by("-created_at", "-id").only(
        "title", "state", "city__name", "model_policy__title", "model_policy__translations"))
    return render(request, "assessments/case_study_list.html", {
        "filters": filters, "page_obj": page, "rows": _rows(page, region_slug),
        "manages": manages, "may_write": manages or _own_cities(request) is not None,
        "ready": rows.filter(state=State.READY).count() if manages else 0})


ROW = ('<tr>\n      <td><a href="{}">{}</a></td>\n      <td>{}</td>\n      <td>{}</td>\n'
       '      <td>{}</td>\n      <td><span class="state state-{}">{}</span></td>\n    </tr>')


def _rows(page, region_slug: str) -> str:
    """The table's `<tr>`s, written once per page from one URL prefix and labels translated
    once: a {% url %} and a principle loop per row cost more than the rest of the page."""
    prefix = url_prefix("case-study-detail", "case_study_id", region_slug=region_slug)
    labels: dict = {}

    def label(key, text) -> str:
        if key not in labels:
            labels[key] = escape(text())
        return labels[key]

    rows = []
    for case_study in page:
        pills = "".join(f'<span class="pill">{label(("p", p.pk), lambda p=p: p.label)}</span> '
                        for p in case_study.principles.all()) or "—"
        policy = (escape(case_study.model_policy.shown_title)
                  if case_study.model_policy_id else "—")
        rows.append(ROW.format(
            f"{prefix}{case_study.pk}/", escape(case_study.title), escape(case_study.city.name),
            pills, policy, escape(case_study.state),
            label(("s", case_study.state), lambda c=case_study: c.state_label)))
    return mark_safe("".join(rows))


def _filtered(rows, *, q, principle, model_policy, state):
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(city__name__icontains=q))
    if principle:
        rows = rows.filter(principles=principle)
    if model_policy:
        rows = rows.filter(model_policy=model_policy)
    return rows.filter(state=state) if state else rows


def _own_cities(request):
    """The cities a city contact writes for, as a queryset; None for everyone else (the
    secretariat picks any city)."""
    if case_studies.manages(request.user, request.region):
        return None
    if not permissions.can(request.user, "assessments.write_own_case_study",
                           region=request.region):
        return None
    own = [city.pk for city in cities_of_contact(request.region, request.user)]
    return City.objects.filter(region=request.region, pk__in=own) if own else None


@requires("assessments.view_case_studies")
def case_study_create(request, region_slug):
    """?answer=<id> starts from an assessment's answer (the secretariat's review)."""
    own = _own_cities(request)
    manages = case_studies.manages(request.user, request.region)
    if own is None and not manages:
        raise Http404
    start, source = {}, None
    if manages and request.GET.get("answer", "").isdigit():
        source = get_object_or_404(Answer.objects.filter(region=request.region).select_related(
            "assessment__city", "question__section__principle",
            "question__section__model_policy"), pk=request.GET["answer"])
        start = case_studies.starting_from(source)
    form = CaseStudyForm(request.POST or None, region=request.region, cities=own,
                         initial=start)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            case_study = case_studies.create_case_study(
                actor=request.user, region=request.region, source_answer=source,
                **form.cleaned_data)
            messages.success(request, _("Case study saved."))
            return redirect("case-study-detail", region_slug=region_slug,
                            case_study_id=case_study.pk)
    return render(request, "assessments/case_study_form.html", {"form": form,
                                                                "source": source})


@requires("assessments.view_case_studies")
def case_study_detail(request, region_slug, case_study_id):
    """Its page; a POST saves its changes (for those who may still edit it)."""
    case_study = get_object_or_404(_visible(request), pk=case_study_id)
    may_edit = case_studies.may_edit(request.user, case_study)
    form = None
    if may_edit:
        form = CaseStudyForm(request.POST or None, region=request.region, editing=True,
                             initial={**{f: getattr(case_study, f) for f in (
                                 "title", "summary", "outcome", "model_policy", "link",
                                 "contact_name")},
                                 "principles": list(case_study.principles.all())})
        if request.method == "POST" and form.is_valid():
            with refused_into(form):
                case_studies.update_case_study(actor=request.user, case_study=case_study,
                                               **form.cleaned_data)
                messages.success(request, _("Case study saved."))
                return redirect("case-study-detail", region_slug=region_slug,
                                case_study_id=case_study.pk)
    elif request.method == "POST":
        raise Http404
    return render(request, "assessments/case_study_detail.html", {
        "case_study": case_study, "form": form,
        "manages": case_studies.manages(request.user, request.region),
        "history": history(request, case_study)})


@require_POST
@requires("assessments.manage_case_studies")
def case_study_ready(request, region_slug, case_study_id):
    case_study = get_object_or_404(CaseStudy.objects.filter(region=request.region),
                                   pk=case_study_id)
    with refused_as_message(request):
        case_studies.mark_ready(actor=request.user, case_study=case_study)
        messages.success(request, _("Marked ready for the Hub."))
    return redirect("case-study-detail", region_slug=region_slug, case_study_id=case_study.pk)


@requires("assessments.manage_case_studies")
def case_study_export(request, region_slug):
    """?format=csv|json: the case studies ready for the Hub, as its team takes them in."""
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "json"):
        return HttpResponse(_("Choose CSV or JSON."), status=400,
                            content_type="text/plain; charset=utf-8")
    rows = [_exported(case_study) for case_study in
            _visible(request).filter(state=State.READY).order_by("city__name", "title")]
    filename = f"case-studies-{request.region.slug}.{kind}"
    if kind == "json":
        response = HttpResponse(json.dumps(rows, ensure_ascii=False, indent=1),
                                content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.DictWriter(response, fieldnames=EXPORT_FIELDS)
        writer.writeheader()
        writer.writerows({k: _spreadsheet_safe(v) for k, v in row.items()} for row in rows)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _exported(case_study) -> dict:
    return {"city": case_study.city.name, "country": case_study.city.country.code,
            "title": case_study.title, "summary": case_study.summary,
            "outcome": case_study.outcome,
            "principles": ", ".join(str(p.label) for p in case_study.principles.all()),
            "model_policy": case_study.model_policy.title if case_study.model_policy else "",
            "link": case_study.link, "contact_name": case_study.contact_name}


def _spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet would read as a formula is kept as text."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


@require_POST
@requires("assessments.manage_case_studies")
def case_study_mark_sent(request, region_slug):
    count = case_studies.mark_sent(actor=request.user, region=request.region)
    messages.success(request, _("%(count)s case studies recorded as sent to the Hub.")
                     % {"count": count})
    return redirect("case-study-list", region_slug=region_slug)


urlpatterns = [
    path("case-studies/", case_study_list, name="case-study-list"),
    path("case-studies/new/", case_study_create, name="case-study-create"),
    path("case-studies/export/", case_study_export, name="case-study-export"),
    path("case-studies/sent/", case_study_mark_sent, name="case-study-mark-sent"),
    path("case-studies/<int:case_study_id>/", case_study_detail, name="case-study-detail"),
    path("case-studies/<int:case_study_id>/ready/", case_study_ready, name="case-study-ready"),
]
