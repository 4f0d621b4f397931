"""Letter templates per kind and language, and rendering them for one recipient.

Merge fields are plain text substitution, never a template engine: a template is written by
users, so it must not reach anything but the four values below (no attributes, no tags)."""

from __future__ import annotations

import re
from typing import NamedTuple

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError
from alliance.services import audit
from alliance.services.changes import save_changes

from ..models import LetterTemplate

FIELDS = ("kind", "language", "name", "subject", "body", "char_limit")
MERGE_FIELDS = ("city", "contact", "region", "sender")
MERGE_FIELD = re.compile(r"\{\{\s*(city|contact|region|sender)\s*\}\}")
ANY_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


class RenderedLetter(NamedTuple):
    subject: str
    body: str


def unknown_merge_fields(text: str) -> list[str]:
    return [tag.group(0) for tag in ANY_TAG.finditer(text)
            if not MERGE_FIELD.fullmatch(tag.group(0))]


def _check_merge_fields(fields: dict) -> None:
    for name in ("subject", "body"):
        unknown = unknown_merge_fields(fields.get(name, ""))
        if unknown:
            raise DomainError(_("Unknown merge field %(tags)s. Use only %(fields)s.") % {
                "tags": ", ".join(unknown),
                "fields": ", ".join(f"{{{{ {f} }}}}" for f in MERGE_FIELDS)}, field=name)


def _check_name_free(*, region, name: str, exclude: LetterTemplate | None = None) -> None:
    same = LetterTemplate.objects.filter(region=region, name__iexact=name.strip())
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise DomainError(_("This region already has a template called “%(name)s”.")
                          % {"name": name.strip()}, field="name")


def create_letter_template(*, actor, region, name: str, **fields) -> LetterTemplate:
    permissions.require(actor, "outreach.edit", region=region)
    _check_merge_fields(fields)
    _check_name_free(region=region, name=name)
    with transaction.atomic():
        template = LetterTemplate.objects.create(region=region, name=name.strip(), **fields)
        audit.record(actor=actor, action="outreach.template.created", target=template,
                     region=region, name=template.name, kind=template.kind,
                     language=template.language)
    return template


def update_letter_template(*, actor, template: LetterTemplate, **changes) -> LetterTemplate:
    """Letters already drafted from the template keep their text."""
    permissions.require(actor, "outreach.edit", region=template.region)
    _check_merge_fields(changes)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        _check_name_free(region=template.region, name=changes["name"], exclude=template)
    with transaction.atomic():
        # Reloaded under the lock: a form may have filled the instance it was given.
        template, _changed = save_changes(actor=actor, obj=template, changes=changes,
                                          editable=FIELDS, action="outreach.template.changed")
    return template


def delete_letter_template(*, actor, template: LetterTemplate) -> None:
    permissions.require(actor, "outreach.edit", region=template.region)
    with transaction.atomic():
        audit.record(actor=actor, action="outreach.template.deleted", target=template,
                     region=template.region, name=template.name)
        template.delete()


def merge_values(*, city, contact, sender, language: str) -> dict[str, str]:
    """What each merge field stands for in a letter written in `language`.

    A letter in a language other than English names the city as it calls itself."""
    with translation.override(language):
        return {
            "city": city.local_name if language != "en" and city.local_name else city.name,
            "contact": contact.name if contact else _("Sir or Madam"),
            "region": city.region.name_in(language),
            "sender": sender.get_full_name() if sender else _("The Regional Secretariat"),
        }


def merge(text: str, values: dict[str, str]) -> str:
    return MERGE_FIELD.sub(lambda tag: values[tag.group(1)], text)


def render_letter(*, template: LetterTemplate, city, contact, sender) -> RenderedLetter:
    values = merge_values(city=city, contact=contact, sender=sender, language=template.language)
    return RenderedLetter(merge(template.subject, values), merge(template.body, values))
