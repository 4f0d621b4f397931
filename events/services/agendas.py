"""An event's agenda: its items in order with their speakers, the playbook's "agenda drafted"
milestone, and the Forum's approval of agenda and speakers (approval kind `event_agenda`,
routed to Forum reviewers; playbook 4-1). The event is announced to its invitees only once
the Forum approves: approving sends `events.signals.agenda_approved`, on which the attendance
area tells the invitees.

A changed agenda needs the Forum again. Editing an agenda that was submitted or approved puts
it back to drafted; a request still pending stays for the reviewer to decide (it is reused
when the organizer submits again, and the decision page always shows the agenda as it stands).
A decision taken while the agenda is back in drafting approves nothing: an approval then only
tells the organizer to submit again; a request for changes still returns the agenda."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance import approvals as approval_kinds
from alliance.errors import DomainError, InvalidTransition
from alliance.models import ApprovalRequest, Role
from alliance.services import audit
from alliance.services.approvals import request_approval
from alliance.services.changes import locked, save_locked
from alliance.services.notifications import in_language_of, notify
from alliance.tenancy import region_scope
from assessments.models import translated
from cities.models import Contact
from experts.models import Expert
from experts.stages import WORKING

from ..models import AgendaItem, AgendaState, Event, EventState, Workplan
from ..rules import require_manage
from ..signals import agenda_approved
from .events import secretariat_users

EVENT_AGENDA = "event_agenda"
ITEM_EDITABLE = ("title", "duration_minutes", "speaker_contact", "speaker_expert",
                 "speaker_user", "workplan", "notes")
SPEAKERS = ("speaker_contact", "speaker_expert", "speaker_user")
MAX_DURATION = 600
# States in which the Forum has (or is asked to give) its word on the agenda as it stands.
BEFORE_THE_FORUM = (AgendaState.SUBMITTED, AgendaState.APPROVED)
# What an agenda shows of an item and its speaker (a narrow join: the page reads it each time).
ITEM_FIELDS = ("region_id", "event_id", "position", "title", "duration_minutes", "notes",
               "speaker_contact__name", "speaker_contact__city__name", "speaker_expert__name",
               "speaker_expert__organization", "speaker_user__full_name",
               "speaker_user__email", "workplan__city__name", "workplan__model_policy__title",
               "workplan__model_policy__translations")


# -- reads ----------------------------------------------------------------------------------

def items_of(event: Event):
    return (AgendaItem.objects.filter(region=event.region, event=event)
            .select_related("speaker_contact__city", "speaker_expert", "speaker_user",
                            "workplan__city", "workplan__model_policy")
            .only(*ITEM_FIELDS).order_by("position", "id"))


def speaker_of(item: AgendaItem) -> str:
    if item.speaker_contact_id:
        return f"{item.speaker_contact.name} ({item.speaker_contact.city.name})"
    if item.speaker_expert_id:
        expert = item.speaker_expert
        return f"{expert.name} ({expert.organization})" if expert.organization else expert.name
    if item.speaker_user_id:
        return str(item.speaker_user)
    return ""


@dataclass(frozen=True, slots=True)
class ItemRow:
    """An agenda item as the agenda shows it (read as values: no model rows)."""

    pk: int
    title: str
    duration_minutes: int
    notes: str
    speaker: str
    workplan_id: int | None
    workplan: str  # "city · model policy", or empty


ROW_VALUES = ("pk", "title", "duration_minutes", "notes", "speaker_contact__name",
              "speaker_contact__city__name", "speaker_expert__name",
              "speaker_expert__organization", "speaker_user__full_name",
              "speaker_user__email", "workplan_id", "workplan__city__name",
              "workplan__model_policy__title", "workplan__model_policy__translations")


def item_rows(event: Event) -> list[ItemRow]:
    rows = []
    for (pk, title, minutes, notes, contact, city, expert, organization, full_name, email,
         workplan_id, plan_city, policy, policy_translations) in (
            AgendaItem.objects.filter(region=event.region, event=event)
            .order_by("position", "id").values_list(*ROW_VALUES)):
        if contact:
            speaker = f"{contact} ({city})"
        elif expert:
            speaker = f"{expert} ({organization})" if organization else expert
        else:
            speaker = full_name or email or ""
        plan = (f"{plan_city} · {translated(policy, policy_translations or {}, 'title')}"
                if workplan_id else "")
        rows.append(ItemRow(pk, title, minutes, notes, speaker, workplan_id, plan))
    return rows


@dataclass(frozen=True, slots=True)
class AgendaLine:
    item: ItemRow
    starts_at: datetime.datetime

    @property
    def speaker(self) -> str:
        return self.item.speaker

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.item.duration_minutes)


@dataclass(frozen=True, slots=True)
class Agenda:
    lines: list[AgendaLine]
    total_minutes: int
    event_minutes: int

    @property
    def overruns(self) -> bool:
        return self.total_minutes > self.event_minutes


def agenda_of(event: Event) -> Agenda:
    """The items in order with their running start times from the event's start, and the
    total against the event's length."""
    items = item_rows(event)
    lines, moment = [], event.starts_at
    for item in items:
        lines.append(AgendaLine(item, moment))
        moment += datetime.timedelta(minutes=item.duration_minutes)
    total = sum(item.duration_minutes for item in items)
    length = int((event.ends_at - event.starts_at).total_seconds() // 60)
    return Agenda(lines, total, length)


def speaker_contacts(region):
    return Contact.objects.filter(region=region).select_related("city").order_by("name", "pk")


def speaker_experts(region):
    """Experts working with the region (confirmed or active)."""
    return Expert.objects.filter(region=region, stage__in=WORKING).order_by("name", "pk")


def speaker_staff(region):
    return secretariat_users(region)


def agenda_workplans(region):
    return (Workplan.objects.filter(region=region)
            .select_related("city", "model_policy").order_by("city__name", "pk"))


# -- checks ---------------------------------------------------------------------------------

def _refuse_closed(event: Event) -> None:
    if event.state in (EventState.HELD, EventState.CANCELLED):
        raise InvalidTransition(_("This event is %(state)s: its agenda is closed.")
                                % {"state": event.state_label.lower()})


def _check_item(region, data: dict) -> None:
    if not (data.get("title") or "").strip():
        raise DomainError(_("Give the item a title."), field="title")
    duration = data.get("duration_minutes")
    if duration is None or not 1 <= duration <= MAX_DURATION:
        raise DomainError(_("Give a duration between 1 and %(max)s minutes.")
                          % {"max": MAX_DURATION}, field="duration_minutes")
    named = [name for name in SPEAKERS if data.get(name) is not None]
    if len(named) > 1:
        raise DomainError(_("Choose one speaker: a city contact, an expert or a staff member."),
                          field=named[-1])
    contact, expert, user = (data.get(name) for name in SPEAKERS)
    if contact is not None and contact.region_id != region.pk:
        raise DomainError(_("Choose a city contact of this region."), field="speaker_contact")
    if expert is not None and (expert.region_id != region.pk or expert.stage not in WORKING):
        raise DomainError(_("Choose an expert working with the region (confirmed or active)."),
                          field="speaker_expert")
    if user is not None and not speaker_staff(region).filter(pk=user.pk).exists():
        raise DomainError(_("Choose a member of the secretariat."), field="speaker_user")
    workplan = data.get("workplan")
    if workplan is not None and workplan.region_id != region.pk:
        raise DomainError(_("Choose a workplan of this region."), field="workplan")


def _reopen(actor, event: Event) -> bool:
    """On a locked event: an agenda the Forum has (or was asked for) goes back to drafted.
    Returns whether it did, so the page can say a new approval is needed."""
    if event.agenda_state not in BEFORE_THE_FORUM:
        return False
    old = event.agenda_state
    event.agenda_state = AgendaState.DRAFTED
    event.save(update_fields=["agenda_state"])
    audit.record(actor=actor, action="events.agenda.reopened", target=event,
                 region=event.region, old=old, new=event.agenda_state)
    return True


# -- items ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Changed:
    item: AgendaItem | None
    reopened: bool  # the agenda went back to drafted: the Forum must approve it again


def add_item(*, actor, event: Event, title: str, duration_minutes: int = 15,
             speaker_contact=None, speaker_expert=None, speaker_user=None, workplan=None,
             notes: str = "") -> Changed:
    require_manage(actor, event)
    data = {"title": title.strip(), "duration_minutes": duration_minutes,
            "speaker_contact": speaker_contact, "speaker_expert": speaker_expert,
            "speaker_user": speaker_user, "workplan": workplan, "notes": notes.strip()}
    _check_item(event.region, data)
    with transaction.atomic():
        row = locked(event, "region")
        _refuse_closed(row)
        last = AgendaItem.objects.filter(event=row).aggregate(last=Max("position"))["last"]
        item = AgendaItem.objects.create(region=row.region, event=row,
                                         position=(last or 0) + 1, **data)
        reopened = _reopen(actor, row)
        audit.record(actor=actor, action="events.agenda.item_added", target=row,
                     region=row.region, title=item.title, minutes=item.duration_minutes)
    return Changed(item, reopened)


def update_item(*, actor, item: AgendaItem, **changes) -> Changed:
    event = item.event
    require_manage(actor, event)
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    if "notes" in changes:
        changes["notes"] = changes["notes"].strip()
    with transaction.atomic():
        row_event = locked(event, "region")
        _refuse_closed(row_event)
        row = locked(item)
        merged = {name: getattr(row, name) for name in ITEM_EDITABLE}
        merged.update(changes)
        _check_item(row_event.region, merged)
        saved = save_locked(actor=actor, row=row, changes=changes, editable=ITEM_EDITABLE,
                            action="events.agenda.item_changed", target=row_event,
                            region=row_event.region, item=row.title)
        reopened = _reopen(actor, row_event) if saved.changed else False
    return Changed(row, reopened)


def delete_item(*, actor, item: AgendaItem) -> Changed:
    event = item.event
    require_manage(actor, event)
    with transaction.atomic():
        row_event = locked(event, "region")
        _refuse_closed(row_event)
        row = locked(item)
        audit.record(actor=actor, action="events.agenda.item_deleted", target=row_event,
                     region=row_event.region, title=row.title)
        row.delete()
        reopened = _reopen(actor, row_event)
    return Changed(None, reopened)


def move_item(*, actor, item: AgendaItem, direction: str) -> Changed:
    """One place up or down (the order is renumbered 1..n, so equal positions sort out)."""
    event = item.event
    require_manage(actor, event)
    if direction not in ("up", "down"):
        raise DomainError(_("Move an item up or down."), field="direction")
    with transaction.atomic():
        row_event = locked(event, "region")
        _refuse_closed(row_event)
        items = list(AgendaItem.objects.select_for_update().filter(event=row_event)
                     .order_by("position", "id"))
        index = next((i for i, row in enumerate(items) if row.pk == item.pk), None)
        if index is None:
            raise DomainError(_("This item is not on the agenda any more."))
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(items):
            return Changed(items[index], False)
        items[index], items[other] = items[other], items[index]
        for position, row in enumerate(items, start=1):
            if row.position != position:
                row.position = position
                row.save(update_fields=["position"])
        audit.record(actor=actor, action="events.agenda.item_moved", target=row_event,
                     region=row_event.region, title=item.title, direction=direction)
        reopened = _reopen(actor, row_event)
    return Changed(items[other], reopened)


# -- the milestones and the Forum ------------------------------------------------------------

def mark_drafted(*, actor, event: Event) -> Event:
    """The playbook's first milestone: the agenda is drawn up (it has at least one item)."""
    require_manage(actor, event)
    with transaction.atomic():
        row = locked(event, "region")
        _refuse_closed(row)
        if row.agenda_state != AgendaState.DRAFTING:
            raise InvalidTransition(_("The agenda is already past drafting (%(state)s).")
                                    % {"state": row.agenda_state_label})
        if not AgendaItem.objects.filter(event=row).exists():
            raise DomainError(_("Add the agenda's items first."), field="agenda")
        row.agenda_state = AgendaState.DRAFTED
        row.agenda_drafted_at = timezone.now()
        row.save(update_fields=["agenda_state", "agenda_drafted_at"])
        audit.record(actor=actor, action="events.agenda.drafted", target=row,
                     region=row.region)
    return row


def submit_agenda(*, actor, event: Event) -> ApprovalRequest:
    """Send the agenda and speakers to the Forum (approval `event_agenda`). A request still
    pending from an earlier submission is reused: the reviewer decides on the agenda as it
    now stands."""
    require_manage(actor, event)
    if not event.needs_agenda_approval:
        raise InvalidTransition(_("A %(kind)s has no agenda for the Forum to approve.")
                                % {"kind": event.kind_label.lower()})
    with transaction.atomic():
        row = locked(event, "region")
        _refuse_closed(row)
        if row.starts_at <= timezone.now():
            raise InvalidTransition(_("This event has started: its agenda is no longer "
                                      "submitted."))
        if row.agenda_state in BEFORE_THE_FORUM:
            raise InvalidTransition(_("The agenda is already %(state)s.")
                                    % {"state": row.agenda_state_label.lower()})
        if not AgendaItem.objects.filter(event=row).exists():
            raise DomainError(_("Add the agenda's items first."), field="agenda")
        old = row.agenda_state
        now = timezone.now()
        row.agenda_state = AgendaState.SUBMITTED
        row.agenda_submitted_at = now
        row.agenda_drafted_at = row.agenda_drafted_at or now
        row.save(update_fields=["agenda_state", "agenda_submitted_at", "agenda_drafted_at"])
        approval = request_approval(
            actor=actor, target=row, kind=EVENT_AGENDA, region=row.region,
            title_values={"title": row.title,
                          "day": timezone.localtime(row.starts_at).date().isoformat()})
        audit.record(actor=actor, action="events.agenda.submitted", target=row,
                     region=row.region, old=old, new=row.agenda_state, approval=approval.pk)
    return approval


def latest_approval(event: Event) -> ApprovalRequest | None:
    from alliance.services.approvals import requests_about

    return requests_about(event, kind=EVENT_AGENDA).order_by("-pk").first()


def _event_of(approval: ApprovalRequest) -> Event:
    event = getattr(approval, "_event", None)
    if event is None or event.pk != approval.object_id:
        event = Event._base_manager.select_related("region").get(pk=approval.object_id)
        approval._event = event
    return event


def event_url(event: Event) -> str:
    return reverse("event-detail", kwargs={"region_slug": event.region.slug,
                                           "event_id": event.pk})


def _on_decided(*, approval: ApprovalRequest, actor) -> None:
    """In the decision's transaction. Approved (and the agenda still as submitted): approved,
    and agenda_approved is sent. Changes requested or rejected: changes requested, and the
    organizer is told."""
    event = _event_of(approval)
    with region_scope(event.region):
        row = locked(event, "region", "organizer")
        if row.state in (EventState.HELD, EventState.CANCELLED):
            return
        approved = approval.state == ApprovalRequest.State.APPROVED
        if approved and row.agenda_state != AgendaState.SUBMITTED:
            audit.record(actor=actor, action="events.agenda.approval_outdated", target=row,
                         region=row.region, state=row.agenda_state)
            _tell_organizer(row, approval, outdated=True)
            return
        old = row.agenda_state
        row.agenda_state = AgendaState.APPROVED if approved else AgendaState.CHANGES_REQUESTED
        row.save(update_fields=["agenda_state"])
        audit.record(actor=actor, action="events.agenda.decided", target=row,
                     region=row.region, old=old, new=row.agenda_state,
                     comment=approval.comment[:500])
        if approved:
            agenda_approved.send(sender=Event, event=row, actor=actor)
        else:
            _tell_organizer(row, approval, outdated=False)


def _tell_organizer(event: Event, approval: ApprovalRequest, *, outdated: bool) -> None:
    person = event.organizer
    if person is None or person.pk == approval.requested_by_id:
        return  # the requester hears of every decision from the approvals themselves
    with in_language_of(person, event.region):
        if outdated:
            subject = _("Submit the agenda of “%(title)s” again") % {"title": event.title}
            body = _("The Forum approved an earlier version of the agenda; it was changed "
                     "since. Submit it again.")
        else:
            subject = _("The Forum asks for changes to the agenda of “%(title)s”") % {
                "title": event.title}
            body = approval.comment
    notify(recipient=person, key=f"approval:{approval.pk}:event-organizer:{person.pk}",
           subject=subject, body=body, url=event_url(event), region=event.region)


def subject_context(approval: ApprovalRequest) -> dict:
    """What the reviewer reads on the decision page: the event, its date, its agenda with
    the speakers."""
    event = _event_of(approval)
    with region_scope(event.region):
        agenda = agenda_of(event)
        return {"event": event, "agenda": agenda, "event_url": event_url(event),
                "zone": event.region.time_zone}


AGENDA_KIND = approval_kinds.ApprovalKind(
    code=EVENT_AGENDA, label=gettext_lazy("Event agenda and speakers"),
    route_role=Role.FORUM_REVIEWER, on_decided=_on_decided,
    target_url=lambda approval: event_url(_event_of(approval)),
    subject_template="events/_agenda_approval.html", subject_context=subject_context,
    asked=gettext_lazy("%(actor)s asked the Forum to approve an agenda: %(summary)s"),
    title=gettext_lazy("Agenda of “%(title)s” (%(day)s)"))
