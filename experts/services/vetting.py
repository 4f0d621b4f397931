"""Vetting (partnership rules, playbook Preparation step 3 task 3): a private-sector expert or
a Forum Partner is invited only once a Forum reviewer approved an expert_vetting request, and
approaching a Forum Partner also needs an engagement clearance (expert_clearance), as for
cities. Other experts are marked vetted by the secretariat with the stage control."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance import approvals as approval_kinds
from alliance import permissions
from alliance.errors import DomainError
from alliance.models import ApprovalRequest, Role
from alliance.services import audit
from alliance.services.approvals import request_approval
from alliance.services.changes import locked
from alliance.tenancy import region_scope

from ..models import ConflictCheck, Expert, Interview, RedFlag, Stage
from . import pipeline
from .pipeline import EXPERT_CLEARANCE, EXPERT_VETTING

ApprovalState = ApprovalRequest.State


@dataclass(frozen=True)
class Gate:
    """Where one approval of an expert stands: needed or not, and its latest request."""

    needed: bool
    request: ApprovalRequest | None

    @property
    def state(self) -> str:
        """"" (never asked), or the latest request's state."""
        return self.request.state if self.request else ""

    @property
    def approved(self) -> bool:
        return self.state == ApprovalState.APPROVED

    @property
    def pending(self) -> bool:
        return self.state == ApprovalState.PENDING


def gates_of(expert: Expert) -> tuple[Gate, Gate]:
    """The vetting and the clearance gates of the expert, in one query (none when neither is
    needed). An approved request stands even when a later one was refused."""
    kinds = {EXPERT_VETTING: expert.needs_vetting_approval,
             EXPERT_CLEARANCE: expert.is_forum_partner}
    wanted = [kind for kind, needed in kinds.items() if needed]
    requests = []
    if wanted:
        requests = list(ApprovalRequest.objects.filter(
            content_type=ContentType.objects.get_for_model(Expert), object_id=expert.pk,
            kind__in=wanted).select_related("decided_by").order_by("-requested_at", "-pk"))
    return tuple(_gate(kinds[kind], [r for r in requests if r.kind == kind])
                 for kind in (EXPERT_VETTING, EXPERT_CLEARANCE))


def _gate(needed: bool, requests: list) -> Gate:
    if not needed:
        return Gate(False, None)
    approved = next((r for r in requests if r.state == ApprovalState.APPROVED), None)
    return Gate(True, approved or (requests[0] if requests else None))


def approved_kinds(*gates: Gate) -> frozenset[str]:
    """The kinds the gates hold approved (for pipeline.invite_refusal)."""
    return frozenset(gate.request.kind for gate in gates if gate.approved)


def move_stage(*, actor, expert: Expert, to: str, note: str = "") -> Expert:
    """The stage control's move (pipeline.move_stage), with the vetting gate: an expert a
    Forum reviewer must vet reaches "vetted" only through the reviewer's approval."""
    if to == Stage.VETTED:
        vetting, _clearance = gates_of(expert)
        if vetting.needed and not vetting.approved:
            raise DomainError(_("A Forum reviewer vets a private-sector expert or a Forum "
                                "Partner: ask for the vetting instead."), field="stage")
    return pipeline.move_stage(actor=actor, expert=expert, to=to, note=note)


def request_vetting(*, actor, expert: Expert) -> ApprovalRequest:
    """Ask a Forum reviewer to vet an interviewed private-sector expert or Forum Partner."""
    permissions.require(actor, "experts.edit", region=expert.region)
    with transaction.atomic():
        expert = locked(expert, "region")
        if not expert.needs_vetting_approval:
            raise DomainError(_("%(name)s needs no Forum review: once interviewed, mark them "
                                "vetted with the stage control.") % {"name": expert.name},
                              field="stage")
        if expert.stage not in (Stage.INTERVIEWED, Stage.VETTED):
            raise DomainError(_("Record the interview first: a Forum reviewer vets an "
                                "interviewed expert."), field="stage")
        vetting, _clearance = gates_of(expert)
        if vetting.approved:
            raise DomainError(_("A Forum reviewer already approved %(name)s.")
                              % {"name": expert.name}, field="stage")
        approval = request_approval(
            actor=actor, target=expert, kind=EXPERT_VETTING, region=expert.region,
            title_values={"expert": expert.name, "organization": expert.organization})
        audit.record(actor=actor, action="experts.vetting.requested", target=expert,
                     region=expert.region, approval=approval.pk)
    return approval


def request_clearance(*, actor, expert: Expert) -> ApprovalRequest:
    """Ask a Forum reviewer to clear approaching a Forum Partner's expert."""
    permissions.require(actor, "experts.edit", region=expert.region)
    with transaction.atomic():
        expert = locked(expert, "region")
        if not expert.is_forum_partner:
            raise DomainError(_("%(name)s is not a Forum Partner: no engagement clearance is "
                                "needed.") % {"name": expert.name}, field="stage")
        _vetting, clearance = gates_of(expert)
        if clearance.approved:
            raise DomainError(_("Approaching %(name)s is already cleared.")
                              % {"name": expert.name}, field="stage")
        approval = request_approval(
            actor=actor, target=expert, kind=EXPERT_CLEARANCE, region=expert.region,
            title_values={"expert": expert.name, "organization": expert.organization})
        audit.record(actor=actor, action="experts.clearance.requested", target=expert,
                     region=expert.region, approval=approval.pk)
    return approval


def _expert_of(approval: ApprovalRequest) -> Expert:
    """The expert the request is about, read once per request object (the decision page asks
    for its link and its subject)."""
    expert = getattr(approval, "_expert", None)
    if expert is None or expert.pk != approval.object_id:
        expert = Expert._base_manager.select_related("region").get(pk=approval.object_id)
        approval._expert = expert
    return expert


def _on_vetting_decided(*, approval: ApprovalRequest, actor) -> None:
    """Approved: an interviewed expert is vetted (the decision's transaction)."""
    expert = _expert_of(approval)
    with region_scope(expert.region):
        expert = locked(expert, "region")
        audit.record(actor=actor, action="experts.vetting.decided", target=expert,
                     region=expert.region, decision=approval.state, comment=approval.comment)
        if approval.state == ApprovalState.APPROVED and expert.stage == Stage.INTERVIEWED:
            pipeline._move(actor=actor, expert=expert, to=Stage.VETTED,
                           note=_("Vetting approved by a Forum reviewer."))


def _on_clearance_decided(*, approval: ApprovalRequest, actor) -> None:
    expert = _expert_of(approval)
    with region_scope(expert.region):
        audit.record(actor=actor, action="experts.clearance.decided", target=expert,
                     region=expert.region, decision=approval.state, comment=approval.comment)


def subject_context(approval: ApprovalRequest) -> dict:
    """What the reviewer reads on the decision page: the expert, their latest interview with
    its red flags, and the conflict-of-interest decisions."""
    from . import conflicts

    expert = _expert_of(approval)
    with region_scope(expert.region):
        interview = (Interview.objects.filter(expert=expert).select_related("interviewer")
                     .prefetch_related("principles").first())
        ties, stale = conflicts.ties_with_decisions(expert)
        checks = list(ConflictCheck.objects.filter(expert=expert))
    return {"expert": expert, "interview": interview, "flags": flag_lines(interview),
            "ties": ties, "undecided": conflicts.undecided(ties), "stale_checks": stale,
            "check_count": len(checks),
            "expert_url": _expert_url(expert)}


def flag_lines(interview: Interview | None) -> list[dict]:
    """The checklist of an interview, each flag with its label, raised or not, and note."""
    if interview is None:
        return []
    flags = interview.red_flags or {}
    return [{"code": code, "label": label, "raised": bool(flags.get(code, {}).get("raised")),
             "note": flags.get(code, {}).get("note", "")} for code, label in RedFlag.choices]


def _expert_url(expert: Expert) -> str:
    return reverse("expert-detail", kwargs={"region_slug": expert.region.slug,
                                            "expert_id": expert.pk})


VETTING_KIND = approval_kinds.ApprovalKind(
    code=EXPERT_VETTING, label=gettext_lazy("Expert vetting"), route_role=Role.FORUM_REVIEWER,
    on_decided=_on_vetting_decided,
    target_url=lambda approval: _expert_url(_expert_of(approval)),
    subject_template="experts/_expert_approval.html", subject_context=subject_context,
    asked=gettext_lazy("%(actor)s asked a Forum reviewer to vet an expert: %(summary)s"),
    title=gettext_lazy("Vet %(expert)s (%(organization)s)"))
CLEARANCE_KIND = approval_kinds.ApprovalKind(
    code=EXPERT_CLEARANCE, label=gettext_lazy("Engagement clearance for an expert"),
    route_role=Role.FORUM_REVIEWER, on_decided=_on_clearance_decided,
    target_url=lambda approval: _expert_url(_expert_of(approval)),
    subject_template="experts/_expert_approval.html", subject_context=subject_context,
    asked=gettext_lazy("%(actor)s asked for clearance to approach an expert: %(summary)s"),
    title=gettext_lazy("Approach %(expert)s (%(organization)s), a Forum Partner"))
