"""Reports and exports: asking for a PDF report (made by a task, never in the request), its
page (progress, then the download, or the reason it failed and a way to try again), the
download; and a campaign's answers as CSV or XLSX."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from alliance.views import refused_as_message, requires

from .. import exports
from ..models import Assessment, Campaign, Report
from ..services import reports


class ReportRequestForm(forms.Form):
    """A city report (`assessment` of the campaign) or the region report (no assessment)."""

    assessment = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1,
                                    widget=forms.HiddenInput)
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)


def report_fields(*, assessment: Assessment | None = None, language: str = "") -> dict:
    """What the button asking for a report posts: the assessment (none for the region
    report) and a language to choose, the reader's first."""
    known = dict(settings.LANGUAGES)
    code = (language or get_language() or settings.LANGUAGE_CODE).lower()
    if code not in known:
        code = code.split("-")[0] if code.split("-")[0] in known else settings.LANGUAGE_CODE
    return {"assessment": assessment.pk if assessment else "", "language": code,
            "languages": settings.LANGUAGES}


def _campaign(request, campaign_id) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("region"), pk=campaign_id)


def _report(request, report_id) -> Report:
    report = get_object_or_404(
        Report.objects.select_related("campaign", "assessment__city", "assessment__region",
                                      "region"), pk=report_id)
    if not reports.may_read_report(request.user, report):
        raise Http404
    return report


def _to_report(report: Report):
    return redirect("report-detail", region_slug=report.region.slug, report_id=report.pk)


@require_POST
@requires("alliance.view_region")
def report_request(request, region_slug, campaign_id):
    """Ask for a report: the one already made when its data is unchanged, else a new one
    queued. The region's secretariat and reviewers ask for any; a city contact for their
    own city's once it is submitted."""
    campaign = _campaign(request, campaign_id)
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        # Plain text: a refused choice is quoted in its message.
        return HttpResponseBadRequest(" ".join(
            str(error) for errors in form.errors.values() for error in errors),
            content_type="text/plain; charset=utf-8")
    assessment = None
    if form.cleaned_data["assessment"]:
        assessment = get_object_or_404(
            Assessment.objects.filter(campaign=campaign).select_related("city", "region"),
            pk=form.cleaned_data["assessment"])
        if not reports.may_read_city(request.user, assessment):
            raise Http404
    elif not reports.may_read_region(request.user, request.region):
        raise PermissionDenied
    with refused_as_message(request) as refusal:
        report = reports.request_report(actor=request.user, campaign=campaign,
                                        assessment=assessment,
                                        language=form.cleaned_data["language"])
    if refusal:
        return redirect("region-dashboard", region_slug=region_slug)
    if report.state == Report.State.READY:
        messages.success(request, _("This report is up to date: its data has not changed."))
    return _to_report(report)


@require_safe
@requires("alliance.view_region")
def report_detail(request, region_slug, report_id):
    """The report's progress while it is made (htmx asks again every two seconds), then its
    download; a failed report shows why and can be asked for again."""
    report = _report(request, report_id)
    context = {"report": report, "stalled": reports.stalled(report),
               "fields": report_fields(assessment=report.assessment,
                                       language=report.language)}
    if request.htmx:
        return render(request, "assessments/_report_progress.html", context)
    return render(request, "assessments/report_detail.html", context)


@require_safe
@requires("alliance.view_region")
def report_download(request, region_slug, report_id):
    report = _report(request, report_id)
    if report.state != Report.State.READY or not report.file:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, content_type="application/pdf",
                            filename=f"{reports.download_name(report)}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@requires("alliance.view_region")
def campaign_export(request, region_slug, campaign_id):
    """?format=csv|xlsx: every city's answers for the region's secretariat and reviewers,
    the city's own for a city contact."""
    campaign = _campaign(request, campaign_id)
    kind = request.GET.get("format", "csv")
    if kind not in exports.FORMATS:
        return HttpResponseBadRequest(_("Choose CSV or XLSX."),
                                      content_type="text/plain; charset=utf-8")
    answers = exports.answers_of(campaign)
    if not reports.may_read_region(request.user, request.region):
        if not exports.own_assessments(request.user, campaign).exists():
            raise Http404
        answers = answers.filter(assessment__in=exports.own_assessments(request.user, campaign))
    name = f"answers-{campaign.year}-{request.region.slug}"
    if kind == "xlsx":
        return exports.xlsx_response(answers, f"{name}.xlsx")
    return exports.csv_response(answers, f"{name}.csv")


urlpatterns = [
    path("campaigns/<int:campaign_id>/reports/", report_request, name="report-request"),
    path("campaigns/<int:campaign_id>/export/", campaign_export, name="campaign-export"),
    path("reports/<int:report_id>/", report_detail, name="report-detail"),
    path("reports/<int:report_id>/download/", report_download, name="report-download"),
]
