"""Reads shared by pages and the API. All run inside the caller's region scope."""

from django.db.models import Q

from . import permissions
from .models import ApprovalRequest, Invitation


def approvals_for(user, region, *, kind: str = "", state: str = ""):
    """The approvals inbox: what is routed to the user's roles (everything for secretariats)."""
    qs = ApprovalRequest.objects.select_related(
        "region", "requested_by", "decided_by", "content_type")
    roles = permissions.roles_of(user, region)
    if not (user.is_superuser or roles & {permissions.GS, permissions.RS}):
        qs = qs.filter(Q(route_role__in=roles) | Q(requested_by=user))
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-requested_at", "-id")


def invitations_in(region):
    qs = Invitation.objects.select_related("region", "invited_by", "accepted_by")
    return qs.order_by("-created_at", "-id")
