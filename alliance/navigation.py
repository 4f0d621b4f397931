"""The role-aware navigation: an item shows when its action is allowed where the user is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import permissions


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    action: str
    icon: str = ""  # a Bootstrap icon in the vendored sprite (tests/alliance/test_icons.py)
    # Hidden from people allowed this action: they reach the same pages through another item.
    unless: str = ""
    # The other pages (URL names) under which the item is marked as where the person is.
    area: tuple[str, ...] = ()


# The region menu: the dashboard, then each app's pages in the order the apps register them
# (add_region_items, from their AppConfig.ready()), then the core's own pages.
REGION_FIRST = [NavItem(_("Dashboard"), "region-dashboard", "alliance.view_region", "house")]
APP_ITEMS: list[NavItem] = []
REGION_LAST = [
    NavItem(_("Approvals"), "approval-list", "alliance.view_approvals", "check2-square"),
    NavItem(_("Invitations"), "invitation-list", "alliance.invite_member", "person-plus"),
    # The region's staff (secretariats, reviewers, contacts, experts), not its member cities.
    NavItem(_("Team"), "member-list", "alliance.view_members", "people"),
]
GLOBAL_ITEMS: list[NavItem] = [
    NavItem(_("Global dashboard"), "global:dashboard", "alliance.view_region", "globe"),
    NavItem(_("Approvals"), "global:approval-list", "alliance.view_approvals", "check2-square"),
    NavItem(_("Invitations"), "global:invitation-list", "alliance.invite_member", "person-plus"),
]


def add_region_items(*items: NavItem) -> None:
    APP_ITEMS.extend(items)


def items_for(user, region) -> list[dict]:
    if region is not None:
        kwargs = {"region_slug": region.slug}
        items = [*REGION_FIRST, *APP_ITEMS, *REGION_LAST]
    elif permissions.may_enter_global(user):
        kwargs, items = {}, GLOBAL_ITEMS
    else:
        return []
    return [
        {"label": item.label, "url": reverse(item.url_name, kwargs=kwargs),
         "url_names": {item.url_name, *item.area}, "icon": item.icon}
        for item in items
        if permissions.can(user, item.action, region=region)
        and not (item.unless and permissions.can(user, item.unless, region=region))
    ]


# Where a person lands after accepting an invitation: apps add a function (invitation, user) ->
# URL or "" from their AppConfig.ready() (an invited expert goes on to the Terms of Reference
# they accept); the first URL given wins, else the home page.
LANDINGS: list[Callable] = []


def add_landing(landing: Callable) -> None:
    LANDINGS.append(landing)


def landing_after_invitation(invitation, user) -> str:
    for landing in LANDINGS:
        url = landing(invitation, user)
        if url:
            return url
    return reverse("home")


@dataclass(frozen=True)
class AreaItem:
    """An item of an area's own menu (the pages under one region menu item)."""

    label: str
    url_name: str
    # An action of alliance.permissions, or allowed(user, region) -> bool.
    allowed: str | Callable
    # The other pages under which the item is marked: URL names, or prefixes ending in "-".
    marks: tuple[str, ...] = ()


def area_menu(request, items: list[AreaItem], *, label: str) -> dict:
    """The context of templates/alliance/_subnav.html: the items this person may open, none
    when only one would show (the page is it). A page is marked under the item named after
    it, otherwise under the item whose marks match it."""
    region = request.region
    if region is None:  # a page also under /global/: the global menu serves it
        return {"items": [], "label": label}
    here = request.resolver_match.url_name if request.resolver_match else ""
    named = {item.url_name for item in items}
    kwargs = {"region_slug": region.slug}
    shown = [{"label": item.label, "url": reverse(item.url_name, kwargs=kwargs),
              "current": here == item.url_name or (here not in named
                                                   and _marked(here, item.marks))}
             for item in items if _allowed(request.user, region, item.allowed)]
    return {"items": shown if len(shown) > 1 else [], "label": label}


def _marked(here: str, marks: tuple[str, ...]) -> bool:
    return any(here == mark or (mark.endswith("-") and here.startswith(mark))
               for mark in marks)


def _allowed(user, region, allowed) -> bool:
    if callable(allowed):
        return allowed(user, region)
    return permissions.can(user, allowed, region=region)
