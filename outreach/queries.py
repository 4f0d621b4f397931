"""Reads that outreach pages and the API share (run inside the region's scope)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from alliance.models import ApprovalRequest
from alliance.services.approvals import requests_about
from cities.models import Contact, PartnerNetwork

from .models import Letter, LetterTemplate, Material
from .services.letters import ENGAGEMENT_CLEARANCE, LEGAL_DOCUMENT


def letters_in(region, *, state: str = "", kind: str = ""):
    rows = Letter.objects.filter(region=region).select_related("city", "contact", "owner")
    if state:
        rows = rows.filter(state=state)
    if kind:
        rows = rows.filter(kind=kind)
    return rows


def letter_in(region, letter_id: int) -> Letter | None:
    """One letter with what its pages show: city, recipient, owner, the letter it follows up."""
    return (Letter.objects.filter(region=region, pk=letter_id)
            .select_related("region", "city", "contact", "owner", "template",
                            "follows_up").first())


def templates_in(region):
    return LetterTemplate.objects.filter(region=region)


def partners_in(region):
    return (PartnerNetwork.objects.filter(region=region).annotate(city_count=Count("cities"))
            .order_by("name"))


def materials_in(region, *, language: str = ""):
    rows = Material.objects.filter(region=region).select_related("uploaded_by")
    return rows.filter(language=language) if language else rows


def latest_request(target, *, kind: str) -> ApprovalRequest | None:
    return requests_about(target, kind=kind).select_related("decided_by").order_by(
        "-requested_at", "-id").first()


def gates_of(letter: Letter) -> dict:
    """The latest legal approval and engagement clearance that sending this letter needs."""
    # Both content types in one query: looked up one by one, a cold cache reads as an N+1.
    ContentType.objects.get_for_models(Letter, Contact)
    contact = letter.contact
    return {
        "legal": latest_request(letter, kind=LEGAL_DOCUMENT) if letter.is_forum_issued else None,
        "clearance": (latest_request(contact, kind=ENGAGEMENT_CLEARANCE)
                      if contact and contact.needs_clearance else None),
    }
