"""A meeting's minutes and the actions agreed in them: who does what by when, and whether it
is done. An action's owner is a member of the region and hears of it when named; they see
their open actions on their events page and the dashboard.

Who may: the secretariat, or a meeting series' delegate for its events (events.rules)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.errors import DomainError
from alliance.models import Role
from alliance.services import audit
from alliance.services.changes import locked, save_changes
from alliance.services.notifications import in_language_of, notify

from ..models import ActionItem, Event, EventState
from ..rules import require_manage

MINUTES_MAX_LENGTH = 50_000
TITLE_MAX_LENGTH = 300
ITEM_EDITABLE = ("title", "owner", "due_on")
# An action's due date falls within a few years of its meeting.
LATEST_DUE = datetime.timedelta(days=5 * 366)


def owner_choices(region):
    """Who may own an action: the region's active members, and the Global Secretariat."""
    return (get_user_model().objects.filter(is_active=True).filter(
        Q(memberships__region=region)
        | Q(memberships__region=None, memberships__role=Role.GLOBAL_SECRETARIAT))
        .distinct().order_by("full_name", "email"))


def items_of(event: Event):
    """Open actions first (soonest due first), then those done (NULLs placed explicitly:
    PostgreSQL sorts them last, SQLite first)."""
    return (ActionItem.objects.filter(region=event.region, event=event)
            .select_related("owner")
            .order_by(F("done_at").asc(nulls_first=True),
                      F("due_on").asc(nulls_last=True), "id"))


def is_overdue(item: ActionItem, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return item.done_at is None and item.due_on is not None and item.due_on < today


def open_items_of(user, region, limit: int):
    """A person's open actions in the region, soonest due first."""
    return list(ActionItem.objects.filter(region=region, owner=user, done_at=None)
                .select_related("event").order_by("due_on", "id")[:limit])


@transaction.atomic
def save_minutes(*, actor, event: Event, minutes: str) -> Event:
    require_manage(actor, event)
    minutes = (minutes or "").strip()
    if len(minutes) > MINUTES_MAX_LENGTH:
        raise DomainError(_("The minutes are too long (at most %(count)s characters).")
                          % {"count": MINUTES_MAX_LENGTH}, field="minutes")
    row = locked(event, "region")
    if row.state == EventState.CANCELLED:
        raise DomainError(_("This event was cancelled: it has no minutes."), field="minutes")
    if row.minutes == minutes:
        return row
    old_length = len(row.minutes)
    row.minutes, row.minutes_recorded_at = minutes, timezone.now()
    row.save(update_fields=["minutes", "minutes_recorded_at"])
    audit.record(actor=actor, action="events.minutes.recorded", target=row, region=row.region,
                 old_length=old_length, length=len(minutes))
    event.minutes, event.minutes_recorded_at = row.minutes, row.minutes_recorded_at
    return row


def _check(event: Event, data: dict) -> dict:
    if "title" in data:
        data["title"] = (data["title"] or "").strip()
        if not data["title"]:
            raise DomainError(_("Say what is to be done."), field="title")
        if len(data["title"]) > TITLE_MAX_LENGTH:
            raise DomainError(_("Keep the action under %(count)s characters.")
                              % {"count": TITLE_MAX_LENGTH}, field="title")
    owner = data.get("owner")
    if owner is not None and not owner_choices(event.region).filter(pk=owner.pk).exists():
        raise DomainError(_("Choose a member of the region."), field="owner")
    due = data.get("due_on")
    if due is not None:
        start = event.starts_at.date()
        if due < start - datetime.timedelta(days=366) or due > start + LATEST_DUE:
            raise DomainError(_("Choose a due date near the meeting's."), field="due_on")
    return data


def action_url(event: Event) -> str:
    return reverse("event-minutes", kwargs={"region_slug": event.region.slug,
                                            "event_id": event.pk}) + "#action-items"


def _tell_owner(actor, item: ActionItem, event: Event) -> None:
    owner = item.owner
    if owner is None or owner.pk == getattr(actor, "pk", None):
        return
    with in_language_of(owner, event.region):
        subject = _("An action for you from “%(title)s”") % {"title": event.title}
        body = item.title
        if item.due_on:
            body += "\n" + _("Due on %(day)s.") % {"day": item.due_on.isoformat()}
    notify(recipient=owner, key=f"action-item:{item.pk}:owner:{owner.pk}", subject=subject,
           body=body, url=action_url(event), region=event.region)


@transaction.atomic
def add_action_item(*, actor, event: Event, title: str, owner=None,
                    due_on: datetime.date | None = None) -> ActionItem:
    require_manage(actor, event)
    data = _check(event, {"title": title, "owner": owner, "due_on": due_on})
    item = ActionItem.objects.create(region=event.region, event=event, **data)
    audit.record(actor=actor, action="events.action_item.added", target=event,
                 region=event.region, title=item.title,
                 owner=str(owner) if owner else "", due_on=str(due_on or ""))
    _tell_owner(actor, item, event)
    return item


@transaction.atomic
def update_action_item(*, actor, item: ActionItem, **changes) -> ActionItem:
    event = item.event
    require_manage(actor, event)
    _check(event, changes)
    saved = save_changes(actor=actor, obj=item, changes=changes, editable=ITEM_EDITABLE,
                         action="events.action_item.changed", related=("owner",),
                         target=event, region=event.region, item=item.title)
    row = saved.row
    if "owner" in saved.changed:
        _tell_owner(actor, row, event)
    return row


@transaction.atomic
def toggle_done(*, actor, item: ActionItem) -> ActionItem:
    """Done, or open again."""
    event = item.event
    require_manage(actor, event)
    row = locked(item)
    row.done_at = None if row.done_at else timezone.now()
    row.save(update_fields=["done_at"])
    audit.record(actor=actor, action="events.action_item.done" if row.done_at
                 else "events.action_item.reopened", target=event, region=event.region,
                 title=row.title)
    item.done_at = row.done_at
    return row


@transaction.atomic
def delete_action_item(*, actor, item: ActionItem) -> None:
    event = item.event
    require_manage(actor, event)
    row = locked(item)
    audit.record(actor=actor, action="events.action_item.deleted", target=event,
                 region=event.region, title=row.title)
    row.delete()
