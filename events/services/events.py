"""Planning events (playbook, Appendix III: Regular Meeting, Event; 2-3 Operation): creating
and changing an event, cancelling it, marking it held, scheduling the next meeting of a
series from this one, and the playbook's two milestones before it.

Times are stored in UTC and read in the region's time zone: a meeting "at 10:00" stays at
10:00 local when the next one falls across a daylight-saving change (its UTC instant moves).

Who may: the secretariat (events.manage) for every event of the region; a meeting series'
delegate (object permission events.manage_series) for that series' events only (events.rules)."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.models import Notification, Role
from alliance.services import audit
from alliance.services.changes import locked, save_locked
from alliance.services.notifications import in_language_of, notify_many
from assessments.models import ModelPolicy
from experts.models import Involvement, Stakeholder, WorkingGroup

from ..models import (
    AGENDA_DRAFTED_BEFORE,
    AGENDA_FIXED_BEFORE,
    KINDS_WITHOUT_AGENDA_APPROVAL,
    AgendaState,
    Audience,
    Event,
    EventFormat,
    EventKind,
    EventState,
    MeetingSeries,
)
from ..rules import MANAGE, require_manage

VIEW = "events.view"
EDITABLE = ("kind", "title", "description", "format", "audience", "starts_at", "ends_at",
            "venue", "online_link", "organizer", "series", "working_group", "model_policy",
            "supporting_organization")
# What the next meeting takes over from the one it is scheduled from.
CARRIED = ("kind", "series", "title", "format", "venue", "online_link", "organizer",
           "working_group", "model_policy", "audience", "supporting_organization",
           "description")
# A milestone is "due soon" within this many days (the reminders use the same window).
DUE_SOON = datetime.timedelta(days=7)


def zone_of(region) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(region.time_zone)


# -- choices --------------------------------------------------------------------------------

def secretariat_users(region):
    """Who organizes an event or speaks as staff: the region's secretariat and the Global
    Secretariat."""
    return (get_user_model().objects.filter(
        Q(memberships__region=region, memberships__role=Role.REGIONAL_SECRETARIAT)
        | Q(memberships__region=None, memberships__role=Role.GLOBAL_SECRETARIAT))
        .filter(is_active=True).distinct().order_by("full_name", "email"))


def adopted_policies():
    return ModelPolicy.objects.filter(status=ModelPolicy.Status.ADOPTED).order_by("title")


def supporting_organizations(region):
    """Stakeholders whose involvement is supporting events."""
    return (Stakeholder.objects.filter(region=region, involvement=Involvement.EVENTS)
            .order_by("name", "pk"))


def working_groups(region):
    return WorkingGroup.objects.filter(region=region, is_archived=False).order_by("name", "pk")


def active_series(region):
    return MeetingSeries.objects.filter(region=region, is_active=True).order_by("title", "pk")


# -- milestones -----------------------------------------------------------------------------

DRAFTED, FIXED = "agenda_drafted", "agenda_fixed"
MILESTONE_LABELS = {
    DRAFTED: gettext_lazy("Agenda drafted"),
    FIXED: gettext_lazy("Agenda and speakers fixed"),
}
# Which agenda states meet each milestone. Fixed means sent to the Forum (or approved): the
# speakers are settled once the organizer submits them.
MET_BY = {
    DRAFTED: {AgendaState.DRAFTED, AgendaState.SUBMITTED, AgendaState.APPROVED,
              AgendaState.CHANGES_REQUESTED},
    FIXED: {AgendaState.SUBMITTED, AgendaState.APPROVED},
}
DONE, OVERDUE, DUE_SOON_STATE, UPCOMING = "done", "overdue", "due_soon", "upcoming"
STATE_LABELS = {DONE: gettext_lazy("Done"), OVERDUE: gettext_lazy("Overdue"),
                DUE_SOON_STATE: gettext_lazy("Due soon"), UPCOMING: gettext_lazy("Upcoming")}
STATE_TONES = {DONE: "tone-success", OVERDUE: "tone-danger", DUE_SOON_STATE: "tone-warning",
               UPCOMING: "tone-info"}


@dataclass(frozen=True, slots=True)
class Milestone:
    code: str
    due: datetime.datetime
    state: str

    @property
    def label(self) -> str:
        return str(MILESTONE_LABELS[self.code])

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def tone(self) -> str:
        return STATE_TONES[self.state]

    @property
    def met(self) -> bool:
        return self.state == DONE


def milestones(event, now: datetime.datetime | None = None) -> list[Milestone]:
    """The playbook's two milestones of an event with an agenda for the Forum (none for the
    kinds without one): due dates, and whether each is met, overdue, due soon or upcoming."""
    if event.kind in KINDS_WITHOUT_AGENDA_APPROVAL:
        return []
    now = now or timezone.now()
    rows = []
    for code, before in ((DRAFTED, AGENDA_DRAFTED_BEFORE), (FIXED, AGENDA_FIXED_BEFORE)):
        due = event.starts_at - before
        if event.agenda_state in MET_BY[code]:
            state = DONE
        elif due < now:
            state = OVERDUE
        elif due - now <= DUE_SOON:
            state = DUE_SOON_STATE
        else:
            state = UPCOMING
        rows.append(Milestone(code, due, state))
    return rows


def next_milestone(event, now: datetime.datetime | None = None) -> Milestone | None:
    """The first milestone not met of an event still to come (None when all are met, or the
    event is held, cancelled or past)."""
    now = now or timezone.now()
    if event.state in (EventState.HELD, EventState.CANCELLED) or event.starts_at <= now:
        return None
    return next((m for m in milestones(event, now) if not m.met), None)


# -- checks ---------------------------------------------------------------------------------

def _refuse_link(link: str) -> None:
    if not link:
        return
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DomainError(_("Give the online link as a web address starting with https://."),
                          field="online_link")


def _check(region, data: dict) -> None:
    """The rules an event keeps, each refused on its field."""
    if not (data.get("title") or "").strip():
        raise DomainError(_("Give the event a title."), field="title")
    if data.get("kind") not in EventKind.values:
        raise DomainError(_("Choose the kind of event."), field="kind")
    if data.get("format") not in EventFormat.values:
        raise DomainError(_("Choose online, in person or hybrid."), field="format")
    if data.get("audience") not in Audience.values:
        raise DomainError(_("Choose who may attend."), field="audience")
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    if starts_at is None:
        raise DomainError(_("Give the start."), field="starts_at")
    if ends_at is None:
        raise DomainError(_("Give the end."), field="ends_at")
    if ends_at <= starts_at:
        raise DomainError(_("The event must end after it starts."), field="ends_at")
    if data["format"] in (EventFormat.IN_PERSON, EventFormat.HYBRID) and not (
            data.get("venue") or "").strip():
        raise DomainError(_("Give the venue of an event held in person or hybrid."),
                          field="venue")
    if data["format"] in (EventFormat.ONLINE, EventFormat.HYBRID) and not data.get(
            "online_link"):
        raise DomainError(_("Give the link of an event held online or hybrid."),
                          field="online_link")
    _refuse_link(data.get("online_link") or "")
    organization = data.get("supporting_organization")
    if organization is not None:
        if organization.region_id != region.pk or organization.involvement != Involvement.EVENTS:
            raise DomainError(_("Choose a stakeholder of the region who supports events."),
                              field="supporting_organization")
        if data["audience"] != Audience.PUBLIC:
            raise DomainError(_("An event an organization supports is open to the public: "
                                "choose “Open to the public”, or remove the organization."),
                              field="audience")
    organizer = data.get("organizer")
    if organizer is not None and not secretariat_users(region).filter(pk=organizer.pk).exists():
        raise DomainError(_("The organizer is a member of the region's secretariat."),
                          field="organizer")
    series = data.get("series")
    if series is not None and series.region_id != region.pk:
        raise DomainError(_("Choose a meeting series of this region."), field="series")
    group = data.get("working_group")
    if group is not None and group.region_id != region.pk:
        raise DomainError(_("Choose a working group of this region."), field="working_group")
    policy = data.get("model_policy")
    if policy is not None and policy.status != ModelPolicy.Status.ADOPTED:
        raise DomainError(_("Choose an adopted model policy of the Policy Roadmap."),
                          field="model_policy")


def _require_series_rights(actor, region, series) -> None:
    """The secretariat plans any event; a series' delegate only events of their series."""
    if permissions.can(actor, MANAGE, region=region):
        return
    if series is None or not permissions.can(actor, MANAGE, region=region, obj=series):
        raise PermissionDenied(_("You may plan events of the meeting series handed to you "
                                 "only."))


def _clean_text(data: dict) -> dict:
    for name in ("title", "description", "venue", "online_link"):
        if name in data and isinstance(data[name], str):
            data[name] = data[name].strip()
    return data


# -- writes ---------------------------------------------------------------------------------

def create_event(*, actor, region, kind: str, title: str, starts_at, ends_at,
                 description: str = "", format: str = EventFormat.ONLINE,
                 audience: str = Audience.INVITED, venue: str = "", online_link: str = "",
                 organizer=None, series=None, working_group=None, model_policy=None,
                 supporting_organization=None, follows=None) -> Event:
    _require_series_rights(actor, region, series)
    data = _clean_text({
        "kind": kind, "title": title, "description": description, "format": format,
        "audience": audience, "starts_at": starts_at, "ends_at": ends_at, "venue": venue,
        "online_link": online_link, "organizer": organizer, "series": series,
        "working_group": working_group, "model_policy": model_policy,
        "supporting_organization": supporting_organization})
    _check(region, data)
    with transaction.atomic():
        event = Event.objects.create(region=region, follows=follows, created_by=actor, **data)
        audit.record(actor=actor, action="events.event.created", target=event, region=region,
                     title=event.title, kind=event.kind,
                     starts_at=event.starts_at.isoformat())
    return event


def update_event(*, actor, event: Event, **changes) -> Event:
    """Change what the event is; its rules checked on the result. A delegate keeps the event
    in their series (moving it elsewhere is the secretariat's)."""
    require_manage(actor, event)
    if "series" in changes and changes["series"] != event.series:
        _require_series_rights(actor, event.region, changes["series"])
    _clean_text(changes)
    with transaction.atomic():
        row = locked(event, "region", "series")
        if row.state in (EventState.HELD, EventState.CANCELLED):
            raise InvalidTransition(_("This event is %(state)s: it cannot be changed.")
                                    % {"state": row.state_label.lower()})
        merged = {name: getattr(row, name) for name in EDITABLE}
        merged.update(changes)
        _check(row.region, merged)
        save_locked(actor=actor, row=row, changes=changes, editable=EDITABLE,
                    action="events.event.changed")
    return row


def cancel_event(*, actor, event: Event, reason: str) -> Event:
    require_manage(actor, event)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the event is cancelled."), field="reason")
    with transaction.atomic():
        row = locked(event, "region")
        if row.state in (EventState.HELD, EventState.CANCELLED):
            raise InvalidTransition(_("This event is already %(state)s.")
                                    % {"state": row.state_label.lower()})
        old = row.state
        row.state = EventState.CANCELLED
        row.save(update_fields=["state"])
        audit.record(actor=actor, action="events.event.cancelled", target=row,
                     region=row.region, old=old, new=row.state, reason=reason[:500])
    return row


def mark_held(*, actor, event: Event, now: datetime.datetime | None = None) -> Event:
    require_manage(actor, event)
    now = now or timezone.now()
    with transaction.atomic():
        row = locked(event, "region")
        if row.state in (EventState.HELD, EventState.CANCELLED):
            raise InvalidTransition(_("This event is already %(state)s.")
                                    % {"state": row.state_label.lower()})
        if row.starts_at > now:
            raise InvalidTransition(_("An event is marked held once it has started."))
        old = row.state
        row.state = EventState.HELD
        row.save(update_fields=["state"])
        audit.record(actor=actor, action="events.event.held", target=row, region=row.region,
                     old=old, new=row.state)
    return row


def next_times(event: Event, on: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The next meeting's start and end on `on`: the same local wall-clock times as `event`
    in the region's zone (10:00 stays 10:00 across a daylight-saving change)."""
    zone = zone_of(event.region)
    start_local = event.starts_at.astimezone(zone)
    end_local = event.ends_at.astimezone(zone)
    length = (end_local.replace(tzinfo=None) - start_local.replace(tzinfo=None))
    starts = datetime.datetime.combine(on, start_local.time().replace(tzinfo=None))
    ends = starts + length
    return starts.replace(tzinfo=zone), ends.replace(tzinfo=zone)


def schedule_next(*, actor, event: Event, on: datetime.date) -> Event:
    """Plan the next meeting on `on`, at the same local time, from this one: kind, series,
    title, format, venue, link, organizer, group, policy and audience carried over; the new
    event follows this one. Its agenda starts empty."""
    require_manage(actor, event)
    if on is None:
        raise DomainError(_("Give the date of the next meeting."), field="on")
    starts_at, ends_at = next_times(event, on)
    if starts_at <= event.starts_at:
        raise DomainError(_("The next meeting comes after this one."), field="on")
    with transaction.atomic():
        row = locked(event, "region")
        if row.state == EventState.CANCELLED:
            raise InvalidTransition(_("A cancelled event schedules no next meeting."))
        if Event.objects.filter(region=row.region, follows=row).exclude(
                state=EventState.CANCELLED).exists():
            raise InvalidTransition(_("The next meeting is already scheduled from this one."))
        data = {name: getattr(row, name) for name in CARRIED}
        data["organizer"] = data["organizer"] or (
            actor if secretariat_users(row.region).filter(pk=actor.pk).exists() else None)
        following = create_event(actor=actor, region=row.region, starts_at=starts_at,
                                 ends_at=ends_at, follows=row, **data)
        audit.record(actor=actor, action="events.event.next_scheduled", target=row,
                     region=row.region, title=following.title,
                     starts_at=following.starts_at.isoformat())
    return following


# -- reminders ------------------------------------------------------------------------------

def _event_url(event: Event) -> str:
    return reverse("event-detail", kwargs={"region_slug": event.region.slug,
                                           "event_id": event.pk})


def send_milestone_reminders(*, region, now: datetime.datetime | None = None) -> int:
    """Tell each coming event's organizer (or, without one, the region's secretariat) about
    a milestone due within a week or overdue and not met: once per event and milestone.
    Never for cancelled, held or past events, nor kinds without a Forum agenda. Returns how
    many notifications were written now."""
    now = now or timezone.now()
    horizon = now + AGENDA_DRAFTED_BEFORE  # the earliest milestone is this far before
    events = list(Event.objects.filter(region=region, starts_at__gt=now,
                                       state__in=[EventState.PLANNED, EventState.ANNOUNCED])
                  .exclude(kind__in=list(KINDS_WITHOUT_AGENDA_APPROVAL))
                  .exclude(agenda_state=AgendaState.APPROVED)
                  .filter(starts_at__lte=horizon + DUE_SOON)
                  .select_related("organizer").order_by("starts_at", "pk"))
    if not events:
        return 0
    team = None
    rows = []
    for event in events:
        event.region = region
        for milestone in milestones(event, now):
            if milestone.met or milestone.state == UPCOMING:
                continue
            if event.organizer_id and event.organizer.is_active:
                recipients = [event.organizer]
            else:
                if team is None:
                    team = list(get_user_model().objects.filter(
                        memberships__region=region,
                        memberships__role=Role.REGIONAL_SECRETARIAT, is_active=True)
                        .distinct())
                recipients = team
            for person in recipients:
                rows.append(_reminder(event, milestone, person, region))
    return len(notify_many(rows))


def _reminder(event: Event, milestone: Milestone, person, region) -> Notification:
    zone = zone_of(region)
    with in_language_of(person, region):
        words = {"milestone": milestone.label, "title": event.title}
        subject = (_("Overdue: %(milestone)s for “%(title)s”") if milestone.state == OVERDUE
                   else _("Due soon: %(milestone)s for “%(title)s”")) % words
        body = _("The playbook's milestone “%(milestone)s” is due on %(due)s for “%(title)s”, "
                 "which starts on %(start)s.") % {
            **words, "due": timezone.localtime(milestone.due, zone).strftime("%Y-%m-%d"),
            "start": timezone.localtime(event.starts_at, zone).strftime("%Y-%m-%d %H:%M %Z")}
    return Notification(key=f"event:{event.pk}:{milestone.code}:{person.pk}",
                        recipient=person, subject=subject, body=body, url=_event_url(event),
                        region=region)
