"""The core's PDF helper: the shipped IPAex fonts, whatever the machine has installed, and no
file or host reached from a PDF's HTML other than the project's own fonts and static files."""

import logging

import pytest
from weasyprint.urls import URLFetchingError, fetch

from alliance import pdf
from tests.pdfs import embedded_fonts, notdef_warnings


def test_the_fonts_and_their_licence_are_shipped():
    for path in pdf.font_paths():
        assert path.read_bytes()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    licence = (pdf.FONTS_DIR / pdf.LICENSE_FILE).read_text()
    assert "IPA Font License Agreement v1.0" in licence


def test_both_families_are_drawn_from_the_shipped_files(caplog):
    html = ('<p>前橋市 Protección</p>'
            '<p style="font-family: IPAexMincho">意向書 año</p>')
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        document = pdf.html_to_pdf(html)
    assert notdef_warnings(caplog.records) == []
    assert caplog.records == [], [r.getMessage() for r in caplog.records]
    assert {"IPAexGothic", "IPAexMincho"} <= embedded_fonts(document)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://169.254.169.254/latest/meta-data/",
    "https://example.org/logo.png",
])
def test_a_pdf_fetches_nothing_outside_the_project(url):
    with pytest.raises(URLFetchingError), fetch(pdf.url_fetcher(), url):
        pass


def test_a_pdf_reads_the_shipped_fonts_and_data_urls():
    fetcher = pdf.url_fetcher()
    with fetch(fetcher, pdf.font_paths()[0].as_uri()) as response:
        assert response.read(4) == b"\x00\x01\x00\x00"
    with fetch(fetcher, "data:text/plain,ok") as response:
        assert response.read() == b"ok"


def test_an_image_from_elsewhere_is_left_out_not_fetched(caplog, tmp_path):
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        pdf.html_to_pdf(f'<img src="{secret.as_uri()}">')
    assert any("Not one of the project's files" in r.getMessage() for r in caplog.records)
