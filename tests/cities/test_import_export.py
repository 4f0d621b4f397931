import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope
from openpyxl import Workbook, load_workbook

from alliance.models import AuditEntry
from cities import importing
from cities.models import City, Stage, Tier
from tests.factories import CityFactory, ContactFactory, TagFactory
from tests.querycount import assert_flat_queries

IMPORT = "/r/aurora/cities/import/"
CONFIRM = "/r/aurora/cities/import/confirm/"
EXPORT = "/r/aurora/cities/export/"
HEADER = ["Name", "local_name", "Country", "population", "website", "tier", "tags", "notes"]
GOOD_ROWS = [
    ["Kobe", "神戸市", "JP", "1,500,000", "https://www.city.kobe.lg.jp", "pioneer",
     "port; mobility", "Met at the Expo."],
    ["Medellín", "", "Colombia", "2500000", "medellin.gov.co", "", "mobility", ""],
    ["Pune", "पुणे", "in", "", "", "Observer", "", ""],
]


def _csv(rows, header=HEADER, *, bom=True, delimiter=","):
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows([header, *rows])
    data = ("\ufeff" if bom else "") + text.getvalue()
    return SimpleUploadedFile("cities.csv", data.encode(), content_type="text/csv")


def _xlsx(rows, header=HEADER):
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return SimpleUploadedFile("cities.xlsx", content.getvalue())


def _cities(region):
    with scope(region=region):
        return {c.name: c for c in City.objects.filter(region=region).prefetch_related("tags")}


def _upload_and_confirm(client, upload):
    preview = client.post(IMPORT, {"file": upload})
    assert preview.status_code == 200
    return preview, client.post(CONFIRM, {"token": preview.context["token"]})


def _semicolon_csv(rows):
    return _csv(rows, bom=False, delimiter=";")


@pytest.mark.parametrize("upload", [_csv, _xlsx, _semicolon_csv])
def test_a_file_of_good_rows_imports_every_city_onto_the_long_list(cast, secretariat, upload):
    with scope(region=cast.home.region):
        TagFactory(region=cast.home.region, name="mobility")

    preview, response = _upload_and_confirm(secretariat, upload(GOOD_ROWS))

    assert "Import 3 cities" in preview.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/r/aurora/cities/"
    cities = _cities(cast.home.region)
    assert set(cities) == {"Kobe", "Medellín", "Pune"}
    kobe = cities["Kobe"]
    assert (kobe.local_name, kobe.country.code, kobe.population, kobe.tier, kobe.stage) == (
        "神戸市", "JP", 1_500_000, Tier.PIONEER, Stage.LONG_LIST)
    assert sorted(t.name for t in kobe.tags.all()) == ["mobility", "port"]
    assert cities["Medellín"].country.code == "CO"
    assert cities["Medellín"].website == "https://medellin.gov.co"
    assert cities["Pune"].tier == Tier.OBSERVER and cities["Pune"].population is None
    with scope(region=cast.home.region):
        assert {t.pk for t in cities["Medellín"].tags.all()} == {
            t.pk for t in kobe.tags.all() if t.name == "mobility"}
        audit = AuditEntry.objects.filter(action="cities.city.imported")
        assert [(a.actor, a.data["count"]) for a in audit] == [
            (cast.home.regional_secretariat, 3)]


def test_every_bad_row_is_reported_with_its_number_and_reason_and_nothing_is_created(
        cast, secretariat):
    with scope(region=cast.home.region):
        CityFactory(region=cast.home.region, name="Sendai", country="JP")
    rows = [
        ["Kobe", "", "JP", "", "", "", "", ""],              # row 2: fine
        ["", "", "JP", "", "", "", "", ""],                  # row 3: no name
        ["Atlantis City", "", "Atlantis", "", "", "", "", ""],  # row 4: unknown country
        ["sendai ", "", "Japan", "", "", "", "", ""],         # row 5: already on the list
        ["KOBE", "", "jp", "", "", "", "", ""],              # row 6: same as row 2
        ["Nara", "", "JP", "many", "", "", "", ""],          # row 7: bad number
        ["Kyoto", "", "JP", "-5", "not a url", "gold", "", ""],  # row 8: three problems
    ]

    for upload in (_csv(rows), _xlsx(rows)):
        preview = secretariat.post(IMPORT, {"file": upload})
        page = preview.content.decode()
        problems = {row.number: row.errors for row in preview.context["bad_rows"]}
        assert sorted(problems) == [3, 4, 6, 7, 8]
        assert [row.number for row in preview.context["duplicate_rows"]] == [5]
        assert "The name is missing." in problems[3]
        assert "is not a country we know" in problems[4][0]
        assert problems[6] == ["The same city as row 2."]
        assert "many" in problems[7][0]
        assert len(problems[8]) == 3
        assert 'role="alert"' in page and 'href="#row-8"' in page
        assert "Import 1 city" not in page and "/import/confirm/" not in page

        forced = secretariat.post(CONFIRM, {"token": preview.context["token"]})
        assert forced.status_code == 200
        assert len(forced.context["bad_rows"]) == 5
    assert set(_cities(cast.home.region)) == {"Sendai"}
    with scope(region=cast.home.region):
        assert not AuditEntry.objects.filter(action="cities.city.imported").exists()


def test_the_confirm_checks_again_and_refuses_a_city_added_since_the_preview(cast, secretariat):
    preview = secretariat.post(IMPORT, {"file": _csv(GOOD_ROWS)})
    assert not preview.context["bad_rows"]
    with scope(region=cast.home.region):
        CityFactory(region=cast.home.region, name="Pune", country="IN")

    response = secretariat.post(CONFIRM, {"token": preview.context["token"]})

    assert [row.number for row in response.context["duplicate_rows"]] == [4]
    assert "Nothing was imported: 1 row duplicates a city" in response.content.decode()
    assert set(_cities(cast.home.region)) == {"Pune"}


def test_a_confirm_without_its_preview_imports_nothing(cast, secretariat):
    secretariat.post(IMPORT, {"file": _csv(GOOD_ROWS)})
    response = secretariat.post(CONFIRM, {"token": "forged"})
    assert response.status_code == 302 and response["Location"] == IMPORT
    assert _cities(cast.home.region) == {}


@pytest.mark.parametrize("upload, reason", [
    (SimpleUploadedFile("cities.pdf", b"%PDF-1.4"), "Upload a CSV or XLSX file."),
    (SimpleUploadedFile("cities.xlsx", b"PK\x03\x04 broken"), "XLSX file cannot be read"),
    (SimpleUploadedFile("cities.csv", "name,country\nKöln,DE\n".encode("latin-1")), "UTF-8"),
    (_csv([["Kobe"]], header=["name"]), "missing: country"),
    (_csv([], header=["name", "country"]), "no cities"),
])
def test_a_file_that_cannot_be_read_gives_one_clear_error(cast, secretariat, upload, reason):
    response = secretariat.post(IMPORT, {"file": upload})
    assert response.status_code == 200
    assert reason in " ".join(response.context["form"].errors["file"])
    assert "token" not in response.context


def test_it_refuses_files_over_the_row_and_size_limits(cast, secretariat, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    response = secretariat.post(IMPORT, {"file": _csv(GOOD_ROWS)})
    assert "more than 2 rows" in response.context["form"].errors["file"][0]
    monkeypatch.setattr(importing, "MAX_BYTES", 10)
    response = secretariat.post(IMPORT, {"file": _csv(GOOD_ROWS)})
    assert "larger than 5 MB" in response.context["form"].errors["file"][0]


def test_the_upload_page_lists_the_columns_and_offers_a_template(cast, secretariat):
    page = secretariat.get(IMPORT).content.decode()
    assert "<code>population</code>" in page and "/r/aurora/cities/import/template.csv" in page
    template = secretariat.get("/r/aurora/cities/import/template.csv")
    rows = list(csv.reader(io.StringIO(template.content.decode("utf-8-sig"))))
    assert rows[0] == list(importing.COLUMNS) and rows[1][0] == "Kobe"


def test_the_service_checks_the_right_again(cast):
    rows = [{"row": 2, "name": "Kobe", "country": "JP"}]
    with scope(region=cast.home.region), pytest.raises(PermissionDenied):
        importing.import_cities(actor=cast.home.expert, region=cast.home.region, rows=rows)
    assert _cities(cast.home.region) == {}


def test_the_service_refuses_bad_rows_with_every_reason(cast):
    rows = [{"row": 2, "name": "Kobe", "country": "JP"}, {"row": 3, "name": "", "country": "XX"}]
    with scope(region=cast.home.region), pytest.raises(importing.ImportRejected) as rejected:
        importing.import_cities(actor=cast.home.regional_secretariat, region=cast.home.region,
                                rows=rows)
    assert [(r.number, len(r.errors)) for r in rejected.value.rows] == [(2, 0), (3, 2)]
    assert _cities(cast.home.region) == {}


@pytest.mark.parametrize("role", ["forum_reviewer", "city_contact", "expert"])
def test_other_roles_of_the_region_may_not_import(cast, client, role):
    client.force_login(cast.home.by_role(role))
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"file": _csv(GOOD_ROWS)}).status_code == 403
    assert _cities(cast.home.region) == {}


def test_another_regions_secretariat_cannot_import_into_aurora(cast, client):
    client.force_login(cast.foreign.regional_secretariat)
    assert client.get(IMPORT).status_code == 404
    assert client.post(IMPORT, {"file": _csv(GOOD_ROWS)}).status_code == 404
    assert client.post(CONFIRM, {"token": "x"}).status_code == 404
    assert client.get(EXPORT).status_code == 404


# Export -------------------------------------------------------------------------------------

@pytest.fixture
def listed(cast):
    home, foreign = cast.home.region, cast.foreign.region
    with scope(region=home):
        kobe = CityFactory(region=home, name="Kobe", country="JP", tier=Tier.PIONEER,
                           owner=cast.home.regional_secretariat, website="https://kobe.jp")
        kobe.tags.add(TagFactory(region=home, name="port"))
        ContactFactory(city=kobe, name="Aiko Tanaka", email="aiko@kobe.example.org", is_key=True)
        CityFactory(region=home, name="Osaka", country="JP", stage=Stage.SHORT_LIST)
        CityFactory(region=home, name="=cmd()", country="KR")
    with scope(region=foreign):
        CityFactory(region=foreign, name="Bogotá", country="CO")
        CityFactory(region=foreign, name="Kyoto", country="JP")
    return kobe


def _csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row)) for row in rows]


def test_the_export_has_the_filtered_rows_only(cast, secretariat, listed):
    rows = _csv_rows(secretariat.get(EXPORT, {"country": "JP", "sort": "name"}))
    assert [r["name"] for r in rows] == ["Kobe", "Osaka"]
    kobe = rows[0]
    assert (kobe["tier"], kobe["stage"], kobe["owner_email"], kobe["tags"],
            kobe["key_contact_name"], kobe["key_contact_email"], kobe["website"]) == (
        "pioneer", "long_list", cast.home.regional_secretariat.email, "port",
        "Aiko Tanaka", "aiko@kobe.example.org", "https://kobe.jp")

    rows = _xlsx_rows(secretariat.get(EXPORT, {"format": "xlsx", "stage": "short_list"}))
    assert [r["name"] for r in rows] == ["Osaka"]


@pytest.mark.parametrize("read, params", [(_csv_rows, {}), (_xlsx_rows, {"format": "xlsx"})])
def test_the_export_never_holds_another_regions_cities(cast, client, listed, read, params):
    client.force_login(cast.global_secretariat)
    names = {r["name"] for r in read(client.get(EXPORT, params))}
    assert names == {"Kobe", "Osaka", "'=cmd()"}


def test_a_reviewer_may_export_but_a_city_contact_may_not(cast, client, listed):
    client.force_login(cast.home.forum_reviewer)
    assert client.get(EXPORT).status_code == 200
    client.force_login(cast.home.city_contact)
    assert client.get(EXPORT).status_code == 403


@pytest.mark.parametrize("params", [{}, {"format": "xlsx"}])
def test_the_export_query_count_does_not_grow_with_rows(cast, secretariat, listed, params):
    def grow():
        with scope(region=cast.home.region):
            for _n in range(5):
                city = CityFactory(region=cast.home.region, owner=cast.home.regional_secretariat)
                city.tags.add(TagFactory(region=cast.home.region))
                ContactFactory(city=city, is_key=True)

    def fetch():
        assert secretariat.get(EXPORT, params).status_code == 200

    fetch()  # warm the session
    assert_flat_queries(fetch, grow)
