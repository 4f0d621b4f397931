"""Benchmark pages: a campaign's distribution of scores for the region's secretariat and
reviewers (cut by peer cohort), a city's results against its region, and the global
benchmark across regions for the Global Secretariat. A cohort under the privacy floor shows
no figures, and the page says why."""

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from alliance.models import Region
from alliance.pagination import PER_PAGE
from alliance.views import requires, url_prefix
from cities.models import Tier

from .. import benchmarks, charts
from ..benchmarks import Band, Cohort
from ..models import Assessment, Campaign, Principle
from ..services import reports
from .reports import report_fields

ANY = [("", gettext_lazy("Any"))]


class CohortForm(forms.Form):
    """The peer cohort: a population band and a tier, any by default."""

    band = forms.ChoiceField(label=gettext_lazy("Population"), required=False,
                             choices=ANY + Band.choices)
    tier = forms.ChoiceField(label=gettext_lazy("Tier"), required=False,
                             choices=ANY + Tier.choices)

    def cohort(self) -> Cohort:
        return Cohort(band=self.cleaned_data.get("band", ""),
                      tier=self.cleaned_data.get("tier", ""))


class GlobalForm(CohortForm):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False)

    field_order = ["year", "band", "tier"]

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]


def _cohort(request) -> tuple[CohortForm, Cohort | None]:
    form = CohortForm(request.GET)
    return form, (form.cohort() if form.is_valid() else None)


@require_safe
@requires("assessments.view_benchmarks")
def campaign_benchmark(request, region_slug, campaign_id):
    campaigns = _campaigns()
    campaign = next((c for c in campaigns if c.pk == campaign_id), None)
    if campaign is None:
        raise Http404
    return _benchmark_page(request, campaign, campaigns)


@require_safe
@requires("assessments.view_benchmarks")
def region_benchmark(request, region_slug):
    """The menu's Benchmark: the latest campaign's."""
    campaigns = _campaigns()
    if not campaigns:
        return render(request, "assessments/benchmark_none.html")
    return _benchmark_page(request, campaigns[0], campaigns)


def _campaigns() -> list[Campaign]:
    """The region's campaigns, one a year, latest first: the page's year switcher."""
    return list(Campaign.objects.order_by("-year").only("pk", "year", "region_id"))


def _benchmark_page(request, campaign: Campaign, campaigns: list[Campaign]):
    """A campaign's distribution per principle among the cities of the chosen cohort, and
    the cohort's cities best first."""
    form, cohort = _cohort(request)
    principles = list(Principle.objects.all())
    benchmark = (benchmarks.campaign_benchmark(campaign, cohort, principles=principles)
                 if cohort is not None else None)
    chart = page = None
    if benchmark is not None:
        # Read under the floor too, not shown then: the page costs the same for any cohort.
        # The benchmark counted the cohort's cities already: the paginator is told, not asked.
        rows = (benchmarks.counted(benchmarks.cohort_assessments(campaign, cohort))
                .select_related("city").only("pk", "state", "overall_score", "submitted_at",
                                             "city__name")
                .order_by("-overall_score", "city__name", "pk"))
        paginator = Paginator(rows, PER_PAGE)
        paginator.__dict__["count"] = benchmark.cities
        page = paginator.get_page(request.GET.get("page"))
        start = (page.number - 1) * PER_PAGE
        page.object_list = list(rows[start:start + PER_PAGE])
    if benchmark is not None:
        chart = charts.box_plot(
            [charts.BoxRow(row.label, row.figures) for row in benchmark.rows],
            chart_id="benchmark",
            title=_("Scores of the cities by principle, %(year)s") % {"year": campaign.year})
    region_slug = request.region.slug
    return render(request, "assessments/benchmark_campaign.html", {
        "campaign": campaign, "campaigns": campaigns, "form": form, "cohort": cohort,
        "benchmark": benchmark, "chart": chart, "floor": benchmarks.PRIVACY_FLOOR,
        "fields": report_fields(),
        "table_body": charts.table_rows(benchmark.rows) if benchmark else "",
        "page_obj": page, "results_prefix": url_prefix("assessment-results", "assessment_id",
                                                       region_slug=region_slug),
        "benchmark_prefix": url_prefix("campaign-benchmark", "campaign_id",
                                       region_slug=region_slug),
        "may_report": reports.may_read_region(request.user, request.region)})


@require_safe
@requires("alliance.view_region")
def assessment_results(request, region_slug, assessment_id):
    """A city's scores by principle against its region's benchmark and last year. The
    region's secretariat and reviewers see any city's; a city contact their own, once
    submitted (before, the page says when it will show)."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("city", "campaign", "region"), pk=assessment_id)
    user = request.user
    own = reports.is_contact_of(user, assessment.city_id, request.region)
    if not (own or reports.may_read_region(user, request.region)):
        raise Http404
    context = {"assessment": assessment, "city": assessment.city,
               "campaign": assessment.campaign, "floor": benchmarks.PRIVACY_FLOOR,
               "own": own, "pending": assessment.state not in reports.SHOWN_RESULTS}
    if own and context["pending"]:
        return render(request, "assessments/benchmark_results.html", context)
    benchmark, place, previous, lines = reports.city_results(assessment)
    context.update({"benchmark": benchmark, "place": place, "previous": previous,
                    "lines": lines, "fields": report_fields(assessment=assessment),
                    "table_body": charts.table_rows(lines, own=True),
                    **reports.city_charts(assessment, lines)})
    return render(request, "assessments/benchmark_results.html", context)


@require_safe
@requires("assessments.view_global_benchmark")
def global_benchmark(request):
    """Every region's cities of a year together, and each region as a cohort of its own."""
    years = sorted(set(Campaign.objects.order_by().values_list("year", flat=True)),
                   reverse=True)
    form = GlobalForm(request.GET, years=years)
    context = {"form": form, "years": years, "floor": benchmarks.PRIVACY_FLOOR}
    if years and form.is_valid():
        year = form.cleaned_data.get("year") or years[0]
        regions = list(Region.objects.order_by("name"))
        together, by_region = benchmarks.global_benchmark(
            year, regions, form.cohort(), principles=list(Principle.objects.all()))
        context.update({
            "year": year, "together": together, "by_region": by_region,
            "table_body": charts.table_rows(together.rows),
            "chart": charts.box_plot(
                [charts.BoxRow(row.label, row.figures) for row in together.rows],
                chart_id="global", title=_("Scores of all regions' cities by principle, "
                                           "%(year)s") % {"year": year}),
            "region_chart": charts.box_plot(
                [charts.BoxRow(region.localized_name, bench.overall)
                 for region, bench in by_region],
                chart_id="regions", title=_("Overall scores by region, %(year)s")
                % {"year": year})})
    return render(request, "assessments/benchmark_global.html", context)


urlpatterns = [
    path("benchmark/", region_benchmark, name="region-benchmark"),
    path("campaigns/<int:campaign_id>/benchmark/", campaign_benchmark, name="campaign-benchmark"),
    path("assessments/<int:assessment_id>/results/", assessment_results,
         name="assessment-results"),
]
global_urlpatterns = [
    path("benchmark/", global_benchmark, name="benchmark"),
]
