"""Near-duplicate cities: names that differ only in case, accents or spacing are the same name,
and creating, renaming, importing or posting one to the API says which city it duplicates."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from alliance.models import AuditEntry
from cities.models import City
from cities.names import name_key
from cities.services import pipeline
from tests.factories import CityFactory

BASE = "/r/aurora/cities"
API = "/api/v1/regions/aurora/cities/"


def _city(cast, **kwargs):
    return CityFactory(region=cast.home.region, **kwargs)


def _names(cast):
    with scope(region=cast.home.region):
        return sorted(City.objects.filter(region=cast.home.region).values_list("name",
                                                                               flat=True))


@pytest.mark.parametrize("one, other", [
    ("Bogota", "Bogotá"), ("Sao Paulo", "São Paulo"), ("  sao  paulo", "São Paulo"),
    ("MEDELLÍN", "medellin"), ("Zürich", "zurich"),
])
def test_names_differing_in_case_accents_or_spacing_share_their_key(one, other):
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize("one, other", [("Bogota", "Bogor"), ("がっこう", "かっこう"),
                                        ("Santiago", "San Tiago")])
def test_other_names_and_japanese_voiced_marks_stay_apart(one, other):
    assert name_key(one) != name_key(other)


def test_the_key_follows_a_rename_and_a_bulk_create(cast):
    city = _city(cast, name="Bogota", country="CO")
    assert city.name_key == "bogota"
    city.name = "  Cúcuta "
    city.save(update_fields=["name"])
    city.refresh_from_db()
    assert city.name_key == "cucuta"
    with scope(region=cast.home.region):
        [made] = City.objects.bulk_create([City(region=cast.home.region, name="São Paulo",
                                                country="BR")])
    made.refresh_from_db()
    assert made.name_key == "sao paulo"


def test_the_form_warns_of_a_near_duplicate_names_it_and_creates_nothing(cast, secretariat):
    existing = _city(cast, name="Bogotá", country="CO")
    response = secretariat.post(f"{BASE}/new/", {"name": "Bogota", "country": "CO",
                                                 "tier": "active"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="{BASE}/{existing.pk}/"' in page and "Bogotá (Colombia)" in page
    assert 'name="allow_duplicate" value="yes"' in page
    assert _names(cast) == ["Bogotá"]


def test_create_anyway_creates_the_near_duplicate(cast, secretariat):
    _city(cast, name="São Paulo", country="BR")
    response = secretariat.post(f"{BASE}/new/", {"name": "  sao  paulo ", "country": "BR",
                                                 "tier": "active", "allow_duplicate": "yes"})
    assert response.status_code == 302
    assert _names(cast) == ["São Paulo", "sao paulo"]


def test_the_exact_same_name_cannot_be_created_anyway(cast, secretariat):
    _city(cast, name="Mishima", country="JP")
    response = secretariat.post(f"{BASE}/new/", {"name": " Mishima ", "country": "JP",
                                                 "tier": "active", "allow_duplicate": "yes"})
    page = response.content.decode()
    assert response.status_code == 200 and "is already on the list" in page
    assert 'name="allow_duplicate"' not in page
    assert _names(cast) == ["Mishima"]


def test_a_rename_into_a_near_duplicate_is_warned_and_another_edit_is_not(cast, secretariat):
    _city(cast, name="Bogotá", country="CO")
    other = _city(cast, name="Bogota D.C.", country="CO")
    fields = {"name": "bogota", "country": "CO", "tier": "active"}
    response = secretariat.post(f"{BASE}/{other.pk}/edit/", fields)
    assert response.status_code == 200 and "already on the list" in response.content.decode()
    secretariat.post(f"{BASE}/{other.pk}/edit/", {**fields, "allow_duplicate": "yes"})
    other.refresh_from_db()
    assert other.name == "bogota"
    # The pair is kept on purpose now: editing another field asks nothing.
    response = secretariat.post(f"{BASE}/{other.pk}/edit/", {**fields, "population": "5"})
    assert response.status_code == 302


def test_the_service_refuses_a_near_duplicate_with_the_existing_city(cast):
    existing = _city(cast, name="Medellín", country="CO")
    with scope(region=cast.home.region), pytest.raises(pipeline.DuplicateCity) as refused:
        pipeline.create_city(actor=cast.home.regional_secretariat, region=cast.home.region,
                             name="MEDELLIN", country="co")
    assert refused.value.existing == existing and not refused.value.same_name


def test_the_api_answers_400_naming_the_near_duplicate(cast, api_secretariat):
    existing = _city(cast, name="Bogotá", country="CO")
    response = api_secretariat.post(API, {"name": "Bogota", "country": "CO"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["existing_city_id"] == existing.pk and body["may_allow"] is True
    assert body["existing_city"] == {"id": existing.pk, "name": "Bogotá", "country": "CO"}
    assert "Bogotá (Colombia)" in body["name"][0]
    assert _names(cast) == ["Bogotá"]


def test_the_api_creates_a_near_duplicate_when_allowed(cast, api_secretariat):
    _city(cast, name="Bogotá", country="CO")
    response = api_secretariat.post(API, {"name": "Bogota", "country": "CO",
                                          "allow_duplicate": True}, format="json")
    assert response.status_code == 201 and "allow_duplicate" not in response.json()
    assert _names(cast) == ["Bogota", "Bogotá"]


def test_the_api_never_creates_the_same_name_twice(cast, api_secretariat):
    _city(cast, name="Bogotá", country="CO")
    response = api_secretariat.post(API, {"name": "Bogotá", "country": "CO",
                                          "allow_duplicate": True}, format="json")
    assert response.status_code == 400 and response.json()["may_allow"] is False


def test_the_api_schema_documents_the_flag(cast, api_secretariat):
    schema = api_secretariat.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert "allow_duplicate" in schema.content.decode()


# Import ------------------------------------------------------------------------------------

def _csv(rows):
    text = io.StringIO()
    csv.writer(text).writerows([["name", "country"], *rows])
    return SimpleUploadedFile("cities.csv", text.getvalue().encode(), content_type="text/csv")


def _preview(client, rows):
    response = client.post(f"{BASE}/import/", {"file": _csv(rows)})
    assert response.status_code == 200
    return response


def test_the_preview_lists_rows_that_duplicate_existing_cities(cast, secretariat):
    bogota = _city(cast, name="Bogotá", country="CO")
    sao_paulo = _city(cast, name="São Paulo", country="BR")
    preview = _preview(secretariat, [["Bogota", "CO"], ["  sao  paulo", "BR"], ["Cali", "CO"]])
    duplicates = {row.number: row.duplicate_of for row in preview.context["duplicate_rows"]}
    assert duplicates == {2: bogota, 3: sao_paulo}
    page = preview.content.decode()
    assert f'href="{BASE}/{bogota.pk}/"' in page
    assert "Import 1 city, skip the duplicates" in page and "Import nothing" in page


def test_confirming_without_skipping_imports_nothing(cast, secretariat):
    _city(cast, name="Bogotá", country="CO")
    preview = _preview(secretariat, [["Bogota", "CO"], ["Cali", "CO"]])
    response = secretariat.post(f"{BASE}/import/confirm/", {"token": preview.context["token"]})
    assert "Nothing was imported: 1 row duplicates" in response.content.decode()
    assert _names(cast) == ["Bogotá"]


def test_skipping_duplicates_imports_the_other_rows(cast, secretariat):
    _city(cast, name="Bogotá", country="CO")
    preview = _preview(secretariat, [["Bogota", "CO"], ["Cali", "CO"], ["Pasto", "CO"]])
    response = secretariat.post(f"{BASE}/import/confirm/", {
        "token": preview.context["token"], "skip_duplicates": "yes"}, follow=True)
    assert "Imported 2 cities" in response.content.decode()
    assert "Skipped 1 row that duplicates a city" in response.content.decode()
    assert _names(cast) == ["Bogotá", "Cali", "Pasto"]
    with scope(region=cast.home.region):
        entry = AuditEntry.objects.get(action="cities.city.imported")
    assert (entry.data["count"], entry.data["skipped"]) == (2, 1)


def test_near_duplicates_inside_one_file_are_a_problem(cast, secretariat):
    preview = _preview(secretariat, [["São Paulo", "BR"], ["Sao Paulo", "BR"]])
    [bad] = preview.context["bad_rows"]
    assert (bad.number, bad.errors) == (3, ["The same city as row 2."])


def test_a_file_of_duplicates_only_imports_nothing(cast, secretariat):
    _city(cast, name="Bogotá", country="CO")
    preview = _preview(secretariat, [["Bogota", "CO"]])
    assert "skip the duplicates" not in preview.content.decode()
    response = secretariat.post(f"{BASE}/import/confirm/", {
        "token": preview.context["token"], "skip_duplicates": "yes"}, follow=True)
    assert "nothing was imported" in response.content.decode()
    assert _names(cast) == ["Bogotá"]
