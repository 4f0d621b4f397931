"""factory-boy factories for every model. Scoped models are created outside scopes on
purpose: django-scopes guards reads, and fixtures run unscoped (tests/conftest.py)."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from alliance.models import (
    ApiToken,
    ApprovalRequest,
    AuditEntry,
    Invitation,
    Membership,
    Notification,
    Region,
    Role,
    User,
)
from alliance.services.invitations import VALID_FOR
from cities.models import (
    City,
    Contact,
    Criterion,
    CriterionScore,
    PartnerNetwork,
    Stage,
    StageChange,
    Tag,
)
from cities.services.scoring import recompute_priorities
from outreach.models import Letter, LetterKind, LetterOfIntent, LetterTemplate, Material

PASSWORD = "correct horse battery staple"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    default_language = "en"
    time_zone = "UTC"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    region = factory.SubFactory(RegionFactory)
    role = Role.REGIONAL_SECRETARIAT


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    region = factory.SubFactory(RegionFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Role.EXPERT
    state = Invitation.State.SENT
    invited_by = factory.SubFactory(UserFactory)
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + VALID_FOR)


class ApprovalRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApprovalRequest

    region = factory.SubFactory(RegionFactory)
    kind = "reviewer_invitation"
    route_role = Role.GLOBAL_SECRETARIAT
    target = factory.SubFactory(InvitationFactory, region=factory.SelfAttribute("..region"),
                                role=Role.FORUM_REVIEWER,
                                state=Invitation.State.AWAITING_APPROVAL)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.target))
    object_id = factory.LazyAttribute(lambda o: o.target.pk)
    summary = factory.Sequence(lambda n: f"Approval request {n}")
    requested_by = factory.SubFactory(UserFactory)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    key = factory.Sequence(lambda n: f"test:{n}")
    subject = factory.Sequence(lambda n: f"Notification {n}")
    body = "Something happened."


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEntry

    region = factory.SubFactory(RegionFactory)
    actor = factory.SubFactory(UserFactory)
    action = "alliance.test.happened"
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(Region))
    object_id = factory.LazyAttribute(lambda o: o.region.pk)


class ApiTokenFactory(factory.Factory):
    """Knox creates the token and returns (instance, secret); the factory returns both."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "script"

    @classmethod
    def _create(cls, model_class, user, name):
        instance, secret = ApiToken.objects.create(user=user, expiry=None)
        instance.name = name
        instance.save(update_fields=["name"])
        return instance, secret


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"City {n}")
    country = "JP"
    population = 100_000


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"tag-{n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    city = factory.SubFactory(CityFactory)
    region = factory.SelfAttribute("city.region")
    name = factory.Faker("name")
    position = Contact.Position.KEY_CONTACT
    email = factory.Sequence(lambda n: f"contact{n}@city.example.org")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1


class CriterionScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriterionScore

    city = factory.SubFactory(CityFactory)
    region = factory.SelfAttribute("city.region")
    criterion = factory.SubFactory(CriterionFactory, region=factory.SelfAttribute("..region"))
    score = 2

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        score = super()._create(model_class, *args, **kwargs)
        # The scoring services keep the city's stored priority in step; so does this.
        recompute_priorities(score.region, city_ids=[score.city_id])
        return score


class StageChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageChange

    city = factory.SubFactory(CityFactory)
    region = factory.SelfAttribute("city.region")
    from_stage = Stage.LONG_LIST
    to_stage = Stage.SHORT_LIST


class PartnerNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerNetwork

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"City network {n}")


class LetterTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterTemplate

    region = factory.SubFactory(RegionFactory)
    kind = LetterKind.INQUIRY
    language = "en"
    name = factory.Sequence(lambda n: f"Inquiry template {n}")
    subject = "Joining the {{ region }} alliance"
    body = "Dear {{ contact }},\n\n{{ city }} is warmly invited.\n\n{{ sender }}"


class LetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Letter

    city = factory.SubFactory(CityFactory)
    region = factory.SelfAttribute("city.region")
    contact = factory.SubFactory(ContactFactory, city=factory.SelfAttribute("..city"))
    kind = LetterKind.INQUIRY
    subject = factory.Sequence(lambda n: f"Letter {n}")
    body = "Dear colleague, ..."
    owner = factory.SubFactory(UserFactory)


class LetterOfIntentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterOfIntent

    letter = factory.SubFactory(LetterFactory, kind=LetterKind.LETTER_OF_INTENT)
    region = factory.SelfAttribute("letter.region")
    purpose = "Improve technology governance."
    opportunities = "Benchmarks and peer learning."
    commitment = "One policy assessment a year."
    validity_period = "Two years from signature"
    financials = "No fees."
    data_protection = "Shared data stays confidential."
    intellectual_property = "Model policies are public goods."
    contact_details = "secretariat@example.org"


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    region = factory.SubFactory(RegionFactory)
    title = factory.Sequence(lambda n: f"Brochure {n}")
    language = "en"
    file = factory.django.FileField(filename="brochure.pdf", data=b"%PDF-1.4 brochure")
    size = 17
