import re

from django.core.management import call_command

from alliance.models import ApprovalRequest
from tests.factories import ApprovalRequestFactory, NotificationFactory


def _token_from_profile(client, user, name="reporting script"):
    client.force_login(user)
    page = client.post("/profile/", {"name": name}).content.decode()
    return re.search(r'<code id="new-token">([^<]+)</code>', page).group(1)


def test_a_personal_token_is_shown_once_and_works(cast, client, api):
    token = _token_from_profile(client, cast.home.regional_secretariat)
    assert token not in client.get("/profile/").content.decode()  # never shown again
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/").json()
    assert me["email"] == cast.home.regional_secretariat.email
    assert [r["slug"] for r in me["regions"]] == [cast.home.region.slug]
    assert me["memberships"] == [{"region": "aurora", "role": "regional_secretariat"}]


def test_a_revoked_token_stops_working(cast, client, api):
    token = _token_from_profile(client, cast.home.expert)
    from alliance.models import ApiToken

    key = ApiToken.objects.get(user=cast.home.expert).token_key
    assert client.post(f"/profile/tokens/{key}/revoke/").status_code == 302
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").status_code == 401


def test_tokens_are_stored_hashed(cast, client):
    token = _token_from_profile(client, cast.home.expert)
    from alliance.models import ApiToken

    stored = ApiToken.objects.get(user=cast.home.expert)
    assert token not in stored.digest and stored.digest != token


def test_the_approvals_endpoint_lists_and_decides(cast, api):
    pending = ApprovalRequestFactory(region=cast.home.region)
    api.force_authenticate(cast.global_secretariat)
    rows = api.get(f"/api/v1/regions/{cast.home.region.slug}/approvals/").json()["results"]
    assert [r["id"] for r in rows] == [pending.pk]
    response = api.post(f"/api/v1/regions/{cast.home.region.slug}/approvals/{pending.pk}/decide/",
                        {"decision": "approved"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "approved"


def test_bad_decisions_answer_400_with_field_details(cast, api):
    pending = ApprovalRequestFactory(region=cast.home.region)
    api.force_authenticate(cast.global_secretariat)
    url = f"/api/v1/regions/{cast.home.region.slug}/approvals/{pending.pk}/decide/"
    response = api.post(url, {"decision": "maybe"}, format="json")
    assert response.status_code == 400 and "decision" in response.json()
    response = api.post(url, {"decision": "rejected", "comment": ""}, format="json")
    assert response.status_code == 400 and "comment" in response.json()
    pending.refresh_from_db()
    assert pending.state == ApprovalRequest.State.PENDING


def test_deciding_what_is_not_routed_to_you_is_403(cast, api):
    pending = ApprovalRequestFactory(region=cast.home.region)
    api.force_authenticate(cast.home.forum_reviewer)
    url = f"/api/v1/regions/{cast.home.region.slug}/approvals/{pending.pk}/decide/"
    assert api.post(url, {"decision": "approved"}, format="json").status_code in (403, 404)


def test_another_regions_approvals_are_404_json(cast, api):
    foreign = ApprovalRequestFactory(region=cast.foreign.region)
    api.force_authenticate(cast.home.regional_secretariat)
    for url in (f"/api/v1/regions/{cast.foreign.region.slug}/approvals/",
                f"/api/v1/regions/{cast.home.region.slug}/approvals/{foreign.pk}/",
                "/api/v1/no-such-endpoint/"):
        response = api.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json")


def test_the_global_inbox_is_for_global_roles_only(cast, api):
    ApprovalRequestFactory(region=cast.home.region)
    ApprovalRequestFactory(region=cast.foreign.region)
    api.force_authenticate(cast.global_secretariat)
    assert api.get("/api/v1/global/approvals/").json()["count"] == 2
    api.force_authenticate(cast.home.regional_secretariat)
    assert api.get("/api/v1/global/approvals/").status_code == 404


def test_notifications_list_and_mark_read(cast, api):
    mine = NotificationFactory(recipient=cast.home.expert)
    NotificationFactory(recipient=cast.home.expert)
    theirs = NotificationFactory(recipient=cast.home.city_contact)
    api.force_authenticate(cast.home.expert)
    assert api.get("/api/v1/notifications/").json()["count"] == 2
    assert api.post(f"/api/v1/notifications/{mine.pk}/read/").json()["read"] is True
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 1}


def test_anonymous_api_calls_are_refused_as_json(db, api):
    response = api.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


def test_the_openapi_schema_builds_without_warnings(tmp_path):
    call_command("spectacular", "--fail-on-warn", "--validate", "--file",
                 str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    assert "/api/v1/regions/{region_slug}/approvals/{approval_id}/decide/" in schema


def test_the_api_docs_load_from_our_own_static_files(cast, client):
    client.force_login(cast.home.expert)
    page = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn" not in page.lower()
