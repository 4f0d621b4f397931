"""Who may do what: one table of action -> roles, plus object grants through django-guardian.

Views declare the action they need; services check it again, because the API, admin, tasks
and commands reach services too. A grant (guardian) lets one person do one action on one
object without the role: the playbook's delegation of a work module to a member.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, get_user_perms, remove_perm

from .models import Membership, Region, Role

GS = Role.GLOBAL_SECRETARIAT
RS = Role.REGIONAL_SECRETARIAT
FR = Role.FORUM_REVIEWER
CC = Role.CITY_CONTACT
EX = Role.EXPERT
EVERYONE = frozenset(Role)

# If an action is added here and guards a view, the view names it; the isolation and
# role-by-action tests read this table.
ACTIONS: dict[str, frozenset[str]] = {
    "alliance.view_region": EVERYONE,
    "alliance.view_members": frozenset({GS, RS}),
    "alliance.manage_members": frozenset({GS, RS}),
    "alliance.edit_region": frozenset({GS, RS}),
    "alliance.invite_member": frozenset({GS, RS}),
    "alliance.view_approvals": frozenset({GS, RS, FR}),
    "alliance.view_all_approvals": frozenset({GS, RS}),
    # Decide what is routed to one's role; the Global Secretariat decides whatever is routed.
    "alliance.decide_approval": frozenset({GS, FR}),
    "alliance.decide_any_approval": frozenset({GS}),
    "alliance.view_audit": frozenset({GS, RS, FR}),
    "alliance.view_global": frozenset({GS, FR}),
    "cities.view": frozenset({GS, RS, FR}),
    # A city contact reads their own city's page (the contact linked to their account).
    "cities.view_own": frozenset({CC}),
    "cities.edit": frozenset({GS, RS}),
    "cities.move_stage": frozenset({GS, RS}),
    "cities.import": frozenset({GS, RS}),
    "cities.manage_criteria": frozenset({GS, RS}),
    # The monthly dialogue with every city: the secretariat logs and reads it.
    "cities.view_dialogues": frozenset({GS, RS}),
    "cities.log_dialogue": frozenset({GS, RS}),
    "outreach.view": frozenset({GS, RS, FR}),
    "outreach.edit": frozenset({GS, RS}),
    "outreach.send": frozenset({GS, RS}),
    "outreach.view_materials": EVERYONE,
    "outreach.manage_materials": frozenset({GS, RS}),
    # The Policy Roadmap and questionnaires belong to the network; the Global Secretariat
    # keeps them, a region proposes model policies (adopted by a model_policy approval).
    "assessments.view_roadmap": EVERYONE,
    "assessments.propose_policy": frozenset({GS, RS}),
    "assessments.manage_roadmap": frozenset({GS}),
    "assessments.view_questionnaires": frozenset({GS, RS, FR}),
    "assessments.manage_questionnaires": frozenset({GS}),
    "assessments.view_campaigns": frozenset({GS, RS, FR}),
    "assessments.manage_campaigns": frozenset({GS, RS}),
    "assessments.review": frozenset({GS, RS}),
    # A city contact answers their own city's assessment (the contact linked to their
    # account); a colleague answers the one section assigned to them (an object grant).
    "assessments.answer": frozenset({CC}),
    "assessments.view_benchmarks": frozenset({GS, RS, FR}),
    "assessments.view_global_benchmark": frozenset({GS}),
    # Case studies for the Urban Transformation Hub: everyone reads those ready for it; the
    # secretariat keeps them; a city contact writes their own city's drafts.
    "assessments.view_case_studies": EVERYONE,
    "assessments.manage_case_studies": frozenset({GS, RS}),
    "assessments.write_own_case_study": frozenset({CC}),
    # Experts: the secretariat recruits, interviews and vets them; a Forum reviewer reads
    # them and decides on conflicts of interest and vetting (through approvals).
    "experts.view": frozenset({GS, RS, FR}),
    "experts.edit": frozenset({GS, RS}),
    "experts.decide_conflicts": frozenset({GS, RS, FR}),
    # The directory (Urban Transformation Hub): what experts mark public, for the region.
    "experts.view_directory": EVERYONE,
    # An expert's own pages: their Terms of Reference, groups, sessions and profile.
    "experts.own_record": frozenset({EX}),
    # Terms of Reference: the Global Secretariat keeps the global text, a region its own.
    "experts.manage_terms": frozenset({GS, RS}),
    "experts.view_stakeholders": frozenset({GS, RS, FR}),
    "experts.manage_stakeholders": frozenset({GS, RS}),
    "experts.view_groups": frozenset({GS, RS, FR}),
    # A group's lead manages that group only (an object grant, written down as a delegation).
    "experts.manage_groups": frozenset({GS, RS}),
    "experts.view_board": frozenset({GS, RS, FR}),
    "experts.manage_board": frozenset({GS, RS}),
    # Events and meetings: the secretariat plans and runs them, a Forum reviewer reads them
    # (and checks agendas through approvals); a meeting series' delegate runs that series
    # only (an object grant, written down as a delegation).
    "events.view": frozenset({GS, RS, FR}),
    "events.manage": frozenset({GS, RS}),
    "events.manage_settings": frozenset({GS, RS}),
    # City contacts and experts see the events they are invited to and answer them.
    "events.view_own": frozenset({CC, EX}),
    "events.rsvp": frozenset({CC, EX}),
    # Implementation support: the secretariat keeps workplan templates and every workplan; a
    # city contact edits their own city's workplans; an expert comments on the workplans
    # they advise (the advisor is checked on the workplan).
    "events.view_workplans": frozenset({GS, RS, FR}),
    "events.manage_workplans": frozenset({GS, RS}),
    "events.edit_own_workplans": frozenset({CC}),
    "events.advise_workplans": frozenset({EX}),
    "events.manage_support": frozenset({GS, RS}),
}

# Object-level grants that stand in for an action on one object (guardian codenames).
OBJECT_GRANTS: dict[str, str] = {
    "alliance.decide_approval": "alliance.decide_approvalrequest",
    "assessments.answer": "assessments.answer_section",
    "experts.manage_groups": "experts.manage_group",
    "events.manage": "events.manage_series",
}

# Who may invite which roles. A forum_reviewer invitation also needs Global Secretariat approval.
INVITABLE_ROLES: dict[str, frozenset[str]] = {
    GS: frozenset(Role),
    RS: frozenset({RS, FR, CC, EX}),
}

MFA_REQUIRED_ROLES = frozenset({GS, RS, FR})
IDLE_LIMITED_ROLES = MFA_REQUIRED_ROLES
GLOBAL_ROLES = frozenset({GS, FR})


def roles_of(user, region: Region | None) -> frozenset[str]:
    """The user's roles in a region: its own memberships there plus any cross-region roles.

    With region None, only cross-region roles count (the /global/ pages)."""
    if not user.is_authenticated:
        return frozenset()
    cache = user.__dict__.setdefault("_roles_cache", {})
    key = region.pk if region else None
    if key not in cache:
        memberships = _memberships(user)
        cache[key] = frozenset(
            m.role for m in memberships if m.region_id is None or (region and m.region_id == key)
        )
    return cache[key]


def _memberships(user) -> list[Membership]:
    if "_memberships" not in user.__dict__:
        user.__dict__["_memberships"] = list(
            Membership.objects.filter(user=user).select_related("region")
        )
    return user.__dict__["_memberships"]


def regions_of(user) -> list[Region]:
    """Regions the user may enter: all of them for cross-region roles and superusers."""
    if not user.is_authenticated:
        return []
    memberships = _memberships(user)
    if user.is_superuser or any(m.region_id is None for m in memberships):
        return list(Region.objects.all())
    seen = {m.region_id: m.region for m in memberships}
    return sorted(seen.values(), key=lambda r: r.name)


def can(user, action: str, *, region: Region | None, obj=None) -> bool:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if roles_of(user, region) & ACTIONS[action]:
        return True
    grant = OBJECT_GRANTS.get(action)
    return bool(obj is not None and grant and has_grant(user, grant, obj))


def may_enter_region(user, region: Region) -> bool:
    return can(user, "alliance.view_region", region=region)


def is_member_of(user, region: Region) -> bool:
    """A membership in this very region (cross-region roles and superusers visit it)."""
    return user.is_authenticated and any(m.region_id == region.pk for m in _memberships(user))


def may_enter_global(user) -> bool:
    """The /global/ pages: the Global Secretariat and cross-region reviewers."""
    return can(user, "alliance.view_global", region=None)


def require(user, action: str, *, region: Region | None, obj=None) -> None:
    if not can(user, action, region=region, obj=obj):
        raise PermissionDenied(_("Your role does not allow this here."))


def grant(user, perm: str, obj) -> None:
    assign_perm(perm, user, obj)


def revoke(user, perm: str, obj) -> None:
    remove_perm(perm, user, obj)


def has_grant(user, perm: str, obj) -> bool:
    """A grant to this very user on `obj` (the portal grants nothing to groups, so their
    permissions are not read)."""
    if not user.is_authenticated:
        return False
    return perm.split(".", 1)[1] in get_user_perms(user, obj)


def all_roles(user) -> frozenset[str]:
    """Every role the user holds anywhere (for rules such as MFA that follow the person)."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(m.role for m in _memberships(user))


def invitable_roles(user, region: Region | None) -> frozenset[str]:
    if user.is_superuser:
        return frozenset(Role)
    return frozenset().union(*(INVITABLE_ROLES.get(r, ()) for r in roles_of(user, region)))
