"""Every answer under /api/ is JSON, in development as in production, and speaks the
requester's language, never the language of the region an outsider probes."""

import pytest
from django.conf import settings as django_settings
from django_scopes import scope
from rest_framework.test import APIClient

from alliance.models import Region
from cities.models import City
from tests.factories import CityFactory

NOT_FOUND = "Not found, or you have no access to it."


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def api(cast):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(cast.home.regional_secretariat)
    return client


def _is_json(response) -> bool:
    return response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("path", ["/api/v1/nope/", "/api/v1/regions/nope/cities/",
                                  "/api/v1/regions/aurora/nope/"])
def test_an_unknown_route_or_region_is_a_json_404(cast, api, debug, path):
    response = api.get(path)
    assert response.status_code == 404 and _is_json(response)
    assert "<html" not in response.content.decode().lower()


def test_a_foreign_region_and_a_missing_one_answer_the_same_404(cast, api, debug):
    foreign = api.get(f"/api/v1/regions/{cast.foreign.region.slug}/cities/")
    missing = api.get("/api/v1/regions/no-such-region/cities/")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json() == {"detail": NOT_FOUND}


def test_the_api_answers_in_the_requesters_language_not_the_probed_regions(cast, api):
    Region.objects.filter(pk=cast.foreign.region.pk).update(default_language="es")
    foreign = api.get(f"/api/v1/regions/{cast.foreign.region.slug}/cities/",
                      HTTP_ACCEPT_LANGUAGE="en")
    missing = api.get("/api/v1/regions/no-such-region/cities/", HTTP_ACCEPT_LANGUAGE="en")
    assert foreign.json() == missing.json() == {"detail": NOT_FOUND}
    assert "Content-Language" not in foreign or foreign["Content-Language"] == "en"


def test_a_members_own_region_api_keeps_the_requesters_language(cast, api):
    Region.objects.filter(pk=cast.home.region.pk).update(default_language="ja")
    response = api.post(f"/api/v1/regions/{cast.home.region.slug}/cities/", {},
                        format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["name"] == ["This field is required."]


def test_a_body_over_the_upload_limit_is_a_json_413(cast, api, debug, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
    body = '{"name": "' + "a" * 3_000_000 + '"}'
    response = api.generic("POST", "/api/v1/regions/aurora/cities/", body,
                           content_type="application/json")
    assert response.status_code == 413 and _is_json(response)
    assert response.json() == {"detail": "The request body is too large."}


def test_the_upload_limit_holds_for_json_just_over_it(cast, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"name": "' + "a" * 1000 + '"}'
    response = api.generic("POST", "/api/v1/regions/aurora/cities/", body,
                           content_type="application/json")
    assert response.status_code == 413
    with scope(region=cast.home.region):
        assert not City.objects.exists()


def test_a_form_encoded_body_over_the_limit_is_a_json_413(cast, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.generic("POST", "/api/v1/regions/aurora/cities/", "name=" + "a" * 2000,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413 and _is_json(response)


@pytest.mark.parametrize("depth", [5_000, 100])
def test_a_deeply_nested_body_is_a_json_400(cast, api, debug, depth):
    body = '{"name": ' + "[" * depth + "]" * depth + "}"
    response = api.generic("POST", "/api/v1/regions/aurora/cities/", body,
                           content_type="application/json")
    assert response.status_code == 400 and _is_json(response)
    assert "nested too deeply" in response.json()["detail"]


def test_malformed_json_is_a_json_400(cast, api, debug):
    response = api.generic("POST", "/api/v1/regions/aurora/cities/", "{nope",
                           content_type="application/json")
    assert response.status_code == 400 and _is_json(response)


def test_a_wrong_method_is_json_and_says_which_are_allowed(cast, api, debug):
    city = CityFactory(region=cast.home.region)
    response = api.delete(f"/api/v1/regions/aurora/cities/{city.pk}/")
    assert response.status_code == 405 and _is_json(response)
    assert "GET" in response["Allow"]


def test_a_browser_asking_for_html_still_gets_a_json_error(cast, api, debug):
    response = api.get("/api/v1/regions/borealis/cities/", HTTP_ACCEPT="text/html")
    assert response.status_code == 404 and _is_json(response)


def test_pages_outside_the_api_keep_their_html_404(cast, client_for):
    response = client_for(cast.home.regional_secretariat).get("/r/aurora/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# -- the language of region pages ------------------------------------------------------------

def test_a_global_secretariat_visiting_a_region_keeps_their_language(cast, client_for):
    Region.objects.filter(pk=cast.home.region.pk).update(default_language="ja")
    client = client_for(cast.global_secretariat)
    assert django_settings.LANGUAGE_COOKIE_NAME not in client.cookies
    content = client.get("/r/aurora/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in content


def test_a_cross_region_reviewer_following_a_link_keeps_their_language(cast, client_for):
    Region.objects.filter(pk=cast.home.region.pk).update(default_language="es")
    client = client_for(cast.global_reviewer)
    content = client.get("/r/aurora/cities/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in content


def test_a_member_of_the_region_still_gets_its_language_by_default(cast, client_for):
    Region.objects.filter(pk=cast.home.region.pk).update(default_language="ja")
    content = client_for(cast.home.regional_secretariat).get(
        "/r/aurora/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="ja">' in content
