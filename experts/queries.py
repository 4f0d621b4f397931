"""Reads the experts pages, API and jobs share (inside the region's scope for region rows)."""

from __future__ import annotations

from django.db.models import Q

from .models import TermsVersion


def current_terms(region) -> TermsVersion | None:
    """The Terms of Reference an expert of `region` accepts now: the region's own latest
    published version if it has one, else the latest global one."""
    published = TermsVersion.objects.filter(published_at__isnull=False)
    own = published.filter(region=region).order_by("-effective_on", "-published_at").first()
    if own is not None:
        return own
    return (published.filter(region__isnull=True)
            .order_by("-effective_on", "-published_at").first())


def terms_of_region(region):
    """Every version that applies to the region (its own and the global ones)."""
    return TermsVersion.objects.filter(Q(region=region) | Q(region__isnull=True))
