"""The expert's own pages: their Terms of Reference status, their working groups and upcoming
sessions, and their profile to edit. An expert reaches only the record linked to their own
account; anyone else, and another expert's record, is not found."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from alliance.views import refused_into, requires

from .. import queries, stages
from ..forms.people import ProfileForm
from ..models import GroupMember, GroupSession, TermsAcceptance
from ..services import groups, profile

GROUPS_SHOWN = 20
SESSIONS_SHOWN = 10


def _own(request):
    expert = profile.own_expert(request.user, request.region)
    if expert is None:
        raise Http404
    return expert


def terms_status(expert, region) -> dict:
    """The current Terms of Reference, the expert's latest acceptance, and whether they
    accepted the current version (a later one may be current since)."""
    current = queries.current_terms(region)
    latest = (TermsAcceptance.objects.filter(region=region, expert=expert)
              .select_related("terms").order_by("-accepted_at", "-id").first())
    accepted_current = current is not None and latest is not None and (
        latest.terms_id == current.pk or TermsAcceptance.objects.filter(
            region=region, expert=expert, terms=current).exists())
    return {"current_terms": current, "latest_acceptance": latest,
            "accepted_current": accepted_current,
            "accept_url": reverse("terms-accept", kwargs={"region_slug": region.slug})}


def upcoming_sessions(region, group_ids, limit: int):
    return list(GroupSession.objects.filter(region=region, starts_at__gte=timezone.now(),
                                            group__in=group_ids)
                .select_related("group").order_by("starts_at", "id")[:limit])


def portal_panel(request) -> dict:
    """The expert's card on the region dashboard: the Terms of Reference to accept, if any,
    and their next session."""
    expert = profile.own_expert(request.user, request.region)
    if expert is None:
        return {"own_expert": None}
    region = request.region
    groups = GroupMember.objects.filter(region=region, expert=expert, left_on__isnull=True,
                                        group__is_archived=False).values("group_id")
    sessions = upcoming_sessions(region, groups, 1)
    return {"own_expert": expert, **terms_status(expert, region),
            "next_session": sessions[0] if sessions else None,
            "portal_url": reverse("portal-home", kwargs={"region_slug": region.slug})}


@require_safe
@requires("experts.own_record")
def portal_home(request, region_slug):
    expert = _own(request)
    region = request.region
    memberships = list(
        GroupMember.objects.filter(region=region, expert=expert, left_on__isnull=True,
                                   group__is_archived=False)
        .select_related("group", "group__model_policy")
        .order_by("group__name", "id")[:GROUPS_SHOWN])
    sessions = upcoming_sessions(region, [m.group_id for m in memberships],
                                 SESSIONS_SHOWN)
    return render(request, "experts/portal_home.html", {
        "expert": expert, **terms_status(expert, region),
        "memberships": memberships, "sessions": sessions,
        # The groups they lead: their pages, where the lead manages members and sessions.
        "led": list(groups.led_by(request.user, region).only("name")[:GROUPS_SHOWN]),
        "in_directory": expert.stage in stages.WORKING})


@requires("experts.own_record")
def portal_profile(request, region_slug):
    expert = _own(request)
    form = ProfileForm(request.POST or None, expert=expert)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            profile.update_profile(actor=request.user, expert=expert, **form.cleaned_data)
            messages.success(request, _("Your profile is saved."))
            return redirect("portal-profile", region_slug=region_slug)
    card = profile.card_of(expert)
    return render(request, "experts/portal_profile.html", {
        "expert": expert, "form": form, "card": card,
        "in_directory": expert.stage in stages.WORKING})


urlpatterns = [
    path("me/", portal_home, name="portal-home"),
    path("me/profile/", portal_profile, name="portal-profile"),
]
