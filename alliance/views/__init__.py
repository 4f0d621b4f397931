"""Thin page views. Region pages run inside the region's scope (alliance.tenancy)."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from .. import permissions


def requires(action: str):
    """Declare the action a view needs; the table in alliance.permissions answers."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not permissions.can(request.user, action, region=request.region):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_action = action
        return wrapper

    return decorator


def here(request, url_name: str, **kwargs) -> str:
    """Reverse a page shared by regions and /global/ for where the request is."""
    if request.region is None:
        return reverse(f"global:{url_name}", kwargs=kwargs)
    return reverse(url_name, kwargs={"region_slug": request.region.slug, **kwargs})
