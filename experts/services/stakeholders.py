"""Key stakeholders other than cities (playbook, Preparation step 3, task 3): record them, say
how each will be involved and how they are reached, and follow them from identified to
approached to involved (or not). Approaching a national government official or a Forum
Partner waits for a Forum reviewer's engagement clearance (`stakeholder_clearance`), as
approaching such a contact at a city does (playbook, Preparation step 4, task 2)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.models import ApprovalRequest
from alliance.services import audit
from alliance.services.approvals import is_approved, request_approval
from alliance.services.changes import locked, save_changes

from ..models import Stakeholder, StakeholderKind, StakeholderStatus

Status = StakeholderStatus
# The approval kind a Forum reviewer decides (registered by experts.wiring.people).
STAKEHOLDER_CLEARANCE = "stakeholder_clearance"
FIELDS = ("kind", "name", "organization", "contact_name", "contact_email", "involvement",
          "involvement_note", "channel", "is_national_government", "owner", "notes")
# Which status may follow which. If a status is added to StakeholderStatus, add it here.
MOVES: dict[str, frozenset[str]] = {
    Status.IDENTIFIED: frozenset({Status.APPROACHED, Status.NOT_INVOLVED}),
    Status.APPROACHED: frozenset({Status.INVOLVED, Status.NOT_INVOLVED}),
    Status.INVOLVED: frozenset({Status.NOT_INVOLVED}),
    # A stakeholder who said no can be considered again later.
    Status.NOT_INVOLVED: frozenset({Status.IDENTIFIED}),
}
ORDER = [Status.IDENTIFIED, Status.APPROACHED, Status.INVOLVED, Status.NOT_INVOLVED]


def stakeholders_in(region, *, q: str = "", kind: str = "", status: str = ""):
    """The region's stakeholders as the list and the API read them (owner selected),
    searched by name, organization or contact and filtered in SQL."""
    rows = Stakeholder.objects.filter(region=region).select_related("owner")
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(organization__icontains=q)
                           | Q(contact_name__icontains=q))
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("name", "id")


def allowed_moves(status: str) -> list[str]:
    return [s for s in ORDER if s in MOVES.get(status, ())]


def create_stakeholder(*, actor, region, name: str, kind: str, **fields) -> Stakeholder:
    permissions.require(actor, "experts.manage_stakeholders", region=region)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be set here: %(names)s")
                          % {"names": ", ".join(sorted(unknown))})
    if not name.strip():
        raise DomainError(_("Give the stakeholder's name."), field="name")
    if kind not in StakeholderKind.values:
        raise DomainError(_("Choose a kind of stakeholder."), field="kind")
    with transaction.atomic():
        stakeholder = Stakeholder.objects.create(region=region, name=name.strip(), kind=kind,
                                                 **fields)
        audit.record(actor=actor, action="experts.stakeholder.created", target=stakeholder,
                     region=region, name=stakeholder.name, kind=kind)
    return stakeholder


def update_stakeholder(*, actor, stakeholder: Stakeholder, **changes) -> Stakeholder:
    """Change what is recorded (not the status: `move_status`); what differs is saved and
    audited with its old and new value."""
    permissions.require(actor, "experts.manage_stakeholders", region=stakeholder.region)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise DomainError(_("Give the stakeholder's name."), field="name")
    with transaction.atomic():
        stakeholder, _changed = save_changes(
            actor=actor, obj=stakeholder, changes=changes, editable=FIELDS,
            action="experts.stakeholder.updated", related=("region",))
    return stakeholder


# -- the clearance gate -------------------------------------------------------------------------

def clearance_requests(stakeholder: Stakeholder):
    """The clearance requests about the stakeholder, newest first."""
    return (ApprovalRequest.objects
            .filter(content_type=ContentType.objects.get_for_model(Stakeholder),
                    object_id=stakeholder.pk, kind=STAKEHOLDER_CLEARANCE)
            .select_related("decided_by").order_by("-requested_at", "-id"))


def approach_refusal(stakeholder: Stakeholder) -> str | None:
    """Why the stakeholder may not be approached yet, or None."""
    if stakeholder.needs_clearance and not is_approved(stakeholder, kind=STAKEHOLDER_CLEARANCE):
        return clearance_needed(stakeholder)
    return None


def clearance_needed(stakeholder: Stakeholder) -> str:
    if stakeholder.kind == StakeholderKind.FORUM_PARTNER:
        return (_("%(name)s is a Forum Partner: a Forum reviewer must clear the approach "
                  "(engagement clearance) before they are approached.")
                % {"name": stakeholder.name})
    return (_("%(name)s is a national government official: a Forum reviewer must clear the "
              "approach (engagement clearance) before they are approached.")
            % {"name": stakeholder.name})


def request_clearance(*, actor, stakeholder: Stakeholder) -> ApprovalRequest:
    """Ask the Forum reviewers to clear approaching a national government official or a Forum
    Partner (the channel may also need the Partner's Primary Engagement Manager). A request
    still pending is the one returned."""
    permissions.require(actor, "experts.manage_stakeholders", region=stakeholder.region)
    with transaction.atomic():
        # Lock first: the kind and the government flag decide whether clearance is needed.
        stakeholder = locked(stakeholder, "region")
        if not stakeholder.needs_clearance:
            raise DomainError(_("%(name)s needs no engagement clearance: only national "
                                "government officials and Forum Partners do.")
                              % {"name": stakeholder.name})
        if is_approved(stakeholder, kind=STAKEHOLDER_CLEARANCE):
            raise DomainError(_("Approaching %(name)s is already cleared.")
                              % {"name": stakeholder.name})
        why = ("forum_partner" if stakeholder.kind == StakeholderKind.FORUM_PARTNER
               else "national_government")
        approval = request_approval(
            actor=actor, target=stakeholder, kind=STAKEHOLDER_CLEARANCE,
            region=stakeholder.region,
            title_values={"name": stakeholder.name, "why": why})
        audit.record(actor=actor, action="experts.stakeholder.clearance_requested",
                     target=stakeholder, region=stakeholder.region, name=stakeholder.name,
                     approval=approval.pk)
    return approval


def on_clearance_decided(*, approval: ApprovalRequest, actor) -> None:
    """Runs in the decision's transaction: the stakeholder's history shows the decision."""
    stakeholder = Stakeholder._base_manager.get(pk=approval.object_id)
    audit.record(actor=actor, action="experts.stakeholder.clearance_decided",
                 target=stakeholder, region=approval.region, name=stakeholder.name,
                 decision=approval.state, comment=approval.comment)


# -- status -------------------------------------------------------------------------------------

def move_status(*, actor, stakeholder: Stakeholder, to: str, note: str = "") -> Stakeholder:
    """identified -> approached (after the clearance when one is needed) -> involved or not
    involved; a stakeholder not involved can be identified again."""
    permissions.require(actor, "experts.manage_stakeholders", region=stakeholder.region)
    if to not in Status.values:
        raise InvalidTransition(_("“%(status)s” is not a status.") % {"status": to},
                                field="status")
    with transaction.atomic():
        stakeholder = locked(stakeholder, "region")
        current = stakeholder.status
        if to == current:
            raise InvalidTransition(_("%(name)s is already “%(status)s”.")
                                    % {"name": stakeholder.name, "status": Status(to).label},
                                    field="status")
        if to not in MOVES[current]:
            allowed = ", ".join(str(Status(s).label) for s in allowed_moves(current))
            raise InvalidTransition(
                _("A stakeholder who is “%(current)s” cannot become “%(to)s”. They can "
                  "become: %(allowed)s.") % {"current": Status(current).label,
                                             "to": Status(to).label, "allowed": allowed},
                field="status")
        if to == Status.APPROACHED and (reason := approach_refusal(stakeholder)):
            raise InvalidTransition(reason, field="status")
        stakeholder.status = to
        stakeholder.save(update_fields=["status"])
        audit.record(actor=actor, action="experts.stakeholder.status_changed",
                     target=stakeholder, region=stakeholder.region, old=current, new=to,
                     note=note.strip())
    return stakeholder
