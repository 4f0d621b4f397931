"""REST API of the Terms of Reference, over the same services as the pages. In a region
(/api/v1/regions/<slug>/experts/): the versions that apply there (the region's own and the
global ones; a secretariat creates and publishes the region's own) and the acceptances (the
secretariat reads them all, an expert their own, and an expert accepts the current version
with `typed_name` and `accept: true`). Under /api/v1/global/experts/terms/: the global
versions, kept by the Global Secretariat. Bad input answers 400 with the field's reason."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance import permissions
from alliance.api import RefuseUnknownFields, ServiceWrites

from ..models import TermsAcceptance, TermsVersion
from ..queries import current_terms, terms_of_region
from ..services import terms as terms_service
from ..views.terms import client_ip

MANAGE = "experts.manage_terms"


class TermsSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True,
                                          help_text="The region's slug; null for global.")
    is_published = serializers.BooleanField(read_only=True)

    class Meta:
        model = TermsVersion
        fields = ["id", "region", "title", "version", "effective_on", "body", "content_hash",
                  "is_published", "published_at", "created_at"]
        read_only_fields = fields


class TermsInputSerializer(RefuseUnknownFields, serializers.Serializer):
    """A draft version; its text is sanitized (headings, paragraphs, lists, emphasis, links)."""

    title = serializers.CharField(max_length=200)
    version = serializers.CharField(max_length=20)
    effective_on = serializers.DateField()
    body = serializers.CharField()


class TermsViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   viewsets.GenericViewSet):
    """The Terms of Reference versions that apply here; drafts only for the secretariat."""

    serializer_class = TermsSerializer
    action_permission = "alliance.view_region"
    write_permissions = {"create": MANAGE, "publish": MANAGE}
    lookup_url_kwarg = "terms_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        region = self.request.region
        rows = (TermsVersion.objects.filter(region__isnull=True) if region is None
                else terms_of_region(region))
        if not permissions.can(self.request.user, MANAGE, region=region):
            rows = rows.filter(published_at__isnull=False)
        return rows.select_related("region").order_by("-effective_on", "-id")

    @extend_schema(request=TermsInputSerializer, responses={201: TermsSerializer})
    def create(self, request, *args, **kwargs):
        data = self.validated(TermsInputSerializer, request.data)
        terms = terms_service.create_terms(actor=request.user, region=request.region, **data)
        return Response(TermsSerializer(terms).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: TermsSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        """Publish a draft kept here; its experts are asked to accept it."""
        terms = get_object_or_404(TermsVersion.objects.filter(region=request.region),
                                  pk=kwargs["terms_id"])
        terms = terms_service.publish_terms(actor=request.user, terms=terms)
        return Response(TermsSerializer(terms).data)


class AcceptanceSerializer(serializers.ModelSerializer):
    expert = serializers.PrimaryKeyRelatedField(read_only=True)
    expert_name = serializers.CharField(source="expert.name", read_only=True)
    terms = serializers.PrimaryKeyRelatedField(read_only=True)
    version = serializers.CharField(source="terms.version", read_only=True)

    class Meta:
        model = TermsAcceptance
        fields = ["id", "expert", "expert_name", "terms", "version", "typed_name",
                  "content_hash", "ip_address", "accepted_at"]
        read_only_fields = fields


class AcceptInputSerializer(RefuseUnknownFields, serializers.Serializer):
    """The expert accepts the current version: they read it (accept: true) and type their
    full name as the portal knows it."""

    typed_name = serializers.CharField(max_length=150)
    accept = serializers.BooleanField()


class AcceptanceViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """Acceptances of the Terms of Reference in the region: all for the secretariat, their
    own for an expert. An expert POSTs to accept the current version."""

    serializer_class = AcceptanceSerializer
    action_permission = "alliance.view_region"
    write_permissions = {"create": "experts.own_record"}
    lookup_url_kwarg = "acceptance_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        user, region = self.request.user, self.request.region
        rows = TermsAcceptance.objects.select_related("expert", "terms").order_by(
            "-accepted_at", "-id")
        if permissions.can(user, MANAGE, region=region):
            return rows
        if permissions.can(user, "experts.own_record", region=region):
            return rows.filter(expert__user=user)
        return rows.none()

    @extend_schema(request=AcceptInputSerializer, responses={201: AcceptanceSerializer})
    def create(self, request, *args, **kwargs):
        data = self.validated(AcceptInputSerializer, request.data)
        region = request.region
        expert = terms_service.expert_of(request.user, region)
        if expert is None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Your account is not linked to an expert record in "
                                        "this region.")]})
        terms = current_terms(region)
        if terms is None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("No Terms of Reference are published for this "
                                        "region yet.")]})
        acceptance = terms_service.accept_terms(
            actor=request.user, expert=expert, terms=terms, typed_name=data["typed_name"],
            accepted=data["accept"], ip_address=client_ip(request))
        return Response(AcceptanceSerializer(acceptance).data, status=status.HTTP_201_CREATED)


REGION_ROUTES = [
    ("experts/terms", TermsViewSet, "terms"),
    ("experts/terms-acceptances", AcceptanceViewSet, "terms-acceptance"),
]
GLOBAL_ROUTES = [
    ("experts/terms", TermsViewSet, "terms"),
]
