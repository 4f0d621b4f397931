"""The core: regions, people and their roles, invitations, approvals, notifications, audit."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from knox.models import AbstractAuthToken

from .labels import choice_label


class Role(models.TextChoices):
    # If a role is added here, give it its rights in alliance/permissions.py.
    GLOBAL_SECRETARIAT = "global_secretariat", _("Global Secretariat")
    REGIONAL_SECRETARIAT = "regional_secretariat", _("Regional Secretariat")
    FORUM_REVIEWER = "forum_reviewer", _("Forum reviewer")
    CITY_CONTACT = "city_contact", _("City contact")
    EXPERT = "expert", _("Expert")


class Phase(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    LAUNCH = "launch", _("Launch")
    OPERATION = "operation", _("Operation")
    EXPANSION = "expansion", _("Expansion")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Email is the login; what they may do comes from their memberships."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    # The language the person last chose; their notifications and emails are written in it.
    # Empty until they choose: their region's default language speaks for them.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES,
                                blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name or self.email).split(" ")[0]


class Region(models.Model):
    """A Regional Alliance: the tenant. Global Secretariat pages span all of them."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    # The name in the other interface languages, by language code: {"ja": "日本", ...}.
    name_translations = models.JSONField(
        _("name in other languages"), default=dict, blank=True,
        help_text=_("The region's name in each interface language; the name above stands "
                    "in for a language left empty."))
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    phase = models.CharField(
        _("current playbook phase"), max_length=16, choices=Phase.choices, default=Phase.PREPARATION
    )
    participation_target = models.PositiveSmallIntegerField(
        _("target number of participating cities"), default=10,
        help_text=_("The Preparation phase succeeds when this many cities intend to join."))
    follow_up_after_days = models.PositiveSmallIntegerField(
        _("follow up unanswered letters after (days)"), default=14)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.localized_name

    @property
    def localized_name(self) -> str:
        """The name in the active language (pages, letters and PDFs render under it)."""
        return self.name_in(translation.get_language())

    def name_in(self, language: str | None) -> str:
        return (self.name_translations or {}).get(language or "", "") or self.name

    @property
    def phase_label(self) -> str:
        return choice_label(Phase, self.phase)


class Membership(models.Model):
    """A role held by a user, in one region or (region empty) across all regions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "region", "role"], name="membership_unique"),
            models.UniqueConstraint(fields=["user", "role"], condition=models.Q(region=None),
                                    name="membership_unique_global"),
            # Only the Global Secretariat and Forum reviewers may hold a role across regions.
            models.CheckConstraint(
                condition=models.Q(region__isnull=False)
                | models.Q(role__in=["global_secretariat", "forum_reviewer"]),
                name="membership_global_roles_only",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="global_secretariat") | models.Q(region__isnull=True),
                name="membership_global_secretariat_is_global",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.role_label} · {self.region or _('all regions')}"

    @property
    def role_label(self) -> str:
        return choice_label(Role, self.role)


class Invitation(models.Model):
    """An email address invited into a region (or globally) with a role fixed by the inviter."""

    class State(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        REJECTED = "rejected", _("Rejected")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    state = models.CharField(max_length=20, choices=State.choices, default=State.SENT)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="invitations_sent")
    # Bumped on resend: a link signed with an older nonce stops working.
    nonce = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} ({self.role_label})"

    @property
    def role_label(self) -> str:
        return choice_label(Role, self.role)

    @property
    def can_resend(self) -> bool:
        return self.state == self.State.SENT

    @property
    def can_revoke(self) -> bool:
        return self.state in (self.State.SENT, self.State.AWAITING_APPROVAL)

    @property
    def is_expired(self) -> bool:
        return (self.state == self.State.SENT and self.expires_at is not None
                and self.expires_at <= timezone.now())

    @property
    def shown_state(self) -> str:
        """The state as pages mark it: a sent invitation past its expiry is "expired"."""
        return "expired" if self.is_expired else self.state

    @property
    def display_state(self) -> str:
        return str(_("Expired")) if self.is_expired else choice_label(self.State, self.state)


class ApprovalRequest(models.Model):
    """A request that someone in a given role clears an action about any object."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="approval_requests")
    kind = models.CharField(_("kind"), max_length=40)
    route_role = models.CharField(_("routed to"), max_length=32, choices=Role.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # As the requester read it. Pages show `title`, worded in the reader's language from the
    # kind and these values when the kind has a title (alliance.approvals).
    summary = models.CharField(_("summary"), max_length=300)
    title_values = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="approvals_requested")
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.PENDING)
    comment = models.TextField(_("decision comment"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="approvals_decided")
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "kind"]),
            # The inboxes, newest first (queries.approvals_for): a page of them is read in
            # order, not sorted from every request there is.
            models.Index(fields=["requested_at", "id"], name="approval_inbox_order"),
            models.Index(fields=["region", "requested_at", "id"],
                         name="approval_region_inbox_order"),
        ]
        constraints = [
            # Two people asking at the same moment get one request to decide, not two.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=models.Q(state="pending"), name="approval_one_pending_per_kind"),
        ]
        permissions = [("decide_approvalrequest", "Can decide this approval request")]

    def __str__(self):
        return self.summary

    @property
    def stands(self) -> bool:
        """Pending or approved: asking again would add nothing."""
        return self.state in (self.State.PENDING, self.State.APPROVED)

    @property
    def state_label(self) -> str:
        return choice_label(self.State, self.state)

    @property
    def route_role_label(self) -> str:
        return choice_label(Role, self.route_role)

    @property
    def kind_label(self) -> str:
        from .approvals import label_of

        return label_of(self.kind)

    @property
    def title(self) -> str:
        from .approvals import title_of

        return title_of(self.kind, self.title_values, fallback=self.summary)

    @property
    def target_url(self) -> str:
        from .approvals import KINDS

        kind = KINDS.get(self.kind)
        return kind.target_url(self) if kind and kind.target_url else ""


class Notification(models.Model):
    """Outbox row: written with the change that causes it, delivered by a Celery task."""

    # A person with an account, or (an invitee who has none yet) only an email address.
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  null=True, blank=True, related_name="notifications")
    email = models.EmailField(blank=True)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+")
    # Unique: a retried job or a repeated sweep finds the row and sends nothing twice.
    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["delivered_at", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(email=""),
                name="notification_has_an_address"),
        ]

    def __str__(self):
        return self.subject

    @property
    def address(self) -> str:
        return self.email or (self.recipient.email if self.recipient_id else "")


class Delegation(models.Model):
    """A piece of the secretariat's work handed to a member (a working group's lead, a
    meeting series' organizer): the role written down, its scope, start and review date, an
    object permission on the thing handed over, and update notes (playbook, Expansion step
    4). alliance.services.delegations grants and ends it."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="delegations", verbose_name=_("handed to"))
    permission = models.CharField(max_length=100)  # "experts.manage_group"
    role = models.CharField(_("role"), max_length=150)
    scope = models.TextField(_("scope"), blank=True)
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    review_on = models.DateField(_("review on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.role


class DelegationNote(models.Model):
    """How a delegation is going, written by the delegate or the secretariat."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.body[:60]


def quoted_of(data: dict) -> str:
    """What the person wrote with a change (a decision's comment, a note), if anything."""
    return data.get("comment") or data.get("note") or ""


class AuditEntry(models.Model):
    """Who changed what and when: written by services, shown on the object's page."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    action = models.CharField(max_length=80)  # dotted: "alliance.invitation.revoked"
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at", "-id"]
        # An object's latest lines read in index order, however long its trail.
        indexes = [models.Index(fields=["content_type", "object_id", "created_at", "id"],
                                name="audit_trail")]

    def __str__(self):
        return self.action

    @property
    def quoted(self) -> str:
        return quoted_of(self.data)


class ApiToken(AbstractAuthToken):
    """A personal API token: shown once, stored as a digest (django-rest-knox)."""

    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["-created"]
