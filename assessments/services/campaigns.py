"""A region's assessment campaigns: its annual schedule and busy periods, the campaign's
draft, its launch (one assessment per member or opted-in city, an invitation to each key
contact), the progress it makes, reminders, the weekly digest, closing at the deadline and
the draft the annual schedule prepares.

The jobs (launch, reminders, digest, close, schedule) can run twice and do their work once:
assessments are unique per campaign and city, and every notification has a key the outbox
refuses to write twice."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.models import AuditEntry, Notification, Role, User
from alliance.services import audit
from alliance.services.changes import locked, save_changes
from alliance.services.notifications import language_of, notify, notify_many
from cities.models import City, Contact, Stage

from ..models import (
    Assessment,
    AssessmentSettings,
    BusyPeriod,
    Campaign,
    QuestionnaireVersion,
    Variant,
)

MANAGE = "assessments.manage_campaigns"
SETTINGS_FIELDS = ("opening_month", "window_weeks", "reminder_days")
PERIOD_FIELDS = ("name", "start_month", "start_day", "end_month", "end_day")
CAMPAIGN_FIELDS = ("year", "version", "variant", "opens_on", "closes_on", "reminder_days")
# Cities written, invited and counted per transaction of the launch: the progress bar moves
# after each chunk.
LAUNCH_CHUNK = 500
# An assessment still waiting for the city: reminded, and counted as outstanding.
WAITING = (Assessment.State.NOT_STARTED, Assessment.State.IN_PROGRESS,
           Assessment.State.RETURNED)
# A launch job that has not finished this long after it started is started again.
STALLED_AFTER = timedelta(minutes=10)


# -- the region's schedule and busy periods -----------------------------------------------------

def settings_of(region) -> AssessmentSettings:
    """The region's schedule; the defaults (unsaved) until the secretariat saves it."""
    return (AssessmentSettings.objects.filter(region=region).first()
            or AssessmentSettings(region=region))


def save_settings(*, actor, region, **changes) -> AssessmentSettings:
    permissions.require(actor, MANAGE, region=region)
    with transaction.atomic():
        row, _created = AssessmentSettings.objects.get_or_create(region=region)
        row, _changed = save_changes(actor=actor, obj=row, changes=changes,
                                     editable=SETTINGS_FIELDS, validate=True,
                                     action="assessments.settings.changed")
    return row


def _check_period(fields: dict) -> None:
    """A day that exists in its month (29 February does, in leap years)."""
    for prefix in ("start", "end"):
        month, day = fields.get(f"{prefix}_month"), fields.get(f"{prefix}_day")
        if month and day and day > calendar.monthrange(2024, month)[1]:
            raise DomainError(_("%(month)s has no day %(day)s.") % {
                "month": _month_name(month), "day": day}, field=f"{prefix}_day")


def _month_name(month: int) -> str:
    return formats.date_format(date(2024, month, 1), "F")


def create_busy_period(*, actor, region, **fields) -> BusyPeriod:
    permissions.require(actor, MANAGE, region=region)
    _check_period(fields)
    with transaction.atomic():
        period = BusyPeriod.objects.create(region=region, **fields)
        audit.record(actor=actor, action="assessments.busy_period.created", target=period,
                     region=region, name=period.name)
    return period


def update_busy_period(*, actor, period: BusyPeriod, **changes) -> BusyPeriod:
    permissions.require(actor, MANAGE, region=period.region)
    _check_period({**{f: getattr(period, f) for f in PERIOD_FIELDS}, **changes})
    with transaction.atomic():
        period, _changed = save_changes(actor=actor, obj=period, changes=changes,
                                        editable=PERIOD_FIELDS,
                                        action="assessments.busy_period.changed")
    return period


def delete_busy_period(*, actor, period: BusyPeriod) -> None:
    permissions.require(actor, MANAGE, region=period.region)
    with transaction.atomic():
        audit.record(actor=actor, action="assessments.busy_period.deleted", target=period,
                     region=period.region, name=period.name)
        period.delete()


def _on(year: int, month: int, day: int) -> date:
    """The day in that year, or the month's last (29 February in other years)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def occurrences(period: BusyPeriod, first_year: int, last_year: int):
    """The period's spans (first day, last day) touching those years; a period from December
    to January ends in the next year."""
    wraps = (period.end_month, period.end_day) < (period.start_month, period.start_day)
    for year in range(first_year - 1, last_year + 1):
        yield (_on(year, period.start_month, period.start_day),
               _on(year + 1 if wraps else year, period.end_month, period.end_day))


def busy_periods_over(region, opens_on: date, closes_on: date) -> list[BusyPeriod]:
    """The region's busy periods that overlap the window (a handful a region)."""
    return [period for period in BusyPeriod.objects.filter(region=region)
            if any(start <= closes_on and opens_on <= end
                   for start, end in occurrences(period, opens_on.year, closes_on.year))]


# -- a campaign's draft -------------------------------------------------------------------------

def published_versions() -> QuerySet[QuestionnaireVersion]:
    return (QuestionnaireVersion.objects.filter(state=QuestionnaireVersion.State.PUBLISHED)
            .select_related("questionnaire")
            .order_by(F("published_at").desc(nulls_last=True), "-pk"))


def _check_campaign(region, fields: dict, *, exclude: Campaign | None = None) -> None:
    version = fields.get("version")
    if version is not None and version.state != QuestionnaireVersion.State.PUBLISHED:
        raise DomainError(_("Choose a published questionnaire version: a draft may still "
                            "change."), field="version")
    opens_on, closes_on = fields.get("opens_on"), fields.get("closes_on")
    if opens_on and closes_on and closes_on <= opens_on:
        raise DomainError(_("The deadline must come after the day the campaign opens."),
                          field="closes_on")
    year = fields.get("year")
    same_year = Campaign.objects.filter(region=region, year=year)
    if exclude is not None:
        same_year = same_year.exclude(pk=exclude.pk)
    if year is not None and same_year.exists():
        raise DomainError(_("This region already has a campaign for %(year)s: one campaign "
                            "a year.") % {"year": year}, field="year")


def create_campaign(*, actor, region, year: int, version: QuestionnaireVersion, opens_on: date,
                    closes_on: date, variant: str = Variant.FULL, reminder_days: int = 7,
                    prepared_by_schedule: bool = False) -> Campaign:
    if actor is not None:
        permissions.require(actor, MANAGE, region=region)
    fields = {"year": year, "version": version, "variant": variant, "opens_on": opens_on,
              "closes_on": closes_on, "reminder_days": reminder_days}
    _check_campaign(region, fields)
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(region=region,
                                               prepared_by_schedule=prepared_by_schedule,
                                               **fields)
            audit.record(actor=actor, action=("assessments.campaign.prepared"
                                              if prepared_by_schedule else
                                              "assessments.campaign.created"),
                         target=campaign, region=region, year=year, version=str(version))
    except IntegrityError:  # the same year saved at the same moment elsewhere
        raise DomainError(_("This region already has a campaign for %(year)s: one campaign "
                            "a year.") % {"year": year}, field="year") from None
    return campaign


def _check_draft(campaign: Campaign) -> None:
    if campaign.state != Campaign.State.DRAFT:
        raise InvalidTransition(_("This campaign is launched: its settings no longer change."))


def update_campaign(*, actor, campaign: Campaign, **changes) -> Campaign:
    permissions.require(actor, MANAGE, region=campaign.region)

    def check(row: Campaign) -> None:
        _check_draft(row)
        _check_campaign(row.region, {**{f: getattr(row, f) for f in CAMPAIGN_FIELDS},
                                     **changes}, exclude=row)

    with transaction.atomic():
        campaign, _changed = save_changes(actor=actor, obj=campaign, changes=changes,
                                          editable=CAMPAIGN_FIELDS, check=check,
                                          related=("region", "version__questionnaire"),
                                          action="assessments.campaign.changed")
    return campaign


def opted_in_cities(campaign: Campaign) -> QuerySet[City]:
    return campaign.extra_cities.order_by("name").only("name", "stage", "country")


def add_opted_in_city(*, actor, campaign: Campaign, city: City) -> Campaign:
    """A city asked besides the members. Added to an open campaign, it is asked at once."""
    permissions.require(actor, MANAGE, region=campaign.region)
    with transaction.atomic():
        row = locked(campaign, "region")
        if row.state not in (Campaign.State.DRAFT, Campaign.State.OPEN):
            raise InvalidTransition(_("Cities can be added while the campaign is a draft or "
                                      "open."))
        if city.region_id != row.region_id:
            raise DomainError(_("Choose a city of this region."), field="city")
        if city.stage == Stage.MEMBER:
            raise DomainError(_("%(city)s is a member city: members are asked anyway.")
                              % {"city": city.name}, field="city")
        if row.extra_cities.filter(pk=city.pk).exists():
            raise DomainError(_("%(city)s is already on the list.") % {"city": city.name},
                              field="city")
        row.extra_cities.add(city)
        audit.record(actor=actor, action="assessments.campaign.city_added", target=row,
                     region=row.region, city=city.name)
        if row.state == Campaign.State.OPEN:
            _ask_cities(row, [city.pk], now=timezone.now())
    return row


def remove_opted_in_city(*, actor, campaign: Campaign, city: City) -> Campaign:
    permissions.require(actor, MANAGE, region=campaign.region)
    with transaction.atomic():
        row = locked(campaign, "region")
        if row.state != Campaign.State.DRAFT:
            raise InvalidTransition(_("A city that was asked stays in the campaign: remove "
                                      "cities before the launch."))
        if not row.extra_cities.filter(pk=city.pk).exists():
            raise DomainError(_("%(city)s is not on the list.") % {"city": city.name})
        row.extra_cities.remove(city)
        audit.record(actor=actor, action="assessments.campaign.city_removed", target=row,
                     region=row.region, city=city.name)
    return row


# -- the launch ---------------------------------------------------------------------------------

def cities_to_ask(campaign: Campaign) -> QuerySet[City]:
    """Every member city of the region and every city that opted in."""
    opted_in = Campaign.extra_cities.through.objects.filter(campaign_id=campaign.pk)
    return City.objects.filter(region=campaign.region_id).filter(
        Q(stage=Stage.MEMBER) | Q(pk__in=opted_in.values("city_id")))


def launch_campaign(*, actor, campaign: Campaign) -> Campaign:
    """Start the launch job: the campaign shows its progress until every city is asked."""
    permissions.require(actor, MANAGE, region=campaign.region)
    with transaction.atomic():
        row = locked(campaign, "region")
        if row.state != Campaign.State.DRAFT:
            raise InvalidTransition(_("This campaign is already launched."))
        if row.closes_on < timezone.localdate():
            raise DomainError(_("The deadline has passed: move it before launching."),
                              field="closes_on")
        total = cities_to_ask(row).count()
        if not total:
            raise DomainError(_("There is no city to ask: the region has no member city and "
                                "no city opted in."))
        row.state = Campaign.State.LAUNCHING
        row.launch_total, row.launch_done = total, 0
        row.launched_by, row.launched_at = actor, timezone.now()
        row.save(update_fields=["state", "launch_total", "launch_done", "launched_by",
                                "launched_at"])
        audit.record(actor=actor, action="assessments.campaign.launched", target=row,
                     region=row.region, cities=total)
        _enqueue_launch(row)
    return row


def _enqueue_launch(campaign: Campaign) -> None:
    from ..tasks import launch

    region_id, campaign_id = campaign.region_id, campaign.pk
    # Robust: a broker outage must not undo the launch; the stalled-launch sweep restarts it.
    transaction.on_commit(lambda: launch.delay(region_id=region_id, campaign_id=campaign_id),
                          robust=True)


def run_launch(*, region, campaign_id: int, chunk: int = LAUNCH_CHUNK) -> int:
    """The launch job: assessments and invitations written in bulk, chunk by chunk, then the
    campaign opens. Safe to run twice: what exists is skipped. Returns the cities asked."""
    campaign = (Campaign.objects.filter(region=region, pk=campaign_id)
                .select_related("region").first())
    if campaign is None or campaign.state != Campaign.State.LAUNCHING:
        return 0
    city_ids = list(cities_to_ask(campaign).order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    for start in range(0, len(city_ids), chunk):
        with transaction.atomic():
            _ask_cities(campaign, city_ids[start:start + chunk], now=now)
            Campaign.objects.filter(pk=campaign.pk).update(
                launch_done=min(start + chunk, len(city_ids)))
    with transaction.atomic():
        row = locked(campaign, "region")
        if row.state == Campaign.State.LAUNCHING:
            row.state = Campaign.State.OPEN
            row.launch_total = row.launch_done = len(city_ids)
            row.save(update_fields=["state", "launch_total", "launch_done"])
            invited = Assessment.objects.filter(campaign=row, invited_at__isnull=False).count()
            audit.record(actor=None, action="assessments.campaign.opened", target=row,
                         region=row.region, cities=len(city_ids), invited=invited)
    return len(city_ids)


def stalled_launches(*, region, now=None) -> list[int]:
    """Launches whose job has not finished long after it started (a lost task)."""
    cutoff = (now or timezone.now()) - STALLED_AFTER
    return list(Campaign.objects.filter(region=region, state=Campaign.State.LAUNCHING,
                                        launched_at__lte=cutoff).values_list("pk", flat=True))


def _ask_cities(campaign: Campaign, city_ids: list[int], *, now: datetime) -> int:
    """Inside the caller's transaction: an assessment for each city (existing ones kept) and
    an invitation to each key contact not invited yet. Returns the invitations written."""
    region = campaign.region
    Assessment.objects.bulk_create(
        [Assessment(region=region, campaign=campaign, city_id=city_id, created_at=now)
         for city_id in city_ids], ignore_conflicts=True)
    pending = dict(Assessment.objects.filter(campaign=campaign, city_id__in=city_ids,
                                             invited_at__isnull=True)
                   .values_list("city_id", "pk"))
    contacts = key_contacts(region, pending)
    words = Wording(campaign)
    detail = assessment_url(region)
    rows = [words.invitation(contact, key=f"assessment:{pending[contact.city_id]}:invited",
                             url=detail(pending[contact.city_id]))
            for contact in contacts]
    notify_many(rows)
    invited = [pending[contact.city_id] for contact in contacts]
    Assessment.objects.filter(pk__in=invited).update(invited_at=now)
    return len(invited)


def key_contacts(region, city_ids: Iterable[int]) -> list[Contact]:
    """The key contact of each city who can be written to: their account, else an email."""
    return list(Contact.objects.filter(region=region, city_id__in=list(city_ids), is_key=True)
                .filter(~Q(email="") | Q(user__isnull=False))
                .select_related("user", "city").only(
                    "name", "email", "language", "city_id", "city__name", "user__email",
                    "user__language", "user__full_name"))


def assessment_url(region):
    """`url(assessment_id)` of the assessment's page, reversed once for many rows."""
    sample = reverse("assessment-detail", kwargs={"region_slug": region.slug,
                                                  "assessment_id": 0})
    cut = sample.rindex("/0/")
    head, tail = sample[:cut + 1], sample[cut + 2:]
    return lambda assessment_id: f"{head}{assessment_id}{tail}"


class Wording:
    """The campaign's emails to city contacts, each in the reader's language, worded once
    per language rather than once per city."""

    def __init__(self, campaign: Campaign):
        self.campaign = campaign
        self.region = campaign.region
        self._texts: dict[tuple[str, str], tuple[str, str, dict]] = {}

    def language(self, contact: Contact) -> str:
        if contact.user_id:
            return language_of(contact.user, self.region)
        return contact.language or language_of(None, self.region)

    def _worded(self, kind: str, language: str) -> tuple[str, str, dict]:
        """The texts of `kind` in `language` with the campaign's values; the city is
        filled per message."""
        if (kind, language) not in self._texts:
            with translation.override(language):
                values = {"region": self.region.name_in(language),
                          "year": self.campaign.year,
                          "deadline": formats.date_format(self.campaign.closes_on,
                                                          "DATE_FORMAT")}
                subject, body = {
                    "invitation": (
                        _("%(region)s policy assessment %(year)s: %(city)s is invited"),
                        _("The %(region)s Regional Alliance invites %(city)s to its policy "
                          "assessment of %(year)s. Please answer online by %(deadline)s: "
                          "answers are saved as you type, sections can be handed to "
                          "colleagues in other departments, and the secretariat answers "
                          "questions about any question.")),
                    "reminder": (
                        _("Reminder: the %(region)s policy assessment of %(city)s is due "
                          "by %(deadline)s"),
                        _("The policy assessment %(year)s of %(city)s is not submitted yet. "
                          "The deadline is %(deadline)s. Answers are saved as you go; "
                          "submit once every required question is answered.")),
                    "returned": (
                        _("Reminder: the %(region)s policy assessment of %(city)s waits "
                          "for your corrections"),
                        _("The secretariat returned the policy assessment %(year)s of "
                          "%(city)s with comments. Please fix the answers it names and "
                          "submit again by %(deadline)s.")),
                }[kind]
                self._texts[kind, language] = (subject, body, values)
        return self._texts[kind, language]

    def message(self, kind: str, contact: Contact, *, key: str, url: str) -> Notification:
        subject, body, values = self._worded(kind, self.language(contact))
        values = {**values, "city": contact.city.name}
        return Notification(key=key, recipient=contact.user,
                            email="" if contact.user_id else contact.email,
                            subject=(subject % values)[:200], body=body % values, url=url,
                            region=self.region)

    def invitation(self, contact: Contact, *, key: str, url: str) -> Notification:
        return self.message("invitation", contact, key=key, url=url)


# -- progress ---------------------------------------------------------------------------------

def state_counts(campaign: Campaign) -> dict[str, int]:
    """Assessments of the campaign per state, every state present (0 when none)."""
    counts = dict.fromkeys(Assessment.State.values, 0)
    counts.update(Assessment.objects.filter(campaign=campaign).order_by()
                  .values_list("state").annotate(n=Count("pk")))
    return counts


def progress_rows(campaign: Campaign, *, state: str = "", search: str = "") -> QuerySet:
    """The campaign's assessments as the progress page lists them: the city's name, the
    state, the dates, and whether the city has a key contact to remind; filtered in SQL."""
    rows = (Assessment.objects.filter(campaign=campaign)
            .select_related("city").only(
                "state", "last_activity_at", "invited_at", "last_reminded_at", "submitted_at",
                "city__name", "city__local_name", "campaign_id", "region_id")
            .annotate(has_key_contact=Exists(
                Contact.objects.filter(city=OuterRef("city_id"), is_key=True)
                .filter(~Q(email="") | Q(user__isnull=False))))
            .order_by("city__name", "pk"))
    if state:
        rows = rows.filter(state=state)
    for word in search.split():
        rows = rows.filter(Q(city__name__icontains=word) | Q(city__local_name__icontains=word))
    return rows


def current_campaign(region) -> tuple[Campaign | None, dict[str, int]]:
    """The campaign a dashboard shows (the launching or open one, the latest first) and its
    assessments per state, in one query."""
    campaign = (Campaign.objects.filter(region=region, state__in=(
        Campaign.State.LAUNCHING, Campaign.State.OPEN)).order_by("-year")
        .annotate(**{f"count_{state}": Count("assessments",
                                             filter=Q(assessments__state=state))
                     for state in Assessment.State.values}).first())
    if campaign is None:
        return None, {}
    return campaign, {state: getattr(campaign, f"count_{state}")
                      for state in Assessment.State.values}


def secretaries(region) -> list[User]:
    return list(User.objects.filter(memberships__region=region, is_active=True,
                                    memberships__role=Role.REGIONAL_SECRETARIAT).distinct()
                .only("email", "language", "full_name"))


# -- reminders --------------------------------------------------------------------------------

def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def due_reminder_ids(*, region, now=None) -> list[int]:
    """Assessments of open campaigns, still waiting for the city, whose last reminder (or
    invitation) is at least the campaign's reminder days old, counted in days."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ids: list[int] = []
    for campaign in Campaign.objects.filter(region=region, state=Campaign.State.OPEN,
                                            closes_on__gte=today).only("reminder_days"):
        cutoff = _start_of(today - timedelta(days=campaign.reminder_days - 1))
        ids += Assessment.objects.filter(campaign=campaign, state__in=WAITING).filter(
            Q(last_reminded_at__lt=cutoff)
            | Q(last_reminded_at__isnull=True, invited_at__lt=cutoff)
            | Q(last_reminded_at__isnull=True, invited_at__isnull=True)
        ).values_list("pk", flat=True)
    return ids


def remind_assessment(*, actor, assessment: Assessment) -> Notification:
    """The secretariat's one-click reminder to the city's key contact."""
    permissions.require(actor, MANAGE, region=assessment.region)
    with transaction.atomic():
        return _remind(assessment.pk, actor=actor, now=timezone.now())


def send_due_reminders(*, region, now=None, chunk: int = LAUNCH_CHUNK) -> int:
    """The daily job, in chunks written in bulk. A city with no key contact to write to is
    skipped. Returns the reminders sent."""
    now = now or timezone.now()
    ids = due_reminder_ids(region=region, now=now)
    sent = 0
    for start in range(0, len(ids), chunk):
        with transaction.atomic():
            sent += _remind_many(region, ids[start:start + chunk], now=now)
    return sent


def _remind_many(region, assessment_ids: list[int], *, now: datetime) -> int:
    """Inside the caller's transaction: remind those still waiting and not yet reminded
    today (a second run, or the secretariat's click, finds today's key taken)."""
    rows = list(Assessment.objects.select_for_update(of=("self",))
                .filter(pk__in=assessment_ids, state__in=WAITING,
                        campaign__state=Campaign.State.OPEN)
                .select_related("campaign__region", "city").order_by("pk"))
    day = timezone.localdate(now).isoformat()
    keys = {row.pk: f"assessment:{row.pk}:reminder:{day}" for row in rows}
    taken = set(Notification.objects.filter(key__in=list(keys.values()))
                .values_list("key", flat=True))
    rows = [row for row in rows if keys[row.pk] not in taken]
    contacts = {contact.city_id: contact
                for contact in key_contacts(region, [row.city_id for row in rows])}
    url = assessment_url(region)
    wordings: dict[int, Wording] = {}
    messages, reminded = [], []
    for row in rows:
        contact = contacts.get(row.city_id)
        if contact is None:
            continue
        words = wordings.setdefault(row.campaign_id, Wording(row.campaign))
        kind = "returned" if row.state == Assessment.State.RETURNED else "reminder"
        messages.append(words.message(kind, contact, key=keys[row.pk], url=url(row.pk)))
        reminded.append((row, contact))
    notify_many(messages)
    Assessment.objects.filter(pk__in=[row.pk for row, _contact in reminded]).update(
        last_reminded_at=now)
    assessment_type = ContentType.objects.get_for_model(Assessment)
    AuditEntry.objects.bulk_create(
        AuditEntry(region=region, action="assessments.assessment.reminded",
                   content_type=assessment_type, object_id=row.pk, created_at=now,
                   data={"city": row.city.name, "contact": contact.name})
        for row, contact in reminded)
    return len(reminded)


def _remind(assessment_id: int, *, actor, now: datetime) -> Notification:
    row = (Assessment.objects.select_for_update(of=("self",))
           .select_related("campaign__region", "city").get(pk=assessment_id))
    city = row.city.name
    if row.state == Assessment.State.SUBMITTED:
        raise InvalidTransition(_("%(city)s has submitted its assessment: there is nothing "
                                  "to remind.") % {"city": city})
    if row.state == Assessment.State.ACCEPTED:
        raise InvalidTransition(_("%(city)s's assessment is accepted: there is nothing to "
                                  "remind.") % {"city": city})
    if row.campaign.state != Campaign.State.OPEN:
        raise InvalidTransition(_("Reminders go out while the campaign is open."))
    key = f"assessment:{row.pk}:reminder:{timezone.localdate(now).isoformat()}"
    if Notification.objects.filter(key=key).exists():
        raise DomainError(_("%(city)s was already reminded today.") % {"city": city})
    [contact] = key_contacts(row.region_id, [row.city_id]) or [None]
    if contact is None:
        raise DomainError(_("%(city)s has no key contact with an email address: add one on "
                            "the city's page.") % {"city": city})
    kind = "returned" if row.state == Assessment.State.RETURNED else "reminder"
    message = Wording(row.campaign).message(
        kind, contact, key=key, url=assessment_url(row.campaign.region)(row.pk))
    note = notify(recipient=message.recipient, email=message.email, key=key,
                  subject=message.subject, body=message.body, url=message.url,
                  region=message.region)
    row.last_reminded_at = now
    row.save(update_fields=["last_reminded_at"])
    audit.record(actor=actor, action="assessments.assessment.reminded", target=row,
                 region=row.campaign.region, city=city, contact=contact.name)
    return note


# -- the weekly digest, closing, the annual schedule ------------------------------------------

def send_digests(*, region, now=None) -> int:
    """Each open campaign's progress to the region's secretariat, once a week (ISO week)."""
    now = now or timezone.now()
    year, week, _weekday = timezone.localdate(now).isocalendar()
    people = secretaries(region)
    rows = []
    for campaign in Campaign.objects.filter(region=region, state=Campaign.State.OPEN):
        counts = state_counts(campaign)
        url = reverse("campaign-detail", kwargs={"region_slug": region.slug,
                                                 "campaign_id": campaign.pk})
        for person in people:
            with translation.override(language_of(person, region)):
                subject, body = _digest_text(campaign, counts)
            rows.append(Notification(
                key=f"campaign:{campaign.pk}:digest:{year}-W{week:02d}:{person.pk}",
                recipient=person, subject=subject, body=body, url=url, region=region))
    return len(notify_many(rows))


def _digest_text(campaign: Campaign, counts: dict[str, int]) -> tuple[str, str]:
    total = sum(counts.values())
    done = counts[Assessment.State.SUBMITTED] + counts[Assessment.State.ACCEPTED]
    subject = _("Policy assessment %(year)s: %(done)s of %(total)s cities have submitted") % {
        "year": campaign.year, "done": done, "total": total}
    lines = [f"{label}: {counts[state]}" for state, label in Assessment.State.choices]
    lines.append(_("Deadline: %(deadline)s") % {
        "deadline": formats.date_format(campaign.closes_on, "DATE_FORMAT")})
    return subject, "\n".join(lines)


def close_due_campaigns(*, region, now=None) -> int:
    """Open campaigns past their deadline close; their assessments keep their state."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    closed = 0
    for campaign in Campaign.objects.filter(region=region, state=Campaign.State.OPEN,
                                            closes_on__lt=today):
        with transaction.atomic():
            row = locked(campaign, "region")
            if row.state != Campaign.State.OPEN:
                continue
            row.state, row.closed_at = Campaign.State.CLOSED, now
            row.save(update_fields=["state", "closed_at"])
            audit.record(actor=None, action="assessments.campaign.closed", target=row,
                         region=row.region, deadline=row.closes_on.isoformat())
            closed += 1
    return closed


def latest_published_version() -> QuestionnaireVersion | None:
    """The latest published version of the questionnaire published most recently."""
    return published_versions().first()


def prepare_scheduled_campaign(*, region, today: date | None = None) -> Campaign | None:
    """In the month the region's campaign opens, a draft for the secretariat to review and
    launch; None when there is nothing to prepare (another month, a campaign this year
    already, or no published questionnaire)."""
    today = today or timezone.localdate()
    schedule = AssessmentSettings.objects.filter(region=region,
                                                 opening_month=today.month).first()
    if schedule is None or Campaign.objects.filter(region=region, year=today.year).exists():
        return None
    version = latest_published_version()
    if version is None:
        return None
    closes_on = today + timedelta(weeks=schedule.window_weeks)
    try:
        with transaction.atomic():
            campaign = create_campaign(actor=None, region=region, year=today.year,
                                       version=version, opens_on=today, closes_on=closes_on,
                                       reminder_days=schedule.reminder_days,
                                       prepared_by_schedule=True)
            _tell_prepared(campaign)
    except DomainError:  # prepared meanwhile by another run
        return None
    return campaign


def _tell_prepared(campaign: Campaign) -> None:
    region = campaign.region
    busy = busy_periods_over(region, campaign.opens_on, campaign.closes_on)
    url = reverse("campaign-detail", kwargs={"region_slug": region.slug,
                                             "campaign_id": campaign.pk})
    rows = []
    for person in secretaries(region):
        with translation.override(language_of(person, region)):
            subject = _("The policy assessment %(year)s is prepared: review and launch it") % {
                "year": campaign.year}
            body = _("The annual schedule prepared the %(year)s campaign with %(version)s, "
                     "open from %(opens)s to %(closes)s. Check the window and the cities, "
                     "then launch it.") % {
                "year": campaign.year, "version": campaign.version,
                "opens": formats.date_format(campaign.opens_on, "DATE_FORMAT"),
                "closes": formats.date_format(campaign.closes_on, "DATE_FORMAT")}
            if busy:
                body += "\n\n" + _("The window overlaps these busy periods: %(names)s.") % {
                    "names": ", ".join(period.name for period in busy)}
        rows.append(Notification(key=f"campaign:{region.pk}:{campaign.year}:prepared:"
                                     f"{person.pk}",
                                 recipient=person, subject=subject, body=body, url=url,
                                 region=region))
    notify_many(rows)
