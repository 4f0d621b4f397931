"""REST API of the expert pipeline, over the same services as the pages. In a region
(/api/v1/regions/<slug>/): `experts` (list with the table's filters, retrieve, create,
update; actions `move`, `invite`, `request-vetting`, `request-clearance`) and `interviews`
(list, `?expert=` for one expert's, retrieve, create, update). The vetting gate holds here as
on the pages; bad input answers 400 with the field's reason and changes nothing."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance.api import RefuseUnknownFields, ServiceWrites
from alliance.limits import MAX_ID
from assessments.models import ModelPolicy, Principle
from cities.forms import owner_choices
from cities.models import Channel

from ..forms.pipeline import MAX_LANGUAGES, MAX_LINKS, ExpertFilterForm
from ..models import (
    PUBLIC_FIELD_CHOICES,
    Expert,
    ExpertKind,
    Interview,
    RedFlag,
    Sector,
    Stage,
    Suitability,
)
from ..services import interviews, pipeline, vetting

VIEW, EDIT = "experts.view", "experts.edit"


class ExpertSerializer(serializers.ModelSerializer):
    principles = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    owner = serializers.PrimaryKeyRelatedField(read_only=True)
    needs_vetting_approval = serializers.BooleanField(read_only=True)

    class Meta:
        model = Expert
        fields = ["id", "kind", "name", "organization", "title", "sector", "is_forum_partner",
                  "email", "principles", "model_policies", "languages", "bio", "links",
                  "declared_interests", "public_fields", "channel", "stage", "stage_changed_at",
                  "owner", "needs_vetting_approval", "created_at"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class OwnerField(serializers.PrimaryKeyRelatedField):
    """A person who may own an expert: the region's secretariat or the Global Secretariat."""

    def get_queryset(self):
        return owner_choices(self.context["request"].region)


class ExpertInputSerializer(RefuseUnknownFields, serializers.Serializer):
    """An expert's details; on update, only the fields sent change. The stage moves through
    the `move` and `invite` actions."""

    kind = serializers.ChoiceField(choices=ExpertKind.choices, required=False)
    name = serializers.CharField(max_length=150)
    organization = serializers.CharField(max_length=150, required=False, allow_blank=True)
    title = serializers.CharField(max_length=150, required=False, allow_blank=True)
    sector = serializers.ChoiceField(choices=Sector.choices)
    is_forum_partner = serializers.BooleanField(required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    principles = serializers.SlugRelatedField(slug_field="key", many=True, required=False,
                                              queryset=Principle.objects.all())
    model_policies = serializers.PrimaryKeyRelatedField(
        many=True, required=False,
        queryset=ModelPolicy.objects.filter(status=ModelPolicy.Status.ADOPTED))
    languages = serializers.ListField(child=serializers.CharField(max_length=30),
                                      max_length=MAX_LANGUAGES, required=False)
    bio = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    links = serializers.ListField(child=serializers.URLField(max_length=200),
                                  max_length=MAX_LINKS, required=False)
    declared_interests = serializers.CharField(max_length=3000, required=False,
                                               allow_blank=True)
    public_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=PUBLIC_FIELD_CHOICES), required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False,
                                      allow_blank=True)
    owner = OwnerField(required=False, allow_null=True)


class ExpertMoveSerializer(RefuseUnknownFields, serializers.Serializer):
    to = serializers.ChoiceField(choices=Stage.choices)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ExpertViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """The region's experts. List filters: `q` (name or organization), `stage`, `sector`,
    `forum_partner` (yes/no), `principle` (an id), `owner=mine`, `sort`."""

    serializer_class = ExpertSerializer
    action_permission = VIEW
    write_permissions = {"create": EDIT, "partial_update": EDIT, "update": EDIT, "move": EDIT,
                         "invite": EDIT, "request_vetting": EDIT, "request_clearance": EDIT}
    lookup_url_kwarg = "expert_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        rows = Expert.objects.filter(region=self.request.region).prefetch_related(
            "principles", "model_policies")
        if self.action != "list":
            return rows
        filters = ExpertFilterForm(self.request.query_params)
        if not filters.is_valid():
            raise serializers.ValidationError(filters.errors.get_json_data())
        data = {k: v for k, v in filters.cleaned_data.items() if v}
        return pipeline.experts_in(self.request.region, user=self.request.user,
                                   **{**data, "sort": data.get("sort") or "name"}
                                   ).prefetch_related("principles", "model_policies")

    @extend_schema(request=ExpertInputSerializer, responses={201: ExpertSerializer})
    def create(self, request, *args, **kwargs):
        data = self.validated(ExpertInputSerializer, request.data)
        expert = pipeline.create_expert(actor=request.user, region=request.region, **data)
        return Response(self._shown(expert), status=status.HTTP_201_CREATED)

    @extend_schema(request=ExpertInputSerializer, responses={200: ExpertSerializer})
    def partial_update(self, request, *args, **kwargs):
        expert = self.get_object()
        data = self.validated(ExpertInputSerializer, request.data, partial=True)
        pipeline.update_expert(actor=request.user, expert=expert, **data)
        return Response(self._shown(expert))

    @extend_schema(request=ExpertInputSerializer, responses={200: ExpertSerializer})
    def update(self, request, *args, **kwargs):
        expert = self.get_object()
        data = self.validated(ExpertInputSerializer, request.data)
        pipeline.update_expert(actor=request.user, expert=expert, **data)
        return Response(self._shown(expert))

    @extend_schema(request=ExpertMoveSerializer, responses={200: ExpertSerializer})
    @action(detail=True, methods=["post"])
    def move(self, request, *args, **kwargs):
        """Move the expert with the stage control's rules (a reason for declined and alumni;
        a Forum reviewer vets private-sector experts and Forum Partners)."""
        expert = self.get_object()
        data = self.validated(ExpertMoveSerializer, request.data)
        vetting.move_stage(actor=request.user, expert=expert, to=data["to"], note=data["note"])
        return Response(self._shown(expert))

    @extend_schema(request=None, responses={200: ExpertSerializer})
    @action(detail=True, methods=["post"])
    def invite(self, request, *args, **kwargs):
        """Invite a vetted expert (refused, with the reason, until the vetting gate opens)."""
        expert = self.get_object()
        pipeline.invite(actor=request.user, expert=expert)
        return Response(self._shown(expert))

    @extend_schema(request=None, responses={201: None})
    @action(detail=True, methods=["post"], url_path="request-vetting")
    def request_vetting(self, request, *args, **kwargs):
        """Ask a Forum reviewer to vet the interviewed expert."""
        approval = vetting.request_vetting(actor=request.user, expert=self.get_object())
        return Response({"approval": approval.pk, "state": approval.state},
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: None})
    @action(detail=True, methods=["post"], url_path="request-clearance")
    def request_clearance(self, request, *args, **kwargs):
        """Ask a Forum reviewer for the engagement clearance to approach a Forum Partner."""
        approval = vetting.request_clearance(actor=request.user, expert=self.get_object())
        return Response({"approval": approval.pk, "state": approval.state},
                        status=status.HTTP_201_CREATED)

    def _shown(self, expert: Expert) -> dict:
        return ExpertSerializer(self.get_queryset().get(pk=expert.pk)).data


class FlagSerializer(serializers.Serializer):
    raised = serializers.BooleanField()
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True,
                                 default="")


class InterviewSerializer(serializers.ModelSerializer):
    principles = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    raised_flags = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Interview
        fields = ["id", "expert", "held_on", "interviewer", "strengths", "principles",
                  "model_policies", "red_flags", "raised_flags", "suitability",
                  "decision_note", "created_at"]
        read_only_fields = fields


class InterviewInputSerializer(RefuseUnknownFields, serializers.Serializer):
    """An interview; `red_flags` is {flag: {"raised": bool, "note": str}} for the flags
    ticked (others are not raised): a raised flag needs its note."""

    expert = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    held_on = serializers.DateField()
    interviewer = OwnerField(required=False, allow_null=True)
    strengths = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    principles = serializers.SlugRelatedField(slug_field="key", many=True, required=False,
                                              queryset=Principle.objects.all())
    model_policies = serializers.PrimaryKeyRelatedField(
        many=True, required=False,
        queryset=ModelPolicy.objects.filter(status=ModelPolicy.Status.ADOPTED))
    red_flags = serializers.DictField(child=FlagSerializer(), required=False)
    suitability = serializers.ChoiceField(choices=Suitability.choices, required=False)
    decision_note = serializers.CharField(max_length=3000, required=False, allow_blank=True)

    def validate_red_flags(self, value):
        unknown = sorted(set(value) - set(RedFlag.values))
        if unknown:
            raise serializers.ValidationError(_("“%(code)s” is not a red flag of the "
                                                "checklist.") % {"code": unknown[0]})
        return value


class InterviewUpdateSerializer(InterviewInputSerializer):
    expert = None


class InterviewViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """Interviews of the region's experts; `?expert=<id>` for one expert's."""

    serializer_class = InterviewSerializer
    action_permission = VIEW
    write_permissions = {"create": EDIT, "partial_update": EDIT}
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_url_kwarg = "interview_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        rows = (Interview.objects.filter(region=self.request.region)
                .prefetch_related("principles", "model_policies"))
        expert = self.request.query_params.get("expert")
        if self.action == "list" and expert is not None:
            if not expert.isdigit() or int(expert) > MAX_ID:
                raise serializers.ValidationError({"expert": [_("Give an expert's id.")]})
            rows = rows.filter(expert_id=int(expert))
        return rows

    @extend_schema(parameters=[OpenApiParameter("expert", int, required=False)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=InterviewInputSerializer, responses={201: InterviewSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(self.validated(InterviewInputSerializer, request.data))
        expert = get_object_or_404(Expert.objects.filter(region=request.region),
                                   pk=data.pop("expert"))
        interview = interviews.record_interview(actor=request.user, expert=expert, **data)
        return Response(self._shown(interview), status=status.HTTP_201_CREATED)

    @extend_schema(request=InterviewUpdateSerializer, responses={200: InterviewSerializer})
    def partial_update(self, request, *args, **kwargs):
        interview = self.get_object()
        data = dict(self.validated(InterviewUpdateSerializer, request.data, partial=True))
        if "red_flags" in data:
            data["red_flags"] = {code: dict(flag) for code, flag in data["red_flags"].items()}
        interviews.update_interview(actor=request.user, interview=interview, **data)
        return Response(self._shown(interview))

    def _shown(self, interview: Interview) -> dict:
        return InterviewSerializer(self.get_queryset().get(pk=interview.pk)).data


# Registered in alliance/urls.py through experts/api/__init__.py.
REGION_ROUTES = [
    ("experts", ExpertViewSet, "expert"),
    ("interviews", InterviewViewSet, "interview"),
]
GLOBAL_ROUTES: list = []
