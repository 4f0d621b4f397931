"""Approvals: request, decide, and ask whether an action about an object is cleared."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import approvals, permissions
from ..errors import DomainError, InvalidTransition
from ..models import ApprovalRequest, Membership
from ..tenancy import unscoped
from . import audit
from .notifications import in_language_of, notify

State = ApprovalRequest.State
DECISIONS = (State.APPROVED, State.REJECTED, State.CHANGES_REQUESTED)


def request_approval(*, actor, target, kind: str, summary: str = "",
                     title_values: dict | None = None, region=None) -> ApprovalRequest:
    """Ask for a decision about `target` and tell the people who decide. A pending request of
    the same kind is reused (and nobody is told twice).

    `title_values` fill the kind's title, worded in each reader's language; `summary` (by
    default that title as the requester reads it) is what stands when the kind has none."""
    if kind not in approvals.KINDS:
        raise DomainError(str(approvals.UNKNOWN_KIND), field="kind")
    title_values = title_values or {}
    summary = summary or approvals.title_of(kind, title_values)
    with transaction.atomic():
        # Lock the object first: two people may ask about it at the same moment. The unique
        # constraint on pending requests backs this up where the lock cannot (SQLite).
        type(target)._base_manager.select_for_update().filter(pk=target.pk).first()
        existing = _pending_about(target, kind)
        if existing:
            return existing
        try:
            with transaction.atomic():
                approval = ApprovalRequest.objects.create(
                    region=region, kind=kind, route_role=approvals.KINDS[kind].route_role,
                    content_type=ContentType.objects.get_for_model(target),
                    object_id=target.pk, summary=summary[:300], title_values=title_values,
                    requested_by=actor,
                )
        except IntegrityError:
            return _pending_about(target, kind)
        audit.record(actor=actor, action="alliance.approval.requested", target=approval,
                     region=region, kind=kind, summary=approval.summary,
                     title_values=title_values)
        _notify_deciders(approval)
    return approval


def _pending_about(target, kind: str) -> ApprovalRequest | None:
    with unscoped(reason="one pending request per object, whichever scope asks"):
        return ApprovalRequest.objects.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk,
            kind=kind, state=State.PENDING).first()


def deciders_of(approval: ApprovalRequest) -> list[tuple]:
    """(user, holds the role across regions) for everyone the request is routed to: the
    routed role in the request's region and across regions; never the requester."""
    where = Q(region__isnull=True)
    if approval.region_id:
        where |= Q(region_id=approval.region_id)
    memberships = (Membership.objects.filter(where, role=approval.route_role,
                                             user__is_active=True)
                   .exclude(user_id=approval.requested_by_id)
                   .select_related("user").order_by("user_id", "region_id"))
    seen: dict[int, tuple] = {}
    for membership in memberships:
        user, across = membership.user, membership.region_id is None
        if user.pk not in seen or across:
            seen[user.pk] = (user, across)
    return list(seen.values())


def _notify_deciders(approval: ApprovalRequest) -> None:
    for user, across in deciders_of(approval):
        with in_language_of(user, approval.region):
            subject = _("Your decision is asked: %(kind)s — %(summary)s") % {
                "kind": approval.kind_label, "summary": approval.title}
            body = _("%(person)s asks for your decision.") % {"person": approval.requested_by}
        notify(recipient=user, key=f"approval:{approval.pk}:requested:{user.pk}",
               subject=subject, body=body, region=approval.region,
               # Someone who works across regions decides from /global/, in their own menus.
               url=approval_url(approval, across_regions=across))


def can_decide(user, approval: ApprovalRequest) -> bool:
    """The routed role, the Global Secretariat, or a grant on this one request; never the
    requester (but a platform admin)."""
    region = approval.region
    if approval.requested_by_id == user.pk and not user.is_superuser:
        return False
    if permissions.can(user, "alliance.decide_any_approval", region=region):
        return True
    routed = approval.route_role in permissions.roles_of(user, region)
    if routed and permissions.can(user, "alliance.decide_approval", region=region):
        return True
    return permissions.has_grant(user, permissions.OBJECT_GRANTS["alliance.decide_approval"],
                                 approval)


def decide(*, actor, approval: ApprovalRequest, decision: str, comment: str = ""
           ) -> ApprovalRequest:
    if decision not in DECISIONS:
        raise DomainError(_("Choose approve, reject or request changes."), field="decision")
    if decision != State.APPROVED and not comment.strip():
        raise DomainError(_("Say why, so the requester knows what to change."), field="comment")
    if not can_decide(actor, approval):
        raise PermissionDenied(_("This request is not routed to you."))
    with transaction.atomic():
        # Lock first: two reviewers may open the same request at once.
        approval = ApprovalRequest.objects.select_for_update().get(pk=approval.pk)
        if approval.state != State.PENDING:
            raise InvalidTransition(
                _("This request was already decided (%(state)s).")
                % {"state": approval.get_state_display()}
            )
        approval.state = decision
        approval.comment = comment.strip()
        approval.decided_by = actor
        approval.decided_at = timezone.now()
        approval.save(update_fields=["state", "comment", "decided_by", "decided_at"])
        audit.record(actor=actor, action="alliance.approval.decided", target=approval,
                     region=approval.region, old=State.PENDING, new=decision,
                     comment=approval.comment)
        _notify_requester(approval)
        kind = approvals.KINDS.get(approval.kind)
        if kind and kind.on_decided:
            kind.on_decided(approval=approval, actor=actor)
    return approval


def _notify_requester(approval: ApprovalRequest) -> None:
    with in_language_of(approval.requested_by, approval.region):
        subject = _("%(kind)s: %(state)s — %(summary)s") % {
            "kind": approval.kind_label, "state": approval.get_state_display(),
            "summary": approval.title}
    notify(
        recipient=approval.requested_by,
        key=f"approval:{approval.pk}:decided",
        subject=subject,
        body=approval.comment,
        url=approval_url(approval),
        region=approval.region,
    )


def approval_url(approval: ApprovalRequest, *, across_regions: bool = False) -> str:
    if approval.region_id and not across_regions:
        return reverse("approval-detail", kwargs={"region_slug": approval.region.slug,
                                                  "approval_id": approval.pk})
    return reverse("global:approval-detail", kwargs={"approval_id": approval.pk})


def requests_about(target, *, kind: str):
    return ApprovalRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk, kind=kind
    )


def is_approved(target, *, kind: str) -> bool:
    """The question a guarded action asks before it proceeds."""
    return requests_about(target, kind=kind).filter(state=State.APPROVED).exists()
