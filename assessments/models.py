"""The Policy Roadmap (principles, model policies), the questionnaires of the annual policy
assessment, and each region's campaigns, city assessments, answers and reports.

The roadmap and the questionnaires belong to the whole network: the Global Secretariat keeps
them, every region reads them, and they carry no region. A model policy a region proposes
names that region until the Global Secretariat adopts it. Everything about a city (its
assessment, answers, assignments, clarifications, reports) carries its region and a
ScopedManager, like every tenant row.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from alliance.labels import choice_label
from alliance.models import Region
from cities.models import City

# The languages a questionnaire is written in: English, the source, then its translations.
SOURCE_LANGUAGE = "en"


def translated(source: str, translations: dict, field: str, language: str | None = None) -> str:
    """`field` of `translations` in `language` (the active one by default), else the English
    `source`: a question not yet translated reads in English rather than blank."""
    language = (language or get_language() or SOURCE_LANGUAGE).lower()
    for code in (language, language.split("-")[0]):
        text = (translations.get(code) or {}).get(field)
        if text:
            return text
    return source


# -- the Policy Roadmap -------------------------------------------------------------------------

class PrincipleKey(models.TextChoices):
    """The five principles every model policy serves (playbook 1-4)."""

    PRIVACY = "privacy", _("Privacy and transparency")
    INTEROPERABILITY = "interoperability", _("Interoperability and openness")
    SUSTAINABILITY = "sustainability", _("Operational and financial sustainability")
    SECURITY = "security", _("Security and resilience")
    EQUITY = "equity", _("Equity, inclusivity and social impact")


class Principle(models.Model):
    """One of the five, seeded by migration; its name is translated with the interface."""

    key = models.CharField(max_length=20, choices=PrincipleKey.choices, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return choice_label(PrincipleKey, self.key)


class ModelPolicy(models.Model):
    """A practical, established policy norm for a process a city needs (playbook 1-4)."""

    class Status(models.TextChoices):
        # A region's proposal waits for the Global Secretariat's model_policy approval.
        PROPOSED = "proposed", _("Proposed")
        ADOPTED = "adopted", _("Part of the roadmap")
        DECLINED = "declined", _("Declined")
        RETIRED = "retired", _("Retired")

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    principles = models.ManyToManyField(Principle, related_name="model_policies",
                                        verbose_name=_("principles it serves"))
    reference_title = models.CharField(
        _("real-world reference"), max_length=200,
        help_text=_("A proven, well-established model this policy is based on."))
    reference_url = models.URLField(_("reference link"), max_length=500,
                                    help_text=_("Where anyone can verify the reference."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.PROPOSED)
    # The playbook's conditions for a proposal spearheaded by a Regional Alliance.
    proposed_by_region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+",
                                           verbose_name=_("proposed by"))
    task_force = models.TextField(
        _("task force"), blank=True,
        help_text=_("Who develops it, and from which countries and regions."))
    has_geographical_representation = models.BooleanField(
        _("the task force has sufficient geographical representation"), default=False)
    is_proven_model = models.BooleanField(
        _("based on a proven model with at least one verifiable real-world reference"),
        default=False)
    is_consistent_with_roadmap = models.BooleanField(
        _("consistent with the rest of the Policy Roadmap"), default=False)
    consistency_note = models.TextField(_("how it fits the roadmap"), blank=True)
    # {"ja": {"title": ..., "summary": ...}, ...}: English is the source.
    translations = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = _("model policies")

    def __str__(self):
        return self.title

    @property
    def status_label(self) -> str:
        return choice_label(self.Status, self.status)

    @property
    def shown_title(self) -> str:
        return translated(self.title, self.translations, "title")

    @property
    def shown_summary(self) -> str:
        return translated(self.summary, self.translations, "summary")


# -- questionnaires -----------------------------------------------------------------------------

class Questionnaire(models.Model):
    """A questionnaire the network answers year after year, in numbered versions."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class QuestionnaireVersion(models.Model):
    """A version is a draft until published; a published version never changes (edits make
    a new draft from it), so every answer keeps the question it answered."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE,
                                      related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    based_on = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["questionnaire", "-number"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"],
                                               name="questionnaire_version_unique")]

    def __str__(self):
        return f"{self.questionnaire} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def state_label(self) -> str:
        return choice_label(self.State, self.state)


class Condition(models.TextChoices):
    """How a question's or section's rule compares an earlier answer (XLSForm `relevant`)."""

    EQUALS = "equals", "="
    NOT_EQUALS = "not_equals", "!="
    AT_LEAST = "at_least", ">="
    AT_MOST = "at_most", "<="


class Conditional(models.Model):
    """Shown only when an earlier question's answer matches: `shown_if` `operator` `value`.
    Hidden, it is neither required nor scored; the rule is checked again on submit."""

    shown_if = models.ForeignKey("Question", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("shown only if"))
    operator = models.CharField(max_length=12, choices=Condition.choices, blank=True)
    value = models.CharField(_("the answer is"), max_length=100, blank=True)

    class Meta:
        abstract = True


class Section(Conditional):
    """A part of a version, about one principle and optionally one model policy."""

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE,
                                related_name="sections")
    position = models.PositiveIntegerField(default=0)
    name = models.SlugField(max_length=60, help_text=_("Its name in the spreadsheet."))
    title = models.CharField(_("title"), max_length=200)
    # {"ja": {"title": ...}}
    translations = models.JSONField(default=dict, blank=True)
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("principle"))
    model_policy = models.ForeignKey(ModelPolicy, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("model policy"))

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "name"],
                                               name="section_name_unique")]

    def __str__(self):
        return self.title

    @property
    def shown_title(self) -> str:
        return translated(self.title, self.translations, "title")


class QuestionKind(models.TextChoices):
    YES_PARTIAL_NO = "yes_partial_no", _("Yes / partly / no")
    MATURITY = "maturity", _("Maturity (0-4)")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Free text")
    EVIDENCE = "evidence", _("Evidence (file or link)")


# The share of a question's weight an answer earns; unlisted kinds are not scored.
YES_PARTIAL_NO_POINTS = {"yes": 1.0, "partial": 0.5, "no": 0.0}
MATURITY_LEVELS = 4
SCORED_KINDS = frozenset({QuestionKind.YES_PARTIAL_NO, QuestionKind.MATURITY})


class Question(Conditional):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    # Unique within the version: the spreadsheet's `name`, what conditions refer to.
    name = models.SlugField(max_length=60)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    hint = models.TextField(_("hint"), blank=True)
    # {"ja": {"text": ..., "hint": ...}, "es": {...}}
    translations = models.JSONField(default=dict, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1,
                                 validators=[MinValueValidator(0)])
    required = models.BooleanField(_("required"), default=True)
    in_simplified = models.BooleanField(
        _("in the simplified variant"), default=True,
        help_text=_("The simplified assessment asks only these questions."))

    class Meta:
        ordering = ["section__position", "position", "id"]

    def __str__(self):
        return self.name

    @property
    def shown_text(self) -> str:
        return translated(self.text, self.translations, "text")

    @property
    def shown_hint(self) -> str:
        return translated(self.hint, self.translations, "hint")

    @property
    def is_scored(self) -> bool:
        return self.kind in SCORED_KINDS and self.weight > 0


# -- campaigns and assessments (per region) -----------------------------------------------------

class AssessmentSettings(models.Model):
    """A region's annual schedule: the month its campaign opens and how long it runs. A beat
    job prepares the draft campaign in that month for the secretariat to review."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE,
                                  related_name="assessment_settings")
    opening_month = models.PositiveSmallIntegerField(
        _("month the campaign opens"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)])
    window_weeks = models.PositiveSmallIntegerField(
        _("weeks to answer"), default=8, validators=[MinValueValidator(1),
                                                     MaxValueValidator(52)])
    reminder_days = models.PositiveSmallIntegerField(
        _("days between reminders"), default=7, validators=[MinValueValidator(1),
                                                           MaxValueValidator(60)])

    objects = ScopedManager(region="region")

    def __str__(self):
        return f"{self.region}: assessment schedule"


class BusyPeriod(models.Model):
    """A time of year when cities are hard to reach (year end, assembly sessions): a
    campaign window over it is warned about. Month and day, every year."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    start_month = models.PositiveSmallIntegerField(_("from month"), validators=[
        MinValueValidator(1), MaxValueValidator(12)])
    start_day = models.PositiveSmallIntegerField(_("from day"), validators=[
        MinValueValidator(1), MaxValueValidator(31)])
    end_month = models.PositiveSmallIntegerField(_("to month"), validators=[
        MinValueValidator(1), MaxValueValidator(12)])
    end_day = models.PositiveSmallIntegerField(_("to day"), validators=[
        MinValueValidator(1), MaxValueValidator(31)])

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["start_month", "start_day"]

    def __str__(self):
        return self.name


class Variant(models.TextChoices):
    FULL = "full", _("Full assessment")
    SIMPLIFIED = "simplified", _("Simplified assessment")


class Campaign(models.Model):
    """A region's assessment of a year: one questionnaire version, answered in a window."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LAUNCHING = "launching", _("Launching")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField(_("year"))
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT,
                                related_name="campaigns", verbose_name=_("questionnaire"))
    variant = models.CharField(_("variant"), max_length=12, choices=Variant.choices,
                               default=Variant.FULL)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("deadline"))
    reminder_days = models.PositiveSmallIntegerField(
        _("days between reminders"), default=7, validators=[MinValueValidator(1),
                                                           MaxValueValidator(60)])
    # Cities asked besides the members (those that opted in).
    extra_cities = models.ManyToManyField(City, blank=True, related_name="+",
                                          verbose_name=_("cities that opted in"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    # The launch job's progress: cities invited of those to invite.
    launch_total = models.PositiveIntegerField(default=0)
    launch_done = models.PositiveIntegerField(default=0)
    launched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    launched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set when the annual schedule prepared it rather than a person.
    prepared_by_schedule = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["region", "year"],
                                               name="campaign_one_per_region_and_year")]

    def __str__(self):
        return f"{self.year}"

    @property
    def state_label(self) -> str:
        return choice_label(self.State, self.state)


class Assessment(models.Model):
    """A city's answers to a campaign, through its states:
    not started -> in progress -> submitted -> accepted, or -> returned -> (in progress)
    -> submitted again."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assessments")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="assessments")
    state = models.CharField(max_length=12, choices=State.choices, default=State.NOT_STARTED)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    # 0-100, stored when the assessment is submitted (assessments.services.scoring).
    overall_score = models.FloatField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["city__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "city"],
                                               name="assessment_one_per_city")]
        indexes = [models.Index(fields=["campaign", "state"], name="assessment_state")]

    def __str__(self):
        return f"{self.city} {self.campaign}"

    @property
    def state_label(self) -> str:
        return choice_label(self.State, self.state)

    @property
    def is_open_to_answers(self) -> bool:
        return self.state in (self.State.NOT_STARTED, self.State.IN_PROGRESS,
                              self.State.RETURNED)


def evidence_path(answer: Answer, filename: str) -> str:
    # A random name: the uploader's file name may say more than it should, and is kept apart.
    return f"evidence/{answer.region_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Answer(models.Model):
    """One question answered for one city. `revision` counts saves: an autosave that names
    an older revision than the stored one is refused, so a second person editing the same
    answer is warned instead of silently overwriting it."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # yes/partial/no, or the maturity level "0"-"4".
    choice = models.CharField(max_length=12, blank=True)
    number = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    text = models.TextField(blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    evidence_file = models.FileField(upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    # What the answer earns towards its section's principle (weight x share, 0 when hidden
    # or unscored) and the weight it counts for: scores are SQL sums of these.
    points = models.FloatField(default=0)
    counted_weight = models.FloatField(default=0)
    revision = models.PositiveIntegerField(default=0)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["question__section__position", "question__position"]
        constraints = [models.UniqueConstraint(fields=["assessment", "question"],
                                               name="answer_one_per_question")]

    def __str__(self):
        return f"{self.assessment}: {self.question}"

    @property
    def is_blank(self) -> bool:
        return not (self.choice or self.number is not None or self.text.strip()
                    or self.evidence_url or self.evidence_file)


class PrincipleScore(models.Model):
    """An assessment's score on one principle, 0-100 (SQL sums of its answers' points)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="principle_scores")
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField()

    objects = ScopedManager(region="region")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "principle"],
                                               name="principle_score_unique")]
        indexes = [models.Index(fields=["principle", "score"], name="principle_score_rank")]

    def __str__(self):
        return f"{self.assessment}: {self.principle} {self.score:.0f}"


class SectionAssignment(models.Model):
    """A section of a city's assessment handed to a colleague in another department: an
    object permission (django-guardian) on this row lets them answer that section only."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="assignments")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField(_("colleague's email"))
    name = models.CharField(_("colleague's name"), max_length=120, blank=True)
    department = models.CharField(_("department"), max_length=120, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="section_assignments")
    invitation = models.ForeignKey("alliance.Invitation", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["assessment", "section__position"]
        permissions = [("answer_section", "Answer an assigned section")]
        constraints = [models.UniqueConstraint(
            fields=["assessment", "section", "email"], condition=models.Q(removed_at=None),
            name="assignment_one_open_per_colleague")]

    def __str__(self):
        return f"{self.section} → {self.email}"


class Clarification(models.Model):
    """A message of a question's clarification thread between the city and the secretariat
    (the playbook's Q&A session)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="clarifications")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    from_secretariat = models.BooleanField(default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["assessment", "question"], name="clarification_thread")]

    def __str__(self):
        return f"{self.question}: {self.body[:40]}"


class ReviewComment(models.Model):
    """The secretariat's comment on one answer when it returns an assessment; the round
    says which return it belongs to, so the history of returns is kept."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="review_comments")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(default=1)
    body = models.TextField(_("comment"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["round", "question__section__position", "question__position"]

    def __str__(self):
        return f"{self.question} (round {self.round})"


class Report(models.Model):
    """A PDF report rendered by a Celery task, kept until its data changes: `fingerprint`
    names the data it was made from, and a report of other data is made anew."""

    class Kind(models.TextChoices):
        CITY = "city", _("City report")
        REGION = "region", _("Region report")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reports")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="reports")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    fingerprint = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    file = models.FileField(upload_to="reports/", blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["campaign", "kind", "language", "fingerprint"],
                                name="report_reuse")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.campaign}"


class CaseStudy(models.Model):
    """A smart city initiative of a participating city, captured for the Urban
    Transformation Hub (playbook, Expansion step 6): what was done, which principles and
    model policy it serves, what came of it. Often drawn from an assessment's evidence.
    draft -> ready for the Hub (the secretariat checked it) -> sent to the Hub."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        READY = "ready", _("Ready for the Hub")
        SENT = "sent", _("Sent to the Hub")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="case_studies",
                             verbose_name=_("city"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what the city did"))
    outcome = models.TextField(_("what came of it"), blank=True)
    principles = models.ManyToManyField(Principle, blank=True, related_name="+",
                                        verbose_name=_("principles it serves"))
    model_policy = models.ForeignKey(ModelPolicy, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("model policy"))
    link = models.URLField(_("link"), max_length=500, blank=True,
                           help_text=_("Where the initiative is described publicly."))
    contact_name = models.CharField(_("person to ask"), max_length=120, blank=True)
    # The answer it was drawn from, when the secretariat found it in an assessment.
    source_answer = models.ForeignKey(Answer, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("case studies")
        indexes = [models.Index(fields=["region", "state"], name="case_study_state")]

    def __str__(self):
        return self.title

    @property
    def state_label(self) -> str:
        return choice_label(self.State, self.state)
