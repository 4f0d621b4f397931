"""The monthly dialogue with every city (playbook, Operation V and Appendix III, Dialogue with
Cities): logging a conversation and what it leaves to do, and the monthly reminder to each
member city's owner about a month that passed without one.

A reminder is a notification keyed `dialogue-reminder:<city>:<YYYY-MM>` (the month without
a dialogue); logging a dialogue with the city marks its open reminders read, so the bell and
the dashboard stop asking."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError
from alliance.models import Notification, Role
from alliance.services import audit
from alliance.services.changes import locked, save_locked
from alliance.services.notifications import in_language_of, notify_many

from ..forms import owner_choices
from ..models import City, Dialogue, DialogueFollowUp, Stage

VIEW, LOG = "cities.view_dialogues", "cities.log_dialogue"
EDITABLE = ("city", "held_on", "with_whom", "with_whom_note", "channel", "summary")
FOLLOW_UP_EDITABLE = ("title", "owner", "due_on")
MAX_FOLLOW_UPS = 20  # a dialogue's follow-ups; more is a project plan, not a conversation
REMINDER_PREFIX = "dialogue-reminder"


# -- months and working days ----------------------------------------------------------------

def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    """The first day of the month `count` months after (or before) `month`'s."""
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_code(month: datetime.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def first_working_day(month: datetime.date) -> datetime.date:
    """The month's first Monday-to-Friday day (the 3rd when the 1st is a Saturday)."""
    day = month_start(month)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def moment(day: datetime.date, zone) -> datetime.datetime:
    """Midnight at the start of `day` in `zone`."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


def reminder_prefix(city_id: int) -> str:
    return f"{REMINDER_PREFIX}:{city_id}:"


def reminder_key(city_id: int, month: datetime.date) -> str:
    return f"{reminder_prefix(city_id)}{month_code(month)}"


# -- who may ----------------------------------------------------------------------------------

def may_view(user, region) -> bool:
    return permissions.can(user, VIEW, region=region)


def may_log(user, region) -> bool:
    return permissions.can(user, LOG, region=region)


# -- checks -----------------------------------------------------------------------------------

def _checked(region, data: dict) -> dict:
    """The dialogue's fields tidied, or a DomainError naming the field at fault."""
    data = dict(data)
    city = data.get("city")
    if "city" in data and (city is None or city.region_id != region.pk):
        raise DomainError(_("Choose a city of the region."), field="city")
    if "held_on" in data:
        held_on = data["held_on"]
        if held_on is None:
            raise DomainError(_("Give the date of the dialogue."), field="held_on")
        if held_on > timezone.localdate():
            raise DomainError(_("A dialogue is logged once it has taken place: the date "
                                "cannot be in the future."), field="held_on")
    if "with_whom" in data and data["with_whom"] not in Dialogue.WithWhom.values:
        raise DomainError(_("Choose with whom the dialogue was held."), field="with_whom")
    if "channel" in data and data["channel"] not in Dialogue.Channel.values:
        raise DomainError(_("Choose the channel."), field="channel")
    for name in ("with_whom_note", "summary"):
        if name in data:
            data[name] = (data[name] or "").strip()
    if "summary" in data and not data["summary"]:
        raise DomainError(_("Write what was discussed."), field="summary")
    if data.get("with_whom") == Dialogue.WithWhom.OTHER and "with_whom_note" in data and (
            not data["with_whom_note"]):
        raise DomainError(_("Say who was spoken to (a name or a role)."),
                          field="with_whom_note")
    return data


def _checked_follow_up(region, row: dict) -> dict:
    title = (row.get("title") or "").strip()
    if not title:
        raise DomainError(_("Give each follow-up a title."), field="follow_ups")
    owner = row.get("owner")
    if owner is not None and not owner_choices(region).filter(pk=owner.pk).exists():
        raise DomainError(_("A follow-up's owner must be a member of the region's "
                            "secretariat or of the Global Secretariat."), field="follow_ups")
    return {"title": title[:300], "owner": owner, "due_on": row.get("due_on")}


# -- writes -----------------------------------------------------------------------------------

def create_dialogue(*, actor, region, city: City, held_on: datetime.date, summary: str,
                    with_whom: str = Dialogue.WithWhom.SMART_CITY_LEAD,
                    with_whom_note: str = "", channel: str = Dialogue.Channel.ONLINE,
                    follow_ups: list[dict] = ()) -> Dialogue:
    """Log a dialogue that took place, with what it leaves to do (`follow_ups`: dicts of
    title, owner, due_on), and clear the city's open dialogue reminders."""
    permissions.require(actor, LOG, region=region)
    data = _checked(region, {"city": city, "held_on": held_on, "with_whom": with_whom,
                             "with_whom_note": with_whom_note, "channel": channel,
                             "summary": summary})
    rows = [_checked_follow_up(region, row) for row in follow_ups]
    if len(rows) > MAX_FOLLOW_UPS:
        raise DomainError(_("At most %(count)s follow-ups a dialogue.")
                          % {"count": MAX_FOLLOW_UPS}, field="follow_ups")
    with transaction.atomic():
        dialogue = Dialogue.objects.create(region=region, author=actor, **data)
        audit.record(actor=actor, action="cities.dialogue.logged", target=dialogue,
                     region=region, city=city.name, with_whom=data["with_whom"],
                     channel=data["channel"], held_on=data["held_on"].isoformat())
        for row in rows:
            _add_follow_up(actor, dialogue, row)
        clear_reminders(city)
    return dialogue


def _add_follow_up(actor, dialogue: Dialogue, row: dict) -> DialogueFollowUp:
    follow_up = DialogueFollowUp.objects.create(region=dialogue.region, dialogue=dialogue,
                                                **row)
    audit.record(actor=actor, action="cities.dialogue.follow_up_added", target=dialogue,
                 region=dialogue.region, title=follow_up.title)
    return follow_up


def update_dialogue(*, actor, dialogue: Dialogue, follow_ups: list[dict] | None = None,
                    **changes) -> Dialogue:
    """Change what was logged. `follow_ups`, when given, lists the follow-ups after the edit:
    a dict with an `id` changes that one (`remove` deletes it), one without adds one."""
    region = dialogue.region
    permissions.require(actor, LOG, region=region)
    data = _checked(region, changes)
    with transaction.atomic():
        row = locked(dialogue)
        if data.get("with_whom", row.with_whom) == Dialogue.WithWhom.OTHER and not data.get(
                "with_whom_note", row.with_whom_note):
            raise DomainError(_("Say who was spoken to (a name or a role)."),
                              field="with_whom_note")
        old_city_id = row.city_id
        save_locked(actor=actor, row=row, changes=data, editable=EDITABLE,
                    action="cities.dialogue.changed")
        if follow_ups is not None:
            _replace_follow_ups(actor, row, follow_ups)
        if row.city_id != old_city_id:
            clear_reminders(row.city)
    for name in data:
        setattr(dialogue, name, getattr(row, name))
    return dialogue


def _replace_follow_ups(actor, dialogue: Dialogue, wanted: list[dict]) -> None:
    region = dialogue.region
    current = {f.pk: f for f in DialogueFollowUp.objects.select_for_update().filter(
        region=region, dialogue=dialogue)}
    kept = 0
    for row in wanted:
        pk = row.get("id")
        if pk is not None and pk not in current:
            raise DomainError(_("That follow-up is not one of this dialogue's."),
                              field="follow_ups")
        if pk is not None and row.get("remove"):
            follow_up = current.pop(pk)
            audit.record(actor=actor, action="cities.dialogue.follow_up_removed",
                         target=dialogue, region=region, title=follow_up.title)
            follow_up.delete()
            continue
        checked = _checked_follow_up(region, row)
        kept += 1
        if pk is None:
            _add_follow_up(actor, dialogue, checked)
        else:
            save_locked(actor=actor, row=current[pk], changes=checked,
                        editable=FOLLOW_UP_EDITABLE,
                        action="cities.dialogue.follow_up_changed", target=dialogue,
                        follow_up=current[pk].title)
    untouched = len(current) - sum(1 for row in wanted if row.get("id") in current)
    if kept + untouched > MAX_FOLLOW_UPS:
        raise DomainError(_("At most %(count)s follow-ups a dialogue.")
                          % {"count": MAX_FOLLOW_UPS}, field="follow_ups")


def add_follow_up(*, actor, dialogue: Dialogue, title: str, owner=None,
                  due_on: datetime.date | None = None) -> DialogueFollowUp:
    region = dialogue.region
    permissions.require(actor, LOG, region=region)
    row = _checked_follow_up(region, {"title": title, "owner": owner, "due_on": due_on})
    with transaction.atomic():
        locked(dialogue)
        if DialogueFollowUp.objects.filter(region=region, dialogue=dialogue).count() >= (
                MAX_FOLLOW_UPS):
            raise DomainError(_("At most %(count)s follow-ups a dialogue.")
                              % {"count": MAX_FOLLOW_UPS}, field="title")
        return _add_follow_up(actor, dialogue, row)


def set_follow_up_done(*, actor, follow_up: DialogueFollowUp, done: bool) -> DialogueFollowUp:
    """Tick a follow-up done (or open it again). Its owner and the secretariat may."""
    region = follow_up.region
    if not (may_log(actor, region) or follow_up.owner_id == actor.pk):
        permissions.require(actor, LOG, region=region)
    with transaction.atomic():
        row = locked(follow_up)
        if (row.done_at is not None) == done:
            return row
        row.done_at = timezone.now() if done else None
        row.save(update_fields=["done_at"])
        audit.record(actor=actor, region=region, target=row.dialogue,
                     action="cities.dialogue.follow_up_done" if done
                     else "cities.dialogue.follow_up_reopened", title=row.title)
    follow_up.done_at = row.done_at
    return follow_up


def clear_reminders(city: City) -> int:
    """Mark the city's open dialogue reminders read, whoever received them."""
    return (Notification.objects.filter(key__startswith=reminder_prefix(city.pk),
                                        read_at__isnull=True)
            .update(read_at=timezone.now()))


# -- the monthly reminder ---------------------------------------------------------------------

@dataclass(frozen=True)
class ReminderMonth:
    """The month a run reminds about, and whether today is a day to send."""

    month: datetime.date  # the first day of the month without a dialogue
    due: bool


def reminder_month(today: datetime.date) -> ReminderMonth:
    """From the current month's first working day to its end, reminders about the previous
    month are due (a run missed on the first working day is caught up later: the key makes
    it once per city and month)."""
    return ReminderMonth(add_months(month_start(today), -1),
                         today >= first_working_day(today))


def cities_to_remind(region, month: datetime.date, today: datetime.date):
    """Member cities (members before `month` ended) with no dialogue in `month`, nor since
    (a dialogue this month answers the reminder before it is sent)."""
    zone = timezone.get_current_timezone()
    month_end = add_months(month, 1)
    spoken = Dialogue.objects.filter(city=OuterRef("pk"), held_on__gte=month,
                                     held_on__lte=today)
    return (City.objects.filter(region=region, stage=Stage.MEMBER,
                                stage_changed_at__lt=moment(month_end, zone))
            .exclude(Exists(spoken)).select_related("owner").order_by("pk"))


def send_reminders(*, region, today: datetime.date | None = None) -> int:
    """On and after the first working day of a month (in the region's time zone: run inside
    its scope), tell each member city's owner about the city if nobody logged a dialogue
    with it last month; a city with no owner goes to the region's secretariat. Once per city
    and month. Returns how many notifications were written now."""
    today = today or timezone.localdate()
    when = reminder_month(today)
    if not when.due:
        return 0
    cities = list(cities_to_remind(region, when.month, today))
    if not cities:
        return 0
    secretariat = None
    rows = []
    for city in cities:
        city.region = region
        key = reminder_key(city.pk, when.month)
        if city.owner_id and city.owner.is_active:
            rows.append(_reminder(city, when.month, city.owner, key))
            continue
        if secretariat is None:
            secretariat = list(get_user_model().objects.filter(
                memberships__region=region, memberships__role=Role.REGIONAL_SECRETARIAT,
                is_active=True).distinct().order_by("pk"))
        rows.extend(_reminder(city, when.month, person, f"{key}:{person.pk}")
                    for person in secretariat)
    return len(notify_many(rows))


def _reminder(city: City, month: datetime.date, person, key: str) -> Notification:
    region = city.region
    with in_language_of(person, region):
        words = {"city": city.name, "month": month.strftime("%Y-%m")}
        subject = _("No dialogue with %(city)s in %(month)s") % words
        body = _("Nobody logged a dialogue with %(city)s in %(month)s. The playbook asks for a "
                 "conversation with every member city once a month: talk to the city and log "
                 "the dialogue.") % words
    url = reverse("dialogue-create", kwargs={"region_slug": region.slug})
    return Notification(key=key, recipient=person, region=region, subject=subject, body=body,
                        url=f"{url}?city={city.pk}")
