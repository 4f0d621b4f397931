"""`manage.py check` reports what PDFs need from the machine, with what to install: WeasyPrint's
native libraries and the fonts the project ships."""

import logging

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from alliance import checks, pdf


def _ids(messages):
    return [m.id for m in messages]


def test_the_pdf_checks_pass_on_this_machine():
    assert checks.check_pdf() == []
    call_command("check", "--tag", "pdf", verbosity=0)


def test_missing_fonts_are_an_error_naming_the_files(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "FONTS_DIR", tmp_path)
    messages = checks.check_pdf()
    assert _ids(messages) == ["alliance.E001"]
    assert "ipaexg.ttf" in messages[0].msg and "ipaexm.ttf" in messages[0].msg
    with pytest.raises(SystemCheckError, match=r"alliance\.E001"):
        call_command("check", "--tag", "pdf", verbosity=0)


def test_an_empty_font_file_counts_as_missing(monkeypatch, tmp_path):
    for name in [*pdf.FONT_FILES.values(), pdf.LICENSE_FILE]:
        (tmp_path / name).write_bytes((pdf.FONTS_DIR / name).read_bytes()[:64])
    (tmp_path / "ipaexm.ttf").write_bytes(b"")
    monkeypatch.setattr(pdf, "FONTS_DIR", tmp_path)
    [message] = checks.check_fonts()
    assert "ipaexm.ttf" in message.msg and "ipaexg.ttf" not in message.msg


def test_weasyprint_without_its_libraries_is_an_error_saying_what_to_install(monkeypatch):
    def cannot_load():
        raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open "
                      "shared object file: No such file or directory")

    monkeypatch.setattr(checks, "load_weasyprint", cannot_load)
    [message] = checks.check_pdf()
    assert message.id == "alliance.E002" and "libpango-1.0-0" in message.msg
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b" in message.hint
    with pytest.raises(SystemCheckError, match="apt-get install"):
        call_command("check", verbosity=0)


def test_a_render_that_fails_is_an_error(monkeypatch):
    def broken(html):
        raise RuntimeError("pango_layout_new returned NULL")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    [message] = checks.check_pdf()
    assert message.id == "alliance.E003" and "pango_layout_new" in message.msg


def test_boxes_instead_of_japanese_are_an_error(monkeypatch):
    def without_glyphs(html):
        logging.getLogger("weasyprint").warning(
            ".notdef glyph rendered for Unicode string unsupported by fonts: %r", "意向書")
        return b"%PDF-1.7 ..."

    monkeypatch.setattr(pdf, "html_to_pdf", without_glyphs)
    [message] = checks.check_pdf()
    assert message.id == "alliance.E004" and "意向書" in message.msg
