"""REST API for a region's assessment campaigns: list, read, draft, launch, and the progress
of every city's assessment (mounted under /api/v1/regions/<slug>/campaigns/). The services'
refusals answer 400 with their message."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance.api import RefuseUnknownFields, ServiceWrites, WholeNumberField

from ..models import Assessment, Campaign, Variant
from ..services import campaigns

VIEW, MANAGE = "assessments.view_campaigns", "assessments.manage_campaigns"


class CampaignSerializer(serializers.ModelSerializer):
    questionnaire = serializers.CharField(source="version.questionnaire.name", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "year", "version", "questionnaire", "version_number", "variant",
                  "opens_on", "closes_on", "reminder_days", "extra_cities", "state",
                  "launch_total", "launch_done", "launched_at", "closed_at",
                  "prepared_by_schedule", "created_at"]
        read_only_fields = fields
        extra_kwargs = {"extra_cities": {"help_text": "Ids of the cities asked besides the "
                                                      "member cities."},
                        "launch_done": {"help_text": "Cities asked so far by the launch."}}


class CampaignDraftSerializer(RefuseUnknownFields, serializers.Serializer):
    """A campaign's draft: a published questionnaire version and a window; one a year."""

    year = WholeNumberField(min_value=2000, max_value=2100)
    version = serializers.PrimaryKeyRelatedField(
        queryset=campaigns.published_versions(),
        help_text="A published questionnaire version's id.")
    variant = serializers.ChoiceField(choices=Variant.choices, default=Variant.FULL)
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    reminder_days = WholeNumberField(min_value=1, max_value=60, default=7)

    def validate(self, attrs):
        if attrs["closes_on"] <= attrs["opens_on"]:
            raise serializers.ValidationError(
                {"closes_on": ["The deadline must come after the day the campaign opens."]})
        return attrs


class CampaignViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """The region's campaigns. A new campaign is a draft; launching it asks every member
    city and every city that opted in (a job: `state` is `launching` until `launch_done`
    reaches `launch_total`, then `open`)."""

    serializer_class = CampaignSerializer
    action_permission = VIEW
    write_permissions = {"create": MANAGE, "launch": MANAGE}
    lookup_url_kwarg = "campaign_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        return (Campaign.objects.filter(region=self.request.region)
                .select_related("version__questionnaire").prefetch_related("extra_cities")
                .order_by("-year", "-pk"))

    @extend_schema(request=CampaignDraftSerializer, responses={201: CampaignSerializer})
    def create(self, request, *args, **kwargs):
        draft = self.validated(CampaignDraftSerializer, request.data)
        campaign = campaigns.create_campaign(actor=request.user, region=request.region,
                                             **draft)
        return Response(CampaignSerializer(self.get_queryset().get(pk=campaign.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def launch(self, request, *args, **kwargs):
        campaign = campaigns.launch_campaign(actor=request.user, campaign=self.get_object())
        return Response(CampaignSerializer(self.get_queryset().get(pk=campaign.pk)).data)


class ProgressSerializer(serializers.ModelSerializer):
    city_name = serializers.CharField(source="city.name", read_only=True)
    has_key_contact = serializers.BooleanField(read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "city", "city_name", "state", "last_activity_at", "invited_at",
                  "last_reminded_at", "submitted_at", "has_key_contact"]
        read_only_fields = fields


class ProgressFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Assessment.State.choices, required=False)
    search = serializers.CharField(required=False, max_length=100,
                                   help_text="Part of the city's name.")


class CampaignProgressViewSet(ServiceWrites, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every city's assessment in a campaign: its state and last activity."""

    serializer_class = ProgressSerializer
    action_permission = VIEW

    def get_queryset(self):
        campaign = get_object_or_404(Campaign.objects.filter(region=self.request.region),
                                     pk=self.kwargs["campaign_id"])
        filters = self.validated(ProgressFilterSerializer, self.request.query_params)
        return campaigns.progress_rows(campaign, state=filters.get("state", ""),
                                       search=filters.get("search", ""))

    @extend_schema(parameters=[ProgressFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
