"""What apps above cities add to a city without cities knowing them: sections on the city's
page, entries on its timeline, and steps run when a duplicate is merged into it.

Apps register from their AppConfig.ready(); the order of registration is the page order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

# The rows a section lists at most: the city page costs what it shows, whatever the city
# holds. A section says how many there are in all and links to the rest.
SECTION_ROWS = 10


@dataclass(frozen=True)
class CitySection:
    action: str  # the right a person needs to see the section
    template: str
    # context(request, city, *, limit) -> dict, inside the region's scope; lists at most
    # `limit` rows.
    context: Callable
    limit: int = SECTION_ROWS


SECTIONS: list[CitySection] = []
# source(city) -> Q over AuditEntry: the history of things that belong to the city.
TIMELINE_SOURCES: list[Callable[..., Q]] = []
# step(keep=..., duplicate=...) runs inside the merge's transaction, before the duplicate goes.
MERGE_STEPS: list[Callable] = []


def add_section(section: CitySection) -> None:
    SECTIONS.append(section)


def add_timeline_source(source: Callable[..., Q]) -> None:
    TIMELINE_SOURCES.append(source)


def add_merge_step(step: Callable) -> None:
    MERGE_STEPS.append(step)
