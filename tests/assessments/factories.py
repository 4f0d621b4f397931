"""factory-boy factories of the assessment app. The five principles are seeded by a
migration, but a transactional test's flush removes them: `principle(key)` brings each back."""

import datetime

import factory

from assessments.models import (
    Answer,
    Assessment,
    Campaign,
    ModelPolicy,
    Principle,
    PrincipleKey,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)
from tests.factories import CityFactory, RegionFactory


def principle(key: str = PrincipleKey.PRIVACY) -> Principle:
    position = list(PrincipleKey.values).index(key) + 1
    return Principle.objects.get_or_create(key=key, defaults={"position": position})[0]


def all_principles() -> list[Principle]:
    return [principle(key) for key in PrincipleKey.values]


class ModelPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModelPolicy

    title = factory.Sequence(lambda n: f"Model policy {n}")
    summary = "A practical, established norm."
    reference_title = "Barcelona's data commons"
    reference_url = "https://example.org/reference"
    status = ModelPolicy.Status.ADOPTED


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    name = factory.Sequence(lambda n: f"Policy Assessment {n}")


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionnaireVersion

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    number = factory.Sequence(lambda n: n + 1)
    state = QuestionnaireVersion.State.PUBLISHED


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    version = factory.SubFactory(VersionFactory)
    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"section_{n}")
    title = factory.Sequence(lambda n: f"Section {n}")
    principle = factory.LazyFunction(principle)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    section = factory.SubFactory(SectionFactory)
    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"q_{n}")
    kind = QuestionKind.YES_PARTIAL_NO
    text = factory.Sequence(lambda n: f"Question {n}?")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    region = factory.SubFactory(RegionFactory)
    year = factory.Sequence(lambda n: 2026 + n)
    version = factory.SubFactory(VersionFactory)
    opens_on = datetime.date(2026, 9, 1)
    closes_on = datetime.date(2026, 10, 31)
    state = Campaign.State.OPEN


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    campaign = factory.SubFactory(CampaignFactory)
    region = factory.SelfAttribute("campaign.region")
    city = factory.SubFactory(CityFactory, region=factory.SelfAttribute("..region"))


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    assessment = factory.SubFactory(AssessmentFactory)
    region = factory.SelfAttribute("assessment.region")
    question = factory.SubFactory(QuestionFactory)
