"""REST endpoints of the monthly dialogues with cities (mounted under
/api/v1/regions/<slug>/), over the same services and queries as the pages:

- `dialogues/`: the list (filters `city`, `q`, `month` as YYYY-MM, `channel`, `author`),
  logging one with its follow-ups, reading and changing one;
- `dialogues/<id>/follow-ups/`: a dialogue's follow-ups, adding one, changing one (title,
  owner, due date, `done`);
- `dialogue-coverage/`: member cities, a page at a time, each with its months (dialogue
  dates and with whom, or gap, due, before membership), and the totals per month.

The secretariat reads and writes them (cities.view_dialogues, cities.log_dialogue). Bad
input answers 400 with the field's reason; another region's dialogue is a 404."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from alliance.api import RefuseUnknownFields, RegionRowField, ServiceWrites

from . import queries_dialogues as queries
from .forms import owner_choices
from .forms_dialogues import CoverageFilterForm, DialogueFilterForm
from .models import City, Dialogue, DialogueFollowUp
from .services import dialogues

VIEW, LOG = dialogues.VIEW, dialogues.LOG


@extend_schema_field(OpenApiTypes.INT)
class OwnerField(serializers.PrimaryKeyRelatedField):
    """A user id among the region's secretariat and the Global Secretariat."""

    def get_queryset(self):
        return owner_choices(self.context["request"].region)


# -- serializers --------------------------------------------------------------------------------

class FollowUpSerializer(serializers.ModelSerializer):
    owner_name = serializers.SerializerMethodField()
    done = serializers.SerializerMethodField()

    class Meta:
        model = DialogueFollowUp
        fields = ["id", "title", "owner", "owner_name", "due_on", "done", "done_at"]
        read_only_fields = fields

    def get_owner_name(self, follow_up) -> str | None:
        return str(follow_up.owner) if follow_up.owner_id else None

    def get_done(self, follow_up) -> bool:
        return follow_up.done_at is not None


class DialogueSerializer(serializers.ModelSerializer):
    city_name = serializers.CharField(source="city.name", read_only=True)
    author_name = serializers.SerializerMethodField()
    open_follow_ups = serializers.IntegerField(read_only=True, required=False)
    follow_ups = serializers.SerializerMethodField(
        help_text="The dialogue's follow-ups, on the dialogue's own endpoint; lists count the "
                  "open ones in `open_follow_ups`.")

    class Meta:
        model = Dialogue
        fields = ["id", "city", "city_name", "held_on", "with_whom", "with_whom_note",
                  "channel", "summary", "author", "author_name", "created_at",
                  "open_follow_ups", "follow_ups"]
        read_only_fields = fields

    def get_author_name(self, dialogue) -> str | None:
        return str(dialogue.author) if dialogue.author_id else None

    def get_follow_ups(self, dialogue) -> list[dict] | None:
        rows = self.context.get("follow_ups")
        return FollowUpSerializer(rows, many=True).data if rows is not None else None


class FollowUpInputSerializer(RefuseUnknownFields, serializers.Serializer):
    title = serializers.CharField(max_length=300)
    owner = OwnerField(required=False, allow_null=True,
                       help_text="A user id of the region's secretariat.")
    due_on = serializers.DateField(required=False, allow_null=True)


class FollowUpChangeSerializer(FollowUpInputSerializer):
    title = serializers.CharField(max_length=300, required=False)
    done = serializers.BooleanField(required=False)


class DialogueInputSerializer(RefuseUnknownFields, serializers.Serializer):
    city = RegionRowField(City, help_text="A city id of the region.")
    held_on = serializers.DateField(help_text="In the region's time zone; not in the future.")
    with_whom = serializers.ChoiceField(choices=Dialogue.WithWhom.choices, required=False)
    with_whom_note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    channel = serializers.ChoiceField(choices=Dialogue.Channel.choices, required=False)
    summary = serializers.CharField(max_length=10_000)
    follow_ups = FollowUpInputSerializer(many=True, required=False,
                                         max_length=dialogues.MAX_FOLLOW_UPS)


class DialogueChangeSerializer(DialogueInputSerializer):
    follow_ups = None  # changed through the dialogue's follow-ups endpoint


def _filter_parameters() -> list[OpenApiParameter]:
    return [OpenApiParameter("city", int, description="A city id"),
            OpenApiParameter("q", str, description="Part of the city's name"),
            OpenApiParameter("month", str, description="YYYY-MM"),
            OpenApiParameter("channel", str, enum=Dialogue.Channel.values),
            OpenApiParameter("author", int, description="The user who logged it")]


def _refuse(form):
    raise serializers.ValidationError({name: list(errors) for name, errors in form.errors.items()})


# -- viewsets -----------------------------------------------------------------------------------

class DialogueViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    serializer_class = DialogueSerializer
    action_permission = VIEW
    write_permissions = {"create": LOG, "partial_update": LOG}
    lookup_url_kwarg = "dialogue_id"
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return queries.dialogue_rows(self.request.region)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.request.query_params
        form = DialogueFilterForm(params, region=self.request.region)
        if not form.is_valid():
            _refuse(form)
        filters = form.filters()
        city = params.get("city", "")
        if city:
            if not city.isdigit():
                raise serializers.ValidationError({"city": [_("Give a city id.")]})
            filters["city"] = get_object_or_404(City.objects.filter(
                region=self.request.region), pk=int(city))
        return queries.dialogue_rows(self.request.region, **filters)

    def _one(self, dialogue, status_code=status.HTTP_200_OK) -> Response:
        fresh = queries.dialogue_rows(self.request.region).get(pk=dialogue.pk)
        fresh.region = self.request.region
        return Response(DialogueSerializer(fresh, context={
            "follow_ups": list(queries.follow_ups_of(fresh))}).data, status=status_code)

    def get_object(self):
        dialogue = get_object_or_404(Dialogue.objects.filter(region=self.request.region)
                                     .select_related("city"), pk=self.kwargs["dialogue_id"])
        dialogue.region = dialogue.city.region = self.request.region
        return dialogue

    @extend_schema(parameters=_filter_parameters())
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._one(self.get_object())

    @extend_schema(request=DialogueInputSerializer, responses={201: DialogueSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(self.validated(DialogueInputSerializer, request.data))
        follow_ups = [dict(row) for row in data.pop("follow_ups", [])]
        dialogue = dialogues.create_dialogue(actor=request.user, region=request.region,
                                             follow_ups=follow_ups, **data)
        return self._one(dialogue, status.HTTP_201_CREATED)

    @extend_schema(request=DialogueChangeSerializer, responses=DialogueSerializer)
    def partial_update(self, request, *args, **kwargs):
        dialogue = self.get_object()
        data = self.validated(DialogueChangeSerializer, request.data, partial=True)
        dialogues.update_dialogue(actor=request.user, dialogue=dialogue, **data)
        return self._one(dialogue)


class FollowUpViewSet(ServiceWrites, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A dialogue's follow-ups: add one, change one, tick it done (`done`: true/false)."""

    serializer_class = FollowUpSerializer
    action_permission = VIEW
    write_permissions = {"create": LOG, "partial_update": LOG}
    lookup_url_kwarg = "follow_up_id"
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "head", "options"]
    pagination_class = None  # a dialogue has at most MAX_FOLLOW_UPS

    def dialogue(self) -> Dialogue:
        if not hasattr(self, "_dialogue"):
            dialogue = get_object_or_404(Dialogue.objects.filter(region=self.request.region),
                                         pk=self.kwargs["dialogue_id"])
            dialogue.region = self.request.region
            self._dialogue = dialogue
        return self._dialogue

    def get_queryset(self):
        return queries.follow_ups_of(self.dialogue())

    @extend_schema(request=FollowUpInputSerializer, responses={201: FollowUpSerializer})
    def create(self, request, *args, **kwargs):
        dialogue = self.dialogue()
        data = self.validated(FollowUpInputSerializer, request.data)
        follow_up = dialogues.add_follow_up(actor=request.user, dialogue=dialogue, **data)
        return Response(FollowUpSerializer(self.get_queryset().get(pk=follow_up.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=FollowUpChangeSerializer, responses=FollowUpSerializer)
    def partial_update(self, request, *args, **kwargs):
        dialogue = self.dialogue()
        follow_up = get_object_or_404(self.get_queryset(), pk=self.kwargs["follow_up_id"])
        follow_up.region, follow_up.dialogue = request.region, dialogue
        data = dict(self.validated(FollowUpChangeSerializer, request.data, partial=True))
        done = data.pop("done", None)
        if data:
            wanted = {"id": follow_up.pk, "title": follow_up.title, "owner": follow_up.owner,
                      "due_on": follow_up.due_on, **data}
            dialogues.update_dialogue(actor=request.user, dialogue=dialogue,
                                      follow_ups=[wanted])
        if done is not None:
            dialogues.set_follow_up_done(actor=request.user, follow_up=follow_up, done=done)
        return Response(FollowUpSerializer(self.get_queryset().get(pk=follow_up.pk)).data)


class CoverageViewSet(viewsets.ViewSet):
    """Member cities by month: `months` (6 or 12), `mine`, `gaps`, `q`, `page`."""

    action_permission = VIEW
    per_page = 50

    @extend_schema(parameters=[
        OpenApiParameter("months", int, enum=list(queries.MONTH_CHOICES)),
        OpenApiParameter("mine", bool), OpenApiParameter("gaps", bool),
        OpenApiParameter("q", str), OpenApiParameter("page", int)],
        responses=OpenApiTypes.OBJECT)
    def list(self, request, region_slug=None):
        region = request.region
        form = CoverageFilterForm(request.query_params)
        if not form.is_valid():
            _refuse(form)
        data = form.cleaned_data
        window = queries.Window.ending_today(data["months"])
        cities = queries.member_cities(region, owner=request.user if data["mine"] else None,
                                       search=data["q"])
        if data["gaps"]:
            cities = queries.with_gaps(cities, window)
        paginator = Paginator(queries.coverage_rows(cities), self.per_page)
        page_number = request.query_params.get("page", "1")
        if not page_number.isdigit() or not 1 <= int(page_number) <= max(
                paginator.num_pages, 1):
            raise serializers.ValidationError({"page": [_("No such page.")]})
        page = paginator.page(int(page_number))
        rows = list(page.object_list)
        cells = queries.coverage_cells(region, rows, window)
        totals = queries.monthly_totals(region, cities, window)
        return Response({
            "count": paginator.count, "page": page.number, "pages": paginator.num_pages,
            "months": [{"month": month.strftime("%Y-%m"), "spoken": spoken,
                        "members": members}
                       for month, (spoken, members) in zip(window.months, totals,
                                                           strict=True)],
            "cities": [{"id": city.pk, "name": city.name, "owner": city.owner_id,
                        "months": [{"month": cell.month.strftime("%Y-%m"),
                                    "state": cell.state,
                                    "dialogues": [{"id": pk, "held_on": held_on.isoformat(),
                                                   "with_whom": with_whom}
                                                  for pk, held_on, with_whom in cell.dialogues]}
                                   for cell in cells[city.pk]]}
                       for city in rows]})


REGION_ROUTES = [
    ("dialogues", DialogueViewSet, "dialogue"),
    ("dialogues/<int:dialogue_id>/follow-ups", FollowUpViewSet, "dialogue-follow-up"),
    ("dialogue-coverage", CoverageViewSet, "dialogue-coverage"),
]
