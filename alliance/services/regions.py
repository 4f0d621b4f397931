"""Changes to a region and to who belongs to it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..errors import DomainError
from ..models import Membership, Region, Role
from . import audit
from .changes import save_changes

EDITABLE = ("phase", "default_language", "time_zone", "name_translations")


def update_region(*, actor, region: Region, **changes) -> Region:
    """Change the region's playbook phase, default language, time zone or its name in the
    other languages."""
    permissions.require(actor, "alliance.edit_region", region=region)
    with transaction.atomic():
        region, _changed = save_changes(actor=actor, obj=region, changes=changes,
                                        editable=EDITABLE, validate=True, region=region,
                                        action="alliance.region.changed")
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
        audit.record(actor=actor, action="alliance.membership.removed",
                     target=region or membership.user, region=region,
                     user=membership.user.email, role=membership.role)
        membership.delete()
