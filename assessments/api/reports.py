"""REST API for benchmarks and reports: a campaign's figures (the privacy floor applied: a
cohort under it answers no figures), the global benchmark by region, and PDF reports asked
for, then read back (state, progress, download URL) until ready."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from alliance.api import IdField, RefuseUnknownFields, RegionRowField, ServiceWrites
from alliance.models import Region
from cities.models import Tier

from .. import benchmarks
from ..benchmarks import Band, Cohort
from ..models import Assessment, Campaign, Principle, Report
from ..services import reports


class CohortSerializer(serializers.Serializer):
    band = serializers.ChoiceField(choices=Band.choices, required=False, allow_blank=True,
                                   help_text="Population band of the peer cohort.")
    tier = serializers.ChoiceField(choices=Tier.choices, required=False, allow_blank=True)


class GlobalQuerySerializer(CohortSerializer):
    year = IdField(required=False, help_text="The campaigns' year; the latest by default.")


class FiguresSerializer(serializers.Serializer):
    principle = serializers.CharField(source="key", help_text='A principle, or "overall".')
    label = serializers.CharField()
    count = serializers.IntegerField(source="figures.count", allow_null=True)
    minimum = serializers.FloatField(source="figures.minimum", allow_null=True)
    q1 = serializers.FloatField(source="figures.q1", allow_null=True)
    median = serializers.FloatField(source="figures.median", allow_null=True)
    q3 = serializers.FloatField(source="figures.q3", allow_null=True)
    maximum = serializers.FloatField(source="figures.maximum", allow_null=True)


class BenchmarkSerializer(serializers.Serializer):
    shown = serializers.BooleanField(
        help_text="False under the privacy floor: every figure is then null.")
    floor = serializers.SerializerMethodField()
    cities = serializers.SerializerMethodField(
        help_text="Cities counted; null under the privacy floor.")
    rows = FiguresSerializer(many=True)

    def get_floor(self, benchmark) -> int:
        return benchmarks.PRIVACY_FLOOR

    def get_cities(self, benchmark) -> int | None:
        return benchmark.cities if benchmark.shown else None


def _cohort(view, request) -> Cohort:
    data = view.validated(CohortSerializer, request.query_params)
    return Cohort(band=data.get("band", ""), tier=data.get("tier", ""))


class BenchmarkViewSet(ServiceWrites, viewsets.GenericViewSet):
    """A campaign's benchmark among the cities of a peer cohort (?band=, ?tier=)."""

    action_permission = "assessments.view_benchmarks"
    serializer_class = BenchmarkSerializer

    @extend_schema(parameters=[CohortSerializer], responses=BenchmarkSerializer)
    def list(self, request, *args, **kwargs):
        campaign = get_object_or_404(Campaign.objects.all(), pk=kwargs["campaign_id"])
        benchmark = benchmarks.campaign_benchmark(campaign, _cohort(self, request))
        return Response({"campaign": campaign.pk, "year": campaign.year,
                         **BenchmarkSerializer(benchmark).data})


class GlobalBenchmarkViewSet(ServiceWrites, viewsets.GenericViewSet):
    """Every region's cities of a year together, and each region as a cohort of its own."""

    action_permission = "assessments.view_global_benchmark"
    serializer_class = BenchmarkSerializer

    @extend_schema(parameters=[GlobalQuerySerializer], responses=BenchmarkSerializer)
    def list(self, request, *args, **kwargs):
        query = self.validated(GlobalQuerySerializer, request.query_params)
        year = query.get("year") or Campaign.objects.order_by("-year").values_list(
            "year", flat=True).first()
        if year is None:
            raise NotFound("No campaign yet.")
        regions = list(Region.objects.order_by("name"))
        together, by_region = benchmarks.global_benchmark(
            year, regions, Cohort(band=query.get("band", ""), tier=query.get("tier", "")),
            principles=list(Principle.objects.all()))
        return Response({"year": year, **BenchmarkSerializer(together).data,
                         "regions": [{"region": region.slug, **BenchmarkSerializer(bench).data}
                                     for region, bench in by_region]})


class ReportSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text='"city" or "region".')
    state = serializers.CharField(
        read_only=True, help_text='"queued", "rendering", "ready" or "failed" (see `error`).')
    download_url = serializers.SerializerMethodField(
        help_text="Where the PDF is downloaded once the report is ready; null before.")

    class Meta:
        model = Report
        fields = ["id", "kind", "campaign", "assessment", "language", "state", "progress",
                  "error", "created_at", "finished_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, report) -> str | None:
        if report.state != Report.State.READY:
            return None
        url = reverse("report-download", kwargs={"region_slug": report.region.slug,
                                                 "report_id": report.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ReportRequestSerializer(RefuseUnknownFields, serializers.Serializer):
    """The region report of a campaign, or a city's report (`assessment` of that campaign)."""

    campaign = RegionRowField(Campaign)
    assessment = RegionRowField(Assessment, required=False, allow_null=True, default=None)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, default="en")

    def validate(self, data):
        assessment = data.get("assessment")
        if assessment is not None and assessment.campaign_id != data["campaign"].pk:
            raise serializers.ValidationError(
                {"assessment": ["This assessment belongs to another campaign."]})
        return data


class ReportViewSet(ServiceWrites, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """PDF reports: POST asks for one (the one already made when its data is unchanged:
    200; else a new one queued: 201); GET follows its progress to the download URL. A city
    contact reaches their own city's reports only, once it is submitted."""

    action_permission = "alliance.view_region"
    serializer_class = ReportSerializer
    lookup_url_kwarg = "report_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        user, region = self.request.user, self.request.region
        rows = Report.objects.filter(region=region).select_related("region")
        if reports.may_read_region(user, region):
            return rows
        if not reports.is_city_contact(user, region):
            return rows.none()
        return rows.filter(kind=Report.Kind.CITY, assessment__city__contacts__user=user,
                           assessment__state__in=reports.SHOWN_RESULTS).distinct()

    @extend_schema(request=ReportRequestSerializer, responses={200: ReportSerializer,
                                                                201: ReportSerializer})
    def create(self, request, *args, **kwargs):
        data = self.validated(ReportRequestSerializer, request.data)
        assessment = data["assessment"]
        if assessment is not None and not reports.may_read_city(request.user, assessment):
            raise NotFound()
        if assessment is None and not reports.may_read_region(request.user, request.region):
            raise PermissionDenied()
        report, created = reports.obtain_report(
            actor=request.user, campaign=data["campaign"], assessment=assessment,
            language=data["language"])
        return Response(ReportSerializer(report, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


REGION_ROUTES = [
    ("campaigns/<int:campaign_id>/benchmark", BenchmarkViewSet, "campaign-benchmark"),
    ("reports", ReportViewSet, "report"),
]
GLOBAL_ROUTES = [
    ("benchmark", GlobalBenchmarkViewSet, "benchmark"),
]
