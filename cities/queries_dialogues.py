"""Reads of the monthly dialogues that the pages, the API and the dashboard share: the
coverage of member cities by month (cells in one query, whatever the number of cities and
months), the filtered list, what a city's page and the dashboard show."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce, Substr
from django.utils import timezone

from .models import City, Dialogue, DialogueFollowUp, Stage
from .services.dialogues import add_months, moment, month_code, month_start

MONTH_CHOICES = (6, 12)
CELL_DIALOGUES = 3  # dialogues a coverage cell names; it counts the rest


@dataclass(frozen=True)
class Window:
    """The months a coverage shows, oldest first, ending with the current month."""

    months: list[datetime.date]
    today: datetime.date

    @classmethod
    def ending_today(cls, count: int, today: datetime.date | None = None) -> Window:
        today = today or timezone.localdate()
        current = month_start(today)
        return cls([add_months(current, -n) for n in range(count - 1, -1, -1)], today)

    @property
    def start(self) -> datetime.date:
        return self.months[0]

    @property
    def current(self) -> datetime.date:
        return self.months[-1]

    @property
    def completed(self) -> list[datetime.date]:
        return self.months[:-1]


def member_cities(region, *, owner=None, search: str = "") -> QuerySet:
    rows = City.objects.filter(region=region, stage=Stage.MEMBER)
    if owner is not None:
        rows = rows.filter(owner=owner)
    for word in search.split():
        rows = rows.filter(Q(name__icontains=word) | Q(local_name__icontains=word))
    return rows


def with_gaps(cities: QuerySet, window: Window) -> QuerySet:
    """The cities with a completed month of the window without a dialogue, counting only
    months by whose end the city was a member."""
    zone = timezone.get_current_timezone()
    gap = Q()
    for month in window.completed:
        following = add_months(month, 1)
        spoken = Dialogue.objects.filter(city=OuterRef("pk"), held_on__gte=month,
                                         held_on__lt=following)
        gap |= Q(stage_changed_at__lt=moment(following, zone)) & ~Exists(spoken)
    return cities.filter(gap) if window.completed else cities.none()


def coverage_rows(cities: QuerySet) -> QuerySet:
    """The page's cities, ordered, with what a row shows."""
    return (cities.select_related("owner").only("name", "stage_changed_at", "owner__full_name",
                                                 "owner__email").order_by("name", "pk"))


@dataclass
class Cell:
    month: datetime.date
    state: str  # "spoken", "gap", "due" (the current month, none yet), "before" (not a member)
    dialogues: list = field(default_factory=list)  # (id, held_on, with_whom) newest first


def coverage_cells(region, cities: list[City], window: Window) -> dict[int, list[Cell]]:
    """Each city's cells, oldest month first: one query for every city and month."""
    found: dict[tuple[int, datetime.date], list] = defaultdict(list)
    rows = (Dialogue.objects.filter(region=region, city_id__in=[c.pk for c in cities],
                                    held_on__gte=window.start, held_on__lte=window.today)
            .order_by("-held_on", "-id").values_list("city_id", "pk", "held_on", "with_whom"))
    for city_id, pk, held_on, with_whom in rows:
        found[(city_id, month_start(held_on))].append((pk, held_on, with_whom))
    zone = timezone.get_current_timezone()
    cells = {}
    for city in cities:
        member_since = month_start(timezone.localtime(city.stage_changed_at, zone).date())
        line = []
        for month in window.months:
            dialogues = found.get((city.pk, month), [])
            if dialogues:
                state = "spoken"
            elif month < member_since:
                state = "before"
            elif month == window.current:
                state = "due"
            else:
                state = "gap"
            line.append(Cell(month, state, dialogues))
        cells[city.pk] = line
    return cells


def monthly_totals(region, cities: QuerySet, window: Window) -> list[tuple[int, int]]:
    """Per month of the window: (cities spoken to, cities that were members by its end),
    among `cities`. Three small queries, whatever the window: grouped by month in SQL, and
    the members counted back from those who joined within the window."""
    zone = timezone.get_current_timezone()
    # The month as the date's "YYYY-MM" text: both databases group on it natively (SQLite's
    # month functions are Python called per row).
    spoken = dict(
        Dialogue.objects.filter(region=region, city__in=cities.values("pk"),
                                held_on__gte=window.start, held_on__lte=window.today)
        .annotate(month=Substr(Cast("held_on", output_field=CharField()), 1, 7))
        .order_by().values("month").annotate(n=Count("city", distinct=True))
        .values_list("month", "n"))
    members = cities.order_by().count()
    joined = [timezone.localtime(moment_, zone).date() for moment_ in (
        cities.order_by().filter(stage_changed_at__gte=moment(window.start, zone))
        .values_list("stage_changed_at", flat=True))]
    totals = []
    for month in window.months:
        following = add_months(month, 1)
        later = sum(1 for day in joined if day >= following)
        totals.append((spoken.get(month_code(month), 0), members - later))
    return totals


# -- the list ---------------------------------------------------------------------------------

def dialogue_rows(region, *, city=None, search: str = "", month: datetime.date | None = None,
                  channel: str = "", author=None) -> QuerySet:
    rows = Dialogue.objects.filter(region=region)
    if city is not None:
        rows = rows.filter(city=city)
    for word in search.split():
        rows = rows.filter(Q(city__name__icontains=word) | Q(city__local_name__icontains=word))
    if month is not None:
        rows = rows.filter(held_on__gte=month, held_on__lt=add_months(month, 1))
    if channel:
        rows = rows.filter(channel=channel)
    if author is not None:
        rows = rows.filter(author=author)
    # A subquery, not a join: the page's count leaves it out, and rows are not grouped.
    open_follow_ups = Coalesce(Subquery(
        DialogueFollowUp.objects.filter(dialogue=OuterRef("pk"), done_at__isnull=True)
        .order_by().values("dialogue").annotate(n=Count("pk")).values("n")), 0)
    return (rows.select_related("city", "author")
            .only("held_on", "with_whom", "with_whom_note", "channel", "summary",
                  "created_at", "city__name", "author__full_name", "author__email")
            .annotate(open_follow_ups=open_follow_ups).order_by("-held_on", "-id"))


def follow_ups_of(dialogue: Dialogue) -> QuerySet:
    return (DialogueFollowUp.objects.filter(region=dialogue.region, dialogue=dialogue)
            .select_related("owner").order_by("done_at", "due_on", "id"))


def latest_with_follow_ups(city) -> QuerySet:
    """The city's dialogues, newest first, each with its next open follow-up (the soonest
    due) and how many are open, read as values: the city page lists a few."""
    open_items = DialogueFollowUp.objects.filter(dialogue=OuterRef("pk"), done_at__isnull=True)
    next_due = open_items.order_by(F("due_on").asc(nulls_last=True), "id")
    return (Dialogue.objects.filter(region=city.region_id, city=city)
            .annotate(open_count=Coalesce(Subquery(
                          open_items.order_by().values("dialogue").annotate(n=Count("pk"))
                          .values("n")), 0),
                      next_title=Subquery(next_due.values("title")[:1]),
                      next_due=Subquery(next_due.values("due_on")[:1]))
            .values("pk", "held_on", "with_whom", "channel", "summary", "open_count",
                    "next_title", "next_due")
            .order_by("-held_on", "-id"))


def open_follow_ups(region) -> QuerySet:
    return (DialogueFollowUp.objects.filter(region=region, done_at__isnull=True)
            .select_related("dialogue__city", "owner")
            .order_by("due_on", "id"))


# -- the dashboard ------------------------------------------------------------------------------

def this_month(region, today: datetime.date | None = None) -> dict:
    """This month's coverage of the member cities, and the first cities still due."""
    today = today or timezone.localdate()
    current = month_start(today)
    spoken = Dialogue.objects.filter(city=OuterRef("pk"), held_on__gte=current,
                                     held_on__lte=today)
    counts = City.objects.filter(region=region, stage=Stage.MEMBER).aggregate(
        members=Count("pk"), spoken=Count("pk", filter=Q(Exists(spoken))))
    return {"members": counts["members"], "spoken": counts["spoken"], "month": current}


def still_due(region, limit: int, today: datetime.date | None = None) -> list:
    today = today or timezone.localdate()
    spoken = Dialogue.objects.filter(city=OuterRef("pk"), held_on__gte=month_start(today),
                                     held_on__lte=today)
    return list(City.objects.filter(region=region, stage=Stage.MEMBER).exclude(Exists(spoken))
                .order_by("name", "pk").values_list("pk", "name")[:limit])
