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
from alliance.services.notifications import notify

from ..models import Letter, LetterKind, LetterTemplate
from .letter_templates import merge, merge_values, render_letter
from .letters import create_draft


def due_letters(region, *, now):
    """Sent long enough ago, still unanswered, and not yet followed up."""
    cutoff = now - timedelta(days=region.follow_up_after_days)
    return Letter.objects.filter(region=region, state=Letter.State.SENT, sent_at__lte=cutoff,
                                 follow_up_proposed_at__isnull=True)


def propose_follow_ups(*, region, now=None) -> int:
    """Draft a follow-up for every due letter; safe to run again (it does each one once)."""
    now = now or timezone.now()
    templates = _follow_up_templates(region)
    ids = list(due_letters(region, now=now).values_list("pk", flat=True))
    return sum(_propose(region=region, letter_id=pk, now=now, templates=templates)
               for pk in ids)


def _follow_up_templates(region) -> dict[str, LetterTemplate]:
    """The region's follow-up template per language (the first by name where there are more)."""
    templates = {}
    for template in LetterTemplate.objects.filter(region=region, kind=LetterKind.FOLLOW_UP
                                                  ).order_by("-name"):
        templates[template.language] = template
    return templates


def _propose(*, region, letter_id: int, now, templates: dict) -> bool:
    with transaction.atomic():
        # Lock and look again: another run may have proposed it, or an answer came in.
        letter = (due_letters(region, now=now).select_for_update(of=("self",))
                  .select_related("region", "city__region", "city__owner", "contact", "owner")
                  .filter(pk=letter_id).first())
        if letter is None:
            return False
        draft = _draft_follow_up(letter, templates.get(letter.language))
        letter.follow_up_proposed_at = now
        letter.save(update_fields=["follow_up_proposed_at"])
        audit.record(actor=None, action="outreach.letter.follow_up_proposed", target=letter,
                     region=region, follow_up=draft.pk)
        _tell_owner(letter, draft)
    return True


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
                        subject=subject[:200], body=body, char_limit=char_limit,
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
    with translation.override(region.default_language):
        subject = _("No answer from %(city)s after %(days)s days: a follow-up is drafted") % {
            "city": letter.city.name, "days": region.follow_up_after_days}
        body = _("“%(subject)s” has had no answer. Check the drafted follow-up and send it.") % {
            "subject": letter.subject}
    notify(recipient=recipient, key=f"letter:{letter.pk}:follow-up", subject=subject,
           body=body, region=region,
           url=reverse("letter-detail", kwargs={"region_slug": region.slug,
                                                "letter_id": draft.pk}))
