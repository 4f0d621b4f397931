"""Letters of intent: their content (playbook, Preparation step 5), the PDF, the signed copy.

A signed copy back from the city means it intends to participate: the city moves to
"committed" (the Preparation phase's success indicator counts it). Until the Global
Secretariat approves the letter, its PDF is a draft and says so on every page."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.pdf import render_pdf
from alliance.services import audit
from alliance.services.approvals import is_approved
from alliance.services.changes import locked, refuse_unknown, save_changes, save_locked
from alliance.uploads import SIGNED_COPY_MAX, SIGNED_COPY_TYPES, check_upload
from cities.models import Stage

from ..models import Letter, LetterKind, LetterOfIntent
from .letters import (
    LEGAL_DOCUMENT,
    RELATED,
    advance_city,
    check_text_editable,
    mark_answered,
    normalize_newlines,
)

State = Letter.State
# The letter's own text, saved with the terms from the one form of the letter's page.
TEXT = ("subject", "body")


def _require_letter_of_intent(letter: Letter) -> None:
    if letter.kind != LetterKind.LETTER_OF_INTENT:
        raise DomainError(_("This letter is not a letter of intent."))


def intent_of(letter: Letter) -> LetterOfIntent | None:
    return LetterOfIntent.objects.filter(letter=letter).first()


def save_intent(*, actor, letter: Letter, **content) -> LetterOfIntent:
    """Write the letter of intent's content, every part the playbook lists being required,
    and with it the letter's subject and text when given: the approval covers them all."""
    permissions.require(actor, "outreach.edit", region=letter.region)
    _require_letter_of_intent(letter)
    text = {field: content.pop(field) for field in TEXT if field in content}
    refuse_unknown(content, LetterOfIntent.CONTENT)
    given = {**content, **text}
    for field in (*LetterOfIntent.CONTENT, *text):
        if not str(given.get(field, "")).strip():
            raise DomainError(_("Fill in “%(part)s”.") % {"part": _part_name(field)},
                              field=field)
    if "body" in text:
        text["body"] = normalize_newlines(text["body"])
    with transaction.atomic():
        # Lock the letter first: a request for approval at the same moment freezes its terms.
        letter = locked(letter, *RELATED)
        check_text_editable(letter)
        save_locked(actor=actor, row=letter, changes=text, editable=TEXT,
                    action="outreach.letter.changed")
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


def _part_name(field: str) -> str:
    model = Letter if field in TEXT else LetterOfIntent
    return model._meta.get_field(field).verbose_name


def parts_of(intent: LetterOfIntent) -> list[tuple[str, str]]:
    """(heading, text) for each part of the content, in the playbook's order."""
    return [(LetterOfIntent._meta.get_field(f).verbose_name, getattr(intent, f))
            for f in LetterOfIntent.CONTENT]


def is_final(letter: Letter) -> bool:
    """Sent, or approved for sending: the PDF the city signs. Before that it is a draft."""
    return not letter.is_draft or is_approved(letter, kind=LEGAL_DOCUMENT)


def intent_pdf(letter: Letter) -> bytes:
    """The letter of intent as a PDF, in the letter's language, in the shipped IPAex fonts;
    marked DRAFT on every page until it is approved."""
    intent = intent_of(letter)
    if intent is None:
        raise DomainError(_("Fill in the letter of intent's content first."))
    with translation.override(letter.language):
        return render_pdf("outreach/intent_pdf.html", {
            "letter": letter, "intent": intent, "parts": parts_of(intent),
            "draft": not is_final(letter), "language": letter.language,
            "today": timezone.localdate()})


def upload_signed_copy(*, actor, letter: Letter, file) -> Letter:
    """Keep the signed copy (PDF, JPEG or PNG, 10 MB at most); the letter counts as answered
    and the city as committed. Returns the letter as it now stands."""
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
        advance_city(actor=actor, letter=letter, to=Stage.COMMITTED,
                     note=_("Signed letter of intent received."))
    return letter

