"""The experts area's own menu under the region menu's single "Experts" item:
`{% experts_menu %}` at the top of its pages."""

from django import template
from django.utils.translation import gettext_lazy as _

from alliance.navigation import AreaItem, area_menu

register = template.Library()

ITEMS = [
    AreaItem(_("Experts"), "expert-list", "experts.view", ("expert-", "interview-")),
    AreaItem(_("Stakeholders"), "stakeholder-list", "experts.view_stakeholders",
             ("stakeholder-",)),
    AreaItem(_("Working groups"), "group-list", "experts.view_groups", ("group-",)),
    AreaItem(_("Advisory board"), "board-list", "experts.view_board", ("board-",)),
    AreaItem(_("Terms of Reference"), "terms-list", "experts.manage_terms", ("terms-",)),
    AreaItem(_("Directory"), "directory", "experts.view_directory", ("directory-",)),
]


@register.inclusion_tag("alliance/_subnav.html", takes_context=True)
def experts_menu(context) -> dict:
    return area_menu(context["request"], ITEMS, label=_("Experts"))
