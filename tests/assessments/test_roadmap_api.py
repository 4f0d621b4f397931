"""The roadmap and questionnaire API: principles and adopted policies for everyone in a
region, the region's own proposals (400 with details on bad input), published versions with
their sections and questions."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from alliance.models import ApprovalRequest
from assessments.models import Condition, ModelPolicy, PrincipleKey, QuestionnaireVersion
from assessments.services import roadmap
from tests.assessments.factories import (
    ModelPolicyFactory,
    QuestionFactory,
    SectionFactory,
    VersionFactory,
    all_principles,
)

Status = ModelPolicy.Status
PROPOSAL = {"title": "Open data by default", "summary": "Publish what the city holds.",
            "principles": ["interoperability"], "reference_title": "Open Data Charter",
            "reference_url": "https://opendatacharter.net", "task_force": "Japan and Chile",
            "has_geographical_representation": True, "is_proven_model": True,
            "is_consistent_with_roadmap": True}


@pytest.fixture
def principles(db):
    return all_principles()


def _url(name, region, *args):
    return reverse(f"api:{name}", args=[region.slug, *args])


def test_a_city_contact_reads_principles_and_adopted_policies(cast, api, principles):
    adopted = ModelPolicyFactory(title="Open procurement")
    adopted.principles.set([principles[0]])
    ModelPolicyFactory(title="Someone's proposal", status=Status.PROPOSED,
                       proposed_by_region=cast.foreign.region)
    api.force_authenticate(cast.home.city_contact)
    rows = api.get(_url("roadmap-principle-list", cast.home.region)).json()
    assert [row["key"] for row in rows] == list(PrincipleKey.values)
    assert rows[0]["model_policies"] == [adopted.pk]
    policies = api.get(_url("model-policy-list", cast.home.region)).json()["results"]
    assert [p["title"] for p in policies] == ["Open procurement"]
    assert policies[0]["principles"] == [principles[0].key]


def test_a_secretariat_proposes_through_the_api(cast, api_secretariat, principles):
    response = api_secretariat.post(_url("policy-proposal-list", cast.home.region), PROPOSAL,
                                    format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == Status.PROPOSED and body["proposed_by_region"] == "aurora"
    with scopes_disabled():
        assert ApprovalRequest.objects.filter(kind=roadmap.MODEL_POLICY,
                                              region=cast.home.region).exists()
    listed = api_secretariat.get(_url("policy-proposal-list", cast.home.region)).json()
    assert [p["title"] for p in listed["results"]] == ["Open data by default"]


@pytest.mark.parametrize(("change", "field"), [
    ({"is_proven_model": False}, "is_proven_model"),
    ({"principles": []}, "principles"),
    ({"principles": ["happiness"]}, "principles"),
    ({"reference_url": "not a link"}, "reference_url"),
    ({"status": "adopted"}, "status"),
    ({"title": ""}, "title"),
])
def test_bad_proposals_answer_400_with_the_field(cast, api_secretariat, principles, change,
                                                 field):
    response = api_secretariat.post(_url("policy-proposal-list", cast.home.region),
                                    {**PROPOSAL, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not ModelPolicy.objects.exists()


def test_a_city_contact_cannot_propose(cast, api, principles):
    api.force_authenticate(cast.home.city_contact)
    response = api.post(_url("policy-proposal-list", cast.home.region), PROPOSAL, format="json")
    assert response.status_code == 403
    assert not ModelPolicy.objects.exists()


def test_another_regions_proposals_are_not_listed_nor_found(cast, api, principles):
    foreign = ModelPolicyFactory(status=Status.PROPOSED, proposed_by_region=cast.foreign.region)
    api.force_authenticate(cast.home.regional_secretariat)
    assert api.get(_url("policy-proposal-list", cast.home.region)).json()["results"] == []
    assert api.get(_url("policy-proposal-detail", cast.home.region, foreign.pk)
                   ).status_code == 404
    assert api.get(_url("model-policy-detail", cast.home.region, foreign.pk)).status_code == 404


def test_published_versions_come_with_sections_and_questions(cast, api, principles):
    version = VersionFactory()
    section = SectionFactory(version=version, name="privacy", principle=principles[0])
    first = QuestionFactory(section=section, name="has_policy", position=1)
    QuestionFactory(section=section, name="details", position=2, shown_if=first,
                    operator=Condition.EQUALS, value="yes")
    draft = VersionFactory(state=QuestionnaireVersion.State.DRAFT)
    api.force_authenticate(cast.home.forum_reviewer)
    listed = api.get(_url("questionnaire-version-list", cast.home.region)).json()["results"]
    assert [v["id"] for v in listed] == [version.pk]
    body = api.get(_url("questionnaire-version-detail", cast.home.region, version.pk)).json()
    [shown] = body["sections"]
    assert shown["principle"] == principles[0].key
    assert [q["name"] for q in shown["questions"]] == ["has_policy", "details"]
    assert shown["questions"][1]["shown_if"] == "has_policy"
    assert api.get(_url("questionnaire-version-detail", cast.home.region, draft.pk)
                   ).status_code == 404
    api.force_authenticate(cast.home.city_contact)
    assert api.get(_url("questionnaire-version-list", cast.home.region)).status_code == 403


def test_the_global_secretariat_reads_them_from_global(cast, api, principles):
    ModelPolicyFactory(title="Open procurement")
    api.force_authenticate(cast.global_secretariat)
    response = api.get(reverse("api:global:model-policy-list"))
    assert response.status_code == 200
    assert [p["title"] for p in response.json()["results"]] == ["Open procurement"]
