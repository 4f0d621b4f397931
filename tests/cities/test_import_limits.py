"""The import's bounds beyond the file size: rows read (blank ones included), the unpacked
size of an XLSX workbook, and time. Each pathological file is small on disk and refused
quickly, with the limit named, and nothing is imported."""

import io
import time
import zipfile
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from cities import importing
from cities.models import City

IMPORT = "/r/aurora/cities/import/"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _workbook(rows_xml: bytes = b"", *, shared_strings: bytes = b"") -> SimpleUploadedFile:
    """An XLSX file written part by part, so its sheet can hold what no spreadsheet writes."""
    header = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c>'
              b'<c r="B1" t="inlineStr"><is><t>country</t></is></c></row>')
    kobe = (b'<row><c t="inlineStr"><is><t>Kobe</t></is></c>'
            b'<c t="inlineStr"><is><t>JP</t></is></c></row>')
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="{RELS[:-8]}relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{OOXML}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{OOXML}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{OOXML}.sharedStrings+xml"/></Types>').encode(),
        "_rels/.rels": (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Target="xl/workbook.xml" '
            f'Type="{DOC_RELS}/officeDocument"/></Relationships>').encode(),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
            '<sheet name="Cities" sheetId="1" r:id="rId1"/></sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>').encode(),
        "xl/worksheets/sheet1.xml": (f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
                                     + header + kobe + rows_xml + b"</sheetData></worksheet>"),
        "xl/sharedStrings.xml": (f'<sst xmlns="{MAIN}">'.encode() + shared_strings
                                 + b"</sst>"),
    }
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return SimpleUploadedFile("cities.xlsx", content.getvalue())


def _refusal(client, upload) -> tuple[str, float]:
    started = time.monotonic()
    response = client.post(IMPORT, {"file": upload})
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert "token" not in response.context
    return " ".join(response.context["form"].errors["file"]), elapsed


def _nothing_imported(cast):
    with scope(region=cast.home.region):
        assert not City.objects.filter(region=cast.home.region).exists()


def test_a_small_workbook_of_good_rows_still_imports(cast, secretariat):
    response = secretariat.post(IMPORT, {"file": _workbook()})
    assert response.context["good_count"] == 1 and not response.context["bad_rows"]


def test_a_workbook_of_300000_blank_rows_is_refused_quickly(cast, secretariat):
    upload = _workbook(b"<row/>" * 300_000)
    assert upload.size < 50_000
    reason, elapsed = _refusal(secretariat, upload)
    assert "more than 10,000 rows, counting empty ones" in reason
    assert elapsed < 3
    _nothing_imported(cast)


def test_a_row_numbered_a_million_is_refused_without_reading_the_rows_between(
        cast, secretariat):
    reason, elapsed = _refusal(secretariat, _workbook(b'<row r="1048576"/>'))
    assert "more than 10,000 rows" in reason and elapsed < 3
    _nothing_imported(cast)


def test_a_shared_strings_part_that_unpacks_past_the_limit_is_refused_before_it_is_read(
        cast, secretariat):
    upload = _workbook(shared_strings=b"<si><t>" + b"a" * (40 * 1024 * 1024) + b"</t></si>")
    assert upload.size < 100_000
    reason, elapsed = _refusal(secretariat, upload)
    assert "larger than 30 MB (the limit)" in reason
    assert elapsed < 3
    _nothing_imported(cast)


def test_a_csv_of_blank_lines_is_bounded_too(cast, secretariat):
    upload = SimpleUploadedFile("cities.csv", b"name,country\nKobe,JP\n" + b"\n" * 1_000_000)
    reason, elapsed = _refusal(secretariat, upload)
    assert "more than 10,000 rows" in reason and elapsed < 3
    _nothing_imported(cast)


def test_reading_stops_at_the_time_limit(cast, secretariat, monkeypatch):
    readings = iter([0.0])
    # The clock starts at 0 and, by the first row, reads a minute later.
    monkeypatch.setattr(importing, "time",
                        SimpleNamespace(monotonic=lambda: next(readings, 60.0)))
    reason, _ = _refusal(secretariat, _workbook())
    assert "took longer than 10 seconds" in reason
    _nothing_imported(cast)
