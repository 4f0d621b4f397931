"""Changes to a region and to who belongs to it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..errors import DomainError
from ..models import Membership, Region, Role
from . import audit

EDITABLE = ("phase", "default_language", "time_zone")


def update_region(*, actor, region: Region, **changes) -> Region:
    """Change the region's playbook phase, default language or time zone."""
    permissions.require(actor, "alliance.edit_region", region=region)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(_("These settings cannot be changed here: %(names)s")
                          % {"names": ", ".join(sorted(unknown))})
    with transaction.atomic():
        region = Region.objects.select_for_update().get(pk=region.pk)
        changed = {f: (getattr(region, f), v) for f, v in changes.items()
                   if getattr(region, f) != v}
        if not changed:
            return region
        for field, (_old, new) in changed.items():
            setattr(region, field, new)
        region.full_clean()
        region.save(update_fields=list(changed))
        audit.record(actor=actor, action="alliance.region.changed", target=region, region=region,
                     **{f: {"old": old, "new": new} for f, (old, new) in changed.items()})
    return region


def remove_membership(*, actor, membership: Membership) -> None:
    """Take a role away. The last regional secretariat of a region cannot remove itself."""
    region = membership.region
    permissions.require(actor, "alliance.manage_members", region=region)
    with transaction.atomic():
        if (membership.role == Role.REGIONAL_SECRETARIAT and membership.user_id == actor.pk
                and not Membership.objects.filter(region=region, role=membership.role)
                .exclude(pk=membership.pk).exists()):
            raise DomainError(_("You are the region's last secretariat member; invite a "
                                "successor before leaving."))
        audit.record(actor=actor, action="alliance.membership.removed", target=region or membership.user,
                     region=region, user=membership.user.email, role=membership.role)
        membership.delete()
