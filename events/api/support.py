"""REST API of implementation support, over the same services as the pages
(/api/v1/regions/<slug>/workplans/..., /workplan-templates/, /support-activities/).

The secretariat reads and writes every workplan of the region; a Forum reviewer reads them; a
city contact reads and edits their own city's (goals, responsible person, status, milestones,
monthly follow-ups; not advisors); an expert reads and comments on those they advise. Another
city's workplan answers 403 (as on the pages), another region's 404. Bad input answers 400
with the field's reason; a refusal of the service (a duplicate workplan, a kind needing
approval) answers 400 with its message."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from alliance.api import RefuseUnknownFields, RegionRowField, ServiceWrites
from cities.models import City

from ..forms.support import WorkplanFilterForm
from ..models import (
    Event,
    MilestoneStatus,
    SupportActivity,
    SupportKind,
    Workplan,
    WorkplanComment,
    WorkplanMilestone,
    WorkplanProgress,
    WorkplanStatus,
    WorkplanTemplate,
)
from ..queries import support as queries
from ..services import support, workplans

READS = ("GET", "HEAD", "OPTIONS")


# -- serializers ----------------------------------------------------------------------------

class WorkplanMilestoneSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    class Meta:
        model = WorkplanMilestone
        fields = ["id", "title", "due_on", "status", "responsible", "position", "done_at"]
        read_only_fields = ["id", "position", "done_at"]


class WorkplanSerializer(serializers.ModelSerializer):
    city_name = serializers.CharField(source="city.name", read_only=True)
    model_policy_title = serializers.CharField(source="model_policy.shown_title",
                                               read_only=True)
    progress_percent = serializers.IntegerField(read_only=True)
    advisors = serializers.SerializerMethodField()
    milestones = serializers.SerializerMethodField(
        help_text="The workplan's milestones, on its own endpoint; lists leave it null.")

    class Meta:
        model = Workplan
        fields = ["id", "city", "city_name", "model_policy", "model_policy_title", "template",
                  "goals", "responsible", "status", "milestones_total", "milestones_done",
                  "progress_percent", "advisors", "milestones", "created_at", "updated_at"]
        read_only_fields = fields

    def get_advisors(self, workplan) -> list[int] | None:
        advisors = self.context.get("advisors")
        return advisors if advisors is not None else None

    def get_milestones(self, workplan) -> list[dict] | None:
        rows = self.context.get("milestones")
        return WorkplanMilestoneSerializer(rows, many=True).data if rows is not None else None


class WorkplanCreateSerializer(RefuseUnknownFields, serializers.Serializer):
    city = RegionRowField(City, queryset=City.objects.none(), help_text="A city's id.")
    model_policy = serializers.PrimaryKeyRelatedField(
        queryset=workplans.adopted_policies(), help_text="An adopted model policy's id.")
    template = RegionRowField(WorkplanTemplate, queryset=WorkplanTemplate.objects.none(),
                              required=False, allow_null=True,
                              help_text="A template's id: its goals and milestones are "
                                        "copied, each due its days from today.")
    responsible = serializers.CharField(max_length=150, required=False, allow_blank=True)
    goals = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=WorkplanStatus.choices, required=False)


class WorkplanUpdateSerializer(RefuseUnknownFields, serializers.Serializer):
    goals = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    responsible = serializers.CharField(max_length=150, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=WorkplanStatus.choices, required=False)
    advisors = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=50,
        help_text="Expert ids (confirmed or active): the secretariat only.")


class WorkplanTemplateSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    milestones = serializers.ListField(
        child=serializers.DictField(), required=False, max_length=50,
        help_text='[{"title": "Adopt the policy", "after_days": 90}, ...]')

    class Meta:
        model = WorkplanTemplate
        fields = ["id", "title", "goals", "milestones", "is_active", "created_at"]
        read_only_fields = ["id", "created_at"]


class WorkplanCommentSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = WorkplanComment
        fields = ["id", "body", "author", "author_name", "created_at"]
        read_only_fields = ["id", "author", "author_name", "created_at"]
        extra_kwargs = {"body": {"max_length": 5000}}

    def get_author_name(self, comment) -> str | None:
        return str(comment.author) if comment.author_id else None


class WorkplanProgressSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    class Meta:
        model = WorkplanProgress
        fields = ["id", "month", "summary", "next_steps", "author", "created_at"]
        read_only_fields = ["id", "month", "author", "created_at"]
        extra_kwargs = {"summary": {"max_length": 5000}, "next_steps": {"max_length": 5000}}


class SupportActivitySerializer(serializers.ModelSerializer):
    city_name = serializers.CharField(source="city.name", read_only=True)

    class Meta:
        model = SupportActivity
        fields = ["id", "city", "city_name", "workplan", "kind", "other_kind", "description",
                  "planned_on", "event", "state", "created_at"]
        read_only_fields = fields


class SupportActivityInputSerializer(RefuseUnknownFields, serializers.Serializer):
    city = RegionRowField(City, queryset=City.objects.none())
    workplan = RegionRowField(Workplan, queryset=Workplan.objects.none(), required=False,
                              allow_null=True)
    kind = serializers.ChoiceField(choices=SupportKind.choices, help_text=(
        "From the allowed list; `other` asks the Global Secretariat first."))
    other_kind = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    planned_on = serializers.DateField(required=False, allow_null=True)
    event = RegionRowField(Event, queryset=Event.objects.none(), required=False,
                           allow_null=True)


# -- workplans ------------------------------------------------------------------------------

class WorkplanViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """The region's workplans this person may read; filters `policy`, `status`, `q` (city)
    and `behind` (a milestone overdue)."""

    serializer_class = WorkplanSerializer
    action_permission = "alliance.view_region"
    write_permissions = {"create": workplans.MANAGE}
    lookup_url_kwarg = "workplan_id"
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        rows = (workplans.visible_workplans(self.request.user, self.request.region)
                .select_related("city", "model_policy").order_by("city__name", "pk"))
        if self.action != "list":
            return rows
        filters = WorkplanFilterForm(self.request.query_params)
        if not filters.is_valid():
            raise serializers.ValidationError(filters.errors)
        data = filters.cleaned_data
        return queries.filter_workplans(rows, policy=data["policy"], status=data["status"],
                                        q=data["q"], behind=data["behind"])

    def get_object(self):
        workplan = get_object_or_404(
            Workplan.objects.filter(region=self.request.region)
            .select_related("city", "model_policy"), pk=self.kwargs["workplan_id"])
        workplan.region = self.request.region
        if not workplans.may_view(self.request.user, workplan):
            raise PermissionDenied
        return workplan

    def _one(self, workplan) -> dict:
        workplan = Workplan.objects.select_related("city", "model_policy").get(pk=workplan.pk)
        return WorkplanSerializer(workplan, context={
            "milestones": list(workplan.milestones.all()),
            "advisors": list(workplan.advisors.values_list("pk", flat=True))}).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._one(self.get_object()))

    @extend_schema(request=WorkplanCreateSerializer, responses={201: WorkplanSerializer})
    def create(self, request, *args, **kwargs):
        data = self.validated(WorkplanCreateSerializer, request.data)
        workplan = workplans.create_workplan(actor=request.user, region=request.region, **data)
        return Response(self._one(workplan), status=status.HTTP_201_CREATED)

    @extend_schema(request=WorkplanUpdateSerializer, responses=WorkplanSerializer)
    def partial_update(self, request, *args, **kwargs):
        workplan = self.get_object()
        if not workplans.may_edit(request.user, workplan):
            raise PermissionDenied
        data = self.validated(WorkplanUpdateSerializer, request.data, partial=True)
        advisors = data.pop("advisors", None)
        if advisors is not None:
            if not workplans.manages(request.user, request.region):
                raise PermissionDenied(_("Only the secretariat names a workplan's advisors."))
            experts = list(workplans.advisor_choices(request.region).filter(pk__in=advisors))
            if len(experts) != len(set(advisors)):
                raise serializers.ValidationError({"advisors": [
                    _("Only confirmed or active experts of the region advise workplans.")]})
        if data:
            workplans.update_workplan(actor=request.user, workplan=workplan, **data)
        if advisors is not None:
            workplans.set_advisors(actor=request.user, workplan=workplan, advisors=experts)
        return Response(self._one(workplan))


class WorkplanPart(ServiceWrites):
    """A part of one workplan: readable by whoever may read the workplan; `writer` says who
    may write it."""

    action_permission = "alliance.view_region"

    def writer(self, workplan) -> bool:
        return workplans.may_edit(self.request.user, workplan)

    def workplan(self) -> Workplan:
        if not hasattr(self, "_workplan"):
            workplan = get_object_or_404(Workplan.objects.filter(region=self.request.region),
                                         pk=self.kwargs["workplan_id"])
            workplan.region = self.request.region
            allowed = (workplans.may_view(self.request.user, workplan)
                       if self.request.method in READS else self.writer(workplan))
            if not allowed:
                raise PermissionDenied
            self._workplan = workplan
        return self._workplan


class MilestoneViewSet(WorkplanPart, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    serializer_class = WorkplanMilestoneSerializer
    lookup_url_kwarg = "milestone_id"
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return WorkplanMilestone.objects.filter(region=self.request.region,
                                                workplan=self.workplan())

    def get_object(self):
        milestone = get_object_or_404(self.get_queryset(), pk=self.kwargs["milestone_id"])
        milestone.workplan = self.workplan()
        return milestone

    def create(self, request, *args, **kwargs):
        data = self.validated(WorkplanMilestoneSerializer, request.data)
        data.setdefault("status", MilestoneStatus.NOT_STARTED)
        milestone = workplans.add_milestone(actor=request.user, workplan=self.workplan(),
                                            **data)
        return Response(WorkplanMilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WorkplanMilestoneSerializer, responses=WorkplanMilestoneSerializer)
    def partial_update(self, request, *args, **kwargs):
        milestone = self.get_object()
        data = self.validated(WorkplanMilestoneSerializer, request.data, partial=True)
        milestone = workplans.update_milestone(actor=request.user, milestone=milestone, **data)
        return Response(WorkplanMilestoneSerializer(milestone).data)

    def destroy(self, request, *args, **kwargs):
        workplans.delete_milestone(actor=request.user, milestone=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentViewSet(WorkplanPart, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Advisors' comments, newest first: the secretariat and the workplan's advisors write."""

    serializer_class = WorkplanCommentSerializer
    http_method_names = ["get", "post", "head", "options"]

    def writer(self, workplan) -> bool:
        return workplans.may_comment(self.request.user, workplan)

    def get_queryset(self):
        return (WorkplanComment.objects.filter(region=self.request.region,
                                               workplan=self.workplan())
                .select_related("author"))

    def create(self, request, *args, **kwargs):
        data = self.validated(WorkplanCommentSerializer, request.data)
        comment = workplans.add_comment(actor=request.user, workplan=self.workplan(), **data)
        return Response(WorkplanCommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class ProgressViewSet(WorkplanPart, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Monthly follow-ups, newest first. POST writes this month's entry, or updates it when it
    exists (200 then, 201 when new)."""

    serializer_class = WorkplanProgressSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return WorkplanProgress.objects.filter(region=self.request.region,
                                               workplan=self.workplan())

    def create(self, request, *args, **kwargs):
        data = self.validated(WorkplanProgressSerializer, request.data)
        entry, created = workplans.record_progress(actor=request.user,
                                                   workplan=self.workplan(), **data)
        return Response(WorkplanProgressSerializer(entry).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


# -- templates and support activities -------------------------------------------------------

class TemplateViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    serializer_class = WorkplanTemplateSerializer
    action_permission = workplans.MANAGE
    lookup_url_kwarg = "workplan_template_id"
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return WorkplanTemplate.objects.filter(region=self.request.region).order_by("title",
                                                                                   "pk")

    def create(self, request, *args, **kwargs):
        data = self.validated(WorkplanTemplateSerializer, request.data)
        template = workplans.create_template(actor=request.user, region=request.region, **data)
        return Response(WorkplanTemplateSerializer(template).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WorkplanTemplateSerializer, responses=WorkplanTemplateSerializer)
    def partial_update(self, request, *args, **kwargs):
        template = self.get_object()
        data = self.validated(WorkplanTemplateSerializer, request.data, partial=True)
        template = workplans.update_template(actor=request.user, template=template, **data)
        return Response(WorkplanTemplateSerializer(template).data)


class ActivityViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """Support activities; creating one of kind `other` asks the Global Secretariat, and the
    activity awaits approval until it decides."""

    serializer_class = SupportActivitySerializer
    action_permission = support.MANAGE
    lookup_url_kwarg = "activity_id"
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (SupportActivity.objects.filter(region=self.request.region)
                .select_related("city").order_by("-created_at", "-pk"))

    @extend_schema(request=SupportActivityInputSerializer,
                   responses={201: SupportActivitySerializer})
    def create(self, request, *args, **kwargs):
        data = self.validated(SupportActivityInputSerializer, request.data)
        activity = support.create_activity(actor=request.user, region=request.region, **data)
        return Response(SupportActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


REGION_ROUTES = [
    ("workplans", WorkplanViewSet, "workplan"),
    ("workplans/<int:workplan_id>/milestones", MilestoneViewSet, "workplan-milestone"),
    ("workplans/<int:workplan_id>/comments", CommentViewSet, "workplan-comment"),
    ("workplans/<int:workplan_id>/progress", ProgressViewSet, "workplan-progress"),
    ("workplan-templates", TemplateViewSet, "workplan-template"),
    ("support-activities", ActivityViewSet, "support-activity"),
]
