"""Meeting series (playbook, Appendix III: Regular Meeting; Expansion step 4): a recurring
meeting the secretariat may hand to a member. Handing it over writes a delegation
(alliance.services.delegations: role, scope, start, review date, update notes) granting the
object permission `events.manage_series`: through permissions.OBJECT_GRANTS the delegate then
runs that series' events (edits them, builds their agendas, schedules the next one) and no
other event of the region (events.rules)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError
from alliance.services import audit, delegations
from alliance.services.changes import locked, save_locked
from alliance.services.notifications import in_language_of, notify

from ..models import EventKind, MeetingSeries
from ..rules import MANAGE

GRANT = "events.manage_series"
EDITABLE = ("title", "kind", "description", "is_active")
REVIEW_AFTER = datetime.timedelta(days=182)


def default_role() -> str:
    return _("Meeting series host")


def default_scope() -> str:
    return _("Plan the series' meetings: dates, agendas and speakers for the Forum, the next "
             "meeting; report at the update meetings.")


def default_review_on() -> datetime.date:
    return timezone.localdate() + REVIEW_AFTER


def series_rows(region):
    """The region's series, active first, with how many events each has."""
    return (MeetingSeries.objects.filter(region=region)
            .annotate(event_count=Count("events"))
            .order_by("-is_active", "title", "pk"))


def delegate_choices(region):
    """Anyone with a membership in the region (city contacts preferably: the playbook hands
    modules to cities first)."""
    return (get_user_model().objects.filter(
        Q(memberships__region=region) | Q(memberships__region=None,
                                          memberships__role__isnull=False))
        .filter(is_active=True).distinct().order_by("full_name", "email"))


def _check(data: dict) -> None:
    if "title" in data and not data["title"]:
        raise DomainError(_("Give the series a title."), field="title")
    if "kind" in data and data["kind"] not in EventKind.values:
        raise DomainError(_("Choose the kind of its meetings."), field="kind")


def create_series(*, actor, region, title: str, kind: str = EventKind.REGULAR_MEETING,
                  description: str = "", is_active: bool = True) -> MeetingSeries:
    permissions.require(actor, MANAGE, region=region)
    data = {"title": title.strip(), "kind": kind, "description": description.strip(),
            "is_active": is_active}
    _check(data)
    with transaction.atomic():
        series = MeetingSeries.objects.create(region=region, **data)
        audit.record(actor=actor, action="events.series.created", target=series,
                     region=region, title=series.title)
    return series


def update_series(*, actor, series: MeetingSeries, **changes) -> MeetingSeries:
    permissions.require(actor, MANAGE, region=series.region)
    for name in ("title", "description"):
        if name in changes:
            changes[name] = changes[name].strip()
    _check(changes)
    with transaction.atomic():
        row = locked(series, "region")
        save_locked(actor=actor, row=row, changes=changes, editable=EDITABLE,
                    action="events.series.changed")
    return row


def hand_over(*, actor, series: MeetingSeries, delegate, role: str = "", scope: str = "",
              review_on: datetime.date | None = None):
    """Hand the series to `delegate` (any member of the region), in writing."""
    if delegate is None:
        raise DomainError(_("Choose the person to hand the series to."), field="delegate")
    with transaction.atomic():
        delegation = delegations.delegate(
            actor=actor, target=series, delegate=delegate, permission=GRANT,
            role=role.strip() or default_role(), scope=scope.strip() or default_scope(),
            review_on=review_on or default_review_on(), action=MANAGE)
        _tell_delegate(series, delegation)
    return delegation


def end_hand_over(*, actor, series: MeetingSeries, delegation):
    delegation.target = series
    return delegations.end_delegation(actor=actor, delegation=delegation, action=MANAGE)


def current(series: MeetingSeries):
    return delegations.current_delegation(series, GRANT)


def delegate_name(series: MeetingSeries) -> str:
    """Who runs the series now, by name ("" when nobody does): one narrow read for the pages
    of its events."""
    from django.contrib.contenttypes.models import ContentType

    from alliance.models import Delegation

    row = (Delegation.objects.filter(
        region=series.region, content_type=ContentType.objects.get_for_model(MeetingSeries),
        object_id=series.pk, permission=GRANT, ended_on=None)
        .values_list("delegate__full_name", "delegate__email").first())
    return (row[0] or row[1]) if row else ""


def series_url(series: MeetingSeries) -> str:
    return reverse("series-detail", kwargs={"region_slug": series.region.slug,
                                            "series_id": series.pk})


def _tell_delegate(series: MeetingSeries, delegation) -> None:
    with in_language_of(delegation.delegate, series.region):
        subject = _("You run the meeting series “%(title)s”") % {"title": series.title}
        body = _("You now plan the meetings of “%(title)s”: their details, agendas and "
                 "speakers, and the next meeting. Scope: %(scope)s\nThe secretariat reviews "
                 "the role on %(review)s; write update notes on the series' page meanwhile.") % {
            "title": series.title, "scope": delegation.scope,
            "review": delegation.review_on.isoformat()}
    notify(recipient=delegation.delegate, key=f"delegation:{delegation.pk}:granted",
           subject=subject, body=body, url=series_url(series), region=series.region)


def series_of_delegate(user, region):
    """The series this person runs through their object permission (a delegation's)."""
    from guardian.shortcuts import get_objects_for_user

    if not user.is_authenticated:
        return MeetingSeries.objects.none()
    return get_objects_for_user(
        user, GRANT, klass=MeetingSeries.objects.filter(region=region),
        accept_global_perms=False).order_by("title", "pk")
