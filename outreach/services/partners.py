"""Partner networks: the city networks and institutional partners that help a region's
outreach (playbook, Preparation step 4, task 1)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError
from alliance.services import audit
from alliance.services.changes import save_changes
from cities.models import PartnerNetwork

FIELDS = ("name", "kind", "website", "contact_name", "contact_email", "is_forum_partner",
          "notes")


def _check_name_free(*, region, name: str, exclude: PartnerNetwork | None = None) -> None:
    same = PartnerNetwork.objects.filter(region=region, name__iexact=name.strip())
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise DomainError(_("This region already has a partner network called “%(name)s”.")
                          % {"name": name.strip()}, field="name")


def _check_website(fields: dict) -> None:
    """Only web addresses: the list links to them (no javascript: or data: links)."""
    website = fields.get("website")
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            raise DomainError(_("Enter a web address starting with https:// or http://."),
                              field="website") from None


def create_partner_network(*, actor, region, name: str, **fields) -> PartnerNetwork:
    permissions.require(actor, "outreach.edit", region=region)
    _check_name_free(region=region, name=name)
    _check_website(fields)
    with transaction.atomic():
        partner = PartnerNetwork.objects.create(region=region, name=name.strip(), **fields)
        audit.record(actor=actor, action="outreach.partner_network.created", target=partner,
                     region=region, name=partner.name)
    return partner


def update_partner_network(*, actor, partner: PartnerNetwork, **changes) -> PartnerNetwork:
    permissions.require(actor, "outreach.edit", region=partner.region)
    _check_website(changes)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        _check_name_free(region=partner.region, name=changes["name"], exclude=partner)
    with transaction.atomic():
        # Reloaded under the lock: a form may have filled the instance it was given.
        partner, _changed = save_changes(actor=actor, obj=partner, changes=changes,
                                         editable=FIELDS,
                                         action="outreach.partner_network.changed")
    return partner


def delete_partner_network(*, actor, partner: PartnerNetwork) -> None:
    """Cities that came through it keep their channel; they lose the link to the network."""
    permissions.require(actor, "outreach.edit", region=partner.region)
    with transaction.atomic():
        audit.record(actor=actor, action="outreach.partner_network.deleted", target=partner,
                     region=partner.region, name=partner.name)
        partner.delete()
