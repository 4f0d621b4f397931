"""A person's saved views of the city table: named filters, kept per person and region."""

from __future__ import annotations

from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError

from ..models import SavedView

MAX_SAVED_VIEWS = 30  # per person and region: the row of views above the table stays short


def save_view(*, actor, region, name: str, query: str) -> SavedView:
    """Keep the table's filters (its query string) under a name; saving under a name the
    person already uses replaces that view's filters."""
    permissions.require(actor, "cities.view", region=region)
    name = name.strip()
    if not name:
        raise DomainError(_("Give the view a name."), field="name")
    mine = SavedView.objects.filter(region=region, user=actor)
    if not mine.filter(name=name).exists() and mine.count() >= MAX_SAVED_VIEWS:
        raise DomainError(_("You have %(count)d saved views: delete one to save another.")
                          % {"count": MAX_SAVED_VIEWS}, field="name")
    view, _created = SavedView.objects.update_or_create(
        region=region, user=actor, name=name, defaults={"query": query})
    return view


def delete_view(*, actor, view: SavedView) -> None:
    """Delete one of the person's own saved views."""
    if view.user_id != actor.pk:
        raise DomainError(_("Only the person who saved a view can delete it."))
    view.delete()
