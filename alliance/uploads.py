"""What may be uploaded: a whitelist of file types, each checked by its extension, its first
bytes *and* its structure, under a size limit. Nothing executable, no HTML or SVG (they would
run script if a browser ever showed them inline), no Office file carrying macros.

The first bytes alone prove little: `%PDF-` followed by a web page passes a magic check. So a
PDF must parse with pypdf and have a page, an image must decode with Pillow, and an Office
file must be a ZIP package whose content types name the expected main part (which it holds)
and no macros. A signed letter of intent moves a city to Committed, so this matters.

Downloads go through a view that sends the checked type's content type as an attachment
with `nosniff`; an upload's own name and claimed type are never trusted.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from xml.etree import ElementTree

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from alliance.errors import DomainError

MB = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
# A 600 dpi scan of an A3 page is about 70 million pixels; decoding one takes ~200 MB.
MAX_PIXELS = 80_000_000
# [Content_Types].xml lists a few dozen parts; a larger one is not from an Office program.
MAX_CONTENT_TYPES_BYTES = MB
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"

# What a malformed file makes these libraries raise: they parse hostile input, and neither
# promises to raise only its own errors (pypdf: KeyError, TypeError...; zlib on a bad stream).
PDF_ERRORS = (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError,
              AssertionError, RecursionError, OSError, zlib.error, NotImplementedError)
IMAGE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
                Image.DecompressionBombError)
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError,
              RuntimeError, NotImplementedError, zlib.error, ElementTree.ParseError)


@dataclass(frozen=True)
class FileType:
    extensions: tuple[str, ...]
    content_type: str
    magic: bytes
    # Whether the whole content holds together as this type (the file is at its start).
    is_valid: Callable[..., bool]

    def matches(self, upload) -> bool:
        upload.seek(0)
        head = upload.read(len(self.magic))
        upload.seek(0)
        if head != self.magic:
            return False
        try:
            return self.is_valid(upload)
        finally:
            upload.seek(0)


def _is_pdf(upload) -> bool:
    try:
        reader = PdfReader(upload)
        # A scan protected by an owner password only opens with the empty user password;
        # one that needs a password to read is of no use to the secretariat.
        if reader.is_encrypted and not reader.decrypt(""):
            return False
        return len(reader.pages) > 0 and reader.pages[0] is not None
    except PDF_ERRORS:
        return False


def _image_check(pillow_format: str) -> Callable[..., bool]:
    def is_image(upload) -> bool:
        try:
            with Image.open(upload, formats=[pillow_format]) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise DomainError(_("The image has %(pixels)s million pixels; the limit "
                                        "is %(limit)s million. Scan it at a lower resolution.")
                                      % {"pixels": image.width * image.height // 1_000_000,
                                         "limit": MAX_PIXELS // 1_000_000}, field="file")
                # Checksums and the end marker (PNG); verify() leaves the image unusable.
                image.verify()
            upload.seek(0)
            with Image.open(upload, formats=[pillow_format]) as image:
                # Decoding every pixel is what proves the file is an image, not a header.
                image.load()
        except IMAGE_ERRORS:
            return False
        return True

    return is_image


def _office_check(main_content_type: str) -> Callable[..., bool]:
    def is_office_file(upload) -> bool:
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                listing = archive.getinfo("[Content_Types].xml")
                if listing.file_size > MAX_CONTENT_TYPES_BYTES:
                    return False
                types = ElementTree.fromstring(archive.read(listing))
        except (KeyError, *ZIP_ERRORS):
            return False
        declared = {element.get("ContentType", "") for element in types}
        main_parts = {element.get("PartName", "").lstrip("/")
                      for element in types.iter(f"{CONTENT_TYPES_NS}Override")
                      if element.get("ContentType") == main_content_type}
        # Office keeps macros in vbaProject.bin and declares macro-enabled main parts: a
        # renamed .docm is still a macro file.
        macros = (any(n.lower().endswith("vbaproject.bin") for n in names)
                  or any("macroenabled" in t.lower() or "vbaproject" in t.lower()
                         for t in declared))
        return bool(main_parts) and main_parts <= names and "_rels/.rels" in names \
            and not macros

    return is_office_file


OOXML = "application/vnd.openxmlformats-officedocument."
PDF = FileType(("pdf",), "application/pdf", b"%PDF-", _is_pdf)
PNG = FileType(("png",), "image/png", b"\x89PNG\r\n\x1a\n", _image_check("PNG"))
JPEG = FileType(("jpg", "jpeg"), "image/jpeg", b"\xff\xd8\xff", _image_check("JPEG"))
DOCX = FileType(("docx",), OOXML + "wordprocessingml.document", ZIP_MAGIC,
                _office_check(OOXML + "wordprocessingml.document.main+xml"))
PPTX = FileType(("pptx",), OOXML + "presentationml.presentation", ZIP_MAGIC,
                _office_check(OOXML + "presentationml.presentation.main+xml"))
XLSX = FileType(("xlsx",), OOXML + "spreadsheetml.sheet", ZIP_MAGIC,
                _office_check(OOXML + "spreadsheetml.sheet.main+xml"))

SIGNED_COPY_TYPES = (PDF, JPEG, PNG)
SIGNED_COPY_MAX = 10 * MB
MATERIAL_TYPES = (PDF, DOCX, PPTX, XLSX, PNG, JPEG)
MATERIAL_MAX = 20 * MB


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def check_upload(upload, *, allowed: tuple[FileType, ...], max_bytes: int) -> FileType:
    """The checked type of an upload, or a DomainError (field "file") that says what is wrong."""
    kinds = ", ".join(e.upper() for t in allowed for e in t.extensions[:1])
    if upload is None:
        raise DomainError(_("Choose a file."), field="file")
    if upload.size > max_bytes:
        raise DomainError(_("The file is %(size)s; the limit is %(limit)s.")
                          % {"size": filesizeformat(upload.size),
                             "limit": filesizeformat(max_bytes)}, field="file")
    extension = extension_of(upload.name)
    file_type = next((t for t in allowed if extension in t.extensions), None)
    if file_type is None:
        raise DomainError(_("Files of type “%(extension)s” are not accepted. Accepted: %(kinds)s.")
                          % {"extension": extension or _("none"), "kinds": kinds},
                          field="file")
    if not file_type.matches(upload):
        raise DomainError(_("The file's content is not a real %(kind)s file (or it carries "
                            "macros). Accepted: %(kinds)s.")
                          % {"kind": extension.upper(), "kinds": kinds}, field="file")
    return file_type


def content_type_for(name: str) -> str:
    """The content type to serve a stored file with: that of its checked extension."""
    extension = extension_of(name)
    for file_type in MATERIAL_TYPES + SIGNED_COPY_TYPES:
        if extension in file_type.extensions:
            return file_type.content_type
    return "application/octet-stream"
