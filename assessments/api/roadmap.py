"""REST API of the Policy Roadmap and the published questionnaires, over the same services
and reads as the pages. In a region (/api/v1/regions/<slug>/): the principles, the adopted
model policies, the region's own proposals (a secretariat proposes one here: bad input answers
400 with the field's reason) and the published questionnaire versions with their sections and
questions. Under /api/v1/global/: the policies and versions again, for the Global
Secretariat."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from alliance.api import RefuseUnknownFields, ServiceWrites

from ..models import ModelPolicy, Principle, Question, QuestionnaireVersion, Section
from ..services import roadmap

Status = ModelPolicy.Status


class PrincipleSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    model_policies = serializers.SerializerMethodField(
        help_text="Ids of the adopted model policies that serve it.")

    class Meta:
        model = Principle
        fields = ["key", "label", "position", "model_policies"]

    def get_model_policies(self, obj) -> list[int]:
        return [policy.pk for policy in obj.adopted]


class ModelPolicySerializer(serializers.ModelSerializer):
    principles = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    proposed_by_region = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ModelPolicy
        fields = ["id", "title", "summary", "translations", "principles", "reference_title",
                  "reference_url", "status", "proposed_by_region"]
        read_only_fields = fields


class ProposalSerializer(ModelPolicySerializer):
    class Meta(ModelPolicySerializer.Meta):
        fields = [*ModelPolicySerializer.Meta.fields, "task_force", *roadmap.CHECKLIST,
                  "consistency_note", "created_at"]
        read_only_fields = fields


class ProposalInputSerializer(RefuseUnknownFields, serializers.Serializer):
    """A proposal: all three of the playbook's conditions must be true."""

    title = serializers.CharField(max_length=200)
    summary = serializers.CharField()
    principles = serializers.SlugRelatedField(slug_field="key", many=True, allow_empty=False,
                                              queryset=Principle.objects.all())
    reference_title = serializers.CharField(max_length=200)
    reference_url = serializers.URLField(max_length=500)
    task_force = serializers.CharField()
    has_geographical_representation = serializers.BooleanField()
    is_proven_model = serializers.BooleanField()
    is_consistent_with_roadmap = serializers.BooleanField()
    consistency_note = serializers.CharField(required=False, allow_blank=True, default="")


class PrincipleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The five principles, each with the ids of its adopted model policies."""

    serializer_class = PrincipleSerializer
    action_permission = "assessments.view_roadmap"
    pagination_class = None

    def get_queryset(self):
        return roadmap.roadmap_principles()


class ModelPolicyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):
    """The model policies on the roadmap (adopted)."""

    serializer_class = ModelPolicySerializer
    action_permission = "assessments.view_roadmap"
    lookup_url_kwarg = "policy_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        return (ModelPolicy.objects.filter(status=Status.ADOPTED)
                .select_related("proposed_by_region").prefetch_related("principles")
                .order_by("title", "id"))


class ProposalViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """The region's own model policy proposals, whatever their state; creating one asks the
    Global Secretariat for its model_policy approval."""

    serializer_class = ProposalSerializer
    action_permission = "assessments.view_roadmap"
    write_permissions = {"create": "assessments.propose_policy"}
    lookup_url_kwarg = "policy_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        return roadmap.proposals_of(self.request.region).select_related("proposed_by_region")

    @extend_schema(request=ProposalInputSerializer, responses={201: ProposalSerializer})
    def create(self, request, *args, **kwargs):
        data = self.validated(ProposalInputSerializer, request.data)
        policy = roadmap.propose_policy(actor=request.user, region=request.region, **data)
        return Response(ProposalSerializer(policy).data, status=status.HTTP_201_CREATED)


class QuestionSerializer(serializers.ModelSerializer):
    shown_if = serializers.SlugRelatedField(slug_field="name", read_only=True,
                                            help_text="The name of the question the rule "
                                                      "compares, if any.")

    class Meta:
        model = Question
        fields = ["id", "name", "kind", "text", "hint", "translations", "weight", "required",
                  "in_simplified", "shown_if", "operator", "value"]
        read_only_fields = fields


class SectionSerializer(serializers.ModelSerializer):
    principle = serializers.SlugRelatedField(slug_field="key", read_only=True)
    shown_if = serializers.SlugRelatedField(slug_field="name", read_only=True)
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["id", "name", "title", "translations", "principle", "model_policy",
                  "shown_if", "operator", "value", "questions"]
        read_only_fields = fields


class VersionSerializer(serializers.ModelSerializer):
    questionnaire = serializers.CharField(source="questionnaire.name", read_only=True)

    class Meta:
        model = QuestionnaireVersion
        fields = ["id", "questionnaire", "number", "state", "note", "published_at"]
        read_only_fields = fields


class VersionDetailSerializer(VersionSerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "sections"]
        read_only_fields = fields


class QuestionnaireVersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                                  viewsets.GenericViewSet):
    """Published questionnaire versions; one version with its sections and questions."""

    action_permission = "assessments.view_questionnaires"
    lookup_url_kwarg = "version_id"
    lookup_value_converter = "int"

    def get_serializer_class(self):
        return VersionDetailSerializer if self.action == "retrieve" else VersionSerializer

    def get_queryset(self):
        rows = (QuestionnaireVersion.objects.filter(state=QuestionnaireVersion.State.PUBLISHED)
                .select_related("questionnaire").order_by("questionnaire__name", "-number"))
        if self.action == "retrieve":
            questions = Question.objects.select_related("shown_if").order_by("position", "id")
            sections = (Section.objects.select_related("principle", "shown_if")
                        .order_by("position", "id")
                        .prefetch_related(Prefetch("questions", queryset=questions)))
            rows = rows.prefetch_related(Prefetch("sections", queryset=sections))
        return rows


# Registered in alliance/urls.py.
REGION_ROUTES = [
    ("roadmap/principles", PrincipleViewSet, "roadmap-principle"),
    ("roadmap/model-policies", ModelPolicyViewSet, "model-policy"),
    ("roadmap/proposals", ProposalViewSet, "policy-proposal"),
    ("questionnaire-versions", QuestionnaireVersionViewSet, "questionnaire-version"),
]
GLOBAL_ROUTES = [
    ("roadmap/principles", PrincipleViewSet, "roadmap-principle"),
    ("roadmap/model-policies", ModelPolicyViewSet, "model-policy"),
    ("questionnaire-versions", QuestionnaireVersionViewSet, "questionnaire-version"),
]
