"""REST API of the working groups, over the same services as the pages
(/api/v1/regions/<slug>/experts/groups/...).

The secretariat lists, reads, creates and changes every group of the region (naming a lead
writes their delegation); a Forum reviewer reads them. A group's lead reads their own group
and manages its members and sessions (`.../groups/<id>/members/`, `.../sessions/`): another
group of the region answers 403, another region's 404. Bad input answers 400 with the
field's reason."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from alliance import permissions
from alliance.api import RefuseUnknownFields, ServiceWrites
from alliance.services import delegations
from cities.models import Contact

from ..models import Cadence, Expert, GroupMember, GroupSession, WorkingGroup
from ..services import groups

MANAGE, VIEW = groups.MANAGE, groups.VIEW


class DelegationSerializer(serializers.Serializer):
    delegate = serializers.IntegerField(source="delegate_id")
    delegate_name = serializers.CharField(source="delegate.__str__")
    role = serializers.CharField()
    scope = serializers.CharField()
    starts_on = serializers.DateField()
    review_on = serializers.DateField()
    review_overdue = serializers.SerializerMethodField()

    def get_review_overdue(self, delegation) -> bool:
        return delegations.is_overdue(delegation)


class GroupSerializer(serializers.ModelSerializer):
    lead_name = serializers.SerializerMethodField()
    delegation = serializers.SerializerMethodField(
        help_text="The lead's delegation: role, scope, start and review date. Read on the "
                  "group's own endpoint; lists leave it null.")

    class Meta:
        model = WorkingGroup
        fields = ["id", "name", "theme", "model_policy", "purpose", "cadence", "lead",
                  "lead_name", "delegation", "created_at"]
        read_only_fields = fields

    def get_lead_name(self, group) -> str | None:
        return str(group.lead) if group.lead_id else None

    @extend_schema_field(DelegationSerializer(allow_null=True))
    def get_delegation(self, group) -> dict | None:
        current = self.context.get("delegation", ...)
        if current is ...:
            return None  # lists leave it to the group's own endpoint
        return DelegationSerializer(current).data if current else None


@extend_schema_field(OpenApiTypes.INT)
class RegionRows(serializers.PrimaryKeyRelatedField):
    """An id among the rows `rows(region)` offers in the request's region."""

    def __init__(self, rows, **kwargs):
        self.rows = rows
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.rows(self.context["request"].region)


class GroupInputSerializer(RefuseUnknownFields, serializers.Serializer):
    name = serializers.CharField(max_length=150)
    theme = serializers.CharField(max_length=200, required=False, allow_blank=True)
    model_policy = serializers.PrimaryKeyRelatedField(
        queryset=groups.adopted_policies(), required=False, allow_null=True,
        help_text="An adopted model policy's id.")
    purpose = serializers.CharField(required=False, allow_blank=True)
    cadence = serializers.ChoiceField(choices=Cadence.choices, required=False)
    lead = RegionRows(groups.lead_choices, required=False, allow_null=True, help_text=(
        "A user id: the region's secretariat, or an expert or city contact with an account."))
    lead_scope = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    lead_review_on = serializers.DateField(required=False, allow_null=True)


class GroupViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   viewsets.GenericViewSet):
    """The region's working groups. A lead without the secretariat's role sees the groups
    they lead."""

    serializer_class = GroupSerializer
    action_permission = "alliance.view_region"
    write_permissions = {"create": MANAGE, "partial_update": MANAGE}
    lookup_url_kwarg = "working_group_id"
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        rows = (WorkingGroup.objects.filter(region=self.request.region, is_archived=False)
                .select_related("lead").order_by("name", "id"))
        if permissions.can(self.request.user, VIEW, region=self.request.region):
            return rows
        return rows.filter(lead=self.request.user)

    def get_object(self):
        group = get_object_or_404(
            WorkingGroup.objects.filter(region=self.request.region).select_related("lead"),
            pk=self.kwargs["working_group_id"])
        group.region = self.request.region
        if not groups.may_view(self.request.user, group):
            raise PermissionDenied
        return group

    def _one(self, group) -> dict:
        group = WorkingGroup.objects.select_related("lead").get(pk=group.pk)
        return GroupSerializer(group, context={
            "delegation": delegations.current_delegation(group, groups.GRANT)}).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._one(self.get_object()))

    @extend_schema(request=GroupInputSerializer, responses={201: GroupSerializer})
    def create(self, request, *args, **kwargs):
        data = self.validated(GroupInputSerializer, request.data)
        group = groups.create_group(actor=request.user, region=request.region, **data)
        return Response(self._one(group), status=status.HTTP_201_CREATED)

    @extend_schema(request=GroupInputSerializer, responses=GroupSerializer)
    def partial_update(self, request, *args, **kwargs):
        group = self.get_object()
        data = self.validated(GroupInputSerializer, request.data, partial=True)
        if "lead" not in data:
            data["lead"] = ...
        groups.update_group(actor=request.user, group=group, **data)
        return Response(self._one(group))


class GroupPart(ServiceWrites):
    """A part of one group (its members, its sessions): the group must be the region's and
    the person its manager (the secretariat or its lead) to write, or a reader to read."""

    action_permission = "alliance.view_region"

    def group(self) -> WorkingGroup:
        if not hasattr(self, "_group"):
            group = get_object_or_404(WorkingGroup.objects.filter(region=self.request.region),
                                      pk=self.kwargs["working_group_id"])
            group.region = self.request.region
            allowed = (groups.may_view(self.request.user, group)
                       if self.request.method in ("GET", "HEAD", "OPTIONS")
                       else groups.may_manage(self.request.user, group))
            if not allowed:
                raise PermissionDenied
            self._group = group
        return self._group


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    kind = serializers.SerializerMethodField()

    class Meta:
        model = GroupMember
        fields = ["id", "kind", "expert", "contact", "name", "joined_on"]
        read_only_fields = fields

    def get_name(self, member) -> str:
        return member.expert.name if member.expert_id else member.contact.name

    def get_kind(self, member) -> str:
        return "expert" if member.expert_id else "contact"


class MemberInputSerializer(RefuseUnknownFields, serializers.Serializer):
    expert = RegionRows(lambda region: Expert.objects.filter(region=region), required=False,
                        allow_null=True, help_text="A confirmed or active expert's id.")
    contact = RegionRows(lambda region: Contact.objects.filter(region=region), required=False,
                         allow_null=True, help_text="A city contact's id.")

    def validate(self, attrs):
        if (attrs.get("expert") is None) == (attrs.get("contact") is None):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Give an expert or a city contact (one at a time).")]})
        return attrs


class MemberViewSet(GroupPart, mixins.ListModelMixin, mixins.CreateModelMixin,
                    mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The group's current members. Removing one records the day they left."""

    serializer_class = MemberSerializer
    lookup_url_kwarg = "member_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        return groups.current_members(self.group())

    @extend_schema(request=MemberInputSerializer, responses={201: MemberSerializer})
    def create(self, request, *args, **kwargs):
        group = self.group()
        data = self.validated(MemberInputSerializer, request.data)
        member = groups.add_member(actor=request.user, group=group, **data)
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        group = self.group()
        member = get_object_or_404(self.get_queryset(), pk=kwargs["member_id"])
        member.group = group
        groups.remove_member(actor=request.user, member=member)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SessionSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    class Meta:
        model = GroupSession
        fields = ["id", "title", "starts_at", "location", "notes"]
        read_only_fields = ["id"]
        extra_kwargs = {"starts_at": {"help_text": "ISO 8601; without an offset, the "
                                                   "region's time zone."}}


class SessionViewSet(GroupPart, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, mixins.DestroyModelMixin,
                     viewsets.GenericViewSet):
    """The group's sessions, soonest first."""

    serializer_class = SessionSerializer
    lookup_url_kwarg = "session_id"
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return GroupSession.objects.filter(region=self.request.region,
                                           group=self.group()).order_by("starts_at", "id")

    def get_object(self):
        session = get_object_or_404(self.get_queryset(), pk=self.kwargs["session_id"])
        session.group = self.group()
        return session

    def create(self, request, *args, **kwargs):
        group = self.group()
        data = self.validated(SessionSerializer, request.data)
        session = groups.create_session(actor=request.user, group=group, **data)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SessionSerializer, responses=SessionSerializer)
    def partial_update(self, request, *args, **kwargs):
        session = self.get_object()
        data = self.validated(SessionSerializer, request.data, partial=True)
        session = groups.update_session(actor=request.user, session=session, **data)
        return Response(SessionSerializer(session).data)

    def destroy(self, request, *args, **kwargs):
        groups.delete_session(actor=request.user, session=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


REGION_ROUTES = [
    ("experts/groups", GroupViewSet, "working-group"),
    ("experts/groups/<int:working_group_id>/members", MemberViewSet, "working-group-member"),
    ("experts/groups/<int:working_group_id>/sessions", SessionViewSet,
     "working-group-session"),
]
GLOBAL_ROUTES: list = []
