"""What apps above cities add to a city without cities knowing them: sections on the city's
page, entries on its timeline, and steps run when a duplicate is merged into it.

Apps register from their AppConfig.ready(); the order of registration is the page order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

# The rows a section lists at most: the city page costs what it shows, whatever the city
# holds. A section pages through the rest (section_page).
SECTION_ROWS = 10
MAX_SECTION_PAGE = 10_000


@dataclass(frozen=True)
class CitySection:
    action: str  # the right a person needs to see the section
    template: str
    # context(request, city, *, limit) -> dict, inside the region's scope; lists at most
    # `limit` rows.
    context: Callable
    limit: int = SECTION_ROWS


@dataclass(frozen=True)
class SectionPage:
    """One page of a section of the city page. The rows are not counted: one more than the
    page holds is read to know whether another page follows."""

    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def section_page(request, name: str, rows, per_page: int) -> SectionPage:
    """The page `?<name>=<n>` asks for (the first when absent or not a page number); the
    template shows its pager with cities/_section_pager.html."""
    asked = request.GET.get(name, "")
    number = int(asked) if asked.isdigit() and 0 < int(asked) <= MAX_SECTION_PAGE else 1
    start = (number - 1) * per_page
    found = list(rows[start:start + per_page + 1])
    return SectionPage(found[:per_page], number, len(found) > per_page)


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
