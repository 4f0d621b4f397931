"""Thin page views. Region pages run inside the region's scope (alliance.tenancy)."""

from contextlib import contextmanager
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse

from .. import permissions
from ..errors import DomainError
from ..services import audit
from ..uploads import content_type_for, extension_of

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
    return audit.recent_history(target, limit)


def here(request, url_name: str, **kwargs) -> str:
    """Reverse a page shared by regions and /global/ for where the request is."""
    if request.region is None:
        return reverse(f"global:{url_name}", kwargs=kwargs)
    return reverse(url_name, kwargs={"region_slug": request.region.slug, **kwargs})


def url_prefix(url_name: str, key: str, **kwargs) -> str:
    """The URL of `url_name` with `key` (an id, a slug) 0, cut before the 0: a row appends
    its own and "/" (and what the pattern has after it). Reversed once per page: a
    `{% url %}` per row costs more than the rest of the row."""
    url = reverse(url_name, kwargs={**kwargs, key: 0})
    return url[:url.rindex("/0/") + 1]


def here_prefix(request, url_name: str, key: str) -> str:
    """`url_prefix` of a page shared by regions and /global/, for where the request is."""
    if request.region is None:
        return url_prefix(f"global:{url_name}", key)
    return url_prefix(url_name, key, region_slug=request.region.slug)


class Refusal:
    """What a `refused...` block caught: the DomainError, or None (true when refused)."""

    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.error is not None


@contextmanager
def refused(show=None):
    """The one place a page catches a service's refusal (a DomainError):

        with refused_into(form) as refusal:
            service(...)
            return redirect(...)
        return render(...)  # the form again, the refusal on its field or above it

    The refusal ends the block (the service rolled back its transaction), `show(error)`
    puts it where the person sees it, and the code after the block runs; anything else
    propagates. Use `refused_into` or `refused_as_message`; bare `refused()` is for a page
    that shows the refusal itself (`refusal.error`)."""
    refusal = Refusal()
    try:
        yield refusal
    except DomainError as error:
        refusal.error = error
        if show is not None:
            show(error)


def refused_into(form, *, field: str | None = None):
    """A refusal shows on the form: on the field it names, else on `field`, else above."""

    def show(error):
        form.add_error(error.field if error.field in form.fields else field, error.message)

    return refused(show)


def refused_as_message(request):
    """A refusal of a button with no form of its own: an error message on the next page."""
    return refused(lambda error: messages.error(request, error.message))


def save_form(request, form, save, *, success: str, then: str):
    """For a valid POSTed form, call `save(**form.cleaned_data)` (a service).

    Returns a redirect to `then` with the `success` message, or None when the form must be
    shown again (not posted, invalid, or refused by the service: its message is on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    with refused_into(form):
        save(**form.cleaned_data)
        messages.success(request, success)
        return redirect(then)
    return None


def attachment(stored_file, *, title: str) -> FileResponse:
    """A stored upload as a download, never inline: the content type of its checked
    extension, `nosniff`, and a policy that lets nothing in it run if a browser opens it."""
    try:
        handle = stored_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True,
                            filename=f"{title}.{extension_of(stored_file.name)}",
                            content_type=content_type_for(stored_file.name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
