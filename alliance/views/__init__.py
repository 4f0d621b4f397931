"""Thin page views. Region pages run inside the region's scope (alliance.tenancy)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from .. import permissions
from ..errors import DomainError
from ..services import audit

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def requires(action: str, *, write: str | None = None):
    """Declare the action a view needs; the table in alliance.permissions answers.

    `write` names the further action a POST needs on a page that others may read. It is
    checked before the form is read, so someone without the right gets 403, not field
    errors that tell them how to shape a request they may not make."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not permissions.can(request.user, action, region=request.region):
                raise PermissionDenied
            if (write and request.method not in SAFE_METHODS
                    and not permissions.can(request.user, write, region=request.region)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_action = action
        wrapper.write_action = write
        return wrapper

    return decorator


def history(request, target, limit: int = 50):
    """The audit trail of `target` for a page, or None for people who may not read it."""
    if not permissions.can(request.user, "alliance.view_audit", region=request.region):
        return None
    return audit.history_of(target)[:limit]


def here(request, url_name: str, **kwargs) -> str:
    """Reverse a page shared by regions and /global/ for where the request is."""
    if request.region is None:
        return reverse(f"global:{url_name}", kwargs=kwargs)
    return reverse(url_name, kwargs={"region_slug": request.region.slug, **kwargs})


def form_error(form, error) -> None:
    """Show a service's DomainError on its field, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def save_form(request, form, save, *, success: str, then: str):
    """For a valid POSTed form, call `save(**form.cleaned_data)` (a service).

    Returns a redirect to `then` with the `success` message, or None when the form must be
    shown again (not posted, invalid, or refused by the service: its message is on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        save(**form.cleaned_data)
    except DomainError as error:
        form_error(form, error)
        return None
    messages.success(request, success)
    return redirect(then)
