"""Outreach: letter templates, letters (and letters of intent), materials."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from alliance.models import Region
from cities.models import Stage


class LetterKind(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    INVITATION = "invitation", _("Invitation letter")
    LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
    FOLLOW_UP = "follow_up", _("Follow-up")


# Letters the Forum issues in its own name: they need a legal_document approval to be sent.
FORUM_ISSUED = frozenset({LetterKind.INVITATION, LetterKind.LETTER_OF_INTENT})


class LetterTemplate(models.Model):
    """A letter per kind and language, with merge fields {{ city }}, {{ contact }},
    {{ region }} and {{ sender }}."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=120)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    char_limit = models.PositiveIntegerField(
        _("character limit"), null=True, blank=True,
        help_text=_("For inquiry forms that limit the length of a message."))

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["kind", "language", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"],
                                               name="letter_template_unique")]

    def __str__(self):
        return self.name


class Letter(models.Model):
    class State(models.TextChoices):
        # If a state is added here, add its moves to outreach.services.
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        ANSWERED = "answered", _("Answered")
        NO_ANSWER = "no_answer", _("No answer")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="letters")
    contact = models.ForeignKey("cities.Contact", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="letters", verbose_name=_("recipient"))
    template = models.ForeignKey(LetterTemplate, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES,
                                default="en")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    char_limit = models.PositiveIntegerField(_("character limit"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.DRAFT)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              related_name="+", verbose_name=_("owner"))
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = models.TextField(_("answer"), blank=True)
    follows_up = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="follow_ups")
    # Set by the daily job when it told the owner: it tells them once.
    follow_up_proposed_at = models.DateTimeField(null=True, blank=True)
    # The latest stage this letter moved its city to (sent, answered, signed), so that its
    # page can say so: the city's own history does not name the letter.
    city_moved_to = models.CharField(_("moved the city to"), max_length=16,
                                     choices=Stage.choices, blank=True)
    city_moved_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "sent_at"])]
        constraints = [
            # The daily job proposes one follow-up per letter, however often it runs.
            models.UniqueConstraint(fields=["follows_up"], name="one_follow_up_per_letter"),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_draft(self) -> bool:
        """Only a draft is edited, sent or sent for approval."""
        return self.state == self.State.DRAFT

    @property
    def is_letter_of_intent(self) -> bool:
        return self.kind == LetterKind.LETTER_OF_INTENT

    @property
    def is_forum_issued(self) -> bool:
        return self.kind in FORUM_ISSUED

    @property
    def length(self) -> int:
        return len(self.body)

    @property
    def over_limit(self) -> int:
        """Characters beyond the limit: 0 when within it or when there is none."""
        return max(self.length - self.char_limit, 0) if self.char_limit else 0


def _random_name(filename: str) -> str:
    """Uploaded names are never used on disk: a random name, the (checked) extension kept."""
    return f"{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def signed_copy_path(instance, filename):
    return f"letters-of-intent/{instance.region_id}/{instance.letter_id}/{_random_name(filename)}"


class LetterOfIntent(models.Model):
    """The content of a letter of intent, as the playbook lists it (Preparation, step 5)."""

    # The letter's content, in the order the PDF shows it. A field added here goes there too.
    CONTENT = ("purpose", "opportunities", "commitment", "validity_period", "financials",
               "data_protection", "intellectual_property", "contact_details")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    letter = models.OneToOneField(Letter, on_delete=models.CASCADE, related_name="intent")
    purpose = models.TextField(_("purpose of participation"))
    opportunities = models.TextField(_("opportunities for the city"))
    commitment = models.TextField(_("commitment required"))
    validity_period = models.CharField(_("validity period"), max_length=200)
    financials = models.TextField(_("financials"))
    data_protection = models.TextField(_("data protection and confidentiality"))
    intellectual_property = models.TextField(_("intellectual property"))
    contact_details = models.TextField(_("contact details"))
    signed_copy = models.FileField(_("signed copy"), upload_to=signed_copy_path, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    def __str__(self):
        return str(self.letter)


def material_path(instance, filename):
    return f"materials/{instance.region_id}/{_random_name(filename)}"


class Material(models.Model):
    """Explanatory material that describes the benefits for participants, per language."""

    class Kind(models.TextChoices):
        BROCHURE = "brochure", _("Brochure")
        PRESENTATION = "presentation", _("Presentation")
        ONE_PAGER = "one_pager", _("One-pager")
        VIDEO_SCRIPT = "video_script", _("Video script")
        OTHER = "other", _("Other")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    file = models.FileField(_("file"), upload_to=material_path)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["language", "title"]

    def __str__(self):
        return self.title
