"""Delegations: a well-defined piece of the secretariat's work handed to a member, written
down and tracked (playbook, Expansion step 4: "any such role needs to be defined in writing
and tracked through regular update meetings").

A delegation names its target (a working group, a meeting series), the person, the role,
its scope, start and review date, and the object permission (django-guardian) it grants on
the target: that permission is an entry of `permissions.OBJECT_GRANTS`, so
`permissions.can(user, action, region=..., obj=target)` answers for the delegate. Who may
hand it over is whoever holds that action through their role in the target's region (never
through a grant: a delegate does not delegate further), unless the caller names another
action. Ending a delegation removes the permission; update notes record how it goes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import permissions
from ..errors import DomainError, InvalidTransition
from ..models import Delegation, DelegationNote, Notification, Role
from ..wording import field_names
from . import audit
from .changes import locked, save_locked
from .notifications import in_language_of, notify_many

NOTE_MAX_LENGTH = 5000
EDITABLE = ("scope", "review_on")


def action_for(permission: str) -> str:
    """The action (permissions.ACTIONS) a delegation's object permission stands in for."""
    for action, grant in permissions.OBJECT_GRANTS.items():
        if grant == permission:
            return action
    raise ValueError(f"{permission!r} is no object grant of alliance.permissions.OBJECT_GRANTS")


def may_delegate(user, target, permission: str, *, action: str | None = None) -> bool:
    """Whether `user` hands over (and ends) delegations of `permission` on `target`."""
    return permissions.can(user, action or action_for(permission), region=target.region)


def may_note(user, delegation: Delegation) -> bool:
    """The delegate writes update notes on their own delegation; the secretariat on any."""
    return (delegation.delegate_id == user.pk and user.is_authenticated) or permissions.can(
        user, action_for(delegation.permission), region=delegation.region)


def _require_delegating(actor, target, permission: str, action: str | None) -> None:
    if not may_delegate(actor, target, permission, action=action):
        raise PermissionDenied(_("Your role does not allow this here."))


def delegations_of(target):
    """The target's delegations, the current one first, then the ended ones, newest first;
    with who they were handed to."""
    return (Delegation.objects.filter(
        region=target.region, content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk)
        .select_related("delegate")
        .order_by(F("ended_on").desc(nulls_first=True), "-starts_on", "-id"))


def current_delegation(target, permission: str) -> Delegation | None:
    """The delegation of `permission` on `target` that has not ended, if any."""
    return delegations_of(target).filter(permission=permission, ended_on=None).first()


def _refuse_dates(starts_on: datetime.date, review_on: datetime.date) -> None:
    if review_on <= starts_on:
        raise DomainError(_("The review date must come after the start."), field="review_on")


def delegate(*, actor, target, delegate, permission: str, role: str, scope: str = "",
             starts_on: datetime.date | None = None, review_on: datetime.date,
             action: str | None = None, target_locked: bool = False) -> Delegation:
    """Hand `target` over to `delegate`: the role written down with its scope, start and review
    date, and the object permission granted. One person holds a permission on a target at a
    time: hand it to someone else after ending the current delegation (or in the same
    transaction, as a group's change of lead does). `target_locked`: the caller already holds
    the target's row lock in its transaction."""
    _require_delegating(actor, target, permission, action)
    starts_on = starts_on or timezone.localdate()
    _refuse_dates(starts_on, review_on)
    if not role.strip():
        raise DomainError(_("Name the role handed over."), field="role")
    if not permissions.may_enter_region(delegate, target.region):
        raise DomainError(_("%(name)s has no access to this region: invite them first.")
                          % {"name": delegate}, field="delegate")
    with transaction.atomic():
        # Lock the target: two people setting a lead at once would hand it over twice.
        if not target_locked:
            target = locked(target)
        if current_delegation(target, permission) is not None:
            raise InvalidTransition(_("This is already handed to someone: end that first."))
        delegation = Delegation.objects.create(
            region=target.region, target=target, delegate=delegate, permission=permission,
            role=role.strip(), scope=scope.strip(), starts_on=starts_on, review_on=review_on,
            created_by=actor)
        permissions.grant(delegate, permission, target)
        audit.record(actor=actor, action="alliance.delegation.granted", target=target,
                     region=target.region, delegate=str(delegate), role=delegation.role,
                     review_on=review_on.isoformat())
    return delegation


def update_delegation(*, actor, delegation: Delegation, **changes) -> Delegation:
    """Change the scope or the review date of a running delegation (after a review)."""
    target = delegation.target
    _require_delegating(actor, target, delegation.permission, None)
    with transaction.atomic():
        row = locked(delegation)
        if row.ended_on is not None:
            raise InvalidTransition(_("This delegation has ended."))
        if "scope" in changes:
            changes["scope"] = changes["scope"].strip()
        _refuse_dates(row.starts_on, changes.get("review_on", row.review_on))
        save_locked(actor=actor, row=row, changes=changes, editable=EDITABLE,
                    action="alliance.delegation.changed", target=target,
                    delegate=str(row.delegate))
    return row


def end_delegation(*, actor, delegation: Delegation, action: str | None = None) -> Delegation:
    """End it today: the permission goes (unless another running delegation gives the same
    person the same permission on the same target)."""
    target = delegation.target
    _require_delegating(actor, target, delegation.permission, action)
    with transaction.atomic():
        row = locked(delegation, "delegate")
        if row.ended_on is not None:
            raise InvalidTransition(_("This delegation has already ended."))
        row.ended_on = max(timezone.localdate(), row.starts_on)
        row.save(update_fields=["ended_on"])
        still_held = (Delegation.objects.filter(
            region=row.region, content_type_id=row.content_type_id, object_id=row.object_id,
            delegate=row.delegate, permission=row.permission, ended_on=None)
            .exclude(pk=row.pk).exists())
        if not still_held:
            permissions.revoke(row.delegate, row.permission, target)
        audit.record(actor=actor, action="alliance.delegation.ended", target=target,
                     region=row.region, delegate=str(row.delegate), role=row.role)
    return row


def add_note(*, actor, delegation: Delegation, body: str) -> DelegationNote:
    """An update note on how the delegation goes, by the delegate or the secretariat."""
    if not may_note(actor, delegation):
        raise PermissionDenied(_("Only the person it is handed to and the secretariat write "
                                 "notes here."))
    body = body.strip()
    if not body:
        raise DomainError(_("Write the note."), field="body")
    if len(body) > NOTE_MAX_LENGTH:
        raise DomainError(_("Keep the note under %(count)s characters.")
                          % {"count": NOTE_MAX_LENGTH}, field="body")
    with transaction.atomic():
        row = locked(delegation)
        if row.ended_on is not None:
            raise InvalidTransition(_("This delegation has ended: notes are closed."))
        note = DelegationNote.objects.create(region=row.region, delegation=row, author=actor,
                                             body=body)
        audit.record(actor=actor, action="alliance.delegation.note_added",
                     target=delegation.target, region=row.region, role=row.role,
                     note=body[:300])
    return note


@dataclass(frozen=True, slots=True)
class NoteLine:
    """An update note as the delegation panel shows it."""

    body: str
    created_at: datetime.datetime
    author: str  # the name User.__str__ gives; empty when the account is gone


def notes_of(delegation: Delegation, limit: int = 20) -> list[NoteLine]:
    """The latest update notes, newest first, with their authors' names (read as values)."""
    return [NoteLine(body, created_at, name or email or "")
            for body, created_at, name, email in delegation.notes.values_list(
                "body", "created_at", "author__full_name", "author__email")[:limit]]


def is_overdue(delegation: Delegation, today: datetime.date | None = None) -> bool:
    """Running past its review date: the secretariat owes it a review."""
    return delegation.ended_on is None and delegation.review_on < (today or timezone.localdate())


# Where a delegation's target is seen, by model ("experts.workinggroup"): url(region,
# object_id) gives its page. The apps that delegate register theirs (`page_of`).
TARGET_PAGES: dict[str, Callable[[object, int], str]] = {}


def page_of(model, url: Callable[[object, int], str]) -> None:
    TARGET_PAGES[model._meta.label_lower] = url


def remind_overdue_reviews(*, region, today: datetime.date | None = None) -> int:
    """Tell the region's secretariat about each running delegation whose review date has
    passed: once per delegation and review date (a job run daily tells once; a new review
    date set after the review is reminded again when it passes). Returns how many reminders
    were written now."""
    today = today or timezone.localdate()
    overdue = list(Delegation.objects.filter(region=region, ended_on=None, review_on__lt=today)
                   .select_related("delegate", "content_type").order_by("review_on", "pk"))
    if not overdue:
        return 0
    team = list(get_user_model().objects.filter(
        memberships__region=region, memberships__role=Role.REGIONAL_SECRETARIAT,
        is_active=True).distinct())
    rows = []
    for delegation in overdue:
        page = TARGET_PAGES.get(f"{delegation.content_type.app_label}."
                                f"{delegation.content_type.model}")
        url = page(region, delegation.object_id) if page else ""
        for person in team:
            with in_language_of(person, region):
                subject = _("Review due: %(role)s, handed to %(delegate)s") % {
                    "role": delegation.role, "delegate": delegation.delegate}
                body = _("The review of this delegation was due on %(day)s. Meet %(delegate)s, "
                         "write an update note, and set the next review date or end it.") % {
                    "day": delegation.review_on.isoformat(), "delegate": delegation.delegate}
            rows.append(Notification(
                key=f"delegation:{delegation.pk}:review:{delegation.review_on}:{person.pk}",
                recipient=person, subject=subject, body=body, url=url, region=region))
    return len(notify_many(rows))


def _review_day(values) -> str:
    from ..templatetags.formats import day

    try:
        return day(datetime.date.fromisoformat(str(values.get("review_on"))))
    except ValueError:
        return values.get("review_on", "")


def describe_actions() -> None:
    """The delegations' audit sentences (alliance.services.audit.describe_as); called by the
    apps that delegate, from their AppConfig.ready()."""
    audit.describe_as("alliance.delegation.granted", gettext_lazy(
        "%(actor)s handed the role “%(role)s” to %(delegate)s (review on %(review_on)s)"),
        labels={"review_on": _review_day})
    audit.describe_as("alliance.delegation.changed", gettext_lazy(
        "%(actor)s changed the delegation to %(delegate)s (%(fields)s)"),
        labels={"fields": field_names(Delegation)})
    audit.describe_as("alliance.delegation.ended", gettext_lazy(
        "%(actor)s ended the role “%(role)s” of %(delegate)s"))
    audit.describe_as("alliance.delegation.note_added", gettext_lazy(
        "%(actor)s wrote an update note on the role “%(role)s”"))
