"""What a new letter of intent starts from, so that the secretariat reviews rather than writes:
the playbook's defaults (Preparation, step 5, task 3: what C4IR Colombia's letters of intent
set out), written for the city, the region and the sender in the letter's language, with the
terms the region used in its latest letter of intent in that language (they rarely change
from one city to the next)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Letter, LetterOfIntent
from .services.letter_templates import merge_values

# One text per part of LetterOfIntent.CONTENT; a part added there gets its default here.
PLAYBOOK_TERMS = {
    "purpose": _(
        "%(city)s joins the %(region)s Regional Alliance of the G20 Global Smart Cities "
        "Alliance to develop and adopt policies for the responsible and ethical use of smart "
        "city technologies, based on the Alliance's Policy Roadmap and its model policies."),
    "opportunities": _(
        "Regular meetings with peer cities and experts, at least quarterly; the annual policy "
        "assessment and the region's benchmarks; expert support to implement model policies, "
        "in one-on-one sessions and workshops; a monthly dialogue with the secretariat; "
        "visibility for the city's work through the Alliance's website, events and media."),
    "commitment": _(
        "Name a key point of contact close to the city's leadership; take part in the regular "
        "meetings and the annual policy assessment; work towards adopting at least one model "
        "policy and share its progress in the monthly dialogue."),
    "validity_period": _("Two years from signature, renewable by mutual agreement"),
    "financials": _(
        "Participation carries no fee. Each party bears its own costs, including travel to "
        "meetings and events, for which the city plans a budget."),
    "data_protection": _(
        "Information shared within the Alliance is used only for its activities and under the "
        "applicable data protection law. Neither party discloses what the other marks as "
        "confidential without its consent."),
    "intellectual_property": _(
        "Each party keeps the rights to what it brings. Outputs created together, such as case "
        "studies and benchmarks, may be published by the Alliance with credit to the city."),
    "contact_details": _("%(region)s Regional Alliance secretariat"),
}
# Names the city, so it is never carried over from another city's letter.
WRITTEN_PER_CITY = ("purpose",)
COVERING_TEXT = _(
    "Dear %(contact)s,\n\nPlease find enclosed the letter of intent for %(city)s's participation "
    "in the %(region)s Regional Alliance of the G20 Global Smart Cities Alliance. Once it is "
    "signed, we would be grateful for a signed copy.\n\nKind regards,\n%(sender)s")


def starting_terms(letter: Letter) -> dict[str, str]:
    """The terms a new letter of intent is prefilled with."""
    with translation.override(letter.language):
        terms = {part: str(text) % _values(letter) for part, text in PLAYBOOK_TERMS.items()}
    if letter.owner:
        sender = " · ".join(filter(None, (letter.owner.get_full_name(), letter.owner.email)))
        terms["contact_details"] += f"\n{sender}"
    previous = (LetterOfIntent.objects.filter(region=letter.region,
                                              letter__language=letter.language)
                .exclude(letter=letter).order_by("-pk").first())
    if previous is not None:
        terms.update({part: getattr(previous, part) for part in LetterOfIntent.CONTENT
                      if part not in WRITTEN_PER_CITY})
    return terms


def covering_text(*, city, contact, sender, language: str) -> str:
    """The covering text of a letter of intent drafted without one."""
    values = merge_values(city=city, contact=contact, sender=sender, language=language)
    with translation.override(language):
        return str(COVERING_TEXT) % values


def _values(letter: Letter) -> dict[str, str]:
    return merge_values(city=letter.city, contact=letter.contact, sender=letter.owner,
                        language=letter.language)
