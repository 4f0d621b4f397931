"""Who runs an event: the secretariat (events.manage) for every event of the region, and the
delegate of a meeting series (object permission events.manage_series) for that series' events
only. Every area's views and services ask here, so a delegate can do for their series what the
secretariat does."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from alliance import permissions

MANAGE = "events.manage"


def may_manage(user, event) -> bool:
    return permissions.can(user, MANAGE, region=event.region, obj=event.series)


def require_manage(user, event) -> None:
    if not may_manage(user, event):
        raise PermissionDenied(_("Your role does not allow this here."))


def may_manage_series(user, series) -> bool:
    return permissions.can(user, MANAGE, region=series.region, obj=series)
