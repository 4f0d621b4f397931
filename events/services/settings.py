"""A region's rules for its events: which kinds of event observer cities (the tier of cities
still considering participation) are invited to. Inviting by tier and by hand follow it
(events.services.invitations)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError
from alliance.services import audit

from ..models import DEFAULT_OBSERVER_KINDS, EventKind, EventSettings

MANAGE_SETTINGS = "events.manage_settings"
KINDS = frozenset(EventKind.values)


def observer_kinds(region) -> list[str]:
    """The kinds observers are invited to: the region's choice, else the playbook's default
    (launch meetings, annual, domestic and international events)."""
    row = EventSettings.objects.filter(region=region).only("observer_kinds").first()
    if row is None:
        return [str(kind) for kind in DEFAULT_OBSERVER_KINDS]
    return list(row.observer_kinds)


def observers_invited_to(region, kind: str) -> bool:
    return kind in observer_kinds(region)


def kind_labels(kinds) -> str:
    """"Launch meeting, Annual event or summit" in the order of EventKind."""
    chosen = set(kinds)
    return ", ".join(str(label) for value, label in EventKind.choices if value in chosen)


@transaction.atomic
def update_settings(*, actor, region, observer_kinds: list[str]) -> EventSettings:
    permissions.require(actor, MANAGE_SETTINGS, region=region)
    unknown = sorted(set(observer_kinds) - KINDS)
    if unknown:
        raise DomainError(_("Unknown kind of event: %(kinds)s.") % {"kinds": ", ".join(unknown)},
                          field="observer_kinds")
    chosen = [value for value in EventKind.values if value in set(observer_kinds)]
    # Made with the default the first time, then locked: two people may save at once.
    EventSettings.objects.get_or_create(
        region=region, defaults={"observer_kinds": [str(k) for k in DEFAULT_OBSERVER_KINDS]})
    row = EventSettings.objects.select_for_update().get(region=region)
    old = list(row.observer_kinds)
    if old != chosen:
        row.observer_kinds = chosen
        row.save(update_fields=["observer_kinds"])
        audit.record(actor=actor, action="events.settings.observer_kinds_changed", target=row,
                     region=region, old=old, new=chosen)
    return row
