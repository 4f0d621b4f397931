"""Cities in a region's pipeline: stages, how each is reached (engagement channel, partner
network), contacts, selection criteria and scores."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_scopes import ScopedManager

from alliance.labels import choice_label
from alliance.models import Region

from .names import name_key


class Stage(models.TextChoices):
    # If a stage is added here, add its moves to cities.stages.MOVES and a board column.
    LONG_LIST = "long_list", _("Long list")
    SHORT_LIST = "short_list", _("Short list")
    CONTACTED = "contacted", _("Contacted")
    IN_DIALOGUE = "in_dialogue", _("In dialogue")
    COMMITTED = "committed", _("Committed")
    MEMBER = "member", _("Member")
    DECLINED = "declined", _("Declined")
    PAUSED = "paused", _("Paused")
    LEFT = "left", _("Left")


class Tier(models.TextChoices):
    PIONEER = "pioneer", _("Pioneer")
    ACTIVE = "active", _("Active")
    OBSERVER = "observer", _("Observer")


class Channel(models.TextChoices):
    """How the region reaches a target (playbook, Preparation step 4, task 2)."""

    PARTNER_NETWORK = "partner_network", _("Partner network")
    FELLOW = "fellow", _("Fellow")
    PERSONAL_CONTACT = "personal_contact", _("Personal contact")
    EVENT = "event", _("Event")
    ARCHITECT = "architect", _("Architect")
    WEBSITE_FORM = "website_form", _("Website inquiry form")
    ENGAGEMENT_OFFICER = "engagement_officer", _("Primary Engagement Officer")


class PartnerNetwork(models.Model):
    """An existing city network or institutional partner to approach for joint outreach."""

    class Kind(models.TextChoices):
        CITY_NETWORK = "city_network", _("City network")
        INSTITUTIONAL = "institutional", _("Institutional partner")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices,
                            default=Kind.CITY_NETWORK)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    is_forum_partner = models.BooleanField(_("Forum Partner"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"],
                                               name="partner_network_unique")]

    def __str__(self):
        return self.name


class Tag(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=50)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="tag_unique")]

    def __str__(self):
        return self.name


class CityManager(models.Manager):
    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create skips save(), which keeps name_key in step with the name.
        objs = list(objs)
        for city in objs:
            city.name_key = name_key(city.name)
        return super().bulk_create(objs, *args, **kwargs)


class City(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="cities")
    name = models.CharField(_("name"), max_length=120)
    # The name as near-duplicates compare it (cities.names.name_key): "Bogota" is "Bogotá".
    name_key = models.CharField(max_length=120, editable=False, default="")
    local_name = models.CharField(_("name in the local language"), max_length=120, blank=True)
    country = CountryField(_("country"))
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices, default=Tier.ACTIVE)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices,
                             default=Stage.LONG_LIST)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("owner"))
    engagement_channel = models.CharField(_("engagement channel"), max_length=24,
                                          choices=Channel.choices, blank=True)
    partner_network = models.ForeignKey(PartnerNetwork, on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="cities",
                                        verbose_name=_("partner network"))
    notes = models.TextField(_("notes"), blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="cities", verbose_name=_("tags"))
    created_at = models.DateTimeField(default=timezone.now)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    # The weighted criteria score, 0-100, None until scored. Stored, not computed per read:
    # the table, board and grid sort the whole region by it. The scoring services keep it
    # (cities.services.scoring.recompute_priorities); nothing else writes it.
    priority = models.FloatField(_("Priority"), null=True, blank=True, editable=False)

    objects = ScopedManager(region="region", _manager_class=CityManager)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("cities")
        constraints = [
            models.UniqueConstraint(fields=["region", "name", "country"], name="city_unique"),
        ]
        indexes = [
            models.Index(fields=["region", "name_key"], name="city_name_key"),
            # The table's default order, and the board's within a stage.
            models.Index(fields=["region", "priority"], name="city_region_priority"),
            models.Index(fields=["region", "stage", "priority"], name="city_stage_priority"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields:
            kwargs["update_fields"] = {*fields, "name_key"}
        super().save(*args, **kwargs)

    # Labels worded once per language (alliance.labels), unlike get_FOO_display(), which
    # translates every choice of the field on each call: pages show them for many cities.
    @property
    def stage_label(self) -> str:
        return choice_label(Stage, self.stage)

    @property
    def tier_label(self) -> str:
        return choice_label(Tier, self.tier)

    @property
    def engagement_channel_label(self) -> str:
        return choice_label(Channel, self.engagement_channel) if self.engagement_channel else ""


class StageChange(models.Model):
    """Every move of a city: who, when and why."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=16, choices=Stage.choices)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.city}: {self.from_stage} → {self.to_stage}"


class Contact(models.Model):
    class Position(models.TextChoices):
        MAYOR = "mayor", _("Mayor")
        DEPARTMENT_HEAD = "department_head", _("Department head")
        SECTION_CHIEF = "section_chief", _("Section chief")
        KEY_CONTACT = "key_contact", _("Key point of contact")
        OTHER = "other", _("Other")

    class PreferredChannel(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")
        MEETING = "meeting", _("Meeting")
        LETTER = "letter", _("Letter")
        INQUIRY_FORM = "inquiry_form", _("Inquiry form")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=120)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices,
                                default=Position.OTHER)
    department = models.CharField(_("department"), max_length=120, blank=True)
    title = models.CharField(_("title"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES,
                                default="en")
    preferred_channel = models.CharField(_("preferred channel"), max_length=16,
                                         choices=PreferredChannel.choices,
                                         default=PreferredChannel.EMAIL)
    is_key = models.BooleanField(_("key contact"), default=False)
    # Approaching these people needs an engagement clearance first (playbook, step 4).
    is_national_government = models.BooleanField(_("national government official"),
                                                 default=False)
    is_forum_partner = models.BooleanField(_("works at a Forum Partner"), default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="city_contacts")
    invitation = models.ForeignKey("alliance.Invitation", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-is_key", "name"]
        constraints = [
            models.UniqueConstraint(fields=["city"], condition=models.Q(is_key=True),
                                    name="one_key_contact_per_city"),
        ]
        # The city table's search looks for the text in each listed city's contact names:
        # read from this index alone (the region is the scope's own filter).
        indexes = [models.Index(fields=["city", "region", "name"], name="contact_city_name")]

    def __str__(self):
        return self.name

    # Worded once per language, as City's labels are (a page lists several contacts).
    @property
    def position_label(self) -> str:
        return choice_label(self.Position, self.position)

    @property
    def preferred_channel_label(self) -> str:
        return choice_label(self.PreferredChannel, self.preferred_channel)

    @property
    def language_label(self) -> str:
        return str(dict(settings.LANGUAGES).get(self.language, self.language))

    @property
    def needs_clearance(self) -> bool:
        return self.is_national_government or self.is_forum_partner


class Criterion(models.Model):
    """A selection criterion of a region, scored 0-3 per city, weighted in the priority."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=2, default=1,
                                 validators=[MinValueValidator(0), MaxValueValidator(10)])
    from_playbook = models.BooleanField(default=False, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="criterion_unique"),
        ]

    def __str__(self):
        return self.name


class CriterionScore(models.Model):
    MAX = 3

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(MAX)])
    note = models.CharField(_("note"), max_length=300, blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, related_name="+")
    scored_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["city", "criterion"], name="score_unique"),
            models.CheckConstraint(condition=models.Q(score__lte=3), name="score_at_most_3"),
        ]
        # Fits the priority's subquery (scores of one city, within the region: see
        # cities.services.scoring), so SQLite without statistics does not pick a worse index.
        indexes = [models.Index(fields=["region", "city"], name="score_region_city")]

    def __str__(self):
        return f"{self.city} · {self.criterion}: {self.score}"


class SavedView(models.Model):
    """A person's named filters of the city table ("Brazil, not contacted").

    It is the table's query string and nothing more: opening it opens a URL, so the same link
    shows a colleague in the region the same rows."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "user", "name"],
                                               name="saved_view_unique")]

    def __str__(self):
        return self.name


# -- the monthly dialogue with every city ---------------------------------------------------------


class Dialogue(models.Model):
    """A conversation with a city (playbook, Operation V: "communicate with each city once a
    month"): when, with whom, through which channel, what was said, and what follows."""

    class WithWhom(models.TextChoices):
        MAYOR = "mayor", _("Mayor")
        SMART_CITY_LEAD = "smart_city_lead", _("Person in charge of smart city initiatives")
        OTHER = "other", _("Other")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online meeting")
        VISIT = "visit", _("Visit")
        EMAIL = "email", _("Email")
        CHAT = "chat", _("Chat")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="dialogues",
                             verbose_name=_("city"))
    held_on = models.DateField(_("date"))
    with_whom = models.CharField(_("with whom"), max_length=16, choices=WithWhom.choices,
                                 default=WithWhom.SMART_CITY_LEAD)
    with_whom_note = models.CharField(_("names or roles"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices,
                               default=Channel.ONLINE)
    summary = models.TextField(_("summary"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["region", "held_on", "city"], name="dialogue_region_month"),
            models.Index(fields=["city", "held_on"], name="dialogue_city_date"),
        ]

    def __str__(self):
        return f"{self.city} {self.held_on}"

    @property
    def with_whom_label(self) -> str:
        return choice_label(self.WithWhom, self.with_whom)

    @property
    def channel_label(self) -> str:
        return choice_label(self.Channel, self.channel)


class DialogueFollowUp(models.Model):
    """Something a dialogue leaves to do: who, by when, done or not."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="follow_ups")
    title = models.CharField(_("follow-up"), max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("owner"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["done_at", "due_on", "id"]

    def __str__(self):
        return self.title
