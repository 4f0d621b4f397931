"""The people endpoints: stakeholders (with the clearance gate), the directory (public fields
only) and the expert's own record, scoped to the region, 400 with details on bad input."""

import pytest
from django_scopes import scope

from alliance.models import ApprovalRequest
from alliance.services import approvals
from assessments.models import Principle
from experts.models import Expert, Stage, Stakeholder
from tests.experts.factories import ExpertFactory, StakeholderFactory
from tests.querycount import assert_flat_queries


def _base(cast):
    return f"/api/v1/regions/{cast.home.region.slug}/"


def _status(stakeholder) -> str:
    return Stakeholder._base_manager.get(pk=stakeholder.pk).status


# -- stakeholders -------------------------------------------------------------------------------

def test_the_api_holds_the_clearance_gate(cast, api):
    api.force_authenticate(cast.home.regional_secretariat)
    stakeholder = StakeholderFactory(region=cast.home.region, kind="forum_partner",
                                     name="Partner Corp")
    url = f"{_base(cast)}stakeholders/{stakeholder.pk}/"
    refused = api.post(f"{url}move/", {"to": "approached"}, format="json")
    assert refused.status_code == 400
    assert "engagement clearance" in refused.json()["status"][0]
    assert _status(stakeholder) == "identified"

    asked = api.post(f"{url}request-clearance/", format="json")
    assert asked.status_code == 201
    assert asked.json()["kind"] == "stakeholder_clearance"
    assert api.get(url).json()["cleared"] is False
    with scope(region=cast.home.region):
        approvals.decide(actor=cast.home.forum_reviewer,
                         approval=ApprovalRequest.objects.get(pk=asked.json()["id"]),
                         decision=ApprovalRequest.State.APPROVED, comment="")
    moved = api.post(f"{url}move/", {"to": "approached", "note": "Met at the Forum"},
                     format="json")
    assert moved.status_code == 200
    assert moved.json()["status"] == "approached"
    assert moved.json()["cleared"] is True


def test_the_api_creates_and_updates_a_stakeholder(cast, api):
    api.force_authenticate(cast.home.regional_secretariat)
    created = api.post(f"{_base(cast)}stakeholders/", {
        "name": "Ministry of Land", "kind": "government_agency",
        "is_national_government": True, "involvement": "dissemination",
        "channel": "engagement_officer", "owner": cast.home.regional_secretariat.pk},
        format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["needs_clearance"] is True and body["status"] == "identified"
    changed = api.patch(f"{_base(cast)}stakeholders/{body['id']}/",
                        {"involvement_note": "Shares our news"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["involvement_note"] == "Shares our news"


@pytest.mark.parametrize("payload, field", [
    ({"name": "X", "kind": "spaceship"}, "kind"),
    ({"name": "X", "kind": "organization", "status": "involved"}, "status"),
    ({"name": "X", "kind": "organization", "popularity": 3}, "popularity"),
    ({"name": "X", "kind": "organization", "contact_email": "nope"}, "contact_email"),
    ({"name": "X", "kind": "organization", "owner": 10**12}, "owner"),
])
def test_bad_stakeholder_input_is_a_400_with_details(cast, api, payload, field):
    api.force_authenticate(cast.home.regional_secretariat)
    response = api.post(f"{_base(cast)}stakeholders/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    with scope(region=cast.home.region):
        assert not Stakeholder.objects.exists()


def test_the_api_filters_stakeholders_and_refuses_a_bad_filter(cast, api):
    api.force_authenticate(cast.home.forum_reviewer)
    StakeholderFactory(region=cast.home.region, name="Partner Corp", kind="forum_partner")
    StakeholderFactory(region=cast.home.region, name="Agency", kind="government_agency")
    listed = api.get(f"{_base(cast)}stakeholders/?kind=forum_partner").json()
    assert [row["name"] for row in listed["results"]] == ["Partner Corp"]
    assert api.get(f"{_base(cast)}stakeholders/?status=lost").status_code == 400


def test_a_forum_reviewer_reads_but_cannot_write_stakeholders(cast, api):
    api.force_authenticate(cast.home.forum_reviewer)
    stakeholder = StakeholderFactory(region=cast.home.region, kind="organization")
    url = f"{_base(cast)}stakeholders/{stakeholder.pk}/"
    assert api.get(url).status_code == 200
    assert api.post(f"{url}move/", {"to": "approached"}, format="json").status_code == 403
    assert api.patch(url, {"name": "Renamed"}, format="json").status_code == 403


def test_another_regions_stakeholder_is_not_found(cast, api):
    api.force_authenticate(cast.home.regional_secretariat)
    foreign = StakeholderFactory(region=cast.foreign.region)
    assert api.get(f"{_base(cast)}stakeholders/{foreign.pk}/").status_code == 404
    assert api.post(f"{_base(cast)}stakeholders/{foreign.pk}/request-clearance/",
                    format="json").status_code == 404


# -- the directory ------------------------------------------------------------------------------

def test_the_directory_answers_public_fields_only(cast, api):
    api.force_authenticate(cast.home.city_contact)
    privacy = Principle.objects.get(key="privacy")
    shown = ExpertFactory(region=cast.home.region, name="Aiko Open", stage=Stage.ACTIVE,
                          organization="Open Lab", languages=["ja"],
                          public_fields=["organization", "languages", "topics"])
    shown.principles.set([privacy])
    hidden = ExpertFactory(region=cast.home.region, name="Bruno Private",
                           stage=Stage.CONFIRMED, organization="Hidden Institute",
                           bio="HIDDEN-BIO", email="bruno@hidden.example.org",
                           languages=["ja"], public_fields=[])
    hidden.principles.set([privacy])
    ExpertFactory(region=cast.home.region, name="Candidate", stage=Stage.INTERVIEWED)
    listed = api.get(f"{_base(cast)}directory/")
    assert listed.status_code == 200
    rows = {row["name"]: row for row in listed.json()["results"]}
    assert set(rows) == {"Aiko Open", "Bruno Private"}
    assert rows["Aiko Open"]["organization"] == "Open Lab"
    assert rows["Aiko Open"]["languages"] == ["ja"]
    assert rows["Aiko Open"]["topics"]["principles"][0]["id"] == privacy.pk
    assert set(rows["Bruno Private"]) == {"id", "name", "sector", "sector_label"}
    detail = api.get(f"{_base(cast)}directory/{hidden.pk}/").content.decode()
    for text in ("Hidden Institute", "HIDDEN-BIO", "bruno@hidden"):
        assert text not in listed.content.decode()
        assert text not in detail
    by_language = api.get(f"{_base(cast)}directory/?language=ja").json()["results"]
    assert [row["name"] for row in by_language] == ["Aiko Open"]
    assert api.get(f"{_base(cast)}directory/?principle=x").status_code == 400


def test_the_directory_is_read_only(cast, api):
    api.force_authenticate(cast.home.regional_secretariat)
    expert = ExpertFactory(region=cast.home.region, stage=Stage.ACTIVE)
    assert api.post(f"{_base(cast)}directory/", {"name": "X"}, format="json").status_code == 405
    assert api.patch(f"{_base(cast)}directory/{expert.pk}/", {"name": "X"},
                     format="json").status_code == 405


def test_the_directory_costs_the_same_with_more_experts(cast, api):
    api.force_authenticate(cast.home.city_contact)
    privacy = Principle.objects.get(key="privacy")

    def grow():
        for _n in range(10):
            expert = ExpertFactory(region=cast.home.region, stage=Stage.ACTIVE,
                                   public_fields=["topics", "languages"], languages=["en"])
            expert.principles.set([privacy])

    grow()
    api.get(f"{_base(cast)}directory/")  # the user's memberships are read once, then kept
    assert_flat_queries(lambda: api.get(f"{_base(cast)}directory/"), grow)


# -- the expert's own record --------------------------------------------------------------------

@pytest.fixture
def own(cast):
    return ExpertFactory(region=cast.home.region, user=cast.home.expert, stage=Stage.ACTIVE,
                         name="Aiko Tanaka", bio="Old bio")


def test_the_expert_reads_and_changes_their_own_record(cast, api, own):
    api.force_authenticate(cast.home.expert)
    url = f"{_base(cast)}expert-profile/me/"
    assert api.get(url).json()["name"] == "Aiko Tanaka"
    changed = api.patch(url, {"bio": "New bio", "public_fields": ["bio"],
                              "links": ["https://aiko.example.org"]}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["bio"] == "New bio"
    assert Expert._base_manager.get(pk=own.pk).public_fields == ["bio"]
    by_id = api.get(f"{_base(cast)}expert-profile/{own.pk}/")
    assert by_id.status_code == 200


@pytest.mark.parametrize("payload, field", [
    ({"stage": "alumni"}, "stage"),
    ({"name": "Someone else"}, "name"),
    ({"public_fields": ["declared_interests"]}, "public_fields"),
    ({"links": ["javascript:alert(1)"]}, "links"),
    ({"principles": [10**6]}, "principles"),
])
def test_bad_changes_to_the_own_record_are_a_400(cast, api, own, payload, field):
    api.force_authenticate(cast.home.expert)
    response = api.patch(f"{_base(cast)}expert-profile/me/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Expert._base_manager.get(pk=own.pk).stage == Stage.ACTIVE


def test_another_experts_record_is_not_found(cast, api, own):
    someone = ExpertFactory(region=cast.home.region, stage=Stage.ACTIVE, bio="Theirs")
    api.force_authenticate(cast.home.expert)
    url = f"{_base(cast)}expert-profile/{someone.pk}/"
    assert api.get(url).status_code == 404
    assert api.patch(url, {"bio": "Mine"}, format="json").status_code == 404
    assert Expert._base_manager.get(pk=someone.pk).bio == "Theirs"


def test_only_experts_have_an_own_record(cast, api, own):
    api.force_authenticate(cast.home.regional_secretariat)
    assert api.get(f"{_base(cast)}expert-profile/me/").status_code == 403
    api.force_authenticate(cast.foreign.expert)
    assert api.get(f"{_base(cast)}expert-profile/me/").status_code == 404
