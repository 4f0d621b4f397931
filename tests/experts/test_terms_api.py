"""The Terms of Reference API: versions (read; created and published by the secretariat) and
acceptances (the secretariat reads them; an expert accepts the current version)."""

import pytest
from django_scopes import scope

from alliance.models import Notification
from experts.models import Stage, TermsAcceptance, TermsVersion
from tests.experts.factories import ExpertFactory, TermsAcceptanceFactory, TermsVersionFactory
from tests.querycount import assert_flat_queries

pytestmark = pytest.mark.django_db


def _base(region):
    return f"/api/v1/regions/{region.slug}/experts"


def test_the_secretariat_creates_and_publishes_the_regions_own_version(cast, api):
    region = cast.home.region
    api.force_authenticate(cast.home.regional_secretariat)
    working = ExpertFactory(region=region, stage=Stage.ACTIVE, user=cast.home.expert)
    response = api.post(f"{_base(region)}/terms/", {
        "title": "Aurora terms", "version": "1.0", "effective_on": "2026-12-01",
        "body": "<h2>Conduct</h2><p>Be kind.<script>x</script></p>"}, format="json")
    assert response.status_code == 201, response.json()
    terms_id = response.json()["id"]
    assert response.json()["body"] == "<h2>Conduct</h2><p>Be kind.</p>"
    assert response.json()["is_published"] is False

    response = api.post(f"{_base(region)}/terms/{terms_id}/publish/")
    assert response.status_code == 200 and response.json()["is_published"] is True
    assert Notification.objects.filter(recipient=working.user).count() == 1
    again = api.post(f"{_base(region)}/terms/{terms_id}/publish/")
    assert again.status_code == 400 and "make a new version" in str(again.json())


def test_bad_input_answers_400_and_changes_nothing(cast, api):
    region = cast.home.region
    api.force_authenticate(cast.home.regional_secretariat)
    TermsVersionFactory(region=region, version="1.0")
    for payload, field in (
            ({"title": "T", "version": "1.0", "effective_on": "2026-12-01", "body": "<p>x</p>"},
             "version"),
            ({"title": "T", "version": "2.0", "effective_on": "someday", "body": "<p>x</p>"},
             "effective_on"),
            ({"title": "T", "version": "2.0", "effective_on": "2026-12-01", "body": "<p>x</p>",
              "content_hash": "abc"}, "content_hash")):
        response = api.post(f"{_base(region)}/terms/", payload, format="json")
        assert response.status_code == 400 and field in response.json(), response.json()
    assert TermsVersion.objects.filter(region=region).count() == 1


def test_others_cannot_create_and_see_no_drafts(cast, api):
    region = cast.home.region
    TermsVersionFactory(region=region, version="draft", published_at=None)
    TermsVersionFactory(version="3.1")
    api.force_authenticate(cast.home.expert)
    versions = [row["version"] for row in api.get(f"{_base(region)}/terms/").json()["results"]]
    assert versions == ["3.1"]
    response = api.post(f"{_base(region)}/terms/", {
        "title": "T", "version": "9", "effective_on": "2026-12-01", "body": "<p>x</p>"},
        format="json")
    assert response.status_code == 403


def test_an_expert_accepts_the_current_version_through_the_api(cast, api):
    region = cast.home.region
    terms = TermsVersionFactory(version="3.1")
    expert = ExpertFactory(region=region, name="Aiko Tanaka", user=cast.home.expert,
                           stage=Stage.INVITED)
    api.force_authenticate(cast.home.expert)
    url = f"{_base(region)}/terms-acceptances/"

    wrong = api.post(url, {"typed_name": "Somebody", "accept": True}, format="json")
    assert wrong.status_code == 400 and "typed_name" in wrong.json()
    unticked = api.post(url, {"typed_name": "Aiko Tanaka", "accept": False}, format="json")
    assert unticked.status_code == 400 and "accept" in unticked.json()
    with scope(region=region):
        assert not TermsAcceptance.objects.exists()

    response = api.post(url, {"typed_name": "aiko tanaka", "accept": True}, format="json",
                        REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["version"] == "3.1" and body["content_hash"] == terms.content_hash
    assert body["ip_address"] == "192.0.2.10"
    with scope(region=region):
        expert.refresh_from_db()
    assert expert.stage == Stage.CONFIRMED
    twice = api.post(url, {"typed_name": "aiko tanaka", "accept": True}, format="json")
    assert twice.status_code == 400 and "already" in str(twice.json())
    assert [row["id"] for row in api.get(url).json()["results"]] == [body["id"]]


def test_the_secretariat_lists_acceptances_in_flat_queries(cast, api_secretariat):
    region = cast.home.region
    terms = TermsVersionFactory()
    url = f"{_base(region)}/terms-acceptances/"

    def grow():
        for _ in range(10):
            TermsAcceptanceFactory(expert=ExpertFactory(region=region), terms=terms)

    grow()
    api_secretariat.get(url)
    assert_flat_queries(lambda: api_secretariat.get(url), grow)
    assert api_secretariat.get(url).json()["count"] == 20


def test_a_city_contact_sees_no_acceptances(cast, api):
    region = cast.home.region
    TermsAcceptanceFactory(expert=ExpertFactory(region=region))
    api.force_authenticate(cast.home.city_contact)
    assert api.get(f"{_base(region)}/terms-acceptances/").json()["count"] == 0


def test_the_global_secretariat_keeps_global_versions_through_the_api(cast, api):
    api.force_authenticate(cast.global_secretariat)
    response = api.post("/api/v1/global/experts/terms/", {
        "title": "Global", "version": "5.0", "effective_on": "2027-01-01",
        "body": "<p>x</p>"}, format="json")
    assert response.status_code == 201 and response.json()["region"] is None
    TermsVersionFactory(region=cast.home.region, version="R1")
    versions = [r["version"] for r in api.get("/api/v1/global/experts/terms/").json()["results"]]
    assert versions == ["5.0"]
    api.force_authenticate(cast.home.regional_secretariat)
    assert api.get("/api/v1/global/experts/terms/").status_code == 404
