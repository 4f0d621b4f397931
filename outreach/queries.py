"""Reads that outreach pages and the API share (run inside the region's scope)."""

from __future__ import annotations

from django.db.models import Count

from cities.models import PartnerNetwork

from .models import Letter, LetterTemplate, Material


def letters_in(region, *, state: str = "", kind: str = ""):
    rows = Letter.objects.filter(region=region).select_related("city", "contact", "owner")
    if state:
        rows = rows.filter(state=state)
    if kind:
        rows = rows.filter(kind=kind)
    return rows


def letter_in(region, letter_id: int) -> Letter | None:
    """One letter with what its pages show: city, recipient, owner, the letter it follows up."""
    letter = (Letter.objects.filter(region=region, pk=letter_id)
              .select_related("city", "contact", "owner", "template", "follows_up").first())
    if letter is not None:
        letter.region = region  # the request's own: no join for it
    return letter


def templates_in(region):
    return LetterTemplate.objects.filter(region=region)


def partners_in(region):
    return (PartnerNetwork.objects.filter(region=region).annotate(city_count=Count("cities"))
            .order_by("name"))


def materials_in(region, *, language: str = ""):
    rows = Material.objects.filter(region=region).select_related("uploaded_by")
    return rows.filter(language=language) if language else rows
