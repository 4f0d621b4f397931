"""Dashboards: apps add cards to the region dashboard, and columns to the Global Secretariat's
comparison of regions, without the core knowing them (registered from AppConfig.ready()).

A panel names the action a person needs to see it, its template, and a function that
builds the template's context from the request (inside the region's scope).

A panel with a `name` loads after the page, from its own address (`dashboard-panel`): the
dashboard draws a placeholder that htmx swaps for the card, and without JavaScript the
placeholder links to the card on a page of its own. So the dashboard costs its own cards,
not every app's figures, and each named card is measured on its own in `make bench`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from . import permissions


@dataclass(frozen=True)
class Panel:
    action: str
    template: str
    context: Callable  # context(request) -> dict
    name: str = ""  # loads after the page, from its own address
    title: str = ""  # the placeholder's heading while it loads


PANELS: list[Panel] = []
LAZY_TEMPLATE = "alliance/_lazy_panel.html"


def register(panel: Panel) -> None:
    PANELS.append(panel)


def panels_for(request) -> list[dict]:
    region = request.region
    if region is None:
        return []
    return [_placeholder(p, region) if p.name else {"template": p.template, **p.context(request)}
            for p in PANELS if permissions.can(request.user, p.action, region=region)]


def _placeholder(panel: Panel, region) -> dict:
    url = reverse("dashboard-panel", kwargs={"region_slug": region.slug,
                                             "panel_name": panel.name})
    return {"template": LAZY_TEMPLATE, "url": url, "title": panel.title}


def panel_named(name: str) -> Panel | None:
    return next((p for p in PANELS if p.name and p.name == name), None)


@dataclass(frozen=True)
class OverviewColumn:
    """A number per region in the comparison table: `count()` is an expression annotated on
    Region (see alliance.queries.count_per_region)."""

    label: str
    count: Callable


OVERVIEW_COLUMNS: list[OverviewColumn] = []


def add_overview_columns(*columns: OverviewColumn) -> None:
    OVERVIEW_COLUMNS.extend(columns)
