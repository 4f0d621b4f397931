"""REST API of the plans area, over the same services as the pages
(/api/v1/regions/<slug>/events/..., /meeting-series/...).

The secretariat lists, reads, creates and changes every event of the region, and runs its
agenda (`mark-drafted`, `submit-agenda`), `schedule-next` and `cancel`; a Forum reviewer
reads. A meeting series' delegate reads and runs that series' events, and no other (403);
another region's event is a 404. Times are ISO 8601; without an offset, the region's time
zone. Bad input answers 400 with the field's reason and changes nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance import permissions
from alliance.api import RefuseUnknownFields, ServiceWrites

from ..models import AgendaItem, Audience, Event, EventFormat, EventKind, MeetingSeries
from ..rules import MANAGE, may_manage, may_manage_series
from ..services import agendas, events
from ..services import series as series_service

VIEW = events.VIEW


@extend_schema_field(OpenApiTypes.INT)
class RegionRows(serializers.PrimaryKeyRelatedField):
    """An id among the rows `rows(region)` offers in the request's region."""

    def __init__(self, rows, **kwargs):
        self.rows = rows
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.rows(self.context["request"].region)


class MilestoneSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    due = serializers.DateTimeField()
    state = serializers.CharField()


class EventSerializer(serializers.ModelSerializer):
    milestones = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["id", "kind", "title", "description", "format", "audience", "state",
                  "starts_at", "ends_at", "venue", "online_link", "organizer", "series",
                  "working_group", "model_policy", "supporting_organization", "follows",
                  "agenda_state", "milestones"]
        read_only_fields = fields

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, event) -> list:
        return MilestoneSerializer(events.milestones(event), many=True).data


class EventInputSerializer(RefuseUnknownFields, serializers.Serializer):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    format = serializers.ChoiceField(choices=EventFormat.choices, required=False)
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    starts_at = serializers.DateTimeField(help_text="ISO 8601; without an offset, the "
                                                    "region's time zone.")
    ends_at = serializers.DateTimeField()
    venue = serializers.CharField(max_length=300, required=False, allow_blank=True)
    online_link = serializers.CharField(max_length=500, required=False, allow_blank=True)
    organizer = RegionRows(events.secretariat_users, required=False, allow_null=True,
                           help_text="A user id of the region's secretariat.")
    series = RegionRows(events.active_series, required=False, allow_null=True)
    working_group = RegionRows(events.working_groups, required=False, allow_null=True)
    model_policy = serializers.PrimaryKeyRelatedField(
        queryset=events.adopted_policies(), required=False, allow_null=True)
    supporting_organization = RegionRows(
        events.supporting_organizations, required=False, allow_null=True,
        help_text="A stakeholder whose involvement is supporting events; the event must then "
                  "be public.")


class CancelSerializer(RefuseUnknownFields, serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class NextSerializer(RefuseUnknownFields, serializers.Serializer):
    on = serializers.DateField(help_text="The next meeting's day; it keeps this one's local "
                                         "time.")


class EventViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   viewsets.GenericViewSet):
    """The region's events, soonest first. A series' delegate without the secretariat's role
    sees their series' events."""

    serializer_class = EventSerializer
    action_permission = "alliance.view_region"
    lookup_url_kwarg = "event_id"
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        region = self.request.region
        rows = Event.objects.filter(region=region).order_by("starts_at", "id")
        if permissions.can(self.request.user, VIEW, region=region):
            return rows
        return rows.filter(series__in=series_service.series_of_delegate(self.request.user,
                                                                        region))

    def get_object(self):
        event = get_object_or_404(Event.objects.filter(region=self.request.region)
                                  .select_related("series"), pk=self.kwargs["event_id"])
        event.region = self.request.region
        readable = permissions.can(self.request.user, VIEW, region=self.request.region)
        if not (readable or may_manage(self.request.user, event)):
            raise PermissionDenied
        return event

    def _managed(self) -> Event:
        event = self.get_object()
        if not may_manage(self.request.user, event):
            raise PermissionDenied(_("Your role does not allow this here."))
        return event

    def _shown(self, event, code=status.HTTP_200_OK) -> Response:
        with_series = Event.objects.get(pk=event.pk)
        return Response(EventSerializer(with_series).data, status=code)

    @extend_schema(request=EventInputSerializer, responses={201: EventSerializer})
    def create(self, request, *args, **kwargs):
        data = self.validated(EventInputSerializer, request.data)
        series = data.get("series")
        if not (permissions.can(request.user, MANAGE, region=request.region)
                or (series is not None and may_manage_series(request.user, series))):
            raise PermissionDenied(_("Your role does not allow this here."))
        event = events.create_event(actor=request.user, region=request.region, **data)
        return self._shown(event, status.HTTP_201_CREATED)

    @extend_schema(request=EventInputSerializer, responses=EventSerializer)
    def partial_update(self, request, *args, **kwargs):
        event = self._managed()
        data = self.validated(EventInputSerializer, request.data, partial=True)
        events.update_event(actor=request.user, event=event, **data)
        return self._shown(event)

    @extend_schema(request=None, responses=EventSerializer)
    @action(detail=True, methods=["post"], url_path="mark-drafted")
    def mark_drafted(self, request, *args, **kwargs):
        event = self._managed()
        agendas.mark_drafted(actor=request.user, event=event)
        return self._shown(event)

    @extend_schema(request=None, responses={201: None})
    @action(detail=True, methods=["post"], url_path="submit-agenda")
    def submit_agenda(self, request, *args, **kwargs):
        """Send the agenda and speakers to the Forum (approval `event_agenda`)."""
        approval = agendas.submit_agenda(actor=request.user, event=self._managed())
        return Response({"approval": approval.pk, "state": approval.state},
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=NextSerializer, responses={201: EventSerializer})
    @action(detail=True, methods=["post"], url_path="schedule-next")
    def schedule_next(self, request, *args, **kwargs):
        event = self._managed()
        data = self.validated(NextSerializer, request.data)
        following = events.schedule_next(actor=request.user, event=event, on=data["on"])
        return self._shown(following, status.HTTP_201_CREATED)

    @extend_schema(request=CancelSerializer, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        event = self._managed()
        data = self.validated(CancelSerializer, request.data)
        events.cancel_event(actor=request.user, event=event, reason=data["reason"])
        return self._shown(event)


class AgendaItemSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    speaker = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = ["id", "position", "title", "duration_minutes", "speaker_contact",
                  "speaker_expert", "speaker_user", "speaker", "workplan", "notes"]
        read_only_fields = fields

    def get_speaker(self, item) -> str:
        return agendas.speaker_of(item)


class AgendaItemInputSerializer(RefuseUnknownFields, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    duration_minutes = serializers.IntegerField(min_value=1, max_value=agendas.MAX_DURATION)
    speaker_contact = RegionRows(agendas.speaker_contacts, required=False, allow_null=True)
    speaker_expert = RegionRows(agendas.speaker_experts, required=False, allow_null=True)
    speaker_user = RegionRows(agendas.speaker_staff, required=False, allow_null=True)
    workplan = RegionRows(agendas.agenda_workplans, required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class AgendaItemViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """An event's agenda, in order. A change after the agenda went to the Forum puts it back
    to drafted (`agenda_reopened` in the answer): it needs a new approval."""

    serializer_class = AgendaItemSerializer
    action_permission = "alliance.view_region"
    lookup_url_kwarg = "agenda_item_id"
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def event(self) -> Event:
        if not hasattr(self, "_event"):
            event = get_object_or_404(Event.objects.filter(region=self.request.region)
                                      .select_related("series"), pk=self.kwargs["event_id"])
            event.region = self.request.region
            manages = may_manage(self.request.user, event)
            reads = manages or permissions.can(self.request.user, VIEW,
                                               region=self.request.region)
            if not (manages if self.request.method not in ("GET", "HEAD", "OPTIONS")
                    else reads):
                raise PermissionDenied
            self._event = event
        return self._event

    def get_queryset(self):
        return agendas.items_of(self.event())

    def get_object(self):
        item = get_object_or_404(self.get_queryset(), pk=self.kwargs["agenda_item_id"])
        item.event = self.event()
        return item

    def _answer(self, changed, code=status.HTTP_200_OK) -> Response:
        body = AgendaItemSerializer(changed.item).data if changed.item else {}
        return Response({**body, "agenda_reopened": changed.reopened}, status=code)

    @extend_schema(request=AgendaItemInputSerializer, responses={201: AgendaItemSerializer})
    def create(self, request, *args, **kwargs):
        event = self.event()
        data = self.validated(AgendaItemInputSerializer, request.data)
        return self._answer(agendas.add_item(actor=request.user, event=event, **data),
                            status.HTTP_201_CREATED)

    @extend_schema(request=AgendaItemInputSerializer, responses=AgendaItemSerializer)
    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        data = self.validated(AgendaItemInputSerializer, request.data, partial=True)
        return self._answer(agendas.update_item(actor=request.user, item=item, **data))

    def destroy(self, request, *args, **kwargs):
        agendas.delete_item(actor=request.user, item=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class SeriesSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    class Meta:
        model = MeetingSeries
        fields = ["id", "title", "kind", "description", "is_active", "created_at"]
        read_only_fields = ["id", "created_at"]


class SeriesViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """The region's meeting series. A delegate without the secretariat's role reads the
    series they run."""

    serializer_class = SeriesSerializer
    action_permission = "alliance.view_region"
    write_permissions = {"create": MANAGE, "partial_update": MANAGE}
    lookup_url_kwarg = "series_id"
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        region = self.request.region
        if permissions.can(self.request.user, VIEW, region=region):
            return MeetingSeries.objects.filter(region=region).order_by("title", "id")
        return series_service.series_of_delegate(self.request.user, region)

    def get_object(self):
        series = get_object_or_404(MeetingSeries.objects.filter(region=self.request.region),
                                   pk=self.kwargs["series_id"])
        series.region = self.request.region
        if not (permissions.can(self.request.user, VIEW, region=self.request.region)
                or may_manage_series(self.request.user, series)):
            raise PermissionDenied
        return series

    def create(self, request, *args, **kwargs):
        data = self.validated(SeriesSerializer, request.data)
        series = series_service.create_series(actor=request.user, region=request.region,
                                              **data)
        return Response(SeriesSerializer(series).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        series = self.get_object()
        data = self.validated(SeriesSerializer, request.data, partial=True)
        series = series_service.update_series(actor=request.user, series=series, **data)
        return Response(SeriesSerializer(series).data)


REGION_ROUTES = [
    ("events", EventViewSet, "event"),
    ("events/<int:event_id>/agenda-items", AgendaItemViewSet, "agenda-item"),
    ("meeting-series", SeriesViewSet, "meeting-series"),
]
