"""The materials library: only whitelisted files by content, downloads never inline."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from outreach.models import Material
from tests.factories import MaterialFactory

from .helpers import OOXML, image_bytes, office_bytes, pdf_bytes

BASE = "/r/aurora/outreach/materials"
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
_office = office_bytes


def _upload(client, name, content, **fields):
    data = {"title": "Why join the alliance", "kind": "brochure", "language": "ja",
            "file": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
            **fields}
    return client.post(f"{BASE}/upload/", data)


def _materials(region):
    with scope(region=region):
        return list(Material.objects.all())


@pytest.mark.parametrize("name, content, content_type", [
    ("brochure.pdf", pdf_bytes(), "application/pdf"),
    ("outline.docx", _office("word/"), OOXML + "wordprocessingml.document"),
    ("deck.pptx", _office("ppt/"), OOXML + "presentationml.presentation"),
    ("budget.xlsx", _office("xl/"), OOXML + "spreadsheetml.sheet"),
    ("map.png", PNG, "image/png"),
    ("photo.JPG", JPEG, "image/jpeg"),
])
def test_an_accepted_file_downloads_as_an_attachment_with_a_safe_type(
        cast, home, rs, client, name, content, content_type):
    client.force_login(rs)
    response = _upload(client, name, content)
    assert response.status_code == 302, response.content.decode()
    [material] = _materials(home)
    assert (material.size, material.uploaded_by, material.language) == (len(content), rs, "ja")
    download = client.get(f"{BASE}/{material.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == content_type
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content) == content


@pytest.mark.parametrize("name, content, why", [
    ("page.html", b"<html><script>alert(1)</script></html>", "not accepted"),
    ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "not accepted"),
    ("setup.exe", b"MZ\x90\x00", "not accepted"),
    ("run.sh", b"#!/bin/sh\nrm -rf /", "not accepted"),
    ("brochure.pdf", b"<html><script>alert(1)</script></html>", "not a real PDF"),
    ("picture.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not a real PNG"),
    ("outline.docx", b"PK\x03\x04 not really a zip", "not a real DOCX"),
    ("outline.docx", _office("ppt/"), "not a real DOCX"),
    ("macros.docx", _office("word/", macros=True), "macros"),
    ("huge.pdf", pdf_bytes(b"x" * (20 * 1024 * 1024)), "the limit is 20"),
    # The first bytes are right; what follows is not the type.
    ("brochure.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>", "not a real PDF"),
    ("brochure.pdf", pdf_bytes()[:200], "not a real PDF"),
    ("map.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", "not a real PNG"),
    ("map.png", PNG[:-20], "not a real PNG"),
    ("photo.jpg", b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>", "not a real JPG"),
    ("photo.jpg", JPEG[:len(JPEG) // 2], "not a real JPG"),
    ("photo.jpg", PNG, "not a real JPG"),
    ("outline.docx", pdf_bytes(), "not a real DOCX"),
    ("macros.docx", _office("word/", main_type=OOXML.replace(
        "openxmlformats-officedocument.", "ms-word.") + "document.macroEnabled.main+xml"),
     "not a real DOCX"),
    ("budget.xlsx", _office("word/"), "not a real XLSX"),
])
def test_anything_else_is_refused_with_a_reason_and_nothing_is_kept(
        cast, home, rs, client, name, content, why):
    client.force_login(rs)
    response = _upload(client, name, content)
    assert response.status_code == 200
    assert why in response.content.decode()
    assert _materials(home) == []
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []


def test_everyone_in_the_region_reads_the_library_without_a_media_link(cast, home, client):
    material = MaterialFactory(region=home, title="Participation guide", language="es")
    client.force_login(cast.home.city_contact)
    page = client.get(f"{BASE}/?language=es").content.decode()
    assert "Participation guide" in page
    assert f"{BASE}/{material.pk}/download/" in page
    assert settings.MEDIA_URL not in page
    assert "Participation guide" not in client.get(f"{BASE}/?language=ja").content.decode()
    assert client.get(f"{BASE}/{material.pk}/download/").status_code == 200


@pytest.mark.parametrize("role", ["city_contact", "expert", "forum_reviewer"])
def test_only_the_secretariat_uploads(cast, home, client, role):
    client.force_login(cast.home.by_role(role))
    assert client.get(f"{BASE}/upload/").status_code == 403
    assert _upload(client, "brochure.pdf", pdf_bytes()).status_code == 403
    assert _materials(home) == []


def test_another_regions_material_is_not_found(cast, client):
    material = MaterialFactory(region=cast.foreign.region)
    client.force_login(cast.home.regional_secretariat)
    assert client.get(f"{BASE}/{material.pk}/download/").status_code == 404
    assert client.get(f"/r/borealis/outreach/materials/{material.pk}/download/"
                      ).status_code == 404
