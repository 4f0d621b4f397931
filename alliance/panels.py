"""Dashboards: apps add cards to the region dashboard, and columns to the Global Secretariat's
comparison of regions, without the core knowing them (registered from AppConfig.ready()).

A panel names the action a person needs to see it, its template, and a function that
builds the template's context from the request (inside the region's scope)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import permissions


@dataclass(frozen=True)
class Panel:
    action: str
    template: str
    context: Callable  # context(request) -> dict


PANELS: list[Panel] = []


def register(panel: Panel) -> None:
    PANELS.append(panel)


def panels_for(request) -> list[dict]:
    region = request.region
    if region is None:
        return []
    return [{"template": p.template, **p.context(request)} for p in PANELS
            if permissions.can(request.user, p.action, region=region)]


@dataclass(frozen=True)
class OverviewColumn:
    """A number per region in the comparison table: `count()` is an expression annotated on
    Region (see alliance.queries.count_per_region)."""

    label: str
    count: Callable


OVERVIEW_COLUMNS: list[OverviewColumn] = []


def add_overview_columns(*columns: OverviewColumn) -> None:
    OVERVIEW_COLUMNS.extend(columns)
