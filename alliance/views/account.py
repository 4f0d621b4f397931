"""The user's own pages: notifications and personal API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import ApiTokenForm
from ..models import ApiToken, Notification
from ..pagination import paginate
from ..services import notifications, tokens
from . import url_prefix


@login_required
def notification_list(request):
    rows = Notification.objects.filter(recipient=request.user).select_related("region")
    return render(request, "alliance/notification_list.html", {
        "page_obj": paginate(request, rows),
        "notification_url": url_prefix("notification-open", "notification_id")})


@login_required
def notification_bell(request):
    """The header's bell, refreshed in place by htmx."""
    return render(request, "alliance/_bell.html")


@require_POST
@login_required
def notification_open(request, notification_id):
    notification = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    notifications.mark_read(actor=request.user, notification_ids=[notification.pk])
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "notification-list"
    return redirect(target or "notification-list")


@require_POST
@login_required
def notification_read_all(request):
    notifications.mark_read(actor=request.user)
    messages.success(request, _("All notifications marked read."))
    return redirect("notification-list")


@login_required
def profile(request):
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        new_token = tokens.create_token(actor=request.user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    return render(request, "alliance/profile.html", {
        "form": form, "tokens": ApiToken.objects.filter(user=request.user),
        "new_token": new_token})


@require_POST
@login_required
def token_revoke(request, token_key):
    # Someone else's token and a key that never existed look the same: not found.
    if not tokens.revoke_token(actor=request.user, token_key=token_key):
        raise Http404
    messages.success(request, _("Token revoked; it no longer works."))
    return redirect("profile")
