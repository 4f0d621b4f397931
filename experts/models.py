"""Experts and the region's other key stakeholders: the expert pipeline (candidate to
confirmed and active), interviews with the playbook's red flags, conflict-of-interest decisions,
the Terms of Reference they accept online, working groups, and the optional Senior Advisory
Board (playbook: Preparation steps 3 and 5, Launch, Operation's Working Group, Expansion
steps 4-5, section 4-2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from alliance.labels import choice_label
from alliance.models import Region
from cities.models import Channel, Contact

# -- experts --------------------------------------------------------------------------------------


class Stage(models.TextChoices):
    # If a stage is added here, add its moves to experts.stages.MOVES. The context keeps these
    # apart from a city's stages of the same English, which other languages word differently
    # for a person.
    CANDIDATE = "candidate", pgettext_lazy("expert stage", "Candidate")
    INTERVIEWED = "interviewed", pgettext_lazy("expert stage", "Interviewed")
    VETTED = "vetted", pgettext_lazy("expert stage", "Vetted")
    INVITED = "invited", pgettext_lazy("expert stage", "Invited")
    CONFIRMED = "confirmed", pgettext_lazy("expert stage", "Confirmed")
    ACTIVE = "active", pgettext_lazy("expert stage", "Active")
    ALUMNI = "alumni", pgettext_lazy("expert stage", "Alumni")
    DECLINED = "declined", pgettext_lazy("expert stage", "Declined")


class Sector(models.TextChoices):
    PRIVATE = "private", _("Private sector")
    PUBLIC = "public", _("Public sector")
    ACADEMIC = "academic", _("Academic")
    NON_PROFIT = "non_profit", _("Non-profit")


class ExpertKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    ORGANIZATION = "organization", _("Organization")


# What an expert may show in the directory besides their name and sector (Expert.public_fields).
PUBLIC_FIELD_CHOICES = [
    ("organization", _("Organization")),
    ("bio", _("Biography")),
    ("links", _("Links")),
    ("languages", _("Languages")),
    ("topics", _("Topics")),
    ("email", _("Email")),
]


class Expert(models.Model):
    """A smart-city policy expert (a person, or an organization that lends its experts) the
    region recruits, vets and works with."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=ExpertKind.choices,
                            default=ExpertKind.INDIVIDUAL)
    name = models.CharField(_("name"), max_length=150)
    organization = models.CharField(_("organization"), max_length=150, blank=True)
    title = models.CharField(_("title"), max_length=150, blank=True)
    sector = models.CharField(_("sector"), max_length=12, choices=Sector.choices)
    is_forum_partner = models.BooleanField(_("Forum Partner"), default=False)
    email = models.EmailField(_("email"), blank=True)
    # The five principles and the model policies of the Policy Roadmap the expert knows.
    principles = models.ManyToManyField("assessments.Principle", blank=True,
                                        related_name="+", verbose_name=_("principles"))
    model_policies = models.ManyToManyField("assessments.ModelPolicy", blank=True,
                                            related_name="+",
                                            verbose_name=_("model policies"))
    # Interface language codes (settings.LANGUAGES) and others, e.g. ["en", "ja"].
    languages = models.JSONField(_("languages"), default=list, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)  # ["https://..."]
    # Interests the expert declares (boards, clients, shares): checked for conflicts.
    declared_interests = models.TextField(_("declared interests"), blank=True)
    public_fields = models.JSONField(_("shown in the directory"), default=list, blank=True)
    channel = models.CharField(_("engagement channel"), max_length=20,
                               choices=Channel.choices, blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices,
                             default=Stage.CANDIDATE)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("owner"))
    # The expert's own account, once they accepted the invitation.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="expert_records")
    invitation = models.ForeignKey("alliance.Invitation", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["region", "stage"], name="expert_stage"),
                   models.Index(fields=["region", "name"], name="expert_name")]

    def __str__(self):
        return self.name

    @property
    def stage_label(self) -> str:
        return choice_label(Stage, self.stage)

    @property
    def sector_label(self) -> str:
        return choice_label(Sector, self.sector)

    @property
    def needs_vetting_approval(self) -> bool:
        """Partnership rules: a Forum reviewer clears private-sector experts and Forum
        Partners before they are invited (playbook, Preparation step 3, task 3)."""
        return self.sector == Sector.PRIVATE or self.is_forum_partner


class ExpertStageChange(models.Model):
    """Every move of an expert: who, when and why."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=12, choices=Stage.choices)
    to_stage = models.CharField(max_length=12, choices=Stage.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.expert}: {self.from_stage} → {self.to_stage}"


class RedFlag(models.TextChoices):
    """The playbook's warning signs at an interview."""

    SALES = "sales", _("Excessive concern with sales and personal profile")
    POLICY = "policy", _("Lack of understanding of key policy areas")
    COMMUNICATION = "communication", _("Inability to communicate")
    COMMITMENT = "commitment", _("Signals of low commitment")


class Suitability(models.TextChoices):
    SUITABLE = "suitable", _("Suitable")
    NOT_SUITABLE = "not_suitable", _("Not suitable")
    UNDECIDED = "undecided", _("Undecided")


class Interview(models.Model):
    """An interview with an expert: strengths and topic areas against the Policy Roadmap, the
    red-flag checklist with a note on each, and a suitability decision."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="interviews")
    held_on = models.DateField(_("held on"), default=timezone.localdate)
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+",
                                    verbose_name=_("interviewer"))
    strengths = models.TextField(_("strengths"), blank=True)
    principles = models.ManyToManyField("assessments.Principle", blank=True, related_name="+",
                                        verbose_name=_("topic areas"))
    model_policies = models.ManyToManyField("assessments.ModelPolicy", blank=True,
                                            related_name="+",
                                            verbose_name=_("model policies"))
    # {flag code: {"raised": bool, "note": str}} for every RedFlag.
    red_flags = models.JSONField(_("red flags"), default=dict, blank=True)
    suitability = models.CharField(_("suitability"), max_length=12,
                                   choices=Suitability.choices, default=Suitability.UNDECIDED)
    decision_note = models.TextField(_("why"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.expert} ({self.held_on})"

    @property
    def raised_flags(self) -> list[str]:
        return [code for code, flag in self.red_flags.items() if flag.get("raised")]


class TieDecision(models.TextChoices):
    NO_CONFLICT = "no_conflict", _("No conflict")
    MANAGEABLE = "manageable", _("Manageable: noted")
    CONFLICT = "conflict", _("Conflict")


class ConflictCheck(models.Model):
    """A reviewer's decision on one of an expert's ties to the region's pipeline (a city,
    another expert's company, a partner network, a declared interest), found by
    experts.services.conflicts. `tie` names it: "city:12", "expert:5", "partner:3",
    "interest:<text>"."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflict_checks")
    tie = models.CharField(max_length=300)
    described = models.CharField(max_length=300)  # the tie as it read when decided
    decision = models.CharField(_("decision"), max_length=12, choices=TieDecision.choices)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["expert", "tie"]
        constraints = [models.UniqueConstraint(fields=["expert", "tie"],
                                               name="conflict_check_unique")]

    def __str__(self):
        return f"{self.expert}: {self.described}"


# -- stakeholders beyond cities -----------------------------------------------------------------


class StakeholderKind(models.TextChoices):
    GOVERNMENT_AGENCY = "government_agency", _("Government agency")
    FORUM_PARTNER = "forum_partner", _("Forum Partner")
    ORGANIZATION = "organization", _("Organization")


class Involvement(models.TextChoices):
    """How a stakeholder takes part (playbook, Preparation step 3, task 3)."""

    EXPERTISE = "expertise", _("Sharing expertise at regular meetings")
    DISSEMINATION = "dissemination", _("Disseminating information externally")
    EVENTS = "events", _("Supporting events")
    INTRODUCTIONS = "introductions", _("Introducing cities and experts")
    SPONSORSHIP = "sponsorship", _("Senior sponsorship")
    OTHER = "other", _("Other")


class StakeholderStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    APPROACHED = "approached", _("Approached")
    INVOLVED = "involved", _("Involved")
    NOT_INVOLVED = "not_involved", _("Not involved")


class Stakeholder(models.Model):
    """A key stakeholder other than a city: a government agency, a Forum Partner, an
    organization; how it will be involved and how it is reached. Approaching a national
    government official or a Forum Partner needs an engagement clearance first."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=StakeholderKind.choices)
    name = models.CharField(_("name"), max_length=150)
    organization = models.CharField(_("organization"), max_length=150, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    involvement = models.CharField(_("involvement"), max_length=16,
                                   choices=Involvement.choices, default=Involvement.EXPERTISE)
    involvement_note = models.TextField(_("how they will be involved"), blank=True)
    channel = models.CharField(_("engagement channel"), max_length=20,
                               choices=Channel.choices, blank=True)
    is_national_government = models.BooleanField(_("national government official"),
                                                 default=False)
    status = models.CharField(_("status"), max_length=14, choices=StakeholderStatus.choices,
                              default=StakeholderStatus.IDENTIFIED)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("owner"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @property
    def needs_clearance(self) -> bool:
        return self.is_national_government or self.kind == StakeholderKind.FORUM_PARTNER


# -- Terms of Reference -------------------------------------------------------------------------


class TermsVersion(models.Model):
    """A version of the Terms of Reference experts accept (their confidentiality and terms
    of membership included): global (no region) or a region's own. Published, it never
    changes; a new version asks every active expert to accept again."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+")
    title = models.CharField(_("title"), max_length=200)
    version = models.CharField(_("version"), max_length=20)
    effective_on = models.DateField(_("effective date"))
    body = models.TextField(_("text"))  # sanitized HTML
    content_hash = models.CharField(max_length=64, blank=True)  # sha256 of the body
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-effective_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["region", "version"],
                                               name="terms_version_unique")]

    def __str__(self):
        return f"{self.title} {self.version}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class TermsAcceptance(models.Model):
    """An expert's acceptance of one version: what they read (its hash), when, who, from
    where, and the name they typed."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="acceptances")
    terms = models.ForeignKey(TermsVersion, on_delete=models.PROTECT, related_name="acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             related_name="+")
    typed_name = models.CharField(max_length=150)
    content_hash = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    accepted_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-accepted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["expert", "terms"],
                                               name="terms_acceptance_unique")]

    def __str__(self):
        return f"{self.expert}: {self.terms}"


# -- working groups -----------------------------------------------------------------------------


class Cadence(models.TextChoices):
    YEARLY = "yearly", _("Once a year")
    TWICE_YEARLY = "twice_yearly", _("Twice a year")
    QUARTERLY = "quarterly", _("Every quarter")
    MONTHLY = "monthly", _("Every month")


class WorkingGroup(models.Model):
    """A group of experts and city contacts working on a theme or model policy (playbook,
    Operation: Working Group). Its lead holds an object permission to manage its members and
    sessions, written down as a delegation (alliance.Delegation)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=150)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    model_policy = models.ForeignKey("assessments.ModelPolicy", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("model policy"))
    purpose = models.TextField(_("purpose"), blank=True)
    cadence = models.CharField(_("cadence"), max_length=14, choices=Cadence.choices,
                               default=Cadence.TWICE_YEARLY)
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("lead"))
    is_archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["name", "id"]
        permissions = [("manage_group", "Manage the group's members and sessions")]
        constraints = [models.UniqueConstraint(fields=["region", "name"],
                                               name="working_group_unique")]

    def __str__(self):
        return self.name


class GroupMember(models.Model):
    """An expert or a city contact in a working group."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="memberships")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+")
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["group", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expert__isnull=False, contact__isnull=True)
                | models.Q(expert__isnull=True, contact__isnull=False),
                name="group_member_expert_or_contact"),
        ]

    def __str__(self):
        return f"{self.group}: {self.expert or self.contact}"


class GroupSession(models.Model):
    """A session of a working group (the playbook: once or twice a year)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("venue or link"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self):
        return self.title


# -- Senior Advisory Board ----------------------------------------------------------------------


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    NOT_STATED = "not_stated", _("Not stated")


class AdvisorStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    APPROACHED = "approached", _("Approached")
    MEMBER = "member", _("Member")
    DECLINED = "declined", _("Declined")


class AdvisorCandidate(models.Model):
    """A senior sponsor considered for the region's optional Senior Advisory Board, against
    the playbook's criteria (Preparation step 3, optional task)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=150)
    organization = models.CharField(_("organization"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices,
                              default=Gender.NOT_STATED)
    viable_speaker = models.BooleanField(_("viable speaker at Forum events"), default=False)
    high_influence = models.BooleanField(_("high influence in the region"), default=False)
    low_burden = models.BooleanField(_("low stakeholder-management burden"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=AdvisorStatus.choices,
                              default=AdvisorStatus.CANDIDATE)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @property
    def criteria_met(self) -> int:
        return sum((self.viable_speaker, self.high_influence, self.low_burden))

