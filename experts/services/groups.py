"""Working groups (playbook, Operation: Working Group; Expansion step 4): a region's groups of
experts and city contacts on a theme or a model policy, meeting once or twice a year.

The secretariat (experts.manage_groups) creates groups and names their lead. Naming a lead
writes a delegation (alliance.services.delegations: role, scope, start, review date) that
grants the lead the object permission `experts.manage_group` on that group: through
permissions.OBJECT_GRANTS the lead then manages that group's members and sessions, and no
other group's. Changing the lead ends the old delegation first."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.models import Delegation, Role
from alliance.services import audit, delegations
from alliance.services.changes import locked, save_locked
from alliance.services.notifications import in_language_of, notify
from assessments.models import ModelPolicy

from ..models import Cadence, Expert, GroupMember, GroupSession, WorkingGroup
from ..stages import WORKING

MANAGE, VIEW = "experts.manage_groups", "experts.view_groups"
GRANT = "experts.manage_group"
EDITABLE = ("name", "theme", "model_policy", "purpose", "cadence")
SESSION_EDITABLE = ("title", "starts_at", "location", "notes")
# How long a lead's delegation runs before the secretariat reviews it, unless they say.
REVIEW_AFTER = datetime.timedelta(days=182)


def lead_role() -> str:
    return _("Working group lead")


def default_scope(group: WorkingGroup | None = None) -> str:
    return _("Manage the group's members and sessions, and report on its progress at the "
             "update meetings.")


def default_review_on(start: datetime.date | None = None) -> datetime.date:
    return (start or timezone.localdate()) + REVIEW_AFTER


# -- who may do what ------------------------------------------------------------------------

def manages_groups(user, region) -> bool:
    """The secretariat: every group of the region, their leads included."""
    return permissions.can(user, MANAGE, region=region)


def may_manage(user, group: WorkingGroup) -> bool:
    """The secretariat, or the group's lead (their delegation's object permission)."""
    return permissions.can(user, MANAGE, region=group.region, obj=group)


def may_view(user, group: WorkingGroup) -> bool:
    return permissions.can(user, VIEW, region=group.region) or may_manage(user, group)


def _require_manage(actor, group: WorkingGroup) -> None:
    if not may_manage(actor, group):
        raise PermissionDenied(_("Only the secretariat and the group's lead manage this group."))


# -- reads ----------------------------------------------------------------------------------

def adopted_policies():
    """The model policies a group may work on: the adopted ones of the Policy Roadmap."""
    return ModelPolicy.objects.filter(status=ModelPolicy.Status.ADOPTED).order_by("title")


def lead_choices(region):
    """Who may lead a group: the region's secretariat, the Global Secretariat, and the
    region's experts and city contacts with an account (the playbook prefers handing
    modules to members, cities first)."""
    return (get_user_model().objects.filter(
        Q(memberships__region=region, memberships__role__in=[
            Role.REGIONAL_SECRETARIAT, Role.EXPERT, Role.CITY_CONTACT])
        | Q(memberships__region=None, memberships__role=Role.GLOBAL_SECRETARIAT))
        .filter(is_active=True).distinct().order_by("full_name", "email"))


def member_experts(region):
    """Experts who can join a group: those working with the region (confirmed or active:
    they accepted the Terms of Reference and its confidentiality)."""
    return Expert.objects.filter(region=region, stage__in=WORKING).order_by("name")


def group_rows(region):
    """The region's groups with what the list shows: the lead, the model policy, how many
    current members, the next session, the lead's review date (subqueries: members and
    sessions are not joined)."""
    return (WorkingGroup.objects.filter(region=region, is_archived=False)
            .select_related("lead", "model_policy")
            .only("name", "theme", "cadence", "lead__full_name", "lead__email",
                  "model_policy__title", "model_policy__translations")
            .annotate(member_count=member_count(), next_session=_next_session(),
                      review_on=_lead_review_on())
            .order_by("name", "id"))


def member_count():
    """A group's current members, as an expression to annotate groups with."""
    members = (GroupMember.objects.filter(group=OuterRef("pk"), left_on=None).order_by()
               .values("group").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(members), 0)


def _lead_review_on():
    """When the lead's running delegation is due for review."""
    return Subquery(Delegation.objects.filter(
        content_type=ContentType.objects.get_for_model(WorkingGroup), object_id=OuterRef("pk"),
        permission=GRANT, ended_on=None).order_by("-starts_on").values("review_on")[:1])


def _next_session():
    return Subquery(GroupSession.objects.filter(group=OuterRef("pk"),
                                                starts_at__gte=timezone.now())
                    .order_by("starts_at").values("starts_at")[:1])


def led_by(user, region):
    """The groups of the region this person leads (a running delegation)."""
    return WorkingGroup.objects.filter(region=region, lead=user).order_by("name")


def groups_of_expert(expert: Expert):
    """The groups an expert is a current member of, with their next session."""
    return (WorkingGroup.objects.filter(region=expert.region).filter(
        Exists(GroupMember.objects.filter(group=OuterRef("pk"), expert=expert, left_on=None)))
        .annotate(next_session=_next_session()).order_by("name"))


def current_members(group: WorkingGroup):
    """Current members, experts first then city contacts, each with their name's row."""
    return (GroupMember.objects.filter(region=group.region, group=group, left_on=None)
            .select_related("expert", "contact__city")
            .only("joined_on", "expert__name", "expert__organization", "contact__name",
                  "contact__city__name")
            .order_by(F("contact_id").asc(nulls_first=True), "expert__name", "contact__name",
                      "id"))


# -- groups ---------------------------------------------------------------------------------

def _refuse_model_policy(model_policy) -> None:
    if model_policy is not None and model_policy.status != ModelPolicy.Status.ADOPTED:
        raise DomainError(_("Choose an adopted model policy of the Policy Roadmap."),
                          field="model_policy")


def _refuse_cadence(cadence: str) -> None:
    if cadence not in Cadence.values:
        raise DomainError(_("Choose how often the group meets."), field="cadence")


def _refuse_taken_name(region, name: str, *, exclude: int | None = None) -> None:
    taken = WorkingGroup.objects.filter(region=region, name__iexact=name)
    if exclude:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise DomainError(_("The region already has a group with this name."), field="name")


def _refuse_lead(region, lead) -> None:
    if lead is not None and not lead_choices(region).filter(pk=lead.pk).exists():
        raise DomainError(_("The lead must be a member of the region's secretariat, or an "
                            "expert or city contact with an account in the region."),
                          field="lead")


def create_group(*, actor, region, name: str, theme: str = "", model_policy=None,
                 purpose: str = "", cadence: str = Cadence.TWICE_YEARLY, lead=None,
                 lead_scope: str = "", lead_review_on: datetime.date | None = None) -> WorkingGroup:
    permissions.require(actor, MANAGE, region=region)
    name = name.strip()
    if not name:
        raise DomainError(_("Name the group."), field="name")
    _refuse_model_policy(model_policy)
    _refuse_cadence(cadence)
    _refuse_lead(region, lead)
    with transaction.atomic():
        _refuse_taken_name(region, name)
        group = WorkingGroup.objects.create(
            region=region, name=name, theme=theme.strip(), model_policy=model_policy,
            purpose=purpose.strip(), cadence=cadence)
        audit.record(actor=actor, action="experts.group.created", target=group, region=region,
                     name=name)
        if lead is not None:
            _hand_to(actor, group, lead, scope=lead_scope, review_on=lead_review_on)
    return group


def update_group(*, actor, group: WorkingGroup, lead=..., lead_scope: str | None = None,
                 lead_review_on: datetime.date | None = None, **changes) -> WorkingGroup:
    """Change what the group is; with `lead`, hand it to another lead (None: no lead), or,
    the lead staying, change their delegation's scope or review date."""
    permissions.require(actor, MANAGE, region=group.region)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        if not changes["name"]:
            raise DomainError(_("Name the group."), field="name")
    _refuse_model_policy(changes.get("model_policy"))
    _refuse_cadence(changes.get("cadence", Cadence.TWICE_YEARLY))
    if lead is not ...:
        _refuse_lead(group.region, lead)
    with transaction.atomic():
        row = locked(group, "region")
        if "name" in changes:
            _refuse_taken_name(row.region, changes["name"], exclude=row.pk)
        for text in ("theme", "purpose"):
            if text in changes:
                changes[text] = changes[text].strip()
        save_locked(actor=actor, row=row, changes=changes, editable=EDITABLE,
                    action="experts.group.changed")
        if lead is not ... and lead != row.lead:
            _change_lead(actor, row, lead, scope=lead_scope, review_on=lead_review_on)
        elif row.lead_id is not None and (lead_scope is not None or lead_review_on):
            current = delegations.current_delegation(row, GRANT)
            if current is not None:
                current.target = row
                delegation_changes = {}
                if lead_scope is not None:
                    delegation_changes["scope"] = lead_scope
                if lead_review_on:
                    delegation_changes["review_on"] = lead_review_on
                delegations.update_delegation(actor=actor, delegation=current,
                                              **delegation_changes)
    return row


def _change_lead(actor, group: WorkingGroup, lead, *, scope, review_on) -> None:
    """On a locked group: end the old lead's delegation, hand it to the new one."""
    current = delegations.current_delegation(group, GRANT)
    if current is not None:
        current.target = group
        delegations.end_delegation(actor=actor, delegation=current)
    old = group.lead
    group.lead = None
    group.save(update_fields=["lead"])
    if lead is None:
        audit.record(actor=actor, action="experts.group.lead_removed", target=group,
                     region=group.region, old=str(old) if old else "")
        return
    _hand_to(actor, group, lead, scope=scope, review_on=review_on)


def _hand_to(actor, group: WorkingGroup, lead, *, scope, review_on) -> None:
    """On a group locked by the caller, or created in its transaction (no one else sees it)."""
    delegation = delegations.delegate(
        actor=actor, target=group, delegate=lead, permission=GRANT, role=lead_role(),
        scope=scope if scope and scope.strip() else default_scope(group),
        review_on=review_on or default_review_on(), action=MANAGE, target_locked=True)
    group.lead = lead
    group.save(update_fields=["lead"])
    audit.record(actor=actor, action="experts.group.lead_set", target=group,
                 region=group.region, new=str(lead))
    _tell_lead(group, delegation)


def _tell_lead(group: WorkingGroup, delegation) -> None:
    page = reverse("group-detail", kwargs={"region_slug": group.region.slug,
                                           "working_group_id": group.pk})
    with in_language_of(delegation.delegate, group.region):
        subject = _("You lead the working group “%(name)s”") % {"name": group.name}
        body = _("You now manage the members and sessions of the working group "
                 "“%(name)s”. Scope: %(scope)s\nThe secretariat reviews the role on "
                 "%(review)s; write update notes on the group's page meanwhile.") % {
            "name": group.name, "scope": delegation.scope,
            "review": delegation.review_on.isoformat()}
    notify(recipient=delegation.delegate, key=f"delegation:{delegation.pk}:granted",
           subject=subject, body=body, url=page, region=group.region)


# -- members --------------------------------------------------------------------------------

def add_member(*, actor, group: WorkingGroup, expert: Expert | None = None,
               contact=None) -> GroupMember:
    """Add an expert working with the region, or a city contact of the region."""
    _require_manage(actor, group)
    if (expert is None) == (contact is None):
        raise DomainError(_("Choose an expert or a city contact."))
    if expert is not None and (expert.region_id != group.region_id
                               or expert.stage not in WORKING):
        raise DomainError(_("Only experts who are confirmed or active join a working group "
                            "(they accepted the Terms of Reference)."), field="expert")
    if contact is not None and contact.region_id != group.region_id:
        raise DomainError(_("Choose a city contact of this region."), field="contact")
    with transaction.atomic():
        row = locked(group)
        already = GroupMember.objects.filter(group=row, left_on=None)
        already = already.filter(expert=expert) if expert else already.filter(contact=contact)
        if already.exists():
            raise DomainError(_("%(name)s is already a member.") % {
                "name": expert or contact.name}, field="expert" if expert else "contact")
        member = GroupMember.objects.create(region=row.region, group=row, expert=expert,
                                            contact=contact)
        audit.record(actor=actor, action="experts.group.member_added", target=row,
                     region=row.region, name=str(expert or contact.name))
    return member


def remove_member(*, actor, member: GroupMember) -> GroupMember:
    """The member leaves today (the row stays: who was in the group, and until when)."""
    _require_manage(actor, member.group)
    with transaction.atomic():
        row = locked(member, "expert", "contact")
        if row.left_on is not None:
            raise InvalidTransition(_("This person already left the group."))
        row.left_on = max(timezone.localdate(), row.joined_on)
        row.save(update_fields=["left_on"])
        audit.record(actor=actor, action="experts.group.member_removed", target=member.group,
                     region=row.region, name=str(row.expert or row.contact.name))
    return row


# -- sessions -------------------------------------------------------------------------------

def create_session(*, actor, group: WorkingGroup, title: str, starts_at,
                   location: str = "", notes: str = "") -> GroupSession:
    _require_manage(actor, group)
    if not title.strip():
        raise DomainError(_("Give the session a title."), field="title")
    with transaction.atomic():
        session = GroupSession.objects.create(
            region=group.region, group=group, title=title.strip(), starts_at=starts_at,
            location=location.strip(), notes=notes.strip())
        audit.record(actor=actor, action="experts.group.session_added", target=group,
                     region=group.region, title=session.title,
                     starts_at=starts_at.isoformat())
    return session


def update_session(*, actor, session: GroupSession, **changes) -> GroupSession:
    _require_manage(actor, session.group)
    if "title" in changes:
        changes["title"] = changes["title"].strip()
        if not changes["title"]:
            raise DomainError(_("Give the session a title."), field="title")
    for text in ("location", "notes"):
        if text in changes:
            changes[text] = changes[text].strip()
    with transaction.atomic():
        row = locked(session)
        save_locked(actor=actor, row=row, changes=changes, editable=SESSION_EDITABLE,
                    action="experts.group.session_changed", target=session.group,
                    session=row.title)
    return row


def delete_session(*, actor, session: GroupSession) -> None:
    _require_manage(actor, session.group)
    with transaction.atomic():
        row = locked(session)
        audit.record(actor=actor, action="experts.group.session_deleted", target=session.group,
                     region=row.region, title=row.title, starts_at=row.starts_at.isoformat())
        row.delete()
