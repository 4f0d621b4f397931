"""A small assessment to answer: a city of the home region with the cast's city contact as
its contact, and two sections.

Governance (privacy): `has_policy` yes/partly/no (required, weight 2); `policy_link`
evidence, shown only when has_policy = yes (required); `note` text (optional).
Security (security): `maturity` 0-4 (required); `incidents` number (required)."""

from dataclasses import dataclass

from django_scopes import scope

from assessments.models import Condition, PrincipleKey, QuestionKind
from tests.factories import CityFactory, ContactFactory

from .factories import (
    AssessmentFactory,
    CampaignFactory,
    QuestionFactory,
    SectionFactory,
    VersionFactory,
    principle,
)


@dataclass
class World:
    region: object
    city: object
    assessment: object
    governance: object
    security: object
    has_policy: object
    policy_link: object
    note: object
    maturity: object
    incidents: object

    @property
    def url(self) -> str:
        return f"/r/{self.region.slug}/assessments/{self.assessment.pk}/"

    def section_url(self, section) -> str:
        return f"{self.url}?section={section.pk}"

    def answer_url(self, question) -> str:
        return f"{self.url}answers/{question.pk}/"

    def fresh(self):
        with scope(region=self.region):
            self.assessment.refresh_from_db()
        return self.assessment


def build(cast, *, contact=None, city_name="Maebashi") -> World:
    region = cast.home.region
    version = VersionFactory()
    governance = SectionFactory(version=version, position=1, title="Governance",
                                principle=principle(PrincipleKey.PRIVACY))
    security = SectionFactory(version=version, position=2, title="Security",
                              principle=principle(PrincipleKey.SECURITY))
    has_policy = QuestionFactory(section=governance, position=1, name="has_policy",
                                 text="Does the city have a data policy?", weight=2)
    policy_link = QuestionFactory(section=governance, position=2, name="policy_link",
                                  kind=QuestionKind.EVIDENCE, text="Where is it published?",
                                  shown_if=has_policy, operator=Condition.EQUALS, value="yes")
    note = QuestionFactory(section=governance, position=3, name="note",
                           kind=QuestionKind.TEXT, text="Anything to add?", required=False)
    maturity = QuestionFactory(section=security, position=1, name="maturity",
                               kind=QuestionKind.MATURITY, text="How mature is security?",
                               weight=4)
    incidents = QuestionFactory(section=security, position=2, name="incidents",
                                kind=QuestionKind.NUMBER, text="Incidents last year?")
    city = CityFactory(region=region, name=city_name)
    ContactFactory(city=city, user=contact or cast.home.city_contact,
                   email=(contact or cast.home.city_contact).email)
    assessment = AssessmentFactory(campaign=CampaignFactory(region=region, version=version),
                                   city=city)
    return World(region, city, assessment, governance, security, has_policy, policy_link,
                 note, maturity, incidents)
