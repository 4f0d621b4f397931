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


@register.inclusion_tag("alliance/_back_link.html", takes_context=True)
def back_link(context) -> dict:
    """A way back to the page that sent the person here (`?next=`, a path on this site only):
    an approver who opens the object of a request returns to the request, not to a region
    menu."""
    from django.urls import Resolver404, resolve
    from django.utils.http import url_has_allowed_host_and_scheme

    request = context.get("request")
    target = request.GET.get("next", "") if request else ""
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return {"back_url": ""}
    try:
        match = resolve(target.split("?", 1)[0])
    except Resolver404:
        return {"back_url": ""}
    return {"back_url": target, "to_approval": match.url_name == "approval-detail"}
