"""Reads shared by pages and the API. All run inside the caller's region scope."""

from django.db import connection
from django.db.models import IntegerField, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from . import panels, permissions
from .models import ApprovalRequest, Invitation, Membership, Region


def approvals_for(user, region, *, kind: str = "", state: str = ""):
    """The approvals inbox: what is routed to the user's roles (everything for secretariats)."""
    qs = ApprovalRequest.objects.select_related("region", "requested_by", "decided_by")
    if not permissions.can(user, "alliance.view_all_approvals", region=region):
        qs = qs.filter(Q(route_role__in=permissions.roles_of(user, region))
                       | Q(requested_by=user))
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-requested_at", "-id")


def invitations_in(region):
    qs = Invitation.objects.select_related("region", "invited_by", "accepted_by")
    return qs.order_by("-created_at", "-id")


def count_per_region(model, **filters):
    """The number of `model` rows (those equal to `filters` on the model's own fields) in the
    region of each row of `Region.objects.annotate(...)`: a correlated COUNT, so several on
    one row do not multiply each other. For the comparison of every region (no region scope
    to apply). Written as SQL: built through the ORM, the comparison's four subqueries cost
    three times what running them does, on a page the Global Secretariat opens all day."""
    quote, fields = connection.ops.quote_name, model._meta
    table = quote(fields.db_table)
    conditions = [f"{table}.{quote(fields.get_field(name).column)} = %s" for name in filters]
    conditions.insert(0, f"{table}.{quote(fields.get_field('region').column)} = "
                         f"{quote(Region._meta.db_table)}.{quote(Region._meta.pk.column)}")
    return RawSQL(f"SELECT COUNT(*) FROM {table} WHERE " + " AND ".join(conditions),
                  list(filters.values()), output_field=IntegerField())


def region_overview() -> tuple[list[str], list[tuple[Region, list[int]]]]:
    """The Global Secretariat's comparison: column labels, and each region with its numbers
    (its team, what the apps registered, pending approvals), all in one query. "Team": the
    people holding a role there; member cities are the cities app's column."""
    columns = [(_("Team"), count_per_region(Membership)),
               *((c.label, c.count()) for c in panels.OVERVIEW_COLUMNS),
               (_("Pending approvals"),
                count_per_region(ApprovalRequest, state=ApprovalRequest.State.PENDING))]
    names = [f"overview_{n}" for n in range(len(columns))]
    regions = Region.objects.annotate(
        **{name: expression for name, (_label, expression) in zip(names, columns)})
    rows = [(region, [getattr(region, name) for name in names])
            for region in regions.order_by("name")]
    return [str(label) for label, _expression in columns], rows


def members_of(region):
    """Who holds a role in the region (cross-region roles are listed on /global/)."""
    return (Membership.objects.filter(region=region).select_related("user")
            .order_by("role", "user__full_name", "user__email"))
