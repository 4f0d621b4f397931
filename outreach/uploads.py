"""What may be uploaded: a whitelist of file types, each checked by its extension *and* its
first bytes, under a size limit. Nothing executable, no HTML or SVG (they would run script
if a browser ever showed them inline), no Office file carrying macros.

Downloads go through a view that sends the checked type's content type as an attachment
with `nosniff`; an upload's own name and claimed type are never trusted.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from alliance.errors import DomainError

MB = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class FileType:
    extensions: tuple[str, ...]
    content_type: str
    magic: bytes
    ooxml_folder: str = ""  # Office files are ZIP archives with this folder inside

    def matches(self, upload) -> bool:
        upload.seek(0)
        head = upload.read(len(self.magic))
        upload.seek(0)
        if head != self.magic:
            return False
        return not self.ooxml_folder or _is_office_file(upload, self.ooxml_folder)


PDF = FileType(("pdf",), "application/pdf", b"%PDF-")
PNG = FileType(("png",), "image/png", b"\x89PNG\r\n\x1a\n")
JPEG = FileType(("jpg", "jpeg"), "image/jpeg", b"\xff\xd8\xff")
DOCX = FileType(("docx",), "application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document", ZIP_MAGIC, "word/")
PPTX = FileType(("pptx",), "application/vnd.openxmlformats-officedocument."
                "presentationml.presentation", ZIP_MAGIC, "ppt/")
XLSX = FileType(("xlsx",), "application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet", ZIP_MAGIC, "xl/")

SIGNED_COPY_TYPES = (PDF, JPEG, PNG)
SIGNED_COPY_MAX = 10 * MB
MATERIAL_TYPES = (PDF, DOCX, PPTX, XLSX, PNG, JPEG)
MATERIAL_MAX = 20 * MB


def _is_office_file(upload, folder: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)
    # vbaProject.bin is where Office keeps macros: a renamed .docm is still a macro file.
    return ("[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
            and not any(n.lower().endswith("vbaproject.bin") for n in names))


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
