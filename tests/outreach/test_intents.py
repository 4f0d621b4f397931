"""Letters of intent: the playbook's content, a PDF that speaks Japanese and Spanish, and the
signed copy that makes a city committed."""

import logging
import re
import time
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from alliance.errors import DomainError
from cities.models import City, Stage
from outreach.models import Letter, LetterKind, LetterOfIntent
from outreach.services import intents
from tests.factories import CityFactory, LetterFactory, LetterOfIntentFactory
from tests.pdfs import embedded_fonts, notdef_warnings

from .helpers import pdf_bytes

State = Letter.State
JAPANESE = "前橋市はスマートシティ・アライアンスへの参加を表明します"
SPANISH = "Protección de datos: la información compartida es confidencial; año señalado"


def _intent(region, content=None, **letter_fields):
    letter_fields.setdefault("city", CityFactory(region=region))
    letter = LetterFactory(kind=LetterKind.LETTER_OF_INTENT, **letter_fields)
    return LetterOfIntentFactory(letter=letter, **(content or {}))


def _streams(pdf: bytes) -> list[bytes]:
    """The PDF's compressed streams, inflated (fonts and text live there)."""
    inflated = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return inflated


def _mapped_characters(pdf: bytes) -> set[str]:
    """Every character the PDF's fonts map back to text (their ToUnicode tables): a glyph
    drawn for a character shows up here, a missing one (tofu) does not."""
    characters = set()
    for text in _streams(pdf):
        for block in re.findall(rb"beginbf(?:char|range)(.*?)endbf(?:char|range)", text, re.S):
            for code in re.findall(rb"<([0-9A-Fa-f]{4,})>\s*$", block, re.M):
                characters.add(bytes.fromhex(code.decode()).decode("utf-16-be"))
    return characters


def test_the_pdf_renders_japanese_and_spanish_in_ipaex_well_under_a_second(cast, home, caplog):
    """The shipped IPAex font draws every character, on a machine with no Japanese font."""
    intent = _intent(home, {"data_protection": SPANISH}, language="ja", body=JAPANESE)
    with scope(region=home):
        letter = Letter.objects.select_related("city", "region").get(pk=intent.letter_id)
        intents.intent_pdf(letter)  # the first PDF of a process loads WeasyPrint and fonts
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="weasyprint"):
            start = time.perf_counter()
            pdf = intents.intent_pdf(letter)
            elapsed = time.perf_counter() - start
    assert pdf.startswith(b"%PDF")
    assert notdef_warnings(caplog.records) == []
    assert "IPAexGothic" in embedded_fonts(pdf)
    missing = set(JAPANESE + SPANISH) - _mapped_characters(pdf) - {" "}
    assert missing == set(), f"not drawn: {sorted(missing)}"
    assert elapsed < 0.8, f"{elapsed:.2f} s"


def test_the_pdf_needs_the_content_first(cast, home):
    letter = LetterFactory(city=CityFactory(region=home), kind=LetterKind.LETTER_OF_INTENT)
    with scope(region=home), pytest.raises(DomainError):
        intents.intent_pdf(letter)


def test_every_part_the_playbook_lists_is_required(cast, home, rs, in_home):
    letter = LetterFactory(city=CityFactory(region=home), kind=LetterKind.LETTER_OF_INTENT)
    content = dict.fromkeys(LetterOfIntent.CONTENT, "Filled.")
    with in_home(), pytest.raises(DomainError) as error:
        intents.save_intent(actor=rs, letter=letter, **{**content, "financials": " "})
    assert error.value.field == "financials"
    with in_home():
        intent = intents.save_intent(actor=rs, letter=letter, **content)
    assert intent.region == home and intent.contact_details == "Filled."


def test_only_a_letter_of_intent_has_intent_content(cast, home, rs, in_home):
    letter = LetterFactory(city=CityFactory(region=home))
    with in_home(), pytest.raises(DomainError):
        intents.save_intent(actor=rs, letter=letter,
                            **dict.fromkeys(LetterOfIntent.CONTENT, "x"))


# -- the signed copy (through the page) -------------------------------------------------------

def _signed_copy_url(letter):
    return f"/r/aurora/outreach/letters/{letter.pk}/intent/signed-copy/"


def _upload(client, letter, name, content, content_type="application/pdf"):
    return client.post(_signed_copy_url(letter),
                       {"file": SimpleUploadedFile(name, content, content_type=content_type)})


def _stored_files() -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_the_signed_copy_makes_the_city_committed(cast, home, rs, client):
    city = CityFactory(region=home, stage=Stage.CONTACTED)
    intent = _intent(home, city=city, state=State.SENT)
    client.force_login(rs)
    response = _upload(client, intent.letter, "signed.pdf", pdf_bytes())
    assert response.status_code == 302
    with scope(region=home):
        intent.refresh_from_db()
        letter = Letter.objects.get(pk=intent.letter_id)
        assert City.objects.get(pk=city.pk).stage == Stage.COMMITTED
    assert intent.signed_at and intent.signed_copy.name.endswith(".pdf")
    assert "signed" not in Path(intent.signed_copy.name).name  # the upload's name is not kept
    assert letter.state == State.ANSWERED
    download = client.get(_signed_copy_url(intent.letter))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == pdf_bytes()


@pytest.mark.parametrize("name, content, why", [
    ("signed.exe", b"MZ\x90\x00 program", "not accepted"),
    ("signed.pdf", b"MZ\x90\x00 a program renamed", "not a real PDF"),
    ("signed.pdf", b"<html><script>alert(1)</script></html>", "not a real PDF"),
    ("signed.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "not a real PNG"),
    ("signed.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not accepted"),
    ("signed.pdf", pdf_bytes(b"x" * (10 * 1024 * 1024)), "the limit is 10"),
])
def test_a_bad_signed_copy_is_refused_with_a_reason_and_nothing_is_saved(
        cast, home, rs, client, name, content, why):
    city = CityFactory(region=home, stage=Stage.CONTACTED)
    intent = _intent(home, city=city, state=State.SENT)
    client.force_login(rs)
    response = _upload(client, intent.letter, name, content)
    assert response.status_code == 200
    assert why in response.content.decode()
    with scope(region=home):
        intent.refresh_from_db()
        assert City.objects.get(pk=city.pk).stage == Stage.CONTACTED
    assert not intent.signed_copy and intent.signed_at is None
    assert _stored_files() == []


def test_a_draft_letter_of_intent_cannot_come_back_signed(cast, home, rs, client):
    intent = _intent(home)
    client.force_login(rs)
    response = _upload(client, intent.letter, "signed.pdf", pdf_bytes(), )
    assert "Send the letter of intent before uploading" in response.content.decode()
    assert _stored_files() == []


@pytest.mark.parametrize("role", ["forum_reviewer", "expert"])
def test_only_the_secretariat_uploads_the_signed_copy(cast, home, client, role):
    intent = _intent(home, state=State.SENT)
    client.force_login(cast.home.by_role(role))
    assert _upload(client, intent.letter, "signed.pdf", pdf_bytes()).status_code == 403
    assert _stored_files() == []
