"""Control characters are refused wherever a city's text comes in (page, API, import), and
the export survives the ones stored before that rule."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope
from openpyxl import load_workbook
from rest_framework.test import APIClient

from cities.models import City, Stage, StageChange
from tests.factories import CityFactory

PAGES = "/r/aurora/cities"
API = "/api/v1/regions/aurora/cities"


@pytest.fixture
def api(cast):
    client = APIClient()
    client.force_authenticate(cast.home.regional_secretariat)
    return client


def _names(region):
    with scope(region=region):
        return sorted(City.objects.filter(region=region).values_list("name", flat=True))


@pytest.mark.parametrize("name, codepoint", [("Ko\x0bbe", "U+000B"), ("Ko\x01be", "U+0001"),
                                             ("Ko\x00be", "U+0000"), ("Ko\x7fbe", "U+007F")])
def test_the_new_city_page_refuses_a_name_with_a_control_character(
        cast, secretariat, name, codepoint):
    response = secretariat.post(f"{PAGES}/new/", {"name": name, "country": "JP",
                                                  "tier": "active"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        f"Remove the control character ({codepoint}) from this text."]
    assert _names(cast.home.region) == []


def test_tabs_and_line_breaks_in_notes_are_still_welcome(cast, secretariat):
    response = secretariat.post(f"{PAGES}/new/", {"name": "Kobe", "country": "JP",
                                                  "tier": "active",
                                                  "notes": "Met twice:\r\n\tat the Expo"})
    assert response.status_code == 302
    with scope(region=cast.home.region):
        assert City.objects.get(name="Kobe").notes == "Met twice:\r\n\tat the Expo"


def test_the_edit_page_refuses_it_and_keeps_the_stored_name(cast, secretariat):
    city = CityFactory(region=cast.home.region, name="Kobe", country="JP")
    response = secretariat.post(f"{PAGES}/{city.pk}/edit/", {
        "name": "Kobe", "local_name": "神戸\x0b市", "country": "JP", "tier": "active"})
    assert response.status_code == 200
    assert "control character (U+000B)" in response.context["form"].errors["local_name"][0]
    with scope(region=cast.home.region):
        assert City.objects.get(pk=city.pk).local_name == city.local_name


def test_a_stage_move_note_with_a_control_character_is_refused(cast, secretariat):
    city = CityFactory(region=cast.home.region, name="Kobe", country="JP")
    response = secretariat.post(f"{PAGES}/move/{city.pk}/",
                                {"to": "short_list", "note": "keen\x01"}, follow=True)
    assert "control character (U+0001)" in response.content.decode()
    with scope(region=cast.home.region):
        assert City.objects.get(pk=city.pk).stage == Stage.LONG_LIST
        assert not StageChange.objects.filter(city=city).exists()


def test_the_api_refuses_a_new_city_with_a_control_character_in_its_name(cast, api):
    response = api.post(f"{API}/", {"name": "Ko\x0bbe", "country": "JP"}, format="json")
    assert response.status_code == 400
    assert response.json()["name"] == ["Remove the control character (U+000B) from this text."]
    assert _names(cast.home.region) == []


@pytest.mark.parametrize("field", ["name", "local_name", "notes", "website"])
def test_the_api_refuses_an_update_with_a_control_character_and_changes_nothing(
        cast, api, field):
    city = CityFactory(region=cast.home.region, name="Kobe", country="JP",
                       website="https://kobe.jp", notes="")
    value = "https://kobe.jp/\x01" if field == "website" else "Ko\x01be"
    response = api.patch(f"{API}/{city.pk}/", {field: value}, format="json")
    assert response.status_code == 400
    assert "control character (U+0001)" in response.json()[field][0]
    with scope(region=cast.home.region):
        stored = City.objects.get(pk=city.pk)
    assert (stored.name, stored.local_name, stored.notes, stored.website) == (
        "Kobe", city.local_name, "", "https://kobe.jp")


def _csv_upload(rows):
    text = io.StringIO()
    csv.writer(text).writerows([["name", "country", "notes"], *rows])
    return SimpleUploadedFile("cities.csv", text.getvalue().encode())


def test_an_import_row_with_a_nul_or_control_character_is_reported_and_nothing_imported(
        cast, secretariat):
    rows = [["Kobe", "JP", ""], ["Na\x00ra", "JP", ""], ["Sendai", "JP", "call\x01back"]]
    preview = secretariat.post(f"{PAGES}/import/", {"file": _csv_upload(rows)})
    problems = {row.number: row.errors for row in preview.context["bad_rows"]}
    assert problems == {
        3: ["name: Remove the control character (U+0000) from this text."],
        4: ["notes: Remove the control character (U+0001) from this text."]}
    assert "/import/confirm/" not in preview.content.decode()
    confirm = secretariat.post(f"{PAGES}/import/confirm/", {"token": preview.context["token"]})
    assert confirm.status_code == 200
    assert "Nothing was imported" in confirm.content.decode()
    assert _names(cast.home.region) == []


def test_the_xlsx_export_drops_control_characters_stored_before_they_were_refused(
        cast, secretariat):
    with scope(region=cast.home.region):
        CityFactory(region=cast.home.region, name="Ko\x0bbe", local_name="神戸\x01市",
                    country="JP")
    response = secretariat.get(f"{PAGES}/export/", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    header, *rows = sheet.iter_rows(values_only=True)
    [row] = [dict(zip(header, row, strict=True)) for row in rows]
    assert (row["name"], row["local_name"]) == ("Kobe", "神戸市")
    csv_export = secretariat.get(f"{PAGES}/export/")
    assert csv_export.status_code == 200 and "Ko\x0bbe" in csv_export.content.decode()
