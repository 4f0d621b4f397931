"""Demo invitations and answers for the events the plans area seeds (events.demo_plans, whose
seeder runs first): the past regular meeting with its invitees' answers, attendance, minutes
and an action item; the next meeting with the same invitees, not announced yet (its agenda
waits for the Forum); the annual summit, open to the public, with every participating city
and the demo city contact's own city invited. Nothing is made when those events are not
there. Safe to run again: invitations are made once each and a meeting's minutes only when
empty.

Call inside the region's scope: `seed(region, secretariat_user)`."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cities.models import City, Tier

from .demo_plans import SERIES_TITLE, SUMMIT_TITLE
from .models import Event, EventInvitation, EventState, Response
from .services import invitations, minutes

MINUTES = ("1. News from the secretariat: two cities joined the alliance.\n"
           "2. Progress sharing: the open data workplans are on schedule.\n"
           "3. Next steps: the secretariat shares the model policy's translation.")
ANSWERS = [Response.ACCEPTED, Response.TENTATIVE, Response.DECLINED, Response.ACCEPTED]


def seed(region, secretariat) -> None:
    title = SERIES_TITLE.get(region.slug)
    meetings = list(Event.objects.filter(region=region, title=title).order_by("starts_at")) \
        if title else []
    if meetings:
        _past(region, secretariat, meetings[0])
        for following in meetings[1:]:
            if following.state not in invitations.CLOSED:
                invitations.invite_by_tier(actor=secretariat, event=following,
                                           tiers=[Tier.PIONEER, Tier.ACTIVE])
    summit = Event.objects.filter(region=region, title=SUMMIT_TITLE.get(region.slug, "")).first()
    if summit is not None and summit.state not in invitations.CLOSED:
        invitations.invite_by_tier(actor=secretariat, event=summit,
                                   tiers=[Tier.PIONEER, Tier.ACTIVE, Tier.OBSERVER])
        invitations.invite_experts(actor=secretariat, event=summit)
        # The demo's city contact answers for their city (the summit is open to the public,
        # so they see it before its agenda is approved).
        for city in City.objects.filter(region=region, contacts__user__isnull=False).distinct():
            if city.stage not in invitations.NOT_INVITABLE:
                invitations.invite_city(actor=secretariat, event=summit, city=city)


def _past(region, secretariat, event: Event) -> None:
    """Invitations made as they were then (the meeting is held now), with answers and
    attendance, the minutes and one action."""
    if EventInvitation.objects.filter(event=event).exists():
        return
    cities = list(invitations.tier_cities(region, [Tier.PIONEER, Tier.ACTIVE])[:8])
    experts = list(invitations.expert_choices(region)[:2])
    told = event.starts_at - datetime.timedelta(days=20)
    rows = [EventInvitation(region=region, event=event, city=city, invited_as="tier",
                            invited_at=told, notified_at=told,
                            response=ANSWERS[n % len(ANSWERS)],
                            responded_at=told + datetime.timedelta(days=2),
                            attended=ANSWERS[n % len(ANSWERS)] == Response.ACCEPTED,
                            attendees="Open data team" if n % 2 == 0 else "")
            for n, city in enumerate(cities)]
    rows += [EventInvitation(region=region, event=event, expert=expert, invited_as="expert",
                             invited_at=told, notified_at=told, response=Response.ACCEPTED,
                             attended=True) for expert in experts]
    EventInvitation.objects.bulk_create(rows)
    if event.state == EventState.HELD and not event.minutes:
        Event.objects.filter(pk=event.pk).update(
            announced_at=told, minutes=MINUTES, minutes_recorded_at=event.ends_at)
        if not event.action_items.exists():
            minutes.add_action_item(
                actor=secretariat, event=event, owner=secretariat,
                title="Share the translated model policy with member cities",
                due_on=timezone.localdate() + datetime.timedelta(days=10))
