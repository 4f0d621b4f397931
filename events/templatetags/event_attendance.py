"""The invitations-and-attendance part of an event's page, drawn by its own tags so the event
page stays the planning area's: `{% event_attendance event %}` and `{% event_minutes event %}`."""

from django import template

register = template.Library()


@register.inclusion_tag("events/_event_attendance.html", takes_context=True)
def event_attendance(context, event) -> dict:
    return {"event": event}


@register.inclusion_tag("events/_event_minutes.html", takes_context=True)
def event_minutes(context, event) -> dict:
    return {"event": event}
