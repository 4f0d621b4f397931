"""Reads the assessment pages, API, jobs and reports share (inside the region's scope for
region rows)."""

from __future__ import annotations

from .models import Assessment, Question, Section, Variant


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
