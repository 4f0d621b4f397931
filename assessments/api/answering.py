"""REST API for answering an assessment, over assessments.services (mounted under
/api/v1/regions/<slug>/assessments/): a city contact reaches only their city's assessment,
a colleague only the sections assigned to them, the secretariat every one of the region (and
returns or accepts it). An answer is saved with the revision it started from: 409 with the
stored answer when someone saved it in between, 400 with details on bad input."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance import permissions
from alliance.api import IdField, RefuseUnknownFields, ServiceWrites, WholeNumberField
from alliance.errors import DomainError
from cities.models import Contact

from ..forms.answering import answer_fields
from ..models import Answer, Assessment, Question
from ..services import answering, review
from ..services.answering import Conflict


class AnswerSerializer(serializers.ModelSerializer):
    question = serializers.IntegerField(source="question_id", read_only=True)
    number = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True,
                                      coerce_to_string=False, read_only=True)
    answered_by = serializers.CharField(source="answered_by.__str__", read_only=True,
                                        allow_null=True, default=None)
    evidence_file = serializers.SerializerMethodField()

    class Meta:
        model = Answer
        fields = ["question", "choice", "number", "text", "evidence_url", "evidence_file",
                  "evidence_name", "revision", "answered_by", "updated_at"]
        read_only_fields = fields

    def get_evidence_file(self, answer) -> bool:
        return bool(answer.evidence_file)


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    section = serializers.IntegerField(source="section_id")
    name = serializers.CharField()
    kind = serializers.CharField()
    text = serializers.CharField(source="shown_text")
    hint = serializers.CharField(source="shown_hint")
    required = serializers.BooleanField()
    shown_if = serializers.IntegerField(source="shown_if_id", allow_null=True)
    operator = serializers.CharField()
    value = serializers.CharField()


class SectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(source="shown_title")
    principle = serializers.CharField(source="principle.key", allow_null=True, default=None)


class AssessmentSerializer(serializers.ModelSerializer):
    city_name = serializers.CharField(source="city.name", read_only=True)
    year = serializers.IntegerField(source="campaign.year", read_only=True)
    deadline = serializers.DateField(source="campaign.closes_on", read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "city", "city_name", "campaign", "year", "deadline", "state",
                  "last_activity_at", "submitted_at", "accepted_at", "overall_score"]
        read_only_fields = fields


class AnswerWriteSerializer(RefuseUnknownFields, serializers.Serializer):
    """What a question takes depends on its kind: `choice` (yes / partial / no, or the
    maturity level "0"-"4"), `number`, `text`, `evidence_url`; the service says which."""

    revision = WholeNumberField(min_value=0, help_text=(
        "The answer's revision the client started from (0 when none): a newer stored one "
        "answers 409."))
    choice = serializers.CharField(required=False, allow_blank=True, max_length=12)
    number = serializers.CharField(required=False, allow_blank=True, allow_null=True,
                                   max_length=40)
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    evidence_url = serializers.CharField(required=False, allow_blank=True, max_length=500)


class CommentSerializer(RefuseUnknownFields, serializers.Serializer):
    question = IdField()
    comment = serializers.CharField(max_length=review.COMMENT_MAX)


class ReturnSerializer(RefuseUnknownFields, serializers.Serializer):
    comments = CommentSerializer(many=True, allow_empty=False)


def _assessment(request, assessment_id):
    """The assessment and the requester's access; 404 for anyone it is not for."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("campaign", "city", "region"), pk=assessment_id)
    access = answering.access_of(request.user, assessment)
    if access is None:
        raise Http404
    return assessment, access


class AssessmentViewSet(ServiceWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """The assessments the requester may open: a city contact their city's, a colleague
    those with a section assigned to them, the secretariat and reviewers the region's."""

    serializer_class = AssessmentSerializer
    action_permission = "alliance.view_region"
    write_permissions = {"return_to_city": "assessments.review",
                         "accept": "assessments.review"}
    lookup_url_kwarg = "assessment_id"
    lookup_value_converter = "int"

    def get_queryset(self):
        user, region = self.request.user, self.request.region
        rows = Assessment.objects.filter(region=region).select_related("campaign", "city")
        if permissions.can(user, "assessments.view_campaigns", region=region):
            return rows.order_by("-campaign__year", "city__name", "id")
        cities = Contact.objects.filter(region=region, user=user).values("city_id")
        assigned = answering.assignments_of(user).filter(region=region).values(
            "assessment_id")
        mine = rows.filter(city_id__in=cities) if permissions.can(
            user, "assessments.answer", region=region) else rows.none()
        return (mine | rows.filter(pk__in=assigned)).distinct().order_by(
            "-campaign__year", "city__name", "id")

    @extend_schema(responses=AssessmentSerializer)
    def retrieve(self, request, *args, **kwargs):
        assessment, access = _assessment(request, kwargs["assessment_id"])
        sheet = answering.sheet_of(assessment, access)
        visible = [q for q in sheet.questions if q.pk not in sheet.hidden]
        return Response({
            **AssessmentSerializer(assessment).data,
            "may_answer": access.may_answer and answering.is_open(assessment),
            "may_submit": access.may_submit and answering.is_open(assessment),
            "progress": {"answered": sheet.answered_count, "required": len(sheet.required)},
            "sections": SectionSerializer(sheet.sections, many=True).data,
            "questions": QuestionSerializer(visible, many=True).data,
            "answers": AnswerSerializer([sheet.answers[q.pk] for q in sheet.questions
                                         if q.pk in sheet.answers], many=True).data,
        })

    @extend_schema(request=None, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        assessment, access = _assessment(request, kwargs["assessment_id"])
        if not access.may_submit:
            raise Http404
        try:
            assessment = answering.submit(actor=request.user, assessment=assessment)
        except answering.Incomplete as incomplete:
            return Response({"detail": incomplete.message,
                             "missing": [{"question": q.pk, "name": q.name,
                                          "text": q.shown_text} for q in incomplete.missing]},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response(AssessmentSerializer(assessment).data)

    @extend_schema(request=ReturnSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_city(self, request, *args, **kwargs):
        assessment, _access = _assessment(request, kwargs["assessment_id"])
        data = self.validated(ReturnSerializer, request.data)
        comments = {}
        for row in data["comments"]:
            comments[row["question"]] = f"{comments.get(row['question'], '')}\n{row['comment']}"
        review.return_to_city(actor=request.user, assessment=assessment, comments=comments)
        assessment.refresh_from_db()
        return Response(AssessmentSerializer(assessment).data)

    @extend_schema(request=None, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        assessment, _access = _assessment(request, kwargs["assessment_id"])
        assessment = review.accept(actor=request.user, assessment=assessment)
        return Response(AssessmentSerializer(assessment).data)


class AnswerViewSet(ServiceWrites, viewsets.GenericViewSet):
    """One answer of an assessment, by its question's id: read, or save with the revision
    the client started from (PUT and PATCH alike: the fields sent are changed)."""

    serializer_class = AnswerSerializer
    action_permission = "alliance.view_region"
    lookup_url_kwarg = "question_id"
    lookup_value_converter = "int"

    def _question(self, request, kwargs):
        assessment, access = _assessment(request, kwargs["assessment_id"])
        question = get_object_or_404(Question, pk=kwargs["question_id"])
        if not access.sees(question.section_id) or not answering.questions_of_assessment(
                assessment).filter(pk=question.pk).exists():
            raise Http404
        return assessment, access, question

    @extend_schema(responses=AnswerSerializer)
    def retrieve(self, request, *args, **kwargs):
        assessment, _access, question = self._question(request, kwargs)
        answer = assessment.answers.select_related("answered_by").filter(
            question=question).first()
        if answer is None:
            return Response({"question": question.pk, "revision": 0})
        return Response(AnswerSerializer(answer).data)

    @extend_schema(request=AnswerWriteSerializer, responses={200: AnswerSerializer,
                                                             409: AnswerSerializer})
    def update(self, request, *args, **kwargs):
        assessment, access, question = self._question(request, kwargs)
        if not access.may_answer:
            raise PermissionDenied(_("Your role does not allow this here."))
        data = dict(self.validated(AnswerWriteSerializer, request.data))
        revision = data.pop("revision")
        taken = answer_fields(question)
        for name in data:
            if name not in taken:
                raise DomainError(_("A question of this kind does not take this field."),
                                  field=name)
        try:
            answer = answering.save_answer(actor=request.user, assessment=assessment,
                                           question=question, revision=revision, **data)
        except Conflict as conflict:
            return Response({"detail": conflict.message,
                             **AnswerSerializer(conflict.answer).data},
                            status=status.HTTP_409_CONFLICT)
        return Response(AnswerSerializer(answer).data)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)


REGION_ROUTES = [
    ("assessments", AssessmentViewSet, "assessment"),
    ("assessments/<int:assessment_id>/answers", AnswerViewSet, "assessment-answer"),
]
