"""Small pieces the city page and the scoring grid share."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def section_page_url(context, name: str, number: int) -> str:
    """This page with section `name` at page `number`; the other sections and `?from=` stay."""
    query = context["request"].GET.copy()
    query[name] = number
    return f"?{query.urlencode()}"


@register.filter
def priority(value) -> str:
    """A city's priority as the pages show it: "75.0%", or that it is not scored yet."""
    if value is None:
        return _("not scored")
    return f"{floatformat(value, 1)}%"
