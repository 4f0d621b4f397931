"""Invitations to an event, the announcement to the invitees, their answers, and the
attendance recorded after the event.

Who is invited: cities by tier (pioneer and active cities that participate, i.e. committed
or members; observer cities in dialogue, committed or members), experts working with the
region, a working group's members, a city or an expert chosen by hand, or the invitees of the
meeting this one follows. Observer cities are invited only to the kinds of event the region
chose (events.services.settings): inviting by tier leaves the others out and says why,
inviting one by hand is refused with the same reason.

Nobody hears of an event before it is announced, which for a kind with an agenda happens only
once the Forum approved the agenda and speakers (events.signals.agenda_approved). From then on
an invitation added is told at once. Each invitee is told once: a notification's key names
the invitation and the person, and the invitation remembers when it was told.

Who may: the secretariat, or a meeting series' delegate for its events (events.rules). An
invitee answers for themselves: a city contact for their own city, an expert for their own
record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.models import Notification, Role
from alliance.services import audit
from alliance.services.changes import locked
from alliance.services.notifications import in_language_of, notify_many
from alliance.templatetags.formats import when as shown_when
from cities.models import City, Contact, Stage, Tier
from experts.models import Expert, GroupMember, WorkingGroup
from experts.stages import WORKING

from ..models import (
    AgendaState,
    Audience,
    Event,
    EventInvitation,
    EventKind,
    EventState,
    InvitedAs,
    Response,
)
from ..rules import require_manage
from . import settings as event_settings

RSVP = "events.rsvp"
VIEW_OWN = "events.view_own"
# Participating cities: they committed or joined. Observers are invited a step earlier,
# while in dialogue, so they see what membership brings.
PARTICIPATING = (Stage.COMMITTED, Stage.MEMBER)
OBSERVING = (Stage.IN_DIALOGUE, Stage.COMMITTED, Stage.MEMBER)
# A city picked by hand: any city the region is talking to (not one that declined or left).
NOT_INVITABLE = (Stage.DECLINED, Stage.LEFT)
TIERS = (Tier.PIONEER, Tier.ACTIVE, Tier.OBSERVER)
ANSWERS = (Response.ACCEPTED, Response.TENTATIVE, Response.DECLINED)
NOTE_MAX_LENGTH = 300
ATTENDEES_MAX_LENGTH = 300
CLOSED = (EventState.HELD, EventState.CANCELLED)


# -- reading --------------------------------------------------------------------------------

def city_choices(region):
    """Cities a person may invite by hand (the picker)."""
    return (City.objects.filter(region=region).exclude(stage__in=NOT_INVITABLE)
            .order_by("name"))


def expert_choices(region):
    """Experts working with the region: confirmed or active (they accepted the Terms)."""
    return Expert.objects.filter(region=region, stage__in=WORKING).order_by("name")


def invitations_of(event: Event):
    return (EventInvitation.objects.filter(region=event.region, event=event)
            .select_related("city", "expert", "responded_by"))


def response_counts(event: Event) -> dict[str, int]:
    """{"accepted": n, "tentative": n, "declined": n, "pending": n, "total": n,
    "present": n, "absent": n} in one query."""
    return EventInvitation.objects.filter(region=event.region, event=event).aggregate(
        total=Count("id"),
        **{value: Count("id", filter=Q(response=value)) for value in Response.values},
        present=Count("id", filter=Q(attended=True)),
        absent=Count("id", filter=Q(attended=False)))


def observer_rule(event: Event) -> tuple[bool, str]:
    """Whether observer cities are invited to this event, and the sentence that says why
    not ("observers are invited to …; this is a …")."""
    kinds = event_settings.observer_kinds(event.region)
    if event.kind in kinds:
        return True, ""
    invited_to = event_settings.kind_labels(kinds) or _("no event")
    return False, _("observers are invited to: %(kinds)s; this is a %(kind)s.") % {
        "kinds": invited_to, "kind": EventKind(event.kind).label.lower()}


def _own(user, region, kind: str, rows, role: str) -> list[int]:
    """Read once per request and region (a page and its dashboard card ask more than once),
    and only for someone holding the role that has them."""
    if role not in permissions.roles_of(user, region) and not user.is_superuser:
        return []
    cache = user.__dict__.setdefault("_event_invitees", {})
    if (kind, region.pk) not in cache:
        cache[kind, region.pk] = list(rows())
    return cache[kind, region.pk]


def own_city_ids(user, region) -> list[int]:
    return _own(user, region, "cities", lambda: Contact.objects.filter(
        region=region, user=user).values_list("city_id", flat=True).distinct(),
        Role.CITY_CONTACT)


def own_expert_ids(user, region) -> list[int]:
    return _own(user, region, "experts", lambda: Expert.objects.filter(
        region=region, user=user).values_list("pk", flat=True), Role.EXPERT)


def shown_to_invitees() -> Q:
    """Invitations whose event the invitee may know of: announced (or held since), or
    open to the public; a cancelled one they were told of."""
    return (Q(event__announced_at__isnull=False) | Q(event__audience=Audience.PUBLIC)) & ~Q(
        event__state=EventState.CANCELLED, event__announced_at__isnull=True)


def own_invitations(user, region):
    """The invitations `user` answers: their cities' and their own expert record's, of
    events they may know of."""
    cities, experts = own_city_ids(user, region), own_expert_ids(user, region)
    if not cities and not experts:
        return EventInvitation.objects.none()
    # The ids themselves, one kind when the person has one: the invitations' own indexes
    # answer, where an OR of subqueries reads every invitation of the region.
    if cities and experts:
        own = Q(city_id__in=cities) | Q(expert_id__in=experts)
    else:
        own = Q(city_id__in=cities) if cities else Q(expert_id__in=experts)
    return (EventInvitation.objects.filter(region=region).filter(own)
            .filter(shown_to_invitees())
            .select_related("event", "city", "expert"))


def may_answer(user, invitation: EventInvitation) -> bool:
    region = invitation.region
    if invitation.city_id:
        return invitation.city_id in own_city_ids(user, region)
    return invitation.expert_id in own_expert_ids(user, region)


# -- inviting -------------------------------------------------------------------------------

@dataclass
class Invited:
    """What an invitation run did: how many were added, and the observer cities left out
    with the reason."""

    added: list[EventInvitation] = field(default_factory=list)
    already: int = 0
    skipped: list[City] = field(default_factory=list)
    reason: str = ""

    @property
    def count(self) -> int:
        return len(self.added)

    def skipped_message(self) -> str:
        if not self.skipped:
            return ""
        return _("%(count)s observer cities were left out: %(reason)s") % {
            "count": len(self.skipped), "reason": self.reason}


def _refuse_closed(event: Event) -> None:
    if event.state in CLOSED:
        raise InvalidTransition(_("This event is %(state)s: its invitations no longer change.")
                                % {"state": event.state_label.lower()})


def _split_observers(event: Event, cities: list[City], result: Invited) -> list[City]:
    allowed, reason = observer_rule(event)
    if allowed:
        return cities
    kept = []
    for city in cities:
        if city.tier == Tier.OBSERVER:
            result.skipped.append(city)
        else:
            kept.append(city)
    result.reason = reason
    return kept


def _add(actor, event: Event, *, cities=(), experts=(), invited_as: str,
         result: Invited | None = None) -> Invited:
    """Inside the caller's transaction, with the event locked: invite those not invited
    yet; once the event is announced, tell them at once."""
    result = result or Invited()
    have_cities = set(EventInvitation.objects.filter(event=event, city__isnull=False)
                      .values_list("city_id", flat=True))
    have_experts = set(EventInvitation.objects.filter(event=event, expert__isnull=False)
                       .values_list("expert_id", flat=True))
    now = timezone.now()
    rows, seen_cities, seen_experts = [], set(), set()
    for city in cities:
        if city.pk in have_cities or city.pk in seen_cities:
            result.already += city.pk in have_cities
            continue
        seen_cities.add(city.pk)
        rows.append(EventInvitation(region=event.region, event=event, city=city,
                                    invited_as=invited_as, invited_at=now))
    for expert in experts:
        if expert.pk in have_experts or expert.pk in seen_experts:
            result.already += expert.pk in have_experts
            continue
        seen_experts.add(expert.pk)
        rows.append(EventInvitation(region=event.region, event=event, expert=expert,
                                    invited_as=invited_as, invited_at=now))
    if not rows:
        return result
    EventInvitation.objects.bulk_create(rows)
    result.added.extend(rows)
    names = [str(row.city or row.expert) for row in rows]
    audit.record(actor=actor, action="events.invitations.added", target=event,
                 region=event.region, count=len(rows), how=invited_as,
                 names=", ".join(names[:10]) + (" …" if len(names) > 10 else ""))
    if event.announced_at is not None and event.state == EventState.ANNOUNCED:
        tell_invitees(event, rows)
    return result


def _locked_event(actor, event: Event) -> Event:
    require_manage(actor, event)
    row = locked(event, "region")
    _refuse_closed(row)
    return row


def tier_cities(region, tiers):
    """The cities a tier invitation reaches: pioneers and active cities that participate,
    observers in dialogue or later."""
    where = Q(pk__in=[])
    participating = [tier for tier in tiers if tier in (Tier.PIONEER, Tier.ACTIVE)]
    if participating:
        where |= Q(tier__in=participating, stage__in=PARTICIPATING)
    if Tier.OBSERVER in tiers:
        where |= Q(tier=Tier.OBSERVER, stage__in=OBSERVING)
    return City.objects.filter(region=region).filter(where).order_by("name", "id")


@transaction.atomic
def invite_by_tier(*, actor, event: Event, tiers) -> Invited:
    unknown = set(tiers) - set(TIERS)
    if not tiers or unknown:
        raise DomainError(_("Choose one or more tiers."), field="tiers")
    row = _locked_event(actor, event)
    result = Invited()
    cities = _split_observers(row, list(tier_cities(row.region, tiers).only("name", "tier")),
                              result)
    return _add(actor, row, cities=cities, invited_as=InvitedAs.TIER, result=result)


@transaction.atomic
def invite_city(*, actor, event: Event, city: City) -> Invited:
    if city.region_id != event.region_id or city.stage in NOT_INVITABLE:
        raise DomainError(_("Choose a city of the region that is still in touch with it."),
                          field="city")
    row = _locked_event(actor, event)
    allowed, reason = observer_rule(row)
    if city.tier == Tier.OBSERVER and not allowed:
        raise DomainError(_("%(city)s is an observer city: %(reason)s") % {
            "city": city.name, "reason": reason}, field="city")
    return _add(actor, row, cities=[city], invited_as=InvitedAs.MANUAL)


@transaction.atomic
def invite_experts(*, actor, event: Event, experts=None) -> Invited:
    """The experts given, or with None every expert working with the region."""
    row = _locked_event(actor, event)
    working = expert_choices(row.region)
    if experts is None:
        chosen = list(working.only("name"))
    else:
        ids = {expert.pk for expert in experts}
        chosen = list(working.filter(pk__in=ids).only("name"))
        if len(chosen) != len(ids):
            raise DomainError(_("Choose experts who work with the region (confirmed or "
                                "active)."), field="expert")
    return _add(actor, row, experts=chosen, invited_as=InvitedAs.EXPERT)


@transaction.atomic
def invite_group(*, actor, event: Event, group: WorkingGroup) -> Invited:
    """A working group's current members: its experts, and the cities of its city
    contacts (the observer rule applies to those)."""
    if group.region_id != event.region_id or group.is_archived:
        raise DomainError(_("Choose a working group of the region."), field="group")
    row = _locked_event(actor, event)
    members = list(GroupMember.objects.filter(region=row.region, group=group, left_on=None)
                   .select_related("expert", "contact__city"))
    experts = [m.expert for m in members if m.expert_id]
    cities = list({m.contact.city.pk: m.contact.city for m in members if m.contact_id}.values())
    result = Invited()
    cities = _split_observers(row, cities, result)
    return _add(actor, row, cities=cities, experts=experts, invited_as=InvitedAs.WORKING_GROUP,
                result=result)


@transaction.atomic
def invite_previous(*, actor, event: Event) -> Invited:
    """The invitees of the meeting this one follows (the observer rule applies)."""
    if event.follows_id is None:
        raise DomainError(_("This event does not follow another meeting."))
    row = _locked_event(actor, event)
    before = list(EventInvitation.objects.filter(region=row.region, event_id=row.follows_id)
                  .select_related("city", "expert"))
    result = Invited()
    cities = _split_observers(row, [i.city for i in before if i.city_id], result)
    return _add(actor, row, cities=cities, experts=[i.expert for i in before if i.expert_id],
                invited_as=InvitedAs.MANUAL, result=result)


@transaction.atomic
def remove_invitation(*, actor, invitation: EventInvitation) -> None:
    event = _locked_event(actor, invitation.event)
    row = locked(invitation)
    audit.record(actor=actor, action="events.invitation.removed", target=event,
                 region=event.region, name=str(invitation))
    row.delete()


# -- announcing -----------------------------------------------------------------------------

def event_page(event: Event) -> str:
    return reverse("event-detail", kwargs={"region_slug": event.region.slug,
                                           "event_id": event.pk})


def my_events_page(event: Event) -> str:
    return reverse("my-events", kwargs={"region_slug": event.region.slug})


@transaction.atomic
def announce(*, actor, event: Event, approved: bool = False) -> Event:
    """Announce the event and tell every invitee not told yet. A kind with an agenda needs
    the Forum's approval first. `approved`: called from the approval itself (its decider
    need not run the event), which holds the event's row locked already. Announcing again
    tells only those added since."""
    if not approved:
        require_manage(actor, event)
    row = event if approved else locked(event, "region")
    if row.state in CLOSED:
        raise InvalidTransition(_("This event is %(state)s: it is not announced.")
                                % {"state": row.state_label.lower()})
    if row.needs_agenda_approval and row.agenda_state != AgendaState.APPROVED:
        raise InvalidTransition(_("The Forum has not approved the agenda and speakers yet: "
                                  "the event is announced once it does."))
    if row.state != EventState.ANNOUNCED:
        row.state = EventState.ANNOUNCED
        row.announced_at = timezone.now()
        row.save(update_fields=["state", "announced_at"])
        audit.record(actor=actor, action="events.event.announced", target=row,
                     region=row.region)
    tell_invitees(row, list(EventInvitation.objects.filter(event=row, notified_at=None)))
    event.state, event.announced_at = row.state, row.announced_at
    return row


def _where(event: Event) -> str:
    return event.venue or event.online_link or ""


def _message(event: Event, person, region, *, reminder: bool = False) -> tuple[str, str]:
    with in_language_of(person, region):
        values = {"title": event.title, "when": shown_when(event.starts_at)}
        subject = (_("Will you attend %(title)s (%(when)s)?") if reminder
                   else _("You are invited: %(title)s (%(when)s)")) % values
        lines = [_("%(kind)s, %(when)s (%(zone)s).") % {
            "kind": event.kind_label, "when": shown_when(event.starts_at),
            "zone": region.time_zone}]
        if _where(event):
            lines.append(_("Where: %(where)s") % {"where": _where(event)})
        lines.append(_("Tell the secretariat whether you attend on your events page."))
        return subject, "\n".join(lines)


def _recipients(region, invitations: list[EventInvitation]) -> dict[int, tuple[list, list]]:
    """{invitation id: (users, emails)}: a city's contacts with an account, else its key
    contact's email; an expert's account, else their email. Two queries for any number."""
    city_ids = {i.city_id for i in invitations if i.city_id}
    contacts: dict[int, list[Contact]] = {}
    if city_ids:
        for contact in (Contact.objects.filter(region=region, city_id__in=city_ids)
                        .select_related("user").order_by("city_id", "-is_key", "pk")):
            contacts.setdefault(contact.city_id, []).append(contact)
    expert_ids = {i.expert_id for i in invitations if i.expert_id}
    experts = {e.pk: e for e in Expert.objects.filter(region=region, pk__in=expert_ids)
               .select_related("user")} if expert_ids else {}
    found = {}
    for invitation in invitations:
        people, emails = [], []
        if invitation.city_id:
            mine = contacts.get(invitation.city_id, [])
            people = list({c.user.pk: c.user for c in mine
                           if c.user_id and c.user.is_active}.values())
            if not people:
                emails = [c.email for c in mine if c.is_key and c.email]
        else:
            expert = experts.get(invitation.expert_id)
            if expert is not None and expert.user_id and expert.user.is_active:
                people = [expert.user]
            elif expert is not None and expert.email:
                emails = [expert.email]
        found[invitation.pk] = (people, emails)
    return found


def _notifications(event: Event, invitations, *, kind: str, reminder: bool = False):
    """The outbox rows telling each person of `invitations`, keyed by invitation, `kind`
    and person (a retry writes nothing twice); and the invitations someone was told of."""
    region, url = event.region, my_events_page(event)
    rows, told = [], []
    for pk, (people, emails) in _recipients(region, invitations).items():
        for person in people:
            subject, body = _message(event, person, region, reminder=reminder)
            rows.append(Notification(key=f"event-invitation:{pk}:{kind}user:{person.pk}",
                                     recipient=person, subject=subject, body=body, url=url,
                                     region=region))
        for email in emails:
            subject, body = _message(event, None, region, reminder=reminder)
            rows.append(Notification(key=f"event-invitation:{pk}:{kind}email:{email}",
                                     email=email, subject=subject, body=body, region=region))
        if people or emails:
            told.append(pk)
    return rows, told


def tell_invitees(event: Event, invitations: list[EventInvitation]) -> int:
    """Inside the caller's transaction: tell each person of the invitations not told yet
    (see `_recipients`), once; the invitation remembers when."""
    pending = [i for i in invitations if i.notified_at is None]
    if not pending:
        return 0
    rows, told = _notifications(event, pending, kind="")
    notify_many(rows)
    if told:
        now = timezone.now()
        EventInvitation.objects.filter(pk__in=told, notified_at=None).update(notified_at=now)
        for invitation in pending:
            if invitation.pk in told:
                invitation.notified_at = now
    return len(told)


# An invitee who has not answered is asked once, this long before the event.
ASK_BEFORE = datetime.timedelta(days=7)


@transaction.atomic
def send_answer_reminders(*, region, now=None) -> int:
    """Ask the invitees told of an event starting within a week who have not answered
    (once per invitation and person: a second run sends nothing). Returns the invitations
    asked."""
    now = now or timezone.now()
    events = list(Event.objects.filter(region=region, state=EventState.ANNOUNCED,
                                       starts_at__gt=now, starts_at__lte=now + ASK_BEFORE)
                  .select_related("region"))
    asked = 0
    for event in events:
        waiting = list(EventInvitation.objects.filter(
            event=event, response=Response.PENDING, notified_at__isnull=False))
        if not waiting:
            continue
        rows, told = _notifications(event, waiting, kind="reminder:", reminder=True)
        if notify_many(rows):
            asked += len(told)
    return asked


def on_agenda_approved(sender, *, event: Event, actor, **kwargs) -> None:
    """The Forum approved the agenda and speakers: announce the event to its invitees."""
    if event.state in CLOSED:
        return
    announce(actor=actor, event=event, approved=True)


# -- answering ------------------------------------------------------------------------------

@transaction.atomic
def respond(*, actor, invitation: EventInvitation, response: str, note: str = "") -> \
        EventInvitation:
    """An invitee answers: attending, maybe, not attending, with a note."""
    permissions.require(actor, RSVP, region=invitation.region)
    if not may_answer(actor, invitation):
        raise PermissionDenied(_("You answer only for your own city or yourself."))
    if response not in ANSWERS:
        raise DomainError(_("Answer attending, maybe or not attending."), field="response")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(_("Keep the note under %(count)s characters.")
                          % {"count": NOTE_MAX_LENGTH}, field="note")
    row = locked(invitation, "event")
    event = row.event
    if event.state in CLOSED or event.ends_at <= timezone.now():
        raise InvalidTransition(_("This event is over or cancelled: answers are closed."))
    if not (event.announced_at or event.audience == Audience.PUBLIC):
        raise InvalidTransition(_("This event is not announced yet."))
    old = {"response": row.response, "note": row.response_note}
    if old == {"response": response, "note": note}:
        return row
    row.response, row.response_note = response, note
    row.responded_by, row.responded_at = actor, timezone.now()
    row.save(update_fields=["response", "response_note", "responded_by", "responded_at"])
    audit.record(actor=actor, action="events.invitation.responded", target=event,
                 region=row.region, name=str(row), old=old["response"], new=response,
                 note=note)
    invitation.response, invitation.response_note = response, note
    return row


# -- attendance -----------------------------------------------------------------------------

@transaction.atomic
def record_attendance(*, actor, event: Event, rows: dict[int, tuple[bool | None, str]],
                      now=None) -> int:
    """After the event started: for each invitation id, whether they attended and who came.
    Returns how many invitations changed."""
    require_manage(actor, event)
    now = now or timezone.now()
    row = locked(event, "region")
    if row.state == EventState.CANCELLED:
        raise InvalidTransition(_("This event was cancelled: there is no attendance."))
    if row.starts_at > now:
        raise InvalidTransition(_("Attendance is recorded once the event has started."))
    invitations = {i.pk: i for i in EventInvitation.objects.select_for_update().filter(
        event=row, pk__in=list(rows))}
    if set(rows) - set(invitations):
        raise DomainError(_("An invitation of this list is no longer there: reload the page."))
    changed = []
    for pk, (attended, attendees) in rows.items():
        attendees = (attendees or "").strip()
        if len(attendees) > ATTENDEES_MAX_LENGTH:
            raise DomainError(_("Keep “who attended” under %(count)s characters.")
                              % {"count": ATTENDEES_MAX_LENGTH}, field="attendees")
        invitation = invitations[pk]
        if (invitation.attended, invitation.attendees) != (attended, attendees):
            invitation.attended, invitation.attendees = attended, attendees
            changed.append(invitation)
    if changed:
        EventInvitation.objects.bulk_update(changed, ["attended", "attendees"])
        audit.record(actor=actor, action="events.attendance.recorded", target=row,
                     region=row.region, count=len(changed),
                     attended=sum(1 for i in changed if i.attended))
    return len(changed)
