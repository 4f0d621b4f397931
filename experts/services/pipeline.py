"""Experts and their stages: create, edit, move, and the two gated moves: inviting (after
vetting) and confirming (after the Terms of Reference are accepted)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.models import Invitation, Role
from alliance.services import audit
from alliance.services import invitations as core_invitations
from alliance.services.approvals import is_approved
from alliance.services.changes import locked, save_changes

from .. import stages
from ..models import Expert, ExpertStageChange, Stage

EDITABLE = ("kind", "name", "organization", "title", "sector", "is_forum_partner", "email",
            "languages", "bio", "links", "declared_interests", "public_fields", "channel",
            "owner")
# Approval kinds that gate the invitation (registered by experts.wiring.pipeline).
EXPERT_VETTING = "expert_vetting"
EXPERT_CLEARANCE = "expert_clearance"


def create_expert(*, actor, region, name: str, sector: str, principles=(), model_policies=(),
                  **fields) -> Expert:
    permissions.require(actor, "experts.edit", region=region)
    if not name.strip():
        raise DomainError(_("Give the expert's name."), field="name")
    with transaction.atomic():
        expert = Expert.objects.create(region=region, name=name.strip(), sector=sector,
                                       **fields)
        expert.principles.set(principles)
        expert.model_policies.set(model_policies)
        audit.record(actor=actor, action="experts.expert.created", target=expert,
                     region=region, name=expert.name, stage=expert.stage)
    return expert


def update_expert(*, actor, expert: Expert, principles=None, model_policies=None,
                  **changes) -> Expert:
    """Change the expert's details (not the stage: `move_stage`); only what differs is saved
    and audited with its old and new value."""
    permissions.require(actor, "experts.edit", region=expert.region)
    with transaction.atomic():
        also = {}
        for name, chosen in (("principles", principles), ("model_policies", model_policies)):
            if chosen is not None:
                also.update(_retopic(getattr(expert, name), chosen, name))
        expert, _changed = save_changes(actor=actor, obj=expert, changes=changes,
                                        editable=EDITABLE, action="experts.expert.updated",
                                        also=also)
    return expert


def _retopic(related, chosen, name: str) -> dict:
    """Set the expert's topics of one kind; the change for the audit entry, if any."""
    old = sorted(str(row) for row in related.all())
    related.set(chosen)
    new = sorted(str(row) for row in related.all())
    return {name: {"old": ", ".join(old), "new": ", ".join(new)}} if old != new else {}


def move_stage(*, actor, expert: Expert, to: str, note: str = "") -> Expert:
    """A move the stage control offers; inviting and confirming go through their gates."""
    permissions.require(actor, "experts.edit", region=expert.region)
    if to in stages.GATED:
        raise InvalidTransition(
            _("Use “Invite” to invite an expert; an invited expert is confirmed when they "
              "accept the Terms of Reference."), field="stage")
    with transaction.atomic():
        expert = locked(expert, "region")
        _checked_move(actor=actor, expert=expert, to=to, note=note)
    return expert


def _checked_move(*, actor, expert: Expert, to: str, note: str) -> None:
    reason = stages.refusal(expert.stage, to)
    if reason:
        raise InvalidTransition(reason, field="stage")
    if to in stages.NEEDS_REASON and not note.strip():
        raise InvalidTransition(_("Say why the expert moves to “%(stage)s”.")
                                % {"stage": Stage(to).label}, field="note")
    _move(actor=actor, expert=expert, to=to, note=note)


def _move(*, actor, expert: Expert, to: str, note: str) -> None:
    old = expert.stage
    expert.stage = to
    expert.stage_changed_at = timezone.now()
    expert.save(update_fields=["stage", "stage_changed_at"])
    ExpertStageChange.objects.create(region=expert.region, expert=expert, from_stage=old,
                                     to_stage=to, actor=actor, note=note.strip())
    audit.record(actor=actor, action="experts.expert.stage_changed", target=expert,
                 region=expert.region, old=old, new=to, note=note.strip())


# -- the invitation gate ------------------------------------------------------------------------

def invite_refusal(expert: Expert, *, approved: frozenset[str] | None = None) -> str | None:
    """Why the expert cannot be invited yet, or None. Partnership rules: a private-sector
    expert or a Forum Partner needs an approved expert_vetting request (a Forum reviewer's);
    approaching a Forum Partner also needs an engagement clearance, as for cities.
    `approved`: the approval kinds a page already knows approved (asked here when None)."""

    def cleared(kind: str) -> bool:
        return kind in approved if approved is not None else is_approved(expert, kind=kind)

    if expert.stage != Stage.VETTED:
        return _("Only a vetted expert can be invited.")
    if not expert.email:
        return _("Give the expert's email address first: the invitation is sent there.")
    if expert.needs_vetting_approval and not cleared(EXPERT_VETTING):
        return _("A Forum reviewer must approve the vetting of a private-sector expert or a "
                 "Forum Partner before they are invited.")
    if expert.is_forum_partner and not cleared(EXPERT_CLEARANCE):
        return _("Approaching a Forum Partner needs an engagement clearance first.")
    return None


def invite(*, actor, expert: Expert, note: str = "") -> Invitation:
    """Send the expert an invitation to the portal (role: expert) and move them to invited.
    Once they sign in they read and accept the Terms of Reference, which confirms them."""
    permissions.require(actor, "experts.edit", region=expert.region)
    with transaction.atomic():
        expert = locked(expert, "region")
        reason = invite_refusal(expert)
        if reason:
            raise InvalidTransition(reason, field="stage")
        invitation = core_invitations.invite(actor=actor, email=expert.email,
                                             role=Role.EXPERT, region=expert.region)
        expert.invitation = invitation
        expert.save(update_fields=["invitation"])
        _move(actor=actor, expert=expert, to=Stage.INVITED, note=note)
    return invitation


def confirm(*, actor, expert: Expert) -> Expert:
    """Invited -> confirmed, when the expert accepted the current Terms of Reference (the
    caller, experts.services.terms, checked it in the same transaction)."""
    with transaction.atomic():
        expert = locked(expert, "region")
        if expert.stage == Stage.INVITED:
            _move(actor=actor, expert=expert, to=Stage.CONFIRMED,
                  note=_("Accepted the Terms of Reference."))
    return expert


def link_account(*, expert: Expert, user) -> None:
    """The expert's own account, once they accepted the invitation sent to them."""
    Expert.objects.filter(pk=expert.pk, user__isnull=True).update(user=user)


# -- the expert table -----------------------------------------------------------------------------

TABLE_SORTS = {"name": ("name", "id"), "organization": ("organization", "name", "id"),
               "sector": ("sector", "name", "id"), "stage": ("stage", "name", "id"),
               "owner": ("owner__full_name", "name", "id"),
               "changed": ("stage_changed_at", "id")}


def experts_in(region, *, user=None, q: str = "", stage: str = "", sector: str = "",
               forum_partner: str = "", principle: str = "", owner: str = "",
               sort: str = "name"):
    """The region's experts filtered as the table and the API filter them: `q` matches the
    name or organization (every word), `owner="mine"` those `user` owns, `forum_partner`
    "yes" or "no", `principle` a Principle id; `sort` a TABLE_SORTS key, "-" for the other
    way."""
    from django.db.models import Q

    rows = Expert.objects.filter(region=region)
    for word in q.split():
        rows = rows.filter(Q(name__icontains=word) | Q(organization__icontains=word))
    if stage:
        rows = rows.filter(stage=stage)
    if sector:
        rows = rows.filter(sector=sector)
    if forum_partner in ("yes", "no"):
        rows = rows.filter(is_forum_partner=forum_partner == "yes")
    if principle:
        rows = rows.filter(pk__in=Expert.principles.through.objects
                           .filter(principle_id=principle).values("expert_id"))
    if owner == "mine" and user is not None:
        rows = rows.filter(owner=user)
    descending = sort.startswith("-")
    columns = TABLE_SORTS.get(sort.lstrip("-"), TABLE_SORTS["name"])
    return rows.order_by(*(f"-{c}" if descending else c for c in columns))
