from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
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


# The dashboard's two lists, written here: a page of cards, each item of which through the
# template engine cost as much as a card.
APPROVAL_ITEM = ('<li class="list-group-item"><a href="{url}{pk}/">{title}</a>'
                 '<div class="small text-body-secondary">{kind} · {region}</div></li>')
INVITATION_ITEM = ('<li class="list-group-item d-flex justify-content-between align-items-start '
                   'gap-2"><div class="text-break">{email}<div class="small text-body-secondary">'
                   '{role}</div></div><span class="state state-{state}">{state_label}</span></li>')


def approval_items(approvals, url: str) -> str:
    everywhere = _("All regions")
    return mark_safe("".join(APPROVAL_ITEM.format(
        url=url, pk=a.pk, title=escape(a.title), kind=escape(a.kind_label),
        region=escape(a.region or everywhere)) for a in approvals))


def invitation_items(invitations) -> str:
    return mark_safe("".join(INVITATION_ITEM.format(
        email=escape(i.email), role=escape(i.role_label), state=i.shown_state,
        state_label=escape(i.display_state)) for i in invitations))


@require_GET
@requires("alliance.view_region")
def dashboard(request, region_slug=None):
    user, region = request.user, request.region
    roles = permissions.roles_of(user, region)
    context = {"roles": [Role(r).label for r in sorted(roles)],
               "for_global_secretariat": user.is_superuser or Role.GLOBAL_SECRETARIAT in roles}
    if permissions.can(user, "alliance.view_approvals", region=region):
        pending = queries.approvals_for(user, region, state=ApprovalRequest.State.PENDING)
        context["pending_approvals"] = approval_items(
            pending[:5], here_prefix(request, "approval-detail", "approval_id"))
        context["pending_count"] = pending.count()
    if permissions.can(user, "alliance.invite_member", region=region):
        context["recent_invitations"] = invitation_items(queries.invitations_in(region)[:5])
    if region is None:
        context["overview_labels"], context["regions"] = queries.region_overview()
        context["region_url"] = url_prefix("region-dashboard", "region_slug")
    context["panels"] = panels.panels_for(request)
    return render(request, "alliance/dashboard.html", context)


@require_GET
@requires("alliance.view_region")
def dashboard_panel(request, region_slug, panel_name):
    """One of the dashboard's cards that load after it (alliance.panels): the card alone for
    htmx, or on a page of its own for a browser without JavaScript."""
    panel = panels.panel_named(panel_name)
    if panel is None:
        raise Http404
    if not permissions.can(request.user, panel.action, region=request.region):
        raise PermissionDenied
    context = {"panel": {"template": panel.template, **panel.context(request)}}
    if request.htmx:
        return render(request, panel.template, context)
    return render(request, "alliance/dashboard_panel.html", {**context, "title": panel.title})


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
