"""Scores against hand-computed values: weights, partial answers, maturity levels, hidden
and unscored questions."""

import pytest
from django_scopes import scope

from assessments.models import Condition, PrincipleKey, QuestionKind, Variant
from assessments.services.scoring import score
from tests.factories import RegionFactory

from .factories import (
    AnswerFactory,
    AssessmentFactory,
    CampaignFactory,
    QuestionFactory,
    SectionFactory,
    VersionFactory,
    principle,
)

pytestmark = pytest.mark.django_db


def test_scores_per_principle_and_overall_match_a_hand_computation():
    region = RegionFactory(slug="aurora")
    version = VersionFactory()
    privacy = SectionFactory(version=version, principle=principle(PrincipleKey.PRIVACY))
    security = SectionFactory(version=version, principle=principle(PrincipleKey.SECURITY))
    has_policy = QuestionFactory(section=privacy, weight=2)  # yes: 2 of 2
    audited = QuestionFactory(section=privacy, weight=1)  # partly: 0.5 of 1
    details = QuestionFactory(section=privacy, kind=QuestionKind.TEXT)  # not scored
    maturity = QuestionFactory(section=security, kind=QuestionKind.MATURITY, weight=4)  # 3/4
    # Shown only when there is no policy: hidden here, so it counts for nothing.
    why_not = QuestionFactory(section=security, weight=10, shown_if=has_policy,
                              operator=Condition.EQUALS, value="no")
    assessment = AssessmentFactory(campaign=CampaignFactory(region=region, version=version,
                                                            variant=Variant.FULL))
    for question, choice in ((has_policy, "yes"), (audited, "partial"), (maturity, "3"),
                             (why_not, "no")):
        AnswerFactory(assessment=assessment, question=question, choice=choice)
    AnswerFactory(assessment=assessment, question=details, text="Since 2021.")
    with scope(region=region):
        scores = score(assessment)
        assessment.refresh_from_db()
    assert scores == {principle(PrincipleKey.PRIVACY).pk: pytest.approx(100 * 2.5 / 3),
                      principle(PrincipleKey.SECURITY).pk: pytest.approx(75.0)}
    assert assessment.overall_score == pytest.approx(100 * (2.5 + 3) / (3 + 4))
