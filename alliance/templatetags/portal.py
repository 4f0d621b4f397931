from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """The current URL's query string with another page number (filters are kept)."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.filter
def described(entry) -> str:
    """An audit entry in words (alliance.services.audit.describe)."""
    from alliance.services.audit import describe

    return describe(entry)
