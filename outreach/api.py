"""REST API for letters: drafts, edits (text and recipient), the approval request and the
moves draft -> sent -> answered | no answer, over outreach.services (mounted under
/api/v1/regions/<slug>/letters/). The services' refusals answer 400 with their message."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance.api import (
    ApprovalSerializer,
    IdField,
    RefuseUnknownFields,
    RegionRowField,
    ServiceWrites,
    WholeNumberField,
)
from cities.models import City, Contact

from . import queries
from .models import Letter, LetterKind, LetterTemplate
from .services import letters


class LetterSerializer(serializers.ModelSerializer):
    city_name = serializers.CharField(source="city.name", read_only=True)
    contact_name = serializers.CharField(source="contact.name", read_only=True,
                                         allow_null=True)
    owner_email = serializers.EmailField(source="owner.email", read_only=True, allow_null=True)
    length = serializers.IntegerField(read_only=True)
    over_limit = serializers.IntegerField(
        read_only=True, help_text="Characters beyond the limit; sending refuses them.")

    class Meta:
        model = Letter
        fields = ["id", "city", "city_name", "contact", "contact_name", "template", "kind",
                  "language", "subject", "body", "char_limit", "length", "over_limit",
                  "state", "owner", "owner_email", "created_at", "sent_at", "answered_at",
                  "answer_note", "follows_up", "city_moved_to", "city_moved_at"]
        read_only_fields = fields
        extra_kwargs = {"city_moved_to": {"help_text": "The stage this letter last moved its "
                                                       "city to (sent, answered, signed)."}}


# Far beyond any letter; bounded so a huge number is refused, not a database error.
MAX_CHAR_LIMIT = 1_000_000


class DraftSerializer(RefuseUnknownFields, serializers.Serializer):
    """A draft for one recipient (the city's key contact unless `contact` names another, or
    null for none): from a template (rendered for them), or kind and text."""

    city = RegionRowField(City)
    contact = RegionRowField(Contact, required=False, allow_null=True)
    template = RegionRowField(LetterTemplate, required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=LetterKind.choices, required=False)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    subject = serializers.CharField(required=False, max_length=200)
    body = serializers.CharField(required=False, allow_blank=True)
    char_limit = WholeNumberField(required=False, allow_null=True, min_value=1,
                                  max_value=MAX_CHAR_LIMIT)


class LetterEditSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    """The text while no approval is asked or given; the recipient (one of the city's
    contacts, or null) until the letter is sent."""

    contact = RegionRowField(Contact, required=False, allow_null=True)

    class Meta:
        model = Letter
        fields = [*letters.EDITABLE, letters.RECIPIENT]


class AnswerSerializer(RefuseUnknownFields, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class LetterFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Letter.State.choices, required=False)
    kind = serializers.ChoiceField(choices=LetterKind.choices, required=False)
    city = IdField(required=False, help_text="A city id.")


class LetterViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """The region's letters. Sending refuses an over-long text, a Forum-issued letter without
    the Global Secretariat's approval and an approach that needs an engagement clearance."""

    serializer_class = LetterSerializer
    action_permission = "outreach.view"
    write_permissions = {"create": "outreach.edit", "partial_update": "outreach.edit",
                         "send": "outreach.send", "answer": "outreach.edit",
                         "no_answer": "outreach.edit", "request_approval": "outreach.edit"}
    lookup_url_kwarg = "letter_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        return queries.letters_in(self.request.region)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        filters = self.validated(LetterFilterSerializer, self.request.query_params)
        city = filters.pop("city", None)
        rows = queries.letters_in(self.request.region, **filters)
        return rows.filter(city_id=city) if city else rows

    @extend_schema(parameters=[LetterFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=DraftSerializer, responses={201: LetterSerializer})
    def create(self, request, *args, **kwargs):
        draft = self.validated(DraftSerializer, request.data)
        letter = letters.draft_letter(actor=request.user, **draft)
        return Response(LetterSerializer(letter).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LetterEditSerializer, responses=LetterSerializer)
    def partial_update(self, request, *args, **kwargs):
        changes = self.validated(LetterEditSerializer, request.data, partial=True)
        letter = letters.update_letter(actor=request.user, letter=self.get_object(), **changes)
        return Response(LetterSerializer(letter).data)

    @extend_schema(request=None, responses=LetterSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, *args, **kwargs):
        letter = letters.send_letter(actor=request.user, letter=self.get_object())
        return Response(LetterSerializer(letter).data)

    @extend_schema(request=AnswerSerializer, responses=LetterSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        note = self.validated(AnswerSerializer, request.data)["note"]
        letter = letters.record_answer(actor=request.user, letter=self.get_object(), note=note)
        return Response(LetterSerializer(letter).data)

    @extend_schema(request=AnswerSerializer, responses=LetterSerializer)
    @action(detail=True, methods=["post"], url_path="no-answer")
    def no_answer(self, request, *args, **kwargs):
        note = self.validated(AnswerSerializer, request.data)["note"]
        letter = letters.record_no_answer(actor=request.user, letter=self.get_object(),
                                          note=note)
        return Response(LetterSerializer(letter).data)

    @extend_schema(request=None, responses={201: ApprovalSerializer})
    @action(detail=True, methods=["post"], url_path="request-approval")
    def request_approval(self, request, *args, **kwargs):
        """Ask the Global Secretariat to approve a Forum-issued letter as it stands."""
        approval = letters.request_legal_approval(actor=request.user, letter=self.get_object())
        return Response(ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)


class ContactClearanceViewSet(ServiceWrites, viewsets.GenericViewSet):
    """Ask a Forum reviewer to clear approaching a national government official or someone at a
    Forum Partner: letters to them are not sent until then."""

    action_permission = "outreach.view"
    write_permissions = {"create": "outreach.edit"}

    def get_queryset(self):
        return Contact.objects.filter(region=self.request.region, city_id=self.kwargs["city_id"])

    @extend_schema(request=None, responses={201: ApprovalSerializer})
    def create(self, request, *args, **kwargs):
        contact = get_object_or_404(self.get_queryset(), pk=kwargs["contact_id"])
        approval = letters.request_engagement_clearance(actor=request.user, contact=contact)
        return Response(ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)
