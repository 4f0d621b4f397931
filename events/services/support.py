"""Support activities: what the secretariat does for a city implementing a model policy, of a
kind from the playbook's allowed list (SupportKind). The secretariat does not develop policy
for cities, consult for a fee, or manage projects on behalf of cities or other stakeholders
(playbook 4-1); any other kind is asked of the Global Secretariat first (approval
`support_activity`, the playbook's "check with WEF"). Until it is approved, the activity
awaits approval: it cannot be linked to an event or marked done. Approved, it is planned;
rejected, declined (the decision's comment says why); with changes requested, it waits for the
secretariat to change the request and ask again."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance import approvals as approval_kinds
from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.models import ApprovalRequest, Role
from alliance.services import audit
from alliance.services.approvals import request_approval, requests_about
from alliance.services.changes import locked, save_locked
from alliance.tenancy import region_scope
from cities.models import City

from ..models import Event, SupportActivity, SupportKind, SupportState, Workplan

MANAGE = "events.manage_support"
SUPPORT_ACTIVITY = "support_activity"
EDITABLE = ("workplan", "description", "planned_on", "event", "other_kind")
# What the secretariat does not conduct (playbook 4-1): shown on the form and to the Global
# Secretariat deciding on another kind.
NOT_CONDUCTED = (
    gettext_lazy("Policy development for cities"),
    gettext_lazy("Consulting for a fee"),
    gettext_lazy("Managing projects on behalf of cities or other stakeholders"),
)


def _require(user, region) -> None:
    if not permissions.can(user, MANAGE, region=region):
        raise PermissionDenied(_("Your role does not allow this here."))


def event_choices(region):
    return Event.objects.filter(region=region).order_by("-starts_at", "pk")


def workplan_choices(region):
    return (Workplan.objects.filter(region=region).select_related("city", "model_policy")
            .order_by("city__name", "pk"))


def _check_links(region, city: City, data: dict) -> None:
    workplan = data.get("workplan")
    if workplan is not None and (workplan.region_id != region.pk
                                 or workplan.city_id != city.pk):
        raise DomainError(_("Choose a workplan of %(city)s.") % {"city": city.name},
                          field="workplan")
    event = data.get("event")
    if event is not None and event.region_id != region.pk:
        raise DomainError(_("Choose an event of this region."), field="event")


def create_activity(*, actor, region, city: City, kind: str, workplan: Workplan | None = None,
                    other_kind: str = "", description: str = "",
                    planned_on: datetime.date | None = None,
                    event: Event | None = None) -> SupportActivity:
    _require(actor, region)
    if city.region_id != region.pk:
        raise DomainError(_("Choose a city of this region."), field="city")
    if kind not in SupportKind.values:
        raise DomainError(_("Choose a kind from the allowed list."), field="kind")
    other_kind = (other_kind or "").strip()
    description = (description or "").strip()
    _check_links(region, city, {"workplan": workplan, "event": event})
    other = kind == SupportKind.OTHER
    if other and not other_kind:
        raise DomainError(_("Say which other kind of support the city asks for: the Global "
                            "Secretariat decides on it."), field="other_kind")
    if other and not description:
        raise DomainError(_("Describe the support asked for, so the Global Secretariat can "
                            "decide."), field="description")
    if other and event is not None:
        raise DomainError(_("An activity of another kind is linked to an event only once the "
                            "Global Secretariat approves it."), field="event")
    with transaction.atomic():
        activity = SupportActivity.objects.create(
            region=region, city=city, workplan=workplan, kind=kind,
            other_kind=other_kind if other else "", description=description,
            planned_on=planned_on, event=event, created_by=actor,
            state=SupportState.AWAITING_APPROVAL if other else SupportState.PLANNED)
        audit.record(actor=actor, action="events.support.created", target=activity,
                     region=region, city=city.name, kind=kind, other_kind=activity.other_kind)
        if other:
            _ask(actor, activity)
    return activity


def _ask(actor, activity: SupportActivity) -> ApprovalRequest:
    return request_approval(actor=actor, target=activity, kind=SUPPORT_ACTIVITY,
                            region=activity.region,
                            title_values={"city": activity.city.name,
                                          "kind": activity.other_kind})


def update_activity(*, actor, activity: SupportActivity, **changes) -> SupportActivity:
    """Change an activity. One awaiting approval whose request was sent back for changes is
    asked again with the changed text."""
    _require(actor, activity.region)
    for field in ("description", "other_kind"):
        if field in changes:
            changes[field] = (changes[field] or "").strip()
    with transaction.atomic():
        row = locked(activity, "region", "city")
        _check_links(row.region, row.city, changes)
        if "other_kind" in changes and row.kind != SupportKind.OTHER:
            changes.pop("other_kind")
        if row.kind == SupportKind.OTHER and "other_kind" in changes and not changes[
                "other_kind"]:
            raise DomainError(_("Say which other kind of support the city asks for."),
                              field="other_kind")
        if changes.get("event") is not None and row.state != SupportState.PLANNED:
            raise InvalidTransition(
                _("Only a planned activity is linked to an event: this one is %(state)s.")
                % {"state": row.state_label}, field="event")
        saved = save_locked(actor=actor, row=row, changes=changes, editable=EDITABLE,
                            action="events.support.changed")
        if saved.changed and row.state == SupportState.AWAITING_APPROVAL and not requests_about(
                row, kind=SUPPORT_ACTIVITY).filter(state=ApprovalRequest.State.PENDING).exists():
            _ask(actor, row)
    return row


def mark_done(*, actor, activity: SupportActivity) -> SupportActivity:
    _require(actor, activity.region)
    with transaction.atomic():
        row = locked(activity)
        if row.state != SupportState.PLANNED:
            raise InvalidTransition(
                _("Only a planned activity is marked done: this one is %(state)s.")
                % {"state": row.state_label})
        row.state = SupportState.DONE
        row.save(update_fields=["state"])
        audit.record(actor=actor, action="events.support.done", target=row, region=row.region)
    return row


def latest_request(activity: SupportActivity) -> ApprovalRequest | None:
    if activity.kind != SupportKind.OTHER:
        return None
    return requests_about(activity, kind=SUPPORT_ACTIVITY).order_by("-pk").first()


# -- the approval ---------------------------------------------------------------------------

def _activity_of(approval: ApprovalRequest) -> SupportActivity:
    activity = getattr(approval, "_activity", None)
    if activity is None or activity.pk != approval.object_id:
        activity = SupportActivity._base_manager.select_related("region", "city").get(
            pk=approval.object_id)
        approval._activity = activity
    return activity


def activity_url(activity: SupportActivity) -> str:
    return reverse("support-activity-detail", kwargs={"region_slug": activity.region.slug,
                                                       "activity_id": activity.pk})


def _on_decided(*, approval: ApprovalRequest, actor) -> None:
    activity = _activity_of(approval)
    with region_scope(activity.region):
        row = locked(activity, "region")
        if row.state != SupportState.AWAITING_APPROVAL:
            return
        State = ApprovalRequest.State
        new = {State.APPROVED: SupportState.PLANNED,
               State.REJECTED: SupportState.DECLINED}.get(approval.state)
        if new is not None:
            row.state = new
            row.save(update_fields=["state"])
        audit.record(actor=actor, action="events.support.decided", target=row,
                     region=row.region, decision=approval.state,
                     comment=approval.comment[:500])


def subject_context(approval: ApprovalRequest) -> dict:
    """What the Global Secretariat reads: the city, the kind asked and why, the workplan, and
    what the secretariat does not conduct."""
    activity = _activity_of(approval)
    with region_scope(activity.region):
        workplan = (Workplan.objects.select_related("model_policy")
                    .filter(pk=activity.workplan_id).first())
    return {"activity": activity, "workplan": workplan, "not_conducted": NOT_CONDUCTED,
            "allowed": [label for value, label in SupportKind.choices
                        if value != SupportKind.OTHER],
            "activity_url": activity_url(activity)}


ACTIVITY_KIND = approval_kinds.ApprovalKind(
    code=SUPPORT_ACTIVITY, label=gettext_lazy("Support activity of another kind"),
    route_role=Role.GLOBAL_SECRETARIAT, on_decided=_on_decided,
    target_url=lambda approval: activity_url(_activity_of(approval)),
    subject_template="events/support/_activity_approval.html",
    subject_context=subject_context,
    asked=gettext_lazy("%(actor)s asked the Global Secretariat about a support activity of "
                       "another kind: %(summary)s"),
    title=gettext_lazy("Support for %(city)s: %(kind)s"))
