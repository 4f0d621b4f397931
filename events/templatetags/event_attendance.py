"""The invitations-and-attendance part of an event's page, drawn by its own tags so the event
page stays the planning area's: `{% event_attendance event %}` (who is invited, their
answers, attendance, and for the event's manager the buttons to invite and announce) and
`{% event_minutes event %}` (the minutes and the open action items). Each makes a few
limited queries of its own."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from alliance.labels import labels_of
from alliance.templatetags.formats import number
from alliance.templatetags.portal import icon
from cities.models import Tier

from ..models import EventState, Response
from ..queries import attendance as queries
from ..rules import may_manage
from ..services import invitations, minutes

register = template.Library()

INVITEES_SHOWN = 10
# If a response is added, give it a tone here (portal.css's state pills).
TONES = {Response.ACCEPTED: "state-accepted", Response.TENTATIVE: "tone-info",
         Response.DECLINED: "state-declined", Response.PENDING: "state-pending"}
ACTIONS_SHOWN = 8


def _lines(rows) -> str:
    """The listed invitees, written once in Python (a row's labels and icon through the
    template engine cost more than the rest of the card)."""
    answers = labels_of(Response)
    present, absent = escape(_("Attended")), escape(_("Absent"))
    city, person = icon("building"), icon("person")
    lines = []
    for row in rows:
        name = (f"{city} {escape(row.city.name)}" if row.city_id
                else f"{person} {escape(row.expert.name)}")
        note = (f'<br><small class="text-body-secondary">{escape(row.response_note)}</small>'
                if row.response_note else "")
        came = "" if row.attended is None else (
            f' <span class="pill">{present if row.attended else absent}</span>')
        lines.append(
            f'<li class="list-group-item d-flex flex-wrap justify-content-between gap-2">'
            f'<span>{name}{note}</span><span><span class="state {TONES.get(row.response, "")}">'
            f'{escape(answers.get(row.response, ""))}</span>{came}</span></li>')
    return mark_safe("".join(lines))


# The answers in the order the counts show them.
COUNTED = [Response.ACCEPTED, Response.TENTATIVE, Response.DECLINED, Response.PENDING]


def counts_line(counts: dict) -> str:
    """The answers in one line: "Attending: 3 · Maybe: 1 · …" as state pills."""
    labels = labels_of(Response)
    items = "".join(
        f'<li class="list-inline-item"><span class="state {TONES[value]}">'
        f'{escape(labels[value])}: {number(counts.get(value, 0))}</span></li>'
        for value in COUNTED)
    return mark_safe(f'<ul class="list-inline mb-0 response-counts">{items}</ul>')


def _manages(context, event) -> bool:
    if "manages" in context:
        return bool(context["manages"])
    return may_manage(context["request"].user, event)


@register.inclusion_tag("events/_event_attendance.html", takes_context=True)
def event_attendance(context, event) -> dict:
    manages = _manages(context, event)
    now = timezone.now()
    rows, counts = queries.invitee_preview(event, INVITEES_SHOWN)
    page = reverse("event-detail", kwargs={"region_slug": event.region.slug,
                                           "event_id": event.pk})
    # The area's pages under the event's own address (events/views/attendance.py).
    urls = {"invitations": f"{page}invitations/", "attendance": f"{page}attendance/",
            "tier": f"{page}invitations/tier/"}
    return {"event": event, "manages": manages, "urls": urls,
            "counts_line": counts_line(counts),
            "open": event.state not in invitations.CLOSED, "invitees": _lines(rows),
            "counts": counts, "more": counts["total"] > len(rows),
            "started": event.starts_at <= now, "announced": event.announced_at is not None,
            "tiers": Tier.choices, "request": context["request"],
            "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("events/_event_minutes.html", takes_context=True)
def event_minutes(context, event) -> dict:
    manages = _manages(context, event)
    today = timezone.localdate()
    items = list(minutes.items_of(event)[:ACTIONS_SHOWN + 1])
    for item in items:
        item.overdue = minutes.is_overdue(item, today)
    minutes_url = reverse("event-minutes", kwargs={"region_slug": event.region.slug,
                                                   "event_id": event.pk})
    return {"event": event, "manages": manages, "items": items[:ACTIONS_SHOWN],
            "minutes_url": minutes_url,
            "more": len(items) > ACTIONS_SHOWN,
            "cancelled": event.state == EventState.CANCELLED,
            "request": context["request"], "csrf_token": context.get("csrf_token")}
