"""factory-boy factories of the experts app."""

import datetime
import hashlib

import factory
from django.utils import timezone

from experts.models import (
    AdvisorCandidate,
    Expert,
    GroupMember,
    GroupSession,
    Interview,
    Sector,
    Stage,
    Stakeholder,
    StakeholderKind,
    TermsAcceptance,
    TermsVersion,
    WorkingGroup,
)
from tests.factories import RegionFactory

TERMS_TEXT = ("<h2>Terms of membership</h2><p>Members keep what they learn in working "
              "groups confidential.</p>")


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Expert {n}")
    organization = factory.Sequence(lambda n: f"Institute {n}")
    sector = Sector.ACADEMIC
    email = factory.Sequence(lambda n: f"expert{n}@example.org")
    stage = Stage.CANDIDATE


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    expert = factory.SubFactory(ExpertFactory)
    region = factory.SelfAttribute("expert.region")
    strengths = "Data governance in local government."


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    region = factory.SubFactory(RegionFactory)
    kind = StakeholderKind.GOVERNMENT_AGENCY
    name = factory.Sequence(lambda n: f"Agency {n}")


class TermsVersionFactory(factory.django.DjangoModelFactory):
    """A published global version unless told otherwise."""

    class Meta:
        model = TermsVersion

    region = None
    title = "Working Group Terms of Reference"
    version = factory.Sequence(lambda n: f"3.{n}")
    effective_on = factory.LazyFunction(lambda: datetime.date(2026, 1, 1))
    body = TERMS_TEXT
    content_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.body.encode()).hexdigest())
    published_at = factory.LazyFunction(timezone.now)


class TermsAcceptanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermsAcceptance

    expert = factory.SubFactory(ExpertFactory)
    region = factory.SelfAttribute("expert.region")
    terms = factory.SubFactory(TermsVersionFactory)
    typed_name = factory.SelfAttribute("expert.name")
    content_hash = factory.SelfAttribute("terms.content_hash")


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Working group {n}")
    theme = "Data governance"


class GroupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMember

    group = factory.SubFactory(WorkingGroupFactory)
    region = factory.SelfAttribute("group.region")
    expert = factory.SubFactory(ExpertFactory, region=factory.SelfAttribute("..region"))


class GroupSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupSession

    group = factory.SubFactory(WorkingGroupFactory)
    region = factory.SelfAttribute("group.region")
    title = "Spring session"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))


class AdvisorCandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvisorCandidate

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Advisor {n}")
