"""The library of explanatory materials per language (playbook, Preparation step 4, task 3)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError
from alliance.services import audit
from alliance.uploads import MATERIAL_MAX, MATERIAL_TYPES, check_upload

from ..models import Material


def upload_material(*, actor, region, title: str, kind: str, language: str, file) -> Material:
    """Accepts PDF, Word, PowerPoint, Excel, PNG and JPEG up to 20 MB, checked by content."""
    permissions.require(actor, "outreach.manage_materials", region=region)
    if not title.strip():
        raise DomainError(_("Give the material a title."), field="title")
    check_upload(file, allowed=MATERIAL_TYPES, max_bytes=MATERIAL_MAX)
    with transaction.atomic():
        material = Material(region=region, title=title.strip(), kind=kind, language=language,
                            size=file.size, uploaded_by=actor)
        material.file.save(file.name, file, save=False)
        material.save()
        audit.record(actor=actor, action="outreach.material.uploaded", target=material,
                     region=region, title=material.title, language=language)
    return material
