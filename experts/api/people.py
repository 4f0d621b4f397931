"""The experts area 'people': REST endpoints (routes listed in experts/api/__init__.py).

Stakeholders (list with the page's filters, read, create, update, request their engagement
clearance, move their status), the directory (read only: what each expert shows), and the
expert's own record (`expert-profile/me/`: read and change their profile fields)."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance.api import ApprovalSerializer, IdField, RefuseUnknownFields, ServiceWrites
from alliance.models import ApprovalRequest
from cities.api import OwnerField

from ..forms.people import DirectoryFilterForm, StakeholderFilterForm
from ..models import Expert, Stakeholder, StakeholderStatus
from ..services import profile, stakeholders


def _form_errors(form) -> serializers.ValidationError:
    return serializers.ValidationError({name: list(errors) for name, errors in
                                        form.errors.items()})


def _parameters(form_class) -> list[OpenApiParameter]:
    """A filter form's fields as query parameters, kept in step with the form."""
    params = []
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.ModelChoiceField):
            params.append(OpenApiParameter(name, int, description=str(field.label)))
            continue
        choices = [value for value, _label in getattr(field, "choices", []) if value]
        params.append(OpenApiParameter(name, str, description=str(field.label),
                                       enum=choices or None))
    return params


# -- stakeholders -------------------------------------------------------------------------------

class StakeholderSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    """A stakeholder; the status moves through `move`, never through edits."""

    owner = OwnerField(required=False, allow_null=True)
    owner_email = serializers.EmailField(source="owner.email", read_only=True, allow_null=True)
    needs_clearance = serializers.BooleanField(read_only=True, help_text=gettext_lazy(
        "A national government official or a Forum Partner: approaching them waits for a "
        "Forum reviewer's clearance (request-clearance)."))
    cleared = serializers.BooleanField(read_only=True, help_text=gettext_lazy(
        "A Forum reviewer approved the engagement clearance."))

    class Meta:
        model = Stakeholder
        fields = ["id", "kind", "name", "organization", "is_national_government",
                  "involvement", "involvement_note", "channel", "contact_name",
                  "contact_email", "owner", "owner_email", "notes", "status",
                  "needs_clearance", "cleared", "created_at"]
        read_only_fields = ["status", "created_at"]


class StakeholderMoveSerializer(RefuseUnknownFields, serializers.Serializer):
    to = serializers.ChoiceField(choices=StakeholderStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


def _with_clearance(rows):
    approved = ApprovalRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(Stakeholder), object_id=OuterRef("pk"),
        kind=stakeholders.STAKEHOLDER_CLEARANCE, state=ApprovalRequest.State.APPROVED)
    return rows.annotate(cleared=Exists(approved))


class StakeholderViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):
    """The region's key stakeholders other than cities (search `q`, `kind`, `status`)."""

    serializer_class = StakeholderSerializer
    action_permission = "experts.view_stakeholders"
    write_permissions = {"create": "experts.manage_stakeholders",
                         "update": "experts.manage_stakeholders",
                         "partial_update": "experts.manage_stakeholders",
                         "request_clearance": "experts.manage_stakeholders",
                         "move": "experts.manage_stakeholders"}
    lookup_url_kwarg = "stakeholder_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        return _with_clearance(stakeholders.stakeholders_in(self.request.region))

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        form = StakeholderFilterForm(self.request.query_params)
        if not form.is_valid():
            # A list that ignored a bad filter would pass for a filtered one.
            raise _form_errors(form)
        return _with_clearance(stakeholders.stakeholders_in(self.request.region,
                                                            **form.cleaned_data))

    def _read(self, stakeholder, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=stakeholder.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    @extend_schema(parameters=_parameters(StakeholderFilterForm))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={201: StakeholderSerializer})
    def create(self, request, *args, **kwargs):
        data = self.validated(StakeholderSerializer, request.data)
        stakeholder = stakeholders.create_stakeholder(actor=request.user,
                                                      region=request.region, **data)
        return self._read(stakeholder, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        stakeholder = self.get_object()
        changes = self.validated(StakeholderSerializer, request.data,
                                 partial=kwargs.get("partial", False))
        stakeholders.update_stakeholder(actor=request.user, stakeholder=stakeholder, **changes)
        return self._read(stakeholder)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=None, responses={201: ApprovalSerializer})
    @action(detail=True, methods=["post"], url_path="request-clearance")
    def request_clearance(self, request, *args, **kwargs):
        """Ask the Forum reviewers to clear approaching a national government official or a
        Forum Partner; a request still pending is answered again."""
        approval = stakeholders.request_clearance(actor=request.user,
                                                  stakeholder=self.get_object())
        return Response(ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StakeholderMoveSerializer, responses=StakeholderSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, *args, **kwargs):
        """identified -> approached (after the clearance when needed) -> involved or not."""
        stakeholder = self.get_object()
        data = self.validated(StakeholderMoveSerializer, request.data)
        stakeholders.move_status(actor=request.user, stakeholder=stakeholder, to=data["to"],
                                 note=data["note"])
        return self._read(stakeholder)


# -- the directory ------------------------------------------------------------------------------

class TopicSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class TopicsSerializer(serializers.Serializer):
    principles = TopicSerializer(many=True)
    model_policies = TopicSerializer(many=True)


class DirectoryEntrySerializer(serializers.Serializer):
    """Name and sector always; each other field only when the expert shows it (absent, not
    empty, otherwise)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    sector = serializers.CharField()
    sector_label = serializers.CharField()
    organization = serializers.CharField(required=False)
    bio = serializers.CharField(required=False)
    links = serializers.ListField(child=serializers.URLField(), required=False)
    languages = serializers.ListField(child=serializers.CharField(), required=False)
    topics = TopicsSerializer(required=False)
    email = serializers.EmailField(required=False)

    def to_representation(self, card: profile.Card):
        entry = {"id": card.id, "name": card.name, "sector": card.sector,
                 "sector_label": card.sector_label}
        for name, value in card.shown.items():
            if name == "languages":
                value = [code for code, _name in value]
            elif name == "topics":
                value = {kind: [{"id": pk, "label": label} for pk, label in rows]
                         for kind, rows in value.items()}
            entry[name] = value
        return entry


class DirectoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """The region's expert directory: its confirmed and active experts, as each shows
    themselves (search `q`; `principle`, `model_policy`, `language`, `sector`)."""

    serializer_class = DirectoryEntrySerializer
    action_permission = "experts.view_directory"
    lookup_url_kwarg = "expert_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        return profile.directory_of(self.request.region)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        form = DirectoryFilterForm(self.request.query_params)
        if not form.is_valid():
            raise _form_errors(form)
        return profile.directory_of(self.request.region, **form.filters())

    @extend_schema(parameters=_parameters(DirectoryFilterForm))
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            self.get_serializer(profile.cards_of(page), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(profile.card_of(self.get_object())).data)


# -- the expert's own record --------------------------------------------------------------------

class OwnRecordSerializer(RefuseUnknownFields, serializers.Serializer):
    """The expert's own record: what the secretariat keeps is read only; the profile fields
    are theirs to change."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    organization = serializers.CharField(read_only=True)
    sector = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)
    stage = serializers.CharField(read_only=True)
    bio = serializers.CharField(required=False, allow_blank=True, max_length=profile.MAX_BIO)
    links = serializers.ListField(child=serializers.CharField(max_length=500), required=False,
                                  max_length=profile.MAX_LINKS)
    languages = serializers.ListField(child=serializers.CharField(max_length=10),
                                      required=False, max_length=profile.MAX_LANGUAGES)
    principles = serializers.ListField(child=IdField(), required=False, max_length=20)
    model_policies = serializers.ListField(child=IdField(), required=False, max_length=200)
    public_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=profile.PUBLIC_FIELDS), required=False,
        help_text=gettext_lazy("What the directory shows besides name and sector."))

    def to_representation(self, expert):
        return {"id": expert.pk, "name": expert.name, "organization": expert.organization,
                "sector": expert.sector, "email": expert.email, "stage": expert.stage,
                "bio": expert.bio, "links": expert.links, "languages": expert.languages,
                "principles": sorted(p.pk for p in expert.principles.all()),
                "model_policies": sorted(p.pk for p in expert.model_policies.all()),
                "public_fields": expert.public_fields}


class OwnRecordViewSet(ServiceWrites, viewsets.GenericViewSet):
    """The signed-in expert's own record in the region: `me/` (GET, PATCH), or by its id;
    another expert's id is not found."""

    serializer_class = OwnRecordSerializer
    action_permission = "experts.own_record"
    lookup_url_kwarg = "expert_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        return Expert.objects.filter(region=self.request.region, user=self.request.user)

    def _own(self) -> Expert:
        expert = profile.own_expert(self.request.user, self.request.region)
        if expert is None:
            raise Http404
        return expert

    def _answer(self, request, expert: Expert) -> Response:
        if request.method == "PATCH":
            changes = self.validated(OwnRecordSerializer, request.data, partial=True)
            expert = profile.update_profile(actor=request.user, expert=expert, **changes)
            expert = Expert.objects.get(region=request.region, pk=expert.pk)
        return Response(OwnRecordSerializer(expert).data)

    @extend_schema(request=OwnRecordSerializer, responses=OwnRecordSerializer)
    @action(detail=False, methods=["get", "patch"])
    def me(self, request, *args, **kwargs):
        return self._answer(request, self._own())

    @extend_schema(responses=OwnRecordSerializer)
    def retrieve(self, request, *args, **kwargs):
        return self._answer(request, self.get_object())

    @extend_schema(request=OwnRecordSerializer, responses=OwnRecordSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self._answer(request, self.get_object())


REGION_ROUTES = [
    ("stakeholders", StakeholderViewSet, "stakeholder"),
    ("directory", DirectoryViewSet, "directory"),
    ("expert-profile", OwnRecordViewSet, "expert-profile"),
]
GLOBAL_ROUTES: list = []
