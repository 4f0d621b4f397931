"""Letters of intent: their content (playbook, Preparation step 5), the PDF, the signed copy.

A signed copy back from the city means it intends to participate: the city moves to
"committed" (the Preparation phase's success indicator counts it)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.pdf import render_pdf
from alliance.services import audit
from alliance.services.changes import locked, refuse_unknown, save_changes
from cities.models import Stage
from cities.services.pipeline import advance_if_behind

from ..models import Letter, LetterKind, LetterOfIntent
from ..uploads import SIGNED_COPY_MAX, SIGNED_COPY_TYPES, check_upload
from .letters import RELATED, check_text_editable, mark_answered

State = Letter.State


def _require_letter_of_intent(letter: Letter) -> None:
    if letter.kind != LetterKind.LETTER_OF_INTENT:
        raise DomainError(_("This letter is not a letter of intent."))


def intent_of(letter: Letter) -> LetterOfIntent | None:
    return LetterOfIntent.objects.filter(letter=letter).first()


def save_intent(*, actor, letter: Letter, **content) -> LetterOfIntent:
    """Write the letter of intent's content; every part the playbook lists is required."""
    permissions.require(actor, "outreach.edit", region=letter.region)
    _require_letter_of_intent(letter)
    refuse_unknown(content, LetterOfIntent.CONTENT)
    for field in LetterOfIntent.CONTENT:
        if not str(content.get(field, "")).strip():
            raise DomainError(_("Fill in “%(part)s”.") % {
                "part": LetterOfIntent._meta.get_field(field).verbose_name}, field=field)
    with transaction.atomic():
        # Lock the letter first: a request for approval at the same moment freezes its terms.
        letter = locked(letter, *RELATED)
        check_text_editable(letter)
        intent = intent_of(letter)
        if intent is not None:
            intent, _changed = save_changes(
                actor=actor, obj=intent, changes=content, editable=LetterOfIntent.CONTENT,
                action="outreach.letter.intent_saved", target=letter, region=letter.region)
            return intent
        intent = LetterOfIntent.objects.create(letter=letter, region=letter.region, **content)
        audit.record(actor=actor, action="outreach.letter.intent_saved", target=letter,
                     region=letter.region, created=True)
    return intent


def parts_of(intent: LetterOfIntent) -> list[tuple[str, str]]:
    """(heading, text) for each part of the content, in the playbook's order."""
    return [(LetterOfIntent._meta.get_field(f).verbose_name, getattr(intent, f))
            for f in LetterOfIntent.CONTENT]


def intent_pdf(letter: Letter) -> bytes:
    """The letter of intent as a PDF, in the letter's language, in the shipped IPAex fonts."""
    intent = intent_of(letter)
    if intent is None:
        raise DomainError(_("Fill in the letter of intent's content first."))
    with translation.override(letter.language):
        return render_pdf("outreach/intent_pdf.html", {
            "letter": letter, "intent": intent, "parts": parts_of(intent),
            "language": letter.language, "today": timezone.localdate()})


def upload_signed_copy(*, actor, letter: Letter, file) -> LetterOfIntent:
    """Keep the signed copy (PDF, JPEG or PNG, 10 MB at most); the letter counts as answered
    and the city as committed."""
    permissions.require(actor, "outreach.edit", region=letter.region)
    _require_letter_of_intent(letter)
    check_upload(file, allowed=SIGNED_COPY_TYPES, max_bytes=SIGNED_COPY_MAX)
    with transaction.atomic():
        # Lock first: the letter's state decides, and answering it is part of this change.
        letter = locked(letter, *RELATED)
        if letter.state == State.DRAFT:
            raise InvalidTransition(_("Send the letter of intent before uploading its signed "
                                      "copy."))
        intent = intent_of(letter)
        if intent is None:
            raise DomainError(_("Fill in the letter of intent's content first."))
        intent.signed_copy.save(file.name, file, save=False)
        intent.signed_at = timezone.now()
        intent.save(update_fields=["signed_copy", "signed_at"])
        audit.record(actor=actor, action="outreach.letter.signed_copy_uploaded", target=letter,
                     region=letter.region, size=file.size)
        if letter.state != State.ANSWERED:
            mark_answered(actor=actor, letter=letter, note=_("Signed copy received."))
        advance_if_behind(actor=actor, city=letter.city, to=Stage.COMMITTED,
                          note=_("Signed letter of intent received."))
    return intent

