from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .. import panels, permissions, queries
from ..models import ApprovalRequest, Role
from . import here_prefix, requires, url_prefix


@login_required
def home(request):
    """The landing page: the global dashboard or the user's region's, or for a person who only
    reviews, the requests waiting for their decision there."""
    user = request.user
    if permissions.may_enter_global(user):
        return _landing(user, "global:dashboard", "global:approval-list")
    regions = permissions.regions_of(user)
    if len(regions) == 1:
        return _landing(user, "region-dashboard", "approval-list", region_slug=regions[0].slug)
    return render(request, "alliance/choose_region.html", {"regions": regions})


def _landing(user, dashboard: str, approvals: str, **kwargs):
    if not user.is_superuser and permissions.all_roles(user) == {Role.FORUM_REVIEWER}:
        pending = ApprovalRequest.State.PENDING
        return redirect(f"{reverse(approvals, kwargs=kwargs)}?state={pending}")
    return redirect(dashboard, **kwargs)


@require_GET
@requires("alliance.view_region")
def dashboard(request, region_slug=None):
    user, region = request.user, request.region
    roles = permissions.roles_of(user, region)
    context = {"roles": [Role(r).label for r in sorted(roles)],
               "for_global_secretariat": user.is_superuser or Role.GLOBAL_SECRETARIAT in roles}
    if permissions.can(user, "alliance.view_approvals", region=region):
        pending = queries.approvals_for(user, region, state=ApprovalRequest.State.PENDING)
        context["pending_approvals"] = pending[:5]
        context["pending_count"] = pending.count()
        context["approval_url"] = here_prefix(request, "approval-detail", "approval_id")
    if permissions.can(user, "alliance.invite_member", region=region):
        context["recent_invitations"] = queries.invitations_in(region)[:5]
    if region is None:
        context["overview_labels"], context["regions"] = queries.region_overview()
        context["region_url"] = url_prefix("region-dashboard", "region_slug")
    context["panels"] = panels.panels_for(request)
    return render(request, "alliance/dashboard.html", context)


@require_GET
@login_required
def switch_region(request):
    """The header's region switcher (a plain form, so it works without JavaScript)."""
    slug = request.GET.get("region", "")
    if slug == "global":
        return redirect("global:dashboard")
    allowed = {r.slug for r in permissions.regions_of(request.user)}
    if slug in allowed:
        return redirect("region-dashboard", region_slug=slug)
    return redirect("home")
