"""REST API for cities: the table's filters, stage moves, bulk actions, contacts and scores,
over the same services and queries as the pages (mounted under /api/v1/regions/<slug>/)."""

from django import forms
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance.api import (
    IdField,
    RefuseUnknownFields,
    RegionRowField,
    ServiceWrites,
    WholeNumberField,
)

from . import queries
from .forms import MAX_POPULATION, CityFilterForm, owner_choices
from .models import City, Contact, Criterion, PartnerNetwork, Stage
from .services import contacts, pipeline, scoring

# -- fields bound to the request's region ------------------------------------------------

@extend_schema_field(OpenApiTypes.INT)
class OwnerField(serializers.PrimaryKeyRelatedField):
    """A user id among the people who may own a city in this region."""

    def get_queryset(self):
        return owner_choices(self.context["request"].region)


class TagNamesField(serializers.ListField):
    """Tags by name: written as a list of names (new ones are created), read the same way,
    from the rows' prefetched `tag_list` (queries.cities_in): a related manager per row would
    build a scoped queryset per row."""

    child = serializers.CharField(max_length=50)

    def get_attribute(self, city):
        return city.tag_list

    def to_representation(self, tags):
        return [tag.name for tag in tags]


# -- serializers -------------------------------------------------------------------------

class KeyContactSerializer(serializers.ModelSerializer):
    """A city's key contact inside CitySerializer, from the rows' prefetched `key_contacts`
    (queries.cities_in): one serializer for the whole list, not one built per row."""

    class Meta:
        model = Contact
        fields = ["id", "name", "email"]

    def get_attribute(self, city):
        return city.key_contacts[0] if city.key_contacts else None


class CitySerializer(RefuseUnknownFields, CountryFieldMixin, serializers.ModelSerializer):
    """A city as the table shows it, read from queries.cities_in rows. Stage changes go
    through `move`, never through edits."""

    owner = OwnerField(required=False, allow_null=True)
    owner_email = serializers.EmailField(source="owner.email", read_only=True, allow_null=True)
    partner_network = RegionRowField(PartnerNetwork, required=False, allow_null=True)
    tags = TagNamesField(required=False)
    population = WholeNumberField(required=False, allow_null=True, min_value=0,
                                  max_value=MAX_POPULATION)
    key_contact = KeyContactSerializer(read_only=True, allow_null=True)
    priority = serializers.FloatField(read_only=True, allow_null=True,
                                      help_text=gettext_lazy("Weighted criteria score, 0-100."))
    allow_duplicate = serializers.BooleanField(
        write_only=True, required=False, default=False,
        help_text=gettext_lazy(
            "A city whose name differs from one already listed in the same country only in "
            "case, accents or spacing (Bogota beside Bogotá) is refused with a 400 naming "
            "that city; send true to create or rename it anyway. The exact same name is "
            "refused always."))

    class Meta:
        model = City
        fields = ["id", "name", "local_name", "country", "population", "website", "tier",
                  "stage", "owner", "owner_email", "engagement_channel", "partner_network",
                  "notes", "tags", "key_contact", "priority", "created_at", "stage_changed_at",
                  "allow_duplicate"]
        read_only_fields = ["stage", "created_at", "stage_changed_at"]


class ExistingCitySerializer(serializers.ModelSerializer):
    class Meta:
        model = City
        fields = ["id", "name", "country"]


class DuplicateSerializer(serializers.Serializer):
    """Why a city was refused as a duplicate, and which city it duplicates."""

    name = serializers.ListField(child=serializers.CharField())
    existing_city_id = serializers.IntegerField()
    existing_city = ExistingCitySerializer()
    may_allow = serializers.BooleanField(
        help_text=gettext_lazy("True for a near-duplicate: sending allow_duplicate creates "
                               "it anyway."))


class MoveSerializer(RefuseUnknownFields, serializers.Serializer):
    to = serializers.ChoiceField(choices=Stage.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class BulkSerializer(RefuseUnknownFields, serializers.Serializer):
    city_ids = serializers.ListField(child=IdField(), allow_empty=False, max_length=5000)
    action = serializers.ChoiceField(choices=pipeline.BULK_ACTIONS)
    value = serializers.CharField(
        help_text=gettext_lazy("move_stage: the stage; assign_owner: the owner's user id; "
                               "tag: comma-separated tag names."))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)

    def validate(self, data):
        if data["action"] == "assign_owner":
            data["value"] = self._owner(data["value"])
        return data

    def _owner(self, user_id: str):
        people = owner_choices(self.context["request"].region)
        owner = people.filter(pk=user_id).first() if user_id.isdigit() else None
        if owner is None:
            raise serializers.ValidationError(
                {"value": _("Choose a person who may own cities in this region.")})
        return owner


class BulkResultSerializer(serializers.Serializer):
    city_ids = serializers.ListField(child=serializers.IntegerField())


class ContactSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", *contacts.FIELDS]


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "description", "weight", "from_playbook", "position"]


class ScoreSerializer(RefuseUnknownFields, serializers.Serializer):
    criterion = IdField(
        help_text=gettext_lazy("A criterion id of this region."))
    score = serializers.IntegerField(min_value=0, max_value=3, allow_null=True,
                                     help_text=gettext_lazy("0-3; null clears the score."))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ScoresInSerializer(RefuseUnknownFields, serializers.Serializer):
    scores = ScoreSerializer(many=True)

    def validate_scores(self, rows):
        # One value per criterion: with two, which one the client meant is anyone's guess.
        seen, repeated = set(), set()
        for row in rows:
            (repeated if row["criterion"] in seen else seen).add(row["criterion"])
        if repeated:
            raise serializers.ValidationError(
                _("Each criterion once: %(ids)s given more than once.")
                % {"ids": ", ".join(map(str, sorted(repeated)))})
        return rows


class ScoresSerializer(serializers.Serializer):
    priority = serializers.FloatField(allow_null=True)
    scores = ScoreSerializer(many=True)


# -- viewsets ----------------------------------------------------------------------------

def _filter_parameters() -> list[OpenApiParameter]:
    """The table's filters (CityFilterForm) as query parameters, kept in step with the form."""
    params = []
    for name, field in CityFilterForm.base_fields.items():
        if isinstance(field, (forms.IntegerField, forms.ModelChoiceField)):
            params.append(OpenApiParameter(name, int, description=field.label))
            continue
        choices = [value for value, _label in getattr(field, "choices", []) if value]
        params.append(OpenApiParameter(name, str, description=field.label,
                                       enum=choices or None))
    return params


class CityViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):
    """The region's cities: the table (same filters as the page), one city, its stage moves,
    bulk actions and criteria scores."""

    serializer_class = CitySerializer
    action_permission = "cities.view"
    write_permissions = {"create": "cities.edit", "partial_update": "cities.edit",
                         "move": "cities.move_stage", "bulk": "cities.edit",
                         "score": "cities.edit"}
    lookup_url_kwarg = "city_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        return queries.cities_in(self.request.region)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        form = CityFilterForm(data=self.request.query_params, region=self.request.region)
        if not form.is_valid():
            # A list that ignored a bad filter would pass for a filtered one.
            raise serializers.ValidationError(
                {name: list(errors) for name, errors in form.errors.items()})
        return queries.filter_cities(queryset, **form.filters())

    def _read(self, city: City, status_code=status.HTTP_200_OK) -> Response:
        """Read the city back as the table does (priority, tags, key contact)."""
        fresh = self.get_queryset().get(pk=city.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    @extend_schema(parameters=_filter_parameters())
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={201: CitySerializer, 400: DuplicateSerializer})
    def create(self, request, *args, **kwargs):
        """Add a city on the long list; a near-duplicate needs `allow_duplicate`."""
        data = self.validated(CitySerializer, request.data)
        try:
            with transaction.atomic():  # a refused city leaves no new tags behind
                city = pipeline.create_city(
                    actor=request.user, region=request.region,
                    tags=pipeline.tags_named(request.region, data.pop("tags", [])), **data)
        except pipeline.DuplicateCity as error:
            return _duplicate(error)
        return self._read(city, status.HTTP_201_CREATED)

    @extend_schema(responses={200: CitySerializer, 400: DuplicateSerializer})
    def partial_update(self, request, *args, **kwargs):
        city = self.get_object()
        changes = self.validated(CitySerializer, request.data, partial=True)
        try:
            with transaction.atomic():
                if "tags" in changes:
                    changes["tags"] = pipeline.tags_named(request.region, changes["tags"])
                pipeline.update_city(actor=request.user, city=city, **changes)
        except pipeline.DuplicateCity as error:
            return _duplicate(error)
        return self._read(city)

    @extend_schema(request=MoveSerializer, responses=CitySerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, *args, **kwargs):
        city = self.get_object()
        data = self.validated(MoveSerializer, request.data)
        pipeline.advance_stage(actor=request.user, city=city, to=data["to"], note=data["note"])
        return self._read(city)

    @extend_schema(request=BulkSerializer, responses=BulkResultSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request, *args, **kwargs):
        """One action for many cities, all or nothing; a city of another region refuses it."""
        data = self.validated(BulkSerializer, request.data)
        changed = pipeline.apply_bulk(
            actor=request.user, region=request.region, city_ids=data["city_ids"],
            action=data["action"], value=data["value"], note=data["note"])
        return Response({"city_ids": sorted(city.pk for city in changed)})

    @extend_schema(responses=ScoresSerializer)
    @action(detail=True, methods=["get"])
    def scores(self, request, *args, **kwargs):
        """Every criterion of the region with this city's score (null when unscored)."""
        return Response(self._scores_of(self.get_object()))

    @extend_schema(request=ScoresInSerializer, responses=ScoresSerializer)
    @scores.mapping.put
    def score(self, request, *args, **kwargs):
        """Score the listed criteria; criteria left out keep their scores."""
        city = self.get_object()
        data = self.validated(ScoresInSerializer, request.data)
        scoring.score_city(actor=request.user, city=city, scores={
            row["criterion"]: (row["score"], row["note"]) for row in data["scores"]})
        return Response(self._scores_of(self.get_queryset().get(pk=city.pk)))

    def _scores_of(self, city: City) -> dict:
        given = {s.criterion_id: s for s in city.scores.all()}
        rows = [{"criterion": c.pk, "score": getattr(given.get(c.pk), "score", None),
                 "note": getattr(given.get(c.pk), "note", "")}
                for c in Criterion.objects.filter(region=self.request.region)]
        return ScoresSerializer({"priority": city.priority, "scores": rows}).data


def _duplicate(error: pipeline.DuplicateCity) -> Response:
    return Response(DuplicateSerializer({
        "name": [error.message], "existing_city_id": error.existing.pk,
        "existing_city": error.existing, "may_allow": not error.same_name}).data,
        status=status.HTTP_400_BAD_REQUEST)


class ContactViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     viewsets.GenericViewSet):
    """The people at one city. Making a contact the key contact hands the title over."""

    serializer_class = ContactSerializer
    action_permission = "cities.view"
    write_permissions = {"create": "cities.edit", "partial_update": "cities.edit"}
    lookup_url_kwarg = "contact_id"
    lookup_value_converter = "int"

    def city(self) -> City:
        return get_object_or_404(City.objects.filter(region=self.request.region),
                                 pk=self.kwargs["city_id"])

    def get_queryset(self):
        return Contact.objects.filter(region=self.request.region, city=self.city())

    @extend_schema(responses={201: ContactSerializer})
    def create(self, request, *args, **kwargs):
        data = self.validated(ContactSerializer, request.data)
        contact = contacts.save_contact(actor=request.user, city=self.city(), **data)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        contact = self.get_object()
        changes = self.validated(ContactSerializer, request.data, partial=True)
        contact = contacts.save_contact(actor=request.user, city=contact.city, contact=contact,
                                        **changes)
        return Response(ContactSerializer(contact).data)


class CriterionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """The region's selection criteria: the playbook's three and the region's own."""

    serializer_class = CriterionSerializer
    action_permission = "cities.view"
    lookup_url_kwarg = "criterion_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        return Criterion.objects.filter(region=self.request.region)
