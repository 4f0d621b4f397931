"""An upload is checked by what it holds, not by its first bytes: `%PDF-` followed by a web
page is neither a material nor a signed letter of intent (which would make a city Committed)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from alliance import uploads
from cities.models import City, Stage
from outreach.models import Letter, LetterKind, Material
from tests.factories import CityFactory, LetterFactory, LetterOfIntentFactory

from .helpers import image_bytes, pdf_bytes

FAKE_PDF = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n"


def _stored_files() -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def _sent_intent(region, city):
    letter = LetterFactory(kind=LetterKind.LETTER_OF_INTENT, city=city, state=Letter.State.SENT)
    return LetterOfIntentFactory(letter=letter)


def _upload_signed_copy(client, intent, name, content):
    return client.post(f"/r/aurora/outreach/letters/{intent.letter_id}/intent/signed-copy/",
                       {"file": SimpleUploadedFile(name, content,
                                                   content_type="application/pdf")})


def _upload_material(client, content):
    return client.post("/r/aurora/outreach/materials/upload/", {
        "title": "Why join", "kind": "brochure", "language": "en",
        "file": SimpleUploadedFile("why-join.pdf", content, content_type="application/pdf")})


def test_a_web_page_behind_a_pdf_header_is_not_a_signed_copy_and_the_city_stays(
        cast, home, rs, client):
    city = CityFactory(region=home, stage=Stage.CONTACTED)
    intent = _sent_intent(home, city)
    client.force_login(rs)
    response = _upload_signed_copy(client, intent, "signed.pdf", FAKE_PDF)
    assert response.status_code == 200
    assert "not a real PDF" in response.content.decode()
    with scope(region=home):
        intent.refresh_from_db()
        assert City.objects.get(pk=city.pk).stage == Stage.CONTACTED
        assert Letter.objects.get(pk=intent.letter_id).state == Letter.State.SENT
    assert not intent.signed_copy and intent.signed_at is None
    assert _stored_files() == []


def test_a_web_page_behind_a_pdf_header_is_not_a_material(cast, home, rs, client):
    client.force_login(rs)
    response = _upload_material(client, FAKE_PDF)
    assert response.status_code == 200
    assert "not a real PDF" in response.content.decode()
    with scope(region=home):
        assert not Material.objects.exists()
    assert _stored_files() == []


def test_a_pdf_rendered_by_weasyprint_is_a_signed_copy_and_the_city_is_committed(
        cast, home, rs, client):
    from weasyprint import HTML

    pdf = HTML(string="<h1>Letter of intent</h1><p>Signed, the Mayor</p>").write_pdf()
    city = CityFactory(region=home, stage=Stage.CONTACTED)
    intent = _sent_intent(home, city)
    client.force_login(rs)
    assert _upload_signed_copy(client, intent, "signed.pdf", pdf).status_code == 302
    with scope(region=home):
        assert City.objects.get(pk=city.pk).stage == Stage.COMMITTED
    assert _upload_material(client, pdf).status_code == 302


def test_a_scanned_signature_as_a_photo_is_accepted(cast, home, rs, client):
    city = CityFactory(region=home, stage=Stage.CONTACTED)
    intent = _sent_intent(home, city)
    client.force_login(rs)
    response = _upload_signed_copy(client, intent, "signed.jpg", image_bytes("JPEG", (40, 60)))
    assert response.status_code == 302
    with scope(region=home):
        assert City.objects.get(pk=city.pk).stage == Stage.COMMITTED


@pytest.mark.parametrize("content", [
    pdf_bytes(),
    pdf_bytes(b"x" * 1000),
])
def test_a_real_pdf_passes_the_check(content):
    upload = SimpleUploadedFile("a.pdf", content)
    assert uploads.check_upload(upload, allowed=uploads.SIGNED_COPY_TYPES,
                                max_bytes=uploads.SIGNED_COPY_MAX) is uploads.PDF
    assert upload.tell() == 0


def test_a_pdf_without_pages_is_refused():
    from io import BytesIO

    from pypdf import PdfWriter

    content = BytesIO()
    PdfWriter().write(content)
    with pytest.raises(uploads.DomainError, match="not a real PDF"):
        uploads.check_upload(SimpleUploadedFile("a.pdf", content.getvalue()),
                             allowed=uploads.SIGNED_COPY_TYPES, max_bytes=uploads.SIGNED_COPY_MAX)


def test_an_image_too_large_to_decode_is_refused_by_its_size_not_as_a_fake(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PIXELS", 100)
    with pytest.raises(uploads.DomainError, match="1 million pixels; the limit is 0 million"):
        uploads.check_upload(SimpleUploadedFile("scan.png", image_bytes("PNG", (1000, 1000))),
                             allowed=uploads.SIGNED_COPY_TYPES, max_bytes=uploads.SIGNED_COPY_MAX)
