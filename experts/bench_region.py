"""The experts app's part of a bench region (alliance.bench.add_background): for every ten
cities an expert somewhere in the pipeline, for every forty a stakeholder, for every two
hundred a working group with a dozen members. `make bench` measures the experts pages on it and
`make loadtest` walks them."""

from __future__ import annotations

import itertools

from alliance.bench import Batch, add_background, ago, cycle, owners_of
from assessments.models import Principle

from .models import (
    Expert,
    GroupMember,
    Sector,
    Stage,
    Stakeholder,
    StakeholderKind,
    StakeholderStatus,
    WorkingGroup,
)

_serial = itertools.count(1)  # keeps names unique across rounds
STAGES = [Stage.CANDIDATE, Stage.INTERVIEWED, Stage.VETTED, Stage.CONFIRMED, Stage.ACTIVE,
          Stage.ACTIVE, Stage.ACTIVE, Stage.ALUMNI, Stage.DECLINED]
LANGUAGES = [["en"], ["en", "ja"], ["ja"], ["en", "es"], ["es", "pt-br"]]


def add_experts(batch: Batch) -> None:
    region, owners = batch.region, owners_of(batch.region)
    count = batch.size.per(10)
    serials = [next(_serial) for _ in range(count)]
    experts = Expert.objects.bulk_create(
        Expert(region=region, name=f"Bench expert {n}", organization=f"Institute {n % 40}",
               sector=sector, stage=stage, owner=owner, email=f"bench-expert-{n}@example.org",
               languages=languages, bio="Works on data governance with cities.",
               public_fields=["organization", "bio", "languages", "topics"],
               stage_changed_at=ago(n), created_at=ago(n))
        for n, sector, stage, owner, languages in zip(
            serials, cycle(list(Sector.values), count), cycle(STAGES, count),
            cycle(owners, count), cycle(LANGUAGES, count), strict=True))
    principles = list(Principle.objects.order_by("position"))
    if principles:
        through = Expert.principles.through
        through.objects.bulk_create(
            through(expert_id=expert.pk, principle_id=principles[i % len(principles)].pk)
            for i, expert in enumerate(experts))
    batch.added[Expert] = experts
    add_stakeholders(batch)
    add_groups(batch, experts)


def add_stakeholders(batch: Batch) -> None:
    count = batch.size.per(40)
    Stakeholder.objects.bulk_create(
        Stakeholder(region=batch.region, kind=kind, status=status,
                    name=f"Bench stakeholder {next(_serial)}",
                    organization="Ministry of Digital Affairs")
        for kind, status in zip(cycle(list(StakeholderKind.values), count),
                                cycle(list(StakeholderStatus.values), count), strict=True))


def add_groups(batch: Batch, experts: list[Expert]) -> None:
    working = [e for e in experts if e.stage in (Stage.CONFIRMED, Stage.ACTIVE)]
    groups = WorkingGroup.objects.bulk_create(
        WorkingGroup(region=batch.region, name=f"Bench working group {next(_serial)}",
                     theme="Data governance")
        for _n in range(batch.size.per(200)))
    GroupMember.objects.bulk_create(
        GroupMember(region=batch.region, group=group, expert=expert)
        for index, group in enumerate(groups)
        for expert in working[index * 12:(index + 1) * 12])


add_background(add_experts)
