"""Reads the assessment pages, API, jobs and reports share (inside the region's scope for
region rows)."""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

from .conditions import answer_value, hidden_questions
from .models import Answer, Assessment, Question, Section, Variant


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


# A campaign asks a published version, and a published version never changes
# (services.questionnaires edits drafts only; ids are never reused): its sections and
# questions are read once per process. The rows are shared: read them, never set on them.

def asked_sections(assessment: Assessment) -> list[Section]:
    """The assessment's sections in order, with their principle. Not their model policy,
    whose title the Global Secretariat may edit: a page that shows it reads it."""
    return list(_published_sections(assessment.campaign.version_id))


def asked_questions(assessment: Assessment) -> list[Question]:
    """The assessment's questions in questionnaire order."""
    campaign = assessment.campaign
    return list(_published_questions(campaign.version_id, campaign.variant))


@lru_cache(maxsize=64)
def _published_sections(version_id: int) -> tuple[Section, ...]:
    return tuple(Section.objects.filter(version=version_id).select_related("principle"))


@lru_cache(maxsize=64)
def _published_questions(version_id: int, variant: str) -> tuple[Question, ...]:
    return tuple(questions_of(version_id, variant=variant))


def forget_published_versions() -> None:
    """For tests, whose rolled-back rows do reuse ids."""
    _published_sections.cache_clear()
    _published_questions.cache_clear()


def progress_of(assessment: Assessment) -> tuple[int, int]:
    """(required questions answered, required questions) as the answering page counts them
    (rules decide what is required), reading as values only the answers the count needs."""
    questions = asked_questions(assessment)
    answers = {}
    for question_id, choice, number, text, url, file in Answer.objects.filter(
            assessment=assessment).values_list("question_id", "choice", "number", "text",
                                               "evidence_url", "evidence_file"):
        answers[question_id] = SimpleNamespace(
            choice=choice, number=number, text=text,
            blank=not (choice or number is not None or text.strip() or url or file))
    hidden = hidden_questions(asked_sections(assessment), questions,
                              {pk: answer_value(a) for pk, a in answers.items()})
    required = [q.pk for q in questions if q.required and q.pk not in hidden]
    answered = sum(1 for pk in required if pk in answers and not answers[pk].blank)
    return answered, len(required)
