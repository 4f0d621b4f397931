"""The people at a city, and inviting one of them to the portal as the city's contact."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError
from alliance.models import Role
from alliance.services import audit, invitations
from alliance.services.changes import locked, save_changes
from alliance.tenancy import region_scope

from ..models import City, Contact

FIELDS = ("name", "position", "department", "title", "email", "phone", "language",
          "preferred_channel", "is_key", "is_national_government", "is_forum_partner")


def save_contact(*, actor, city: City, contact: Contact | None = None, **fields) -> Contact:
    """Add or change a contact. Making one the key contact hands the title over."""
    permissions.require(actor, "cities.edit", region=city.region)
    with transaction.atomic():
        if fields.get("is_key"):
            # One key contact per city: the previous one steps down in the same transaction.
            city.contacts.filter(is_key=True).exclude(pk=getattr(contact, "pk", None)).update(
                is_key=False)
        if contact is None:
            contact = Contact.objects.create(region=city.region, city=city, **fields)
            audit.record(actor=actor, action="cities.contact.added", target=city,
                         region=city.region, contact=contact.name, key=contact.is_key)
            return contact
        # Lock and save only what changed: an invitation sent or a key handed over at the
        # same moment stays.
        contact, _changed = save_changes(actor=actor, obj=contact, changes=fields,
                                         editable=FIELDS, action="cities.contact.changed",
                                         contact=fields.get("name", contact.name))
    return contact


def invite_contact(*, actor, contact: Contact):
    """Invite the contact to the portal as their city's city_contact."""
    with transaction.atomic():
        # Lock first: an edit of the address or a second click at the same moment waits.
        contact = locked(contact, "region", "city")
        if not contact.email:
            raise DomainError(_("Add the contact's email address first."), field="email")
        if contact.user_id:
            raise DomainError(_("%(name)s already uses the portal.") % {"name": contact.name})
        invitation = invitations.invite(actor=actor, email=contact.email,
                                        role=Role.CITY_CONTACT, region=contact.region)
        contact.invitation = invitation
        contact.save(update_fields=["invitation"])
        audit.record(actor=actor, action="cities.contact.invited", target=contact.city,
                     region=contact.region, contact=contact.name, email=contact.email)
    return invitation


def link_account(*, invitation, user) -> None:
    """The accepted invitation ties the new account to the contact it was sent to."""
    if invitation.region is None:
        return
    with region_scope(invitation.region):
        Contact.objects.filter(invitation=invitation).update(user=user)
