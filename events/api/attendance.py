"""REST API of invitations, answers, attendance, minutes and action items, over the same
services as the pages (/api/v1/regions/<slug>/...):

- `events/<event_id>/invitations/`: the event's invitations (GET), invite a city or an
  expert (POST {"city": id} or {"expert": id}), remove one (DELETE .../<invitee_id>/);
  `invite-by-tier/` (POST {"tiers": [...]}: the answer names the observer cities left out
  and why), `attendance/` (POST {"rows": [{"id", "attended", "attendees"}]}).
- `my-invitations/`: a city contact's or expert's own invitations of announced (or public)
  events, and `my-invitations/<invitee_id>/rsvp/` (POST {"response", "note"}).
- `events/<event_id>/action-items/`: the actions of a meeting's minutes (CRUD).
- `events/<event_id>/minutes/`: the minutes (GET; POST {"minutes": "..."} replaces them).

The event's manager (the secretariat, or its series' delegate: events.rules) writes; readers
of the region's events read. Another region's event answers 404; bad input 400 with the
field's reason, and nothing changes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance import permissions
from alliance.api import RefuseUnknownFields, ServiceWrites
from cities.models import Tier

from ..models import ActionItem, Event, EventInvitation
from ..models import Response as Answer
from ..rules import may_manage
from ..services import invitations, minutes

VIEW = "events.view"


class InvitationSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    kind = serializers.SerializerMethodField()

    class Meta:
        model = EventInvitation
        fields = ["id", "event", "kind", "city", "expert", "name", "invited_as", "invited_at",
                  "notified_at", "response", "response_note", "responded_at", "attended",
                  "attendees"]
        read_only_fields = fields

    def get_name(self, invitation) -> str:
        return invitation.city.name if invitation.city_id else invitation.expert.name

    def get_kind(self, invitation) -> str:
        return "city" if invitation.city_id else "expert"


@extend_schema_field(OpenApiTypes.INT)
class RegionRow(serializers.PrimaryKeyRelatedField):
    def __init__(self, rows, **kwargs):
        self.rows = rows
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.rows(self.context["request"].region)


class InviteSerializer(RefuseUnknownFields, serializers.Serializer):
    city = RegionRow(invitations.city_choices, required=False, allow_null=True,
                     help_text="A city of the region still in touch with it.")
    expert = RegionRow(invitations.expert_choices, required=False, allow_null=True,
                       help_text="A confirmed or active expert.")

    def validate(self, attrs):
        if (attrs.get("city") is None) == (attrs.get("expert") is None):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Give a city or an expert (one at a time).")]})
        return attrs


class TierSerializer(RefuseUnknownFields, serializers.Serializer):
    tiers = serializers.ListField(
        child=serializers.CharField(max_length=20), allow_empty=False,
        help_text="Tiers: " + ", ".join(Tier.values) + ". Pioneer and active cities that "
                  "committed or joined; observer cities in dialogue or later, for the kinds "
                  "of event the region invites them to.")


class AttendanceRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    attended = serializers.BooleanField(allow_null=True)
    attendees = serializers.CharField(max_length=invitations.ATTENDEES_MAX_LENGTH,
                                      required=False, allow_blank=True, default="")


class AttendanceSerializer(RefuseUnknownFields, serializers.Serializer):
    rows = AttendanceRowSerializer(many=True, allow_empty=False)


class RsvpSerializer(RefuseUnknownFields, serializers.Serializer):
    response = serializers.ChoiceField(
        choices=Answer.choices, help_text="accepted, tentative or declined.")
    note = serializers.CharField(max_length=invitations.NOTE_MAX_LENGTH, required=False,
                                 allow_blank=True, default="")


TIER_ANSWER = inline_serializer("Invited", fields={
    "added": serializers.IntegerField(),
    "invitations": InvitationSerializer(many=True),
    "already_invited": serializers.IntegerField(),
    "skipped": serializers.ListField(child=inline_serializer("SkippedCity", fields={
        "id": serializers.IntegerField(), "name": serializers.CharField()})),
    "reason": serializers.CharField(),
})


class EventPart(ServiceWrites):
    """A part of one event: the event must be the region's, and the person its manager to
    write or a reader of the region's events (or its manager) to read."""

    action_permission = "alliance.view_region"

    def event(self) -> Event:
        if not hasattr(self, "_event"):
            event = get_object_or_404(Event.objects.filter(region=self.request.region),
                                      pk=self.kwargs["event_id"])
            event.region = self.request.region
            manages = may_manage(self.request.user, event)
            reads = manages or permissions.can(self.request.user, VIEW,
                                               region=self.request.region)
            writing = self.request.method not in ("GET", "HEAD", "OPTIONS")
            if not (manages if writing else reads):
                raise PermissionDenied
            self._event = event
        return self._event


class InvitationViewSet(EventPart, mixins.ListModelMixin, mixins.DestroyModelMixin,
                        viewsets.GenericViewSet):
    serializer_class = InvitationSerializer
    lookup_url_kwarg = "invitee_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        return (EventInvitation.objects.filter(region=self.request.region, event=self.event())
                .select_related("city", "expert").order_by("expert_id", "city__name",
                                                           "expert__name", "id"))

    def _answer(self, result: invitations.Invited, code=status.HTTP_200_OK) -> Response:
        return Response({
            "added": result.count, "already_invited": result.already,
            "invitations": InvitationSerializer(result.added, many=True).data,
            "skipped": [{"id": city.pk, "name": city.name} for city in result.skipped],
            "reason": result.reason}, status=code)

    @extend_schema(request=InviteSerializer, responses={201: TIER_ANSWER, 200: TIER_ANSWER})
    def create(self, request, *args, **kwargs):
        event = self.event()
        data = self.validated(InviteSerializer, request.data)
        if data.get("city") is not None:
            result = invitations.invite_city(actor=request.user, event=event,
                                             city=data["city"])
        else:
            result = invitations.invite_experts(actor=request.user, event=event,
                                                experts=[data["expert"]])
        return self._answer(result, status.HTTP_201_CREATED if result.count
                            else status.HTTP_200_OK)

    @extend_schema(request=TierSerializer, responses=TIER_ANSWER)
    @action(detail=False, methods=["post"], url_path="invite-by-tier")
    def invite_by_tier(self, request, *args, **kwargs):
        event = self.event()
        data = self.validated(TierSerializer, request.data)
        return self._answer(invitations.invite_by_tier(actor=request.user, event=event,
                                                       tiers=data["tiers"]))

    @extend_schema(request=AttendanceSerializer,
                   responses=inline_serializer("AttendanceSaved", fields={
                       "changed": serializers.IntegerField()}))
    @action(detail=False, methods=["post"])
    def attendance(self, request, *args, **kwargs):
        event = self.event()
        data = self.validated(AttendanceSerializer, request.data)
        rows = {row["id"]: (row["attended"], row.get("attendees", "")) for row in data["rows"]}
        changed = invitations.record_attendance(actor=request.user, event=event, rows=rows)
        return Response({"changed": changed})

    def destroy(self, request, *args, **kwargs):
        event = self.event()
        invitation = get_object_or_404(self.get_queryset(), pk=kwargs["invitee_id"])
        invitation.event = event
        invitations.remove_invitation(actor=request.user, invitation=invitation)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyInvitationSerializer(InvitationSerializer):
    event_title = serializers.CharField(source="event.title")
    event_starts_at = serializers.DateTimeField(source="event.starts_at")
    event_ends_at = serializers.DateTimeField(source="event.ends_at")
    event_state = serializers.CharField(source="event.state")

    class Meta(InvitationSerializer.Meta):
        fields = [*InvitationSerializer.Meta.fields, "event_title", "event_starts_at",
                  "event_ends_at", "event_state"]
        read_only_fields = fields


class MyInvitationViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """The person's own invitations (their cities', their expert record's), soonest first."""

    serializer_class = MyInvitationSerializer
    action_permission = invitations.VIEW_OWN
    write_permissions = {"rsvp": invitations.RSVP}
    lookup_url_kwarg = "invitee_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        return invitations.own_invitations(self.request.user, self.request.region).order_by(
            "-event__starts_at", "-id")

    @extend_schema(request=RsvpSerializer, responses=MyInvitationSerializer)
    @action(detail=True, methods=["post"])
    def rsvp(self, request, *args, **kwargs):
        invitation = self.get_object()
        data = self.validated(RsvpSerializer, request.data)
        invitations.respond(actor=request.user, invitation=invitation, **data)
        invitation = self.get_queryset().get(pk=invitation.pk)
        return Response(MyInvitationSerializer(invitation).data)


class ActionItemSerializer(serializers.ModelSerializer):
    owner_name = serializers.SerializerMethodField()
    done = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = ["id", "event", "title", "owner", "owner_name", "due_on", "done", "done_at",
                  "created_at"]
        read_only_fields = fields

    def get_owner_name(self, item) -> str | None:
        return str(item.owner) if item.owner_id else None

    def get_done(self, item) -> bool:
        return item.done_at is not None


class ActionItemInputSerializer(RefuseUnknownFields, serializers.Serializer):
    title = serializers.CharField(max_length=minutes.TITLE_MAX_LENGTH)
    owner = RegionRow(minutes.owner_choices, required=False, allow_null=True,
                      help_text="A user id: a member of the region.")
    due_on = serializers.DateField(required=False, allow_null=True)
    done = serializers.BooleanField(required=False)


class ActionItemViewSet(EventPart, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """The actions of the meeting's minutes, open ones first. PATCH {"done": true} marks
    one done."""

    serializer_class = ActionItemSerializer
    lookup_url_kwarg = "action_item_id"
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return minutes.items_of(self.event())

    def get_object(self):
        item = get_object_or_404(self.get_queryset(), pk=self.kwargs["action_item_id"])
        item.event = self.event()
        return item

    @extend_schema(request=ActionItemInputSerializer, responses={201: ActionItemSerializer})
    def create(self, request, *args, **kwargs):
        event = self.event()
        data = self.validated(ActionItemInputSerializer, request.data)
        done = data.pop("done", False)
        item = minutes.add_action_item(actor=request.user, event=event, **data)
        if done:
            item.event = event
            minutes.toggle_done(actor=request.user, item=item)
        return Response(ActionItemSerializer(self.get_object_by(item.pk)).data,
                        status=status.HTTP_201_CREATED)

    def get_object_by(self, pk: int) -> ActionItem:
        return self.get_queryset().get(pk=pk)

    @extend_schema(request=ActionItemInputSerializer, responses=ActionItemSerializer)
    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        data = self.validated(ActionItemInputSerializer, request.data, partial=True)
        done = data.pop("done", None)
        if data:
            minutes.update_action_item(actor=request.user, item=item, **data)
        if done is not None and done != (item.done_at is not None):
            minutes.toggle_done(actor=request.user, item=item)
        return Response(ActionItemSerializer(self.get_object_by(item.pk)).data)

    def destroy(self, request, *args, **kwargs):
        minutes.delete_action_item(actor=request.user, item=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class MinutesSerializer(RefuseUnknownFields, serializers.Serializer):
    minutes = serializers.CharField(max_length=minutes.MINUTES_MAX_LENGTH, allow_blank=True)
    recorded_at = serializers.DateTimeField(read_only=True, source="minutes_recorded_at")


class MinutesViewSet(EventPart, viewsets.GenericViewSet):
    """The event's minutes: GET reads them, POST replaces them."""

    serializer_class = MinutesSerializer
    pagination_class = None

    def list(self, request, *args, **kwargs):
        return Response(MinutesSerializer(self.event()).data)

    @extend_schema(request=MinutesSerializer, responses=MinutesSerializer)
    def create(self, request, *args, **kwargs):
        event = self.event()
        data = self.validated(MinutesSerializer, request.data)
        minutes.save_minutes(actor=request.user, event=event, minutes=data["minutes"])
        return Response(MinutesSerializer(event).data)


REGION_ROUTES = [
    ("events/<int:event_id>/invitations", InvitationViewSet, "event-invitation"),
    ("my-invitations", MyInvitationViewSet, "my-invitation"),
    ("events/<int:event_id>/action-items", ActionItemViewSet, "event-action-item"),
    ("events/<int:event_id>/minutes", MinutesViewSet, "event-minutes"),
]
