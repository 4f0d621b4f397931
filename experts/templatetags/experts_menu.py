"""The experts area's own menu under the region menu's single "Experts" item:
`{% experts_menu %}` at the top of its pages."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance import permissions

register = template.Library()

# label, URL name, action, the URL name prefixes of the pages under which it is marked
ITEMS = [
    (_("Experts"), "expert-list", "experts.view", ("expert-", "interview-")),
    (_("Stakeholders"), "stakeholder-list", "experts.view_stakeholders", ("stakeholder-",)),
    (_("Working groups"), "group-list", "experts.view_groups", ("group-",)),
    (_("Advisory board"), "board-list", "experts.view_board", ("board-",)),
    (_("Terms of Reference"), "terms-list", "experts.manage_terms", ("terms-",)),
    (_("Directory"), "directory", "experts.view_directory", ("directory",)),
]


@register.inclusion_tag("experts/_nav.html", takes_context=True)
def experts_menu(context) -> dict:
    """The items this person may open; none when only one would show (the page is it)."""
    request = context["request"]
    if request.region is None:
        return {"items": []}
    here = request.resolver_match.url_name or ""
    kwargs = {"region_slug": request.region.slug}
    items = [{"label": label, "url": reverse(name, kwargs=kwargs),
              "current": here == name or here.startswith(prefixes)}
             for label, name, action, prefixes in ITEMS
             if permissions.can(request.user, action, region=request.region)]
    return {"items": items if len(items) > 1 else []}
