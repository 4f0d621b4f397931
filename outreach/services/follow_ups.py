"""The daily follow-up: letters sent N days ago (the region's setting) without an answer get
a follow-up drafted for them, and their owner hears of it once (playbook: "for those cities
that did not respond, we sent the form again after a period of time")."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from alliance.services import audit
from alliance.services.notifications import in_language_of, notify

from ..models import Letter, LetterKind, LetterTemplate
from .letter_templates import merge, merge_values, render_letter
from .letters import create_draft


def due_letters(region, *, now):
    """Sent long enough ago, still unanswered, and not yet followed up."""
    cutoff = now - timedelta(days=region.follow_up_after_days)
    return Letter.objects.filter(region=region, state=Letter.State.SENT, sent_at__lte=cutoff,
                                 follow_up_proposed_at__isnull=True)


def due_letter_ids(*, region, now=None) -> list[int]:
    return list(due_letters(region, now=now or timezone.now()).values_list("pk", flat=True))


def propose_follow_up(*, region, letter_id: int, now=None) -> Letter | None:
    """Draft the follow-up of one due letter and tell its owner; None when it is no longer
    due (answered meanwhile, or proposed by an earlier run): safe to run twice."""
    now = now or timezone.now()
    with transaction.atomic():
        # Lock and look again: another run may have proposed it, or an answer came in.
        letter = (due_letters(region, now=now).select_for_update(of=("self",))
                  .select_related("region", "city__region", "city__owner", "contact", "owner")
                  .filter(pk=letter_id).first())
        if letter is None:
            return None
        draft = _draft_follow_up(letter, _template_for(region, letter.language))
        letter.follow_up_proposed_at = now
        letter.save(update_fields=["follow_up_proposed_at"])
        audit.record(actor=None, action="outreach.letter.follow_up_proposed", target=letter,
                     region=region, follow_up=draft.pk)
        _tell_owner(letter, draft)
    return draft


def _template_for(region, language: str) -> LetterTemplate | None:
    """The region's follow-up template in the letter's language (the first by name)."""
    return LetterTemplate.objects.filter(region=region, kind=LetterKind.FOLLOW_UP,
                                         language=language).order_by("name").first()


def _draft_follow_up(letter: Letter, template: LetterTemplate | None) -> Letter:
    sender = letter.owner
    if template is not None:
        subject, body = render_letter(template=template, city=letter.city,
                                      contact=letter.contact, sender=sender)
        char_limit = template.char_limit or letter.char_limit
    else:
        subject, body = _default_text(letter)
        char_limit = letter.char_limit
    return create_draft(city=letter.city, owner=sender, contact=letter.contact,
                        template=template, kind=LetterKind.FOLLOW_UP, language=letter.language,
                        subject=subject, body=body, char_limit=char_limit,
                        follows_up=letter)


def _default_text(letter: Letter) -> tuple[str, str]:
    """A short follow-up in the letter's own language, for regions without a template."""
    values = merge_values(city=letter.city, contact=letter.contact, sender=letter.owner,
                          language=letter.language)
    with translation.override(letter.language):
        sent_on = formats.date_format(timezone.localtime(letter.sent_at), "DATE_FORMAT")
        subject = _("Follow-up: %(subject)s") % {"subject": letter.subject}
        body = _("Dear {{ contact }},\n\nOn %(date)s we wrote to you about “%(subject)s”. We "
                 "would be glad to hear whether {{ city }} would like to take part in the "
                 "{{ region }} alliance, and we are happy to answer any question.\n\n"
                 "Kind regards,\n{{ sender }}") % {"date": sent_on, "subject": letter.subject}
    return subject, merge(body, values)


def _tell_owner(letter: Letter, draft: Letter) -> None:
    recipient = letter.owner or letter.city.owner
    if recipient is None:
        return
    region = letter.region
    with in_language_of(recipient, region):
        subject = _("No answer from %(city)s after %(days)s days: a follow-up is drafted") % {
            "city": letter.city.name, "days": region.follow_up_after_days}
        body = _("“%(subject)s” has had no answer. Check the drafted follow-up and send it.") % {
            "subject": letter.subject}
    notify(recipient=recipient, key=f"letter:{letter.pk}:follow-up", subject=subject,
           body=body, region=region,
           url=reverse("letter-detail", kwargs={"region_slug": region.slug,
                                                "letter_id": draft.pk}))
