"""Calendar feeds: a secret address a calendar application subscribes to, read without a
session (/calendar/<token>.ics).

A region's feed (for people who read the region's events) lists the region's events, except
those cancelled before anyone was told of them: an event cancelled after its announcement
stays, marked CANCELLED, so the calendars that hold it drop it. A personal feed lists, across
the person's regions, the events they are invited to (a city contact: their cities'; an
expert: their own) once announced or open to the public, and the events they organize.

Each feed is limited to a window (the last 90 days and the next two years) and a number of
events, in SQL. Rotating a feed changes its token: the old address answers 404 from then on.
A feed whose owner left the region, or was deactivated, answers 404 too."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from alliance import permissions
from alliance.services import audit
from alliance.tenancy import region_scope

from ..models import Audience, CalendarFeed, Event, EventInvitation, EventState
from . import invitations

VIEW = "events.view"
PAST = datetime.timedelta(days=90)
AHEAD = datetime.timedelta(days=2 * 366)
MOST = 300  # events in one feed, at most
# Calendar applications poll a feed (most every few hours, some every few minutes): it is
# written once per address and language in this time, then read from the cache. A rotated
# address or a person who left answers 404 at once (checked before the cache).
CACHED_FOR = 5 * 60
TOKEN_BYTES = 32
PRODID = "-//Alliance Portal//Events//EN"
FIELDS = ("title", "kind", "description", "state", "starts_at", "ends_at", "venue",
          "online_link", "announced_at", "region_id", "created_at")


def _token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def feed_of(user, region=None) -> CalendarFeed:
    """The person's feed of `region` (None: their personal feed), made on first use."""
    feed = CalendarFeed.objects.filter(user=user, region=region).first()
    if feed is not None:
        return feed
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(user=user, region=region, token=_token())
    except IntegrityError:  # made at the same moment by another request
        return CalendarFeed.objects.get(user=user, region=region)


@transaction.atomic
def rotate(*, actor, feed: CalendarFeed) -> CalendarFeed:
    """A new secret address; the old one stops answering."""
    if feed.user_id != actor.pk:
        raise PermissionDenied(_("This is not your calendar feed."))
    row = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    row.token, row.rotated_at = _token(), timezone.now()
    row.save(update_fields=["token", "rotated_at"])
    if row.region_id:
        audit.record(actor=actor, action="events.feed.rotated", target=row,
                     region=row.region)
    feed.token, feed.rotated_at = row.token, row.rotated_at
    return row


def feed_by_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.filter(token=token).select_related("user", "region").first()
    if feed is None or not feed.user.is_active:
        return None
    if feed.region is not None and not permissions.can(feed.user, VIEW, region=feed.region):
        return None
    return feed


def _window(now):
    return Q(ends_at__gte=now - PAST, starts_at__lte=now + AHEAD)


def region_events(region, now) -> list[Event]:
    rows = (Event.objects.filter(region=region).filter(_window(now))
            .exclude(state=EventState.CANCELLED, announced_at__isnull=True)
            .only(*FIELDS).order_by("starts_at", "id")[:MOST])
    return list(rows)


def personal_events(user, region, now) -> list[Event]:
    """In `region`'s scope: the events `user` organizes or is invited to."""
    where = Q(organizer=user)
    cities = invitations.own_city_ids(user, region)
    experts = invitations.own_expert_ids(user, region)
    if cities or experts:
        invited = (EventInvitation.objects.filter(region=region)
                   .filter(Q(city_id__in=cities) | Q(expert_id__in=experts))
                   .values("event_id"))
        known = (Q(announced_at__isnull=False) | Q(audience=Audience.PUBLIC))
        where |= Q(pk__in=invited) & known
    rows = (Event.objects.filter(region=region).filter(_window(now)).filter(where)
            .exclude(state=EventState.CANCELLED, announced_at__isnull=True)
            .only(*FIELDS).order_by("starts_at", "id")[:MOST])
    return list(rows)


def events_of(feed: CalendarFeed, now=None) -> list[tuple[object, Event]]:
    """(region, event) pairs of the feed, each region read inside its own scope."""
    now = now or timezone.now()
    if feed.region is not None:
        with region_scope(feed.region):
            return [(feed.region, e) for e in region_events(feed.region, now)]
    pairs = []
    for region in permissions.regions_of(feed.user):
        with region_scope(region):
            pairs.extend((region, e) for e in personal_events(feed.user, region, now))
    pairs.sort(key=lambda pair: pair[1].starts_at)
    return pairs[:MOST]


def _page(region, event: Event) -> str:
    return settings.PORTAL_BASE_URL + reverse("event-detail", kwargs={
        "region_slug": region.slug, "event_id": event.pk})


def cached_calendar(feed: CalendarFeed) -> bytes:
    key = f"events:feed:{feed.pk}:{feed.token}:{get_language()}"
    return cache.get_or_set(key, lambda: calendar(feed), CACHED_FOR)


def calendar(feed: CalendarFeed, now=None) -> bytes:
    """The feed as iCalendar: one VEVENT per event, its times in UTC."""
    now = now or timezone.now()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = (_("%(region)s events") % {"region": feed.region.name} if feed.region
            else _("My alliance events"))
    cal.add("x-wr-calname", name)
    host = settings.PORTAL_BASE_URL.split("//")[-1].split("/")[0] or "alliance"
    for region, event in events_of(feed, now):
        entry = CalendarEvent()
        entry.add("uid", f"event-{event.pk}@{host}")
        entry.add("dtstamp", now.astimezone(datetime.UTC))
        entry.add("dtstart", event.starts_at.astimezone(datetime.UTC))
        entry.add("dtend", event.ends_at.astimezone(datetime.UTC))
        entry.add("summary", event.title)
        where = event.venue or event.online_link
        if where:
            entry.add("location", where)
        description = "\n".join(part for part in (str(event.kind_label), event.description,
                                                  event.online_link if event.venue else "")
                                if part)
        entry.add("description", description)
        entry.add("url", _page(region, event))
        entry.add("status", "CANCELLED" if event.state == EventState.CANCELLED
                  else "CONFIRMED" if event.announced_at else "TENTATIVE")
        entry.add("created", event.created_at.astimezone(datetime.UTC))
        cal.add_component(entry)
    return cal.to_ical()
