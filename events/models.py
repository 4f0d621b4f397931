"""The Operation phase's regular activities: events and regular meetings (agendas with their
speakers, the Forum's approval of them, invitations, RSVPs, attendance, minutes with action
items), meeting series handed to a member, calendar feeds, and model-policy implementation
support (workplans per city and model policy, their milestones, advisors' comments, monthly
follow-ups, and support activities from the playbook's allowed list).

Playbook: 2-2 Launch steps 3-4, 2-3 Operation (I, III, IV), Appendix III (Regular Meeting,
Model Policy Implementation Support, Event, Working Group), 4-1 (what the secretariat does not
conduct; agendas and speakers submitted to the Forum). Dialogues with cities live in cities."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from alliance.labels import choice_label
from alliance.models import Region
from cities.models import City, Contact
from experts.models import Expert, Stakeholder, WorkingGroup

# -- events ---------------------------------------------------------------------------------------


class EventKind(models.TextChoices):
    REGULAR_MEETING = "regular_meeting", _("Regular meeting")
    WORKING_GROUP_SESSION = "working_group_session", _("Working-group session")
    WORKSHOP = "workshop", _("Model-policy workshop")
    ONE_ON_ONE = "one_on_one", _("One-on-one session")
    LAUNCH_MEETING = "launch_meeting", _("Launch meeting")
    ANNUAL_EVENT = "annual_event", _("Annual event or summit")
    INTERNATIONAL_EVENT = "international_event", _("International event")
    DOMESTIC_EVENT = "domestic_event", _("Domestic event")
    MEDIA_WORKSHOP = "media_workshop", _("Media workshop")


# Observer cities (still considering participation) are invited to these kinds unless the
# region chooses otherwise (EventSettings.observer_kinds).
DEFAULT_OBSERVER_KINDS = [EventKind.LAUNCH_MEETING, EventKind.ANNUAL_EVENT,
                          EventKind.DOMESTIC_EVENT, EventKind.INTERNATIONAL_EVENT]
# A one-on-one session has no agenda for the Forum to check; every other kind does
# (playbook 4-1: "Submit agenda and speakers to the Forum when conducting events with cities").
KINDS_WITHOUT_AGENDA_APPROVAL = frozenset({EventKind.ONE_ON_ONE})


class EventFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class Audience(models.TextChoices):
    INVITED = "invited", _("Invitees only")
    # An event an organization supports is open to the public (the partnership rules).
    PUBLIC = "public", _("Open to the public")


class EventState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ANNOUNCED = "announced", _("Announced")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class AgendaState(models.TextChoices):
    DRAFTING = "drafting", _("Being drafted")
    DRAFTED = "drafted", _("Drafted")
    SUBMITTED = "submitted", _("Submitted to the Forum")
    APPROVED = "approved", _("Approved by the Forum")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")


# The playbook's milestones (Appendix III, Event task 2): the agenda drawn up 1-1.5 months
# before, agenda and speakers fixed one month before.
AGENDA_DRAFTED_BEFORE = datetime.timedelta(weeks=6)
AGENDA_FIXED_BEFORE = datetime.timedelta(weeks=4)


class MeetingSeries(models.Model):
    """A recurring meeting (the region's regular meeting, a policy community's sessions)
    whose running can be handed to a member: a delegation grants `events.manage_series` on it
    (playbook, Expansion step 4)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices,
                            default=EventKind.REGULAR_MEETING)
    description = models.TextField(_("purpose"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["title", "id"]
        verbose_name_plural = _("meeting series")
        permissions = [("manage_series", "Can run this meeting series")]

    def __str__(self):
        return self.title


class Event(models.Model):
    """A meeting or event, its times stored in UTC and shown in the region's time zone."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    series = models.ForeignKey(MeetingSeries, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="events", verbose_name=_("series"))
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(_("format"), max_length=12, choices=EventFormat.choices,
                              default=EventFormat.ONLINE)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices,
                                default=Audience.INVITED)
    state = models.CharField(_("state"), max_length=10, choices=EventState.choices,
                             default=EventState.PLANNED)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    organizer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("organizer"))
    working_group = models.ForeignKey(WorkingGroup, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="+",
                                      verbose_name=_("working group"))
    model_policy = models.ForeignKey("assessments.ModelPolicy", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("model policy"))
    supporting_organization = models.ForeignKey(
        Stakeholder, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("supporting organization"))
    # The meeting this one was scheduled from ("the next meeting is set at this one").
    follows = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="followed_by", verbose_name=_("follows"))
    agenda_state = models.CharField(_("agenda"), max_length=20, choices=AgendaState.choices,
                                    default=AgendaState.DRAFTING)
    agenda_drafted_at = models.DateTimeField(null=True, blank=True)
    agenda_submitted_at = models.DateTimeField(null=True, blank=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_recorded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["region", "starts_at", "id"], name="event_region_start"),
            models.Index(fields=["region", "kind", "starts_at"], name="event_region_kind"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="event_ends_after_start"),
            models.CheckConstraint(
                condition=models.Q(supporting_organization__isnull=True)
                | models.Q(audience="public"),
                name="supported_event_is_public"),
        ]

    def __str__(self):
        return self.title

    @property
    def kind_label(self) -> str:
        return choice_label(EventKind, self.kind)

    @property
    def format_label(self) -> str:
        return choice_label(EventFormat, self.format)

    @property
    def state_label(self) -> str:
        return choice_label(EventState, self.state)

    @property
    def agenda_state_label(self) -> str:
        return choice_label(AgendaState, self.agenda_state)

    @property
    def needs_agenda_approval(self) -> bool:
        return self.kind not in KINDS_WITHOUT_AGENDA_APPROVAL

    @property
    def agenda_drafted_due(self) -> datetime.datetime:
        return self.starts_at - AGENDA_DRAFTED_BEFORE

    @property
    def agenda_fixed_due(self) -> datetime.datetime:
        return self.starts_at - AGENDA_FIXED_BEFORE


class AgendaItem(models.Model):
    """One item of an event's agenda, in order; its speaker is a city contact, an expert or
    a staff member (or not named yet). A city's workplan on the agenda is its progress
    sharing (playbook, Latin America's monthly meetings)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=15)
    speaker_contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True,
                                        blank=True, related_name="+",
                                        verbose_name=_("speaker (city contact)"))
    speaker_expert = models.ForeignKey(Expert, on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="+",
                                       verbose_name=_("speaker (expert)"))
    speaker_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("speaker (staff)"))
    workplan = models.ForeignKey("Workplan", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="agenda_items",
                                 verbose_name=_("workplan shared"))
    notes = models.TextField(_("notes"), blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(speaker_contact__isnull=True)
                           | (models.Q(speaker_expert__isnull=True)
                              & models.Q(speaker_user__isnull=True)))
                & (models.Q(speaker_expert__isnull=True)
                   | models.Q(speaker_user__isnull=True)),
                name="agenda_item_one_speaker"),
        ]

    def __str__(self):
        return self.title


class Response(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    ACCEPTED = "accepted", _("Attending")
    TENTATIVE = "tentative", _("Maybe")
    DECLINED = "declined", _("Not attending")


class InvitedAs(models.TextChoices):
    TIER = "tier", _("By tier")
    EXPERT = "expert", _("Expert")
    WORKING_GROUP = "working_group", _("Working group member")
    SPEAKER = "speaker", _("Speaker")
    MANUAL = "manual", _("Added by hand")


class EventInvitation(models.Model):
    """A member invited to an event: a city (any of its contacts with an account answers for
    it) or an expert. The RSVP and, after the event, attendance are recorded here."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    city = models.ForeignKey(City, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+", verbose_name=_("city"))
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+", verbose_name=_("expert"))
    invited_as = models.CharField(_("invited as"), max_length=16, choices=InvitedAs.choices,
                                  default=InvitedAs.MANUAL)
    invited_at = models.DateTimeField(default=timezone.now)
    # When the invitee was told (the event is announced only once its agenda is approved).
    notified_at = models.DateTimeField(null=True, blank=True)
    response = models.CharField(_("response"), max_length=10, choices=Response.choices,
                                default=Response.PENDING)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)
    response_note = models.CharField(_("note"), max_length=300, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attendees = models.CharField(_("who attended"), max_length=300, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(city__isnull=True) & models.Q(expert__isnull=False))
                | (models.Q(city__isnull=False) & models.Q(expert__isnull=True)),
                name="event_invitation_city_xor_expert"),
            models.UniqueConstraint(fields=["event", "city"], name="event_invites_city_once"),
            models.UniqueConstraint(fields=["event", "expert"],
                                    name="event_invites_expert_once"),
        ]

    def __str__(self):
        return str(self.city or self.expert)

    @property
    def response_label(self) -> str:
        return choice_label(Response, self.response)


class ActionItem(models.Model):
    """An action agreed in a meeting's minutes: who does it, by when, and whether it is done."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("owner"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["done_at", "due_on", "id"]

    def __str__(self):
        return self.title


class EventSettings(models.Model):
    """A region's rules for its events: which kinds observer cities are invited to."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="+")
    observer_kinds = models.JSONField(_("event kinds observer cities are invited to"),
                                      default=list, blank=True)

    objects = ScopedManager(region="region")

    def __str__(self):
        return str(self.region)


class CalendarFeed(models.Model):
    """A secret address a calendar application subscribes to: a region's events (region
    set) or the events of one person (region empty). Rotating it changes the token, so the
    old address stops answering."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="calendar_feeds")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="one_feed_per_region"),
            models.UniqueConstraint(fields=["user"], condition=models.Q(region__isnull=True),
                                    name="one_personal_feed"),
        ]

    def __str__(self):
        return f"{self.user} {self.region or ''}".strip()


# -- model-policy implementation support ---------------------------------------------------------


class WorkplanTemplate(models.Model):
    """The region's guide for a city's workplan (playbook, Latin America: "a workplan
    template is shared with the cities as a guide"): goals to start from and milestones,
    each due some days after the workplan starts."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    goals = models.TextField(_("goals"), blank=True)
    # [{"title": "Adopt the policy", "after_days": 90}, ...]
    milestones = models.JSONField(_("milestones"), default=list, blank=True)
    is_active = models.BooleanField(_("offered to cities"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["title", "id"]

    def __str__(self):
        return self.title


class WorkplanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Under way")
    COMPLETED = "completed", _("Completed")
    PAUSED = "paused", _("Paused")


class Workplan(models.Model):
    """A city's plan to implement one model policy: goals, milestones, the person responsible
    on the city's side, experts advising, monthly follow-ups. The city keeps it; the region
    supports (it does not develop the policy for the city, playbook 4-1)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("city"))
    model_policy = models.ForeignKey("assessments.ModelPolicy", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("model policy"))
    template = models.ForeignKey(WorkplanTemplate, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+", verbose_name=_("template"))
    goals = models.TextField(_("goals"), blank=True)
    responsible = models.CharField(_("responsible person"), max_length=150, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=WorkplanStatus.choices,
                              default=WorkplanStatus.DRAFT)
    advisors = models.ManyToManyField(Expert, blank=True, related_name="+",
                                      verbose_name=_("advising experts"))
    # Kept by the milestone services, so lists and the dashboard sort and sum without
    # counting every workplan's milestones.
    milestones_total = models.PositiveSmallIntegerField(default=0, editable=False)
    milestones_done = models.PositiveSmallIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["city__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["city", "model_policy"],
                                    name="one_workplan_per_city_policy"),
        ]
        indexes = [models.Index(fields=["region", "status"], name="workplan_region_status")]

    def __str__(self):
        return f"{self.city} · {self.model_policy}"

    @property
    def status_label(self) -> str:
        return choice_label(WorkplanStatus, self.status)

    @property
    def progress_percent(self) -> int:
        if not self.milestones_total:
            return 0
        return round(100 * self.milestones_done / self.milestones_total)


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    BLOCKED = "blocked", _("Blocked")


class WorkplanMilestone(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MilestoneStatus.choices,
                              default=MilestoneStatus.NOT_STARTED)
    responsible = models.CharField(_("responsible person"), max_length=150, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["position", "due_on", "id"]

    def __str__(self):
        return self.title

    @property
    def status_label(self) -> str:
        return choice_label(MilestoneStatus, self.status)


class WorkplanComment(models.Model):
    """Advice on a workplan, by an expert assigned as its advisor or by the secretariat."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.body[:60]


class WorkplanProgress(models.Model):
    """The monthly follow-up of a workplan (playbook: "policy implementation monthly follow
    up"): one entry per workplan and month."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE,
                                 related_name="progress_entries")
    month = models.DateField(_("month"))  # the first day of the month
    summary = models.TextField(_("progress"))
    next_steps = models.TextField(_("next steps"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["workplan", "month"],
                                    name="one_progress_entry_per_month"),
        ]

    def __str__(self):
        return f"{self.workplan} {self.month:%Y-%m}"


class SupportKind(models.TextChoices):
    """The support the secretariat gives (playbook 2-3 III and Appendix III). Anything else
    ("other") waits for the Global Secretariat's approval: the playbook's "check with WEF"."""

    WORKSHOP = "workshop", _("Workshop on a model policy")
    ONE_ON_ONE = "one_on_one", _("One-on-one session with experts")
    STUDY_MEETING = "study_meeting", _("Study session at a regular meeting")
    WORKPLAN_FEEDBACK = "workplan_feedback", _("Expert feedback on the workplan")
    MATERIALS = "materials", _("Explanatory materials and translation")
    COMMUNITY = "community", _("Hands-on community of practice")
    NEEDS_SURVEY = "needs_survey", _("Survey or interview of the city's needs")
    OTHER = "other", _("Other (needs Global Secretariat approval)")


class SupportState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting Global Secretariat approval")
    DECLINED = "declined", _("Not approved")
    DONE = "done", _("Done")


class SupportActivity(models.Model):
    """Support given to a city on a model policy, of a kind from the allowed list; another
    kind is planned only once the Global Secretariat approves it (approval support_activity)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("city"))
    workplan = models.ForeignKey(Workplan, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="support_activities",
                                 verbose_name=_("workplan"))
    kind = models.CharField(_("kind"), max_length=20, choices=SupportKind.choices)
    other_kind = models.CharField(_("the other kind asked for"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    planned_on = models.DateField(_("planned on"), null=True, blank=True)
    event = models.ForeignKey(Event, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("event"))
    state = models.CharField(_("state"), max_length=20, choices=SupportState.choices,
                             default=SupportState.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("support activities")

    def __str__(self):
        return self.other_kind or self.kind_label

    @property
    def kind_label(self) -> str:
        return choice_label(SupportKind, self.kind)

    @property
    def state_label(self) -> str:
        return choice_label(SupportState, self.state)
