"""Reads of the attendance area that pages, the API and the dashboard share: an event's
invitations searched and filtered in SQL, and an invitee's own events."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from ..models import ActionItem, EventInvitation, EventState, Response
from ..services import invitations

INVITEE_FIELDS = ("city__name", "city__tier", "expert__name", "expert__organization",
                  "invited_as", "invited_at", "notified_at", "response", "response_note",
                  "responded_at", "attended", "attendees", "event_id", "region_id",
                  "city_id", "expert_id")


def invitee_rows(event, *, q: str = "", response: str = ""):
    """The event's invitations, cities first then experts, by name."""
    rows = (EventInvitation.objects.filter(region=event.region, event=event)
            .select_related("city", "expert").only(*INVITEE_FIELDS))
    for word in q.split()[:5]:
        rows = rows.filter(Q(city__name__icontains=word) | Q(expert__name__icontains=word)
                           | Q(expert__organization__icontains=word))
    if response:
        rows = rows.filter(response=response)
    return rows.order_by("expert_id", "city__name", "expert__name", "id")


def invitee_preview(event, limit: int) -> tuple[list[EventInvitation], dict[str, int]]:
    """The first invitees the event's page lists (answered first) and the counts of all of
    them, as `invitations.response_counts` gives them."""
    rows = list(invitee_rows(event).order_by("response", "city__name", "expert__name",
                                             "id")[:limit + 1])
    if len(rows) <= limit:  # all of them: counted here, without a second query
        return rows, counts_of(rows)
    return rows[:limit], invitations.response_counts(event)


def counts_of(rows) -> dict[str, int]:
    counts = {"total": len(rows), **dict.fromkeys(Response.values, 0), "present": 0,
              "absent": 0}
    for row in rows:
        counts[row.response] += 1
        if row.attended is not None:
            counts["present" if row.attended else "absent"] += 1
    return counts


MY_FIELDS = ("id", "response", "response_note", "attended", "city_id", "city__name",
             "event__title", "event__kind", "event__starts_at", "event__ends_at",
             "event__venue", "event__online_link", "event__state")


def mine(user, region):
    return invitations.own_invitations(user, region).values(*MY_FIELDS)


def my_invitations(user, region, *, past: bool, limit: int | None = None, now=None,
                   base=None):
    """The invitee's invitations of events not over yet (soonest first) or over (latest
    first), as dicts of MY_FIELDS: a page lists them without making three objects a row.
    Cancelled ones they were told of are among them. `base`: `mine(user, region)` built
    once for both lists."""
    now = now or timezone.now()
    rows = base if base is not None else mine(user, region)
    if past:
        rows = rows.filter(event__ends_at__lt=now).order_by("-event__starts_at", "-id")
    else:
        rows = rows.filter(event__ends_at__gte=now).order_by("event__starts_at", "id")
    return rows[:limit] if limit else rows


def open_actions(user, region, limit: int) -> list[ActionItem]:
    """A person's open actions in the region (not of cancelled events), soonest due first,
    as dicts."""
    return list(ActionItem.objects.filter(region=region, owner=user, done_at=None)
                .exclude(event__state=EventState.CANCELLED)
                .values("id", "title", "due_on", "event_id", "event__title")
                .order_by("due_on", "id")[:limit])
