"""The expert pipeline in `make bench` (registered from experts/bench.py): the expert table
as the region's experts grow, and an expert's page as its interviews, stage moves, conflict
decisions, Terms of Reference acceptances, working groups and history grow."""

from __future__ import annotations

import datetime
import hashlib
import itertools

from django.utils import timezone

from alliance.bench import Bench, BenchPage, add_history, cycle, owners_of, register
from alliance.models import Role
from assessments.models import ModelPolicy, Principle
from cities.models import City

from .models import (
    ConflictCheck,
    Expert,
    ExpertStageChange,
    GroupMember,
    Interview,
    RedFlag,
    Sector,
    Stage,
    Suitability,
    TermsAcceptance,
    TermsVersion,
    TieDecision,
    WorkingGroup,
)

_serial = itertools.count(1)  # keeps names unique across rounds
STAGES = [s for s, _label in Stage.choices]
SECTORS = [s for s, _label in Sector.choices]


def add_experts(bench: Bench, rows: int) -> None:
    """`rows` experts of the region at every stage, each owned by one of its team."""
    owners = cycle(owners_of(bench.region), rows)
    now = timezone.now()
    Expert.objects.bulk_create(
        Expert(region=bench.region, name=f"Pipeline Expert {n}",
               organization=f"Organization {n % 97}", sector=SECTORS[n % len(SECTORS)],
               is_forum_partner=n % 7 == 0, stage=STAGES[n % len(STAGES)],
               email=f"pipeline-{n}@org{n % 97}.example", owner=owner,
               stage_changed_at=now - datetime.timedelta(hours=n))
        for n, owner in zip(itertools.islice(_serial, rows), owners, strict=True))


def an_expert(bench: Bench) -> dict:
    """A vetted Forum Partner from the private sector (every gate shown), with topics and
    declared interests that tie them to the region's pipeline."""
    region = bench.region
    city = City.objects.filter(region=region).order_by("pk").first()
    expert = Expert.objects.create(
        region=region, name=f"Bench Page Expert {next(_serial)}",
        organization="Organization 1", sector=Sector.PRIVATE, is_forum_partner=True,
        stage=Stage.VETTED, email="page@org1.example", owner=bench.user,
        declared_interests=f"{city.name if city else 'A city'}\nShares in a data company",
        bio="Data platforms for cities.", links=["https://example.org/bench"],
        languages=["en", "ja"])
    expert.principles.set(Principle.objects.all()[:2])
    expert.model_policies.set(ModelPolicy.objects.filter(status=ModelPolicy.Status.ADOPTED)
                              [:3])
    bench.subject = expert
    return {"region_slug": region.slug, "expert_id": expert.pk}


def grow_expert(bench: Bench, rows: int) -> None:
    """Interviews, stage moves, conflict decisions, acceptances, groups and history lines of
    the page's expert."""
    expert, region = bench.subject, bench.subject.region
    owners = owners_of(region)
    serial = list(itertools.islice(_serial, rows))
    flags = {code: {"raised": code == RedFlag.SALES, "note": "Pitched a product"
                    if code == RedFlag.SALES else ""} for code in RedFlag.values}
    Interview.objects.bulk_create(
        Interview(region=region, expert=expert, interviewer=owners[n % len(owners)],
                  strengths="Procurement", red_flags=flags,
                  suitability=Suitability.SUITABLE, decision_note="Knows the field")
        for n in serial)
    ExpertStageChange.objects.bulk_create(
        ExpertStageChange(region=region, expert=expert, from_stage=Stage.CANDIDATE,
                          to_stage=Stage.INTERVIEWED, actor=owners[n % len(owners)],
                          note="Bench move")
        for n in serial)
    ConflictCheck.objects.bulk_create(
        ConflictCheck(region=region, expert=expert, tie=f"interest:Bench tie {n}",
                      described=f"Bench tie {n}", decision=TieDecision.MANAGEABLE,
                      note="Noted", decided_by=owners[n % len(owners)])
        for n in serial)
    Expert.objects.bulk_create(
        Expert(region=region, name=f"Colleague {n}", organization="Organization 1",
               sector=Sector.PRIVATE) for n in serial)
    terms = TermsVersion.objects.bulk_create(
        TermsVersion(region=region, title="Terms of Reference", version=f"b{n}",
                     effective_on=datetime.date(2026, 1, 1), body="<p>Terms</p>",
                     content_hash=hashlib.sha256(b"<p>Terms</p>").hexdigest(),
                     published_at=timezone.now()) for n in serial)
    TermsAcceptance.objects.bulk_create(
        TermsAcceptance(region=region, expert=expert, terms=version,
                        typed_name=expert.name, content_hash=version.content_hash)
        for version in terms)
    groups = WorkingGroup.objects.bulk_create(
        WorkingGroup(region=region, name=f"Bench group {n}") for n in serial)
    GroupMember.objects.bulk_create(
        GroupMember(region=region, group=group, expert=expert) for group in groups)
    add_history(bench, rows)


def register_pages() -> None:
    register(BenchPage("expert-list", Role.REGIONAL_SECRETARIAT, grow=add_experts),
             BenchPage("expert-list", Role.REGIONAL_SECRETARIAT, grow=add_experts,
                       query="q=organization&stage=vetted&sort=-changed"),
             BenchPage("expert-detail", Role.REGIONAL_SECRETARIAT, an_expert, grow_expert))
