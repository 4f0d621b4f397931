"""The experts area 'terms' in `make bench` (registered from experts/bench.py): a version's
page with who accepted it, read by the secretariat as the region's experts grow, and the page
where an expert reads and accepts the current version as the region's versions and others'
acceptances grow."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from alliance.bench import Bench, BenchPage, in_region, register
from alliance.models import Role

from .models import Expert, Sector, Stage, TermsAcceptance, TermsVersion
from .services.terms import hash_of
from .starter_terms import default_text

_serial = itertools.count(1)  # keeps versions and names unique across rounds
STAGES = (Stage.ACTIVE, Stage.CONFIRMED, Stage.INVITED, Stage.ACTIVE)


def _version(bench: Bench, *, days_ago: int, published: bool = True) -> TermsVersion:
    body = default_text()
    return TermsVersion.objects.create(
        region=bench.region, title="Bench Terms of Reference", version=f"terms-{next(_serial)}",
        effective_on=timezone.localdate() - datetime.timedelta(days=days_ago), body=body,
        content_hash=hash_of(body) if published else "",
        published_at=timezone.now() if published else None)


def current_version(bench: Bench) -> dict:
    """The region's own current version, and an earlier one some experts accepted."""
    bench.subject = (_version(bench, days_ago=400), _version(bench, days_ago=1))
    return {**in_region(bench), "terms_id": bench.subject[1].pk}


def add_experts_who_accept(bench: Bench, rows: int) -> None:
    """`rows` working and invited experts: of each four, two accepted the current version,
    one only the earlier one, one none."""
    earlier, current = bench.subject
    experts = Expert.objects.bulk_create(
        Expert(region=bench.region, name=f"Bench Terms Expert {n}", sector=Sector.ACADEMIC,
               stage=STAGES[n % len(STAGES)], email=f"bench-terms-{n}@example.org")
        for n in itertools.islice(_serial, rows))
    now = timezone.now()
    TermsAcceptance.objects.bulk_create(
        TermsAcceptance(region=bench.region, expert=expert, terms=terms,
                        typed_name=expert.name, content_hash=terms.content_hash,
                        ip_address="192.0.2.1", accepted_at=now - datetime.timedelta(days=k))
        for n, expert in enumerate(experts)
        for k, terms in enumerate((earlier, current)[:(2, 2, 1, 0)[n % 4]]))


def own_record(bench: Bench) -> dict:
    """The expert's record, linked to their account, with an earlier version accepted: the
    page shows the current one and the form to accept it."""
    expert = Expert.objects.create(region=bench.region, name="Bench Terms Own Expert",
                                   sector=Sector.ACADEMIC, stage=Stage.ACTIVE,
                                   user=bench.user)
    earlier = _version(bench, days_ago=500)
    TermsAcceptance.objects.create(region=bench.region, expert=expert, terms=earlier,
                                   user=bench.user, typed_name=expert.name,
                                   content_hash=earlier.content_hash)
    _version(bench, days_ago=0)
    bench.subject = expert
    return in_region(bench)


def add_versions_and_acceptances(bench: Bench, rows: int) -> None:
    """Older versions and drafts of the region, and other experts' acceptances of them."""
    versions = [_version(bench, days_ago=600 + n, published=n % 3 != 0)
                for n in range(min(rows, 20))]
    published = [v for v in versions if v.published_at] or versions[:1]
    experts = Expert.objects.bulk_create(
        Expert(region=bench.region, name=f"Bench Other Expert {n}", sector=Sector.PUBLIC,
               stage=Stage.ACTIVE)
        for n in itertools.islice(_serial, rows))
    TermsAcceptance.objects.bulk_create(
        TermsAcceptance(region=bench.region, expert=expert, terms=published[n % len(published)],
                        typed_name=expert.name, content_hash="0" * 64)
        for n, expert in enumerate(experts))


def register_pages() -> None:
    register(BenchPage("terms-detail", Role.REGIONAL_SECRETARIAT, current_version,
                       add_experts_who_accept),
             BenchPage("terms-accept", Role.EXPERT, own_record, add_versions_and_acceptances))
