"""What a Global Secretariat user or a Forum reviewer reads on the decision page of an
outreach approval (alliance.approvals.ApprovalKind.subject_template)."""

from __future__ import annotations

from django.urls import reverse

from .models import Letter, LetterKind


def letter_subject(approval) -> dict:
    """The letter as it stands: subject and full text; for a letter of intent, its terms and
    the PDF the city will sign."""
    # Late: intents imports the letters service, which registers this kind.
    from .services.intents import parts_of

    # One query for the letter and what the partial shows of it (approval.target is the
    # letter alone, and its region, city, recipient and terms would be four more).
    letter = Letter._base_manager.select_related(
        "region", "city", "contact", "intent").get(pk=approval.object_id)
    context = {"letter": letter, "parts": [], "pdf_url": ""}
    if letter.kind == LetterKind.LETTER_OF_INTENT:
        intent = getattr(letter, "intent", None)  # a letter of intent without terms yet
        if intent is not None:
            context["parts"] = parts_of(intent)
            context["pdf_url"] = reverse("letter-intent-pdf", kwargs={
                "region_slug": letter.region.slug, "letter_id": letter.pk})
    return context


def clearance_subject(approval) -> dict:
    return {"contact": approval.target}
