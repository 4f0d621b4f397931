"""The events area's own menu under the region menu's "Events" item: `{% events_menu %}` at
the top of its pages."""

from django import template
from django.utils.translation import gettext_lazy as _

from alliance.navigation import AreaItem, area_menu

register = template.Library()

ITEMS = [
    AreaItem(_("Events"), "event-list", "events.view",
             ("event-", "agenda-", "invitee-", "action-item-")),
    AreaItem(_("Meeting series"), "series-list", "events.view", ("series-",)),
    AreaItem(_("Calendar feeds"), "calendar-feeds", "events.view", ("calendar-",)),
    AreaItem(_("Event settings"), "event-settings", "events.manage_settings"),
    # The region menu keeps to one row: the Operation phase's other pages are reached here.
    AreaItem(_("Dialogues"), "dialogue-coverage", "cities.view_dialogues"),
    AreaItem(_("Implementation support"), "workplan-list", "events.view_workplans"),
]


@register.inclusion_tag("alliance/_subnav.html", takes_context=True)
def events_menu(context) -> dict:
    return area_menu(context["request"], ITEMS, label=_("Events"))
