"""Reads the assessment pages, API, jobs and reports share (inside the region's scope for
region rows)."""

from __future__ import annotations

from .conditions import answer_value, hidden_questions
from .models import Answer, Assessment, Question, Section, Variant

# What the rules and the progress read: of a section, of a question, of an answer.
RULE = ("shown_if_id", "operator", "value")


def sections_of(version):
    return Section.objects.filter(version=version).select_related("principle", "model_policy")


def questions_of(version, *, variant: str = Variant.FULL):
    """The version's questions in questionnaire order; the simplified variant asks a subset."""
    rows = Question.objects.filter(section__version=version).order_by(
        "section__position", "section_id", "position", "id")
    return rows.filter(in_simplified=True) if variant == Variant.SIMPLIFIED else rows


def questions_of_assessment(assessment: Assessment):
    campaign = assessment.campaign
    return questions_of(campaign.version_id, variant=campaign.variant)


def progress_of(assessment: Assessment) -> tuple[int, int]:
    """(required questions answered, required questions) as the answering page counts them
    (rules decide what is required), reading only what the rules and the count need."""
    sections = list(Section.objects.filter(version=assessment.campaign.version_id).only(*RULE))
    questions = list(questions_of_assessment(assessment).only(*RULE, "section_id", "required"))
    answers = {a.question_id: a for a in Answer.objects.filter(assessment=assessment).only(
        "question_id", "choice", "number", "text", "evidence_url", "evidence_file")}
    hidden = hidden_questions(sections, questions,
                              {pk: answer_value(a) for pk, a in answers.items()})
    required = [q.pk for q in questions if q.required and q.pk not in hidden]
    answered = sum(1 for pk in required if pk in answers and not answers[pk].is_blank)
    return answered, len(required)
