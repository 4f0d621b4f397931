"""Reads of the monthly dialogues that the pages, the API and the dashboard share: the
coverage of member cities by month (cells in one query, whatever the number of cities and
months), the filtered list, what a city's page and the dashboard show."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import City, Dialogue, DialogueFollowUp, Stage
from .services.dialogues import add_months, moment, month_start

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
    among `cities`. Two queries, whatever the window."""
    zone = timezone.get_current_timezone()
    spoken = dict(Dialogue.objects.filter(region=region, city__in=cities.values("pk"),
                                          held_on__gte=window.start, held_on__lte=window.today)
                  .annotate(month=TruncMonth("held_on")).order_by().values("month")
                  .annotate(n=Count("city", distinct=True)).values_list("month", "n"))
    spoken = {(m.date() if isinstance(m, datetime.datetime) else m): n
              for m, n in spoken.items()}
    members = cities.order_by().aggregate(**{
        f"m{i}": Count("pk", filter=Q(stage_changed_at__lt=moment(add_months(month, 1), zone)))
        for i, month in enumerate(window.months)})
    return [(spoken.get(month, 0), members[f"m{i}"] or 0)
            for i, month in enumerate(window.months)]


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
    open_follow_ups = Count("follow_ups", filter=Q(follow_ups__done_at__isnull=True))
    return (rows.select_related("city", "author")
            .only("held_on", "with_whom", "with_whom_note", "channel", "summary",
                  "city__name", "author__full_name", "author__email")
            .annotate(open_follow_ups=open_follow_ups).order_by("-held_on", "-id"))


def follow_ups_of(dialogue: Dialogue) -> QuerySet:
    return (DialogueFollowUp.objects.filter(region=dialogue.region, dialogue=dialogue)
            .select_related("owner").order_by("done_at", "due_on", "id"))


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
