"""An unexpected failure in the API answers JSON, never an HTML page or a traceback."""

import pytest
from django.test import Client, override_settings
from django.urls import include, path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny


@api_view(["GET"])
@permission_classes([AllowAny])
def broken(request):
    raise RuntimeError("database exploded")


urlpatterns = [path("api/v1/broken/", broken), path("", include("alliance.urls"))]
handler404 = "alliance.views.errors.not_found"
handler500 = "alliance.views.errors.server_error"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_in_the_api_is_a_json_500_without_a_traceback():
    response = Client(raise_request_exception=False).get("/api/v1/broken/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error. It has been logged."}
    assert b"database exploded" not in response.content


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_an_unknown_page_is_the_portals_not_found_page():
    from django.conf import settings

    assert not settings.DEBUG
    response = Client(raise_request_exception=False).get("/no-such-page/")
    assert response.status_code == 404 and b"Not found" in response.content
