"""The events area's own menu under the region menu's "Events" item: `{% events_menu %}` at
the top of its pages."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance import permissions

register = template.Library()

# label, URL name, action, the URL name prefixes of the pages under which it is marked
ITEMS = [
    (_("Events"), "event-list", "events.view", ("event-", "agenda-", "invitee-",
                                                 "action-item-")),
    (_("Meeting series"), "series-list", "events.view", ("series-",)),
    (_("Calendar feeds"), "calendar-feeds", "events.view", ("calendar-",)),
    (_("Event settings"), "event-settings", "events.manage_settings", ("event-settings",)),
]

NAMES = {name for _label, name, _action, _prefixes in ITEMS}


@register.inclusion_tag("events/_nav.html", takes_context=True)
def events_menu(context) -> dict:
    """The items this person may open; none when only one would show (the page is it)."""
    request = context["request"]
    if request.region is None:
        return {"items": []}
    here = request.resolver_match.url_name or ""
    kwargs = {"region_slug": request.region.slug}
    items = [{"label": label, "url": reverse(name, kwargs=kwargs),
              "current": here == name or (here not in NAMES and here.startswith(prefixes))}
             for label, name, action, prefixes in ITEMS
             if permissions.can(request.user, action, region=request.region)]
    return {"items": items if len(items) > 1 else []}
