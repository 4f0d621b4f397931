"""REST API v1: the same services and queries as the pages, behind the same choke point."""

from collections.abc import Mapping

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from . import permissions, queries
from .forms import ApprovalFilterForm
from .limits import MAX_ID, TOO_LARGE, TOO_SMALL, as_integral
from .models import ApprovalRequest, Membership, Notification, Region
from .services import approvals, notifications

# -- what every app's viewsets and serializers build on -----------------------------------

class ServiceWrites:
    """For viewsets whose writes call services. `action_permission` guards every action
    (RegionAccess checks it, reads included); `write_permissions` names the further right each
    write action needs, checked before any input is read. The services check again, because
    admin, tasks and commands reach them too."""

    write_permissions: dict[str, str] = {}

    def check_permissions(self, request):
        super().check_permissions(request)
        needed = self.write_permissions.get(self.action)
        if needed and not permissions.can(request.user, needed, region=request.region):
            raise PermissionDenied(_("Your role does not allow this here."))

    def validated(self, serializer_class, data, **kwargs) -> dict:
        serializer = serializer_class(data=data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class RefuseUnknownFields:
    """For every serializer that reads input: a field it does not accept is refused by name,
    not dropped. A client that sends `stage` or a misspelt `populaton` would otherwise get
    a 200 and believe the change was made. Read-only fields count as unknown: stage moves,
    ids and regions are never set by an edit."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            refused = {}
            for name in sorted(set(data) - writable):
                if name in self.fields:
                    refused[name] = [_("This field is read-only: it cannot be set here.")]
                else:
                    refused[name] = [_("Unknown field.")]
            if refused:
                raise serializers.ValidationError(refused)
        return super().to_internal_value(data)


class WholeNumberField(serializers.IntegerField):
    """An integer whose refusal of a big number (10**20, or 1e20) says it is too large."""

    default_error_messages = {"max_value": TOO_LARGE, "min_value": TOO_SMALL}

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            number = None if isinstance(data, bool) else as_integral(data)
            if number is None:
                raise
            return number


class IdField(WholeNumberField):
    """A row id: a positive integer that fits the database's id column."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.INT)
class RegionRowField(serializers.PrimaryKeyRelatedField):
    """The id of a `model` row of the request's region: another region's id does not exist."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.filter(region=self.context["request"].region)


# -- the core's own endpoints ------------------------------------------------------------

class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["slug", "name", "default_language", "time_zone", "phase"]


class MembershipSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Membership
        fields = ["region", "role"]


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    memberships = MembershipSerializer(many=True)
    regions = RegionSerializer(many=True)


class ApprovalSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    requested_by = serializers.EmailField(source="requested_by.email", read_only=True)
    decided_by = serializers.EmailField(source="decided_by.email", read_only=True,
                                        allow_null=True)
    title = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "What is asked, in the language of the request (Accept-Language); `summary` is as "
        "the requester wrote it."))

    class Meta:
        model = ApprovalRequest
        fields = ["id", "region", "kind", "route_role", "title", "summary", "state", "comment",
                  "requested_by", "requested_at", "decided_by", "decided_at"]


class DecisionSerializer(RefuseUnknownFields, serializers.Serializer):
    decision = serializers.ChoiceField(choices=[s.value for s in approvals.DECISIONS])
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "subject", "body", "url", "created_at", "read"]

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class MeViewSet(viewsets.ViewSet):
    """The signed-in user, their memberships and the regions they may enter."""

    @extend_schema(responses=MeSerializer)
    def list(self, request):
        user = request.user
        memberships = Membership.objects.filter(user=user).select_related("region")
        return Response(MeSerializer({
            "email": user.email, "full_name": user.full_name, "memberships": memberships,
            "regions": permissions.regions_of(user),
        }).data)


class ApprovalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """The approvals inbox of a region (or, under /global/, of every region)."""

    serializer_class = ApprovalSerializer
    action_permission = "alliance.view_approvals"
    lookup_url_kwarg = "approval_id"
    lookup_value_converter = "int"

    @extend_schema(parameters=[OpenApiParameter("kind", str), OpenApiParameter("state", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        return queries.approvals_for(self.request.user, self.request.region)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        filters = ApprovalFilterForm(self.request.query_params)
        if not filters.is_valid():
            raise serializers.ValidationError(
                {name: list(errors) for name, errors in filters.errors.items()})
        return queries.approvals_for(self.request.user, self.request.region,
                                     **filters.cleaned_data)

    @extend_schema(request=DecisionSerializer, responses=ApprovalSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, *args, **kwargs):
        approval = self.get_object()
        if not approvals.can_decide(request.user, approval):
            raise PermissionDenied(_("This request is not routed to you."))
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approval = approvals.decide(actor=request.user, approval=approval,
                                    decision=data.validated_data["decision"],
                                    comment=data.validated_data["comment"])
        return Response(ApprovalSerializer(approval).data)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The user's own notifications, newest first."""

    serializer_class = NotificationSerializer
    lookup_url_kwarg = "notification_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, *args, **kwargs):
        notification = get_object_or_404(self.get_queryset(), pk=kwargs["notification_id"])
        notifications.mark_read(actor=request.user, notification_ids=[notification.pk])
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: {"type": "object",
                                                  "properties": {"marked": {"type": "integer"}}}})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request, *args, **kwargs):
        return Response({"marked": notifications.mark_read(actor=request.user)})
