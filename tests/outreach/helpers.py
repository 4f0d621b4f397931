"""Small helpers shared by the outreach tests."""

import io
import zipfile

from django_scopes import scope
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject

from alliance.models import ApprovalRequest
from alliance.services import approvals


def approve(user, approval: ApprovalRequest) -> ApprovalRequest:
    """Decide as `user` would on the approval's page."""
    with scope(region=approval.region):
        return approvals.decide(actor=user, approval=approval,
                                decision=ApprovalRequest.State.APPROVED, comment="Fine.")


def pdf_bytes(text: bytes = b"signed") -> bytes:
    """A real one-page PDF (uploads are parsed, not only sniffed) that carries `text` in a
    comment of its page's content, so a test can make it any size."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    content = DecodedStreamObject()
    content.set_data(b"% " + text + b"\n")
    page.replace_contents(content)
    content = io.BytesIO()
    writer.write(content)
    return content.getvalue()


def image_bytes(pillow_format: str, size: tuple[int, int] = (8, 8)) -> bytes:
    content = io.BytesIO()
    Image.new("RGB", size, "teal").save(content, pillow_format)
    return content.getvalue()


OOXML = "application/vnd.openxmlformats-officedocument."
MAIN_PARTS = {"word/": ("word/document.xml", OOXML + "wordprocessingml.document.main+xml"),
              "ppt/": ("ppt/presentation.xml", OOXML + "presentationml.presentation.main+xml"),
              "xl/": ("xl/workbook.xml", OOXML + "spreadsheetml.sheet.main+xml")}


def office_bytes(folder: str, *, macros: bool = False, main_type: str = "") -> bytes:
    """The parts an Office program writes at least: content types naming the main part,
    the package relationships and the main part itself."""
    part, content_type = MAIN_PARTS[folder]
    content_type = main_type or content_type
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"><Default Extension="xml" '
            f'ContentType="application/xml"/><Override PartName="/{part}" '
            f'ContentType="{content_type}"/></Types>'))
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(part, "<document/>")
        if macros:
            archive.writestr(f"{folder}vbaProject.bin", b"\x00macro")
    return buffer.getvalue()
