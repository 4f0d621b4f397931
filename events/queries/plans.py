"""Reads of the plans area that pages, the API and the dashboard share: event rows with what
lists show (their series' title, the organizer), filtered in SQL."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from ..models import Event, EventState

LIST_FIELDS = ("kind", "title", "format", "audience", "state", "starts_at", "ends_at",
               "agenda_state", "series_id", "series__title", "organizer_id",
               "organizer__full_name", "organizer__email", "region_id")


def event_rows(region):
    return (Event.objects.filter(region=region)
            .select_related("series", "organizer").only(*LIST_FIELDS))


def filtered(rows, *, when: str = "upcoming", kind: str = "", state: str = "",
             series: int | None = None, organizer=None, now=None):
    """Upcoming (not ended yet, soonest first), past (latest first) or all (latest first)."""
    now = now or timezone.now()
    if kind:
        rows = rows.filter(kind=kind)
    if state:
        rows = rows.filter(state=state)
    if series:
        rows = rows.filter(series_id=series)
    if organizer is not None:
        rows = rows.filter(organizer=organizer)
    if when == "past":
        return rows.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    if when == "all":
        return rows.order_by("-starts_at", "-id")
    return rows.filter(ends_at__gte=now).order_by("starts_at", "id")


def next_events(region, limit: int, now=None):
    """The coming events not cancelled, soonest first (the secretariat's dashboard)."""
    now = now or timezone.now()
    return (event_rows(region).filter(starts_at__gte=now)
            .filter(~Q(state=EventState.CANCELLED)).order_by("starts_at", "id")[:limit])
