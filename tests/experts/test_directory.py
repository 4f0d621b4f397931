"""The expert directory: the region's confirmed and active experts, searched and filtered by
principle, model policy, language and sector; each shows their name and sector and otherwise
only what they marked public, and the filters match only what is shown."""

import pytest

from assessments.models import Principle
from experts.models import Sector, Stage
from tests.assessments.factories import ModelPolicyFactory
from tests.experts.factories import ExpertFactory
from tests.querycount import assert_flat_queries

EVERYTHING = ["organization", "bio", "links", "languages", "topics", "email"]


@pytest.fixture
def world(cast):
    region = cast.home.region
    privacy = Principle.objects.get(key="privacy")
    equity = Principle.objects.get(key="equity")
    policy = ModelPolicyFactory(title="Privacy impact assessment")
    other_policy = ModelPolicyFactory(title="Open data licence")
    open_expert = ExpertFactory(
        region=region, name="Aiko Open", organization="Open Lab", sector=Sector.PRIVATE,
        stage=Stage.ACTIVE, languages=["ja", "en"], bio="Twenty years of data governance.",
        links=["https://openlab.example.org"], email="aiko@openlab.example.org",
        public_fields=EVERYTHING)
    open_expert.principles.set([privacy])
    open_expert.model_policies.set([policy])
    private_expert = ExpertFactory(
        region=region, name="Bruno Private", organization="Hidden Institute",
        sector=Sector.ACADEMIC, stage=Stage.CONFIRMED, languages=["ja"],
        bio="HIDDEN-BIO", links=["https://hidden.example.org"],
        email="bruno@hidden.example.org", public_fields=[])
    private_expert.principles.set([privacy])
    private_expert.model_policies.set([policy])
    equity_expert = ExpertFactory(region=region, name="Chen Equity", sector=Sector.PUBLIC,
                                  stage=Stage.ACTIVE, languages=["es"],
                                  public_fields=["topics", "languages"])
    equity_expert.principles.set([equity])
    equity_expert.model_policies.set([other_policy])
    candidate = ExpertFactory(region=region, name="Dana Candidate", stage=Stage.VETTED,
                              public_fields=EVERYTHING)
    return {"open": open_expert, "private": private_expert, "equity": equity_expert,
            "candidate": candidate, "privacy": privacy, "equity_principle": equity,
            "policy": policy, "other_policy": other_policy}


def _directory(client, cast, query=""):
    return client.get(f"/r/{cast.home.region.slug}/experts/directory/{query}")


def _names(response) -> set[str]:
    page = response.content.decode()
    return {name for name in ("Aiko Open", "Bruno Private", "Chen Equity", "Dana Candidate")
            if name in page}


def test_it_lists_the_working_experts_only(cast, world, client_for):
    response = _directory(client_for(cast.home.city_contact), cast)
    assert response.status_code == 200
    assert _names(response) == {"Aiko Open", "Bruno Private", "Chen Equity"}


def test_it_filters_by_principle_model_policy_language_and_sector(cast, world, client_for):
    client = client_for(cast.home.city_contact)
    # Bruno knows privacy and the policy, but keeps his topics and languages to himself.
    assert _names(_directory(client, cast, f"?principle={world['privacy'].pk}")) == {
        "Aiko Open"}
    assert _names(_directory(client, cast, f"?principle={world['equity_principle'].pk}")) == {
        "Chen Equity"}
    assert _names(_directory(client, cast, f"?model_policy={world['policy'].pk}")) == {
        "Aiko Open"}
    assert _names(_directory(client, cast, f"?model_policy={world['other_policy'].pk}")) == {
        "Chen Equity"}
    assert _names(_directory(client, cast, "?language=ja")) == {"Aiko Open"}
    assert _names(_directory(client, cast, "?language=es")) == {"Chen Equity"}
    assert _names(_directory(client, cast, "?sector=academic")) == {"Bruno Private"}
    assert _names(_directory(client, cast, "?sector=private&language=ja")) == {"Aiko Open"}


def test_it_searches_names_and_shown_organizations_only(cast, world, client_for):
    client = client_for(cast.home.city_contact)
    assert _names(_directory(client, cast, "?q=open+lab")) == {"Aiko Open"}
    assert _names(_directory(client, cast, "?q=bruno")) == {"Bruno Private"}
    assert _names(_directory(client, cast, "?q=hidden+institute")) == set()


def test_a_bad_filter_shows_its_error_and_no_rows(cast, world, client_for):
    response = _directory(client_for(cast.home.city_contact), cast, "?principle=nine")
    assert response.status_code == 200
    assert response.context["filters"].errors
    assert _names(response) == set()


def test_fields_not_marked_public_never_appear(cast, world, client_for):
    client = client_for(cast.home.city_contact)
    hidden = ["Hidden Institute", "HIDDEN-BIO", "hidden.example.org", "bruno@hidden"]
    listing = _directory(client, cast).content.decode()
    detail = client.get(f"/r/{cast.home.region.slug}/experts/directory/"
                        f"{world['private'].pk}/").content.decode()
    assert "Bruno Private" in detail and "Academic" in detail
    for text in hidden:
        assert text not in listing
        assert text not in detail
    shown = client.get(f"/r/{cast.home.region.slug}/experts/directory/"
                       f"{world['open'].pk}/").content.decode()
    for text in ("Open Lab", "Twenty years of data governance.", "https://openlab.example.org",
                 "aiko@openlab.example.org", "Japanese", "Privacy impact assessment"):
        assert text in shown


def test_who_sees_the_directory(cast, world, client_for):
    for user in (cast.home.city_contact, cast.home.expert, cast.home.regional_secretariat,
                 cast.global_secretariat):
        assert _directory(client_for(user), cast).status_code == 200
    assert _directory(client_for(cast.foreign.city_contact), cast).status_code == 404
    assert _directory(client_for(cast.outsider), cast).status_code == 404


def test_an_expert_outside_the_directory_has_no_entry(cast, world, client_for):
    client = client_for(cast.home.city_contact)
    base = f"/r/{cast.home.region.slug}/experts/directory/"
    assert client.get(f"{base}{world['candidate'].pk}/").status_code == 404
    foreign = ExpertFactory(region=cast.foreign.region, stage=Stage.ACTIVE,
                            public_fields=EVERYTHING)
    assert client.get(f"{base}{foreign.pk}/").status_code == 404


def test_the_directory_costs_the_same_with_more_experts(cast, world, client_for):
    client = client_for(cast.home.city_contact)
    _directory(client, cast)

    def grow():
        for n in range(12):
            expert = ExpertFactory(region=cast.home.region, stage=Stage.ACTIVE,
                                   languages=["en"], public_fields=EVERYTHING)
            expert.principles.set([world["privacy"]])
            expert.model_policies.set([world["policy"] if n % 2 else world["other_policy"]])

    assert_flat_queries(lambda: _directory(client, cast, "?language=en"), grow)
