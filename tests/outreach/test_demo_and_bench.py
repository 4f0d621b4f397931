"""The demo seed (run twice, nothing doubles) and the outreach pages in `make bench`."""

from django_scopes import scope

from alliance.bench import registered_pages
from alliance.models import Role
from cities.models import PartnerNetwork, Stage
from outreach import demo
from outreach.models import Letter, LetterKind, LetterTemplate
from tests.factories import CityFactory, MembershipFactory, RegionFactory, UserFactory


def test_the_demo_seeds_templates_networks_and_a_draft_once(db):
    japan = RegionFactory(slug="japan", name="Japan", default_language="ja")
    sender = MembershipFactory(region=japan, role=Role.REGIONAL_SECRETARIAT).user
    CityFactory(region=japan, name="Maebashi", local_name="前橋市", stage=Stage.SHORT_LIST)
    with scope(region=japan):
        demo.seed(japan, sender)
        demo.seed(japan, sender)
        templates = list(LetterTemplate.objects.all())
        assert sorted(t.kind for t in templates) == sorted(LetterKind.values)
        assert {t.language for t in templates} == {"ja"}
        assert PartnerNetwork.objects.count() == 2
        [letter] = Letter.objects.all()
    assert "前橋市" in letter.body and letter.owner == sender


def test_a_region_without_demo_networks_still_gets_english_templates(db):
    region = RegionFactory(default_language="en")
    with scope(region=region):
        demo.seed(region, UserFactory())
        assert LetterTemplate.objects.filter(language="en").count() == 4
        assert not PartnerNetwork.objects.exists() and not Letter.objects.exists()


def test_the_outreach_pages_are_on_the_bench():
    labels = {page.label for page in registered_pages()}
    assert {"letter-list@regional_secretariat", "letter-detail@regional_secretariat",
            "api:letter-list@regional_secretariat", "approval-detail@forum_reviewer",
            "approval-detail@global_secretariat", "city-detail@forum_reviewer",
            "template-list@regional_secretariat", "partner-list@regional_secretariat",
            "material-list@regional_secretariat", "material-list@city_contact"} <= labels
