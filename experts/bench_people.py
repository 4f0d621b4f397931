"""The experts area 'people' in `make bench` (registered from experts/bench.py): the directory
read by a city contact as the region's working experts grow, the stakeholder list read by the
secretariat, and an expert's own home as their groups and sessions grow."""

from __future__ import annotations

import datetime
import hashlib
import itertools

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from alliance.bench import (
    Bench,
    BenchPage,
    add_history,
    approval,
    cycle,
    in_region,
    owners_of,
    register,
)
from alliance.models import ApprovalRequest, Role
from assessments.models import ModelPolicy, Principle
from cities.models import Channel

from .models import (
    PUBLIC_FIELD_CHOICES,
    Expert,
    GroupMember,
    GroupSession,
    Involvement,
    Sector,
    Stage,
    Stakeholder,
    StakeholderKind,
    StakeholderStatus,
    TermsAcceptance,
    TermsVersion,
    WorkingGroup,
)
from .services.stakeholders import STAKEHOLDER_CLEARANCE

_serial = itertools.count(1)  # keeps names unique across rounds
PUBLIC = [key for key, _label in PUBLIC_FIELD_CHOICES]
# What experts show, from everything to nothing: the directory's cards differ in length.
SHOWN = [PUBLIC, ["organization", "topics"], ["languages", "topics", "bio"], []]
LANGUAGES = [["en"], ["ja", "en"], ["es", "pt-br"], ["en", "fr"]]
GROUPS_AT_MOST = 30  # an expert is in a few groups, whatever the region's size


def add_experts(bench: Bench, rows: int) -> None:
    """`rows` confirmed and active experts with their topics, and a few who are not yet in
    the directory."""
    principles = list(Principle.objects.all())
    policies = list(ModelPolicy.objects.filter(status=ModelPolicy.Status.ADOPTED)[:10])
    sectors = [s for s, _label in Sector.choices]
    experts = Expert.objects.bulk_create(
        Expert(region=bench.region, name=f"Bench Expert {n}", organization=f"Institute {n}",
               sector=sectors[n % len(sectors)],
               stage=(Stage.ACTIVE, Stage.CONFIRMED, Stage.ACTIVE, Stage.CANDIDATE)[n % 4],
               email=f"bench-expert-{n}@example.org", bio="Policy and governance of data.",
               links=["https://example.org/profile"], languages=LANGUAGES[n % len(LANGUAGES)],
               public_fields=SHOWN[n % len(SHOWN)])
        for n in itertools.islice(_serial, rows))
    Expert.principles.through.objects.bulk_create(
        Expert.principles.through(expert_id=expert.pk,
                                  principle_id=principles[(n + k) % len(principles)].pk)
        for n, expert in enumerate(experts) for k in range(2))
    if policies:
        Expert.model_policies.through.objects.bulk_create(
            Expert.model_policies.through(expert_id=expert.pk,
                                          modelpolicy_id=policies[n % len(policies)].pk)
            for n, expert in enumerate(experts))


def add_stakeholders(bench: Bench, rows: int) -> None:
    """`rows` stakeholders of every kind and status, owned by the region's secretariat."""
    kinds = [k for k, _label in StakeholderKind.choices]
    statuses = [s for s, _label in StakeholderStatus.choices]
    involvements = [i for i, _label in Involvement.choices]
    channels = [c for c, _label in Channel.choices] + [""]
    owners = owners_of(bench.region) or [None]
    Stakeholder.objects.bulk_create(
        Stakeholder(region=bench.region, kind=kinds[n % len(kinds)],
                    name=f"Bench Stakeholder {n}", organization=f"Organization {n}",
                    contact_name=f"Contact {n}", involvement=involvements[n % len(involvements)],
                    channel=channels[n % len(channels)], is_national_government=n % 5 == 0,
                    status=statuses[n % len(statuses)], owner=owner)
        for n, owner in zip(itertools.islice(_serial, rows), cycle(owners, rows)))


def own_record(bench: Bench) -> dict:
    """The expert's record in the region, linked to their account, with the Terms of
    Reference of an earlier version accepted (the page asks for the current one)."""
    expert = Expert.objects.create(region=bench.region, name="Bench Own Expert",
                                   sector=Sector.ACADEMIC, stage=Stage.ACTIVE,
                                   user=bench.user, public_fields=PUBLIC)
    body = "<p>Members keep what they learn in working groups confidential.</p>"
    earlier = TermsVersion.objects.create(
        region=bench.region, title="Bench Terms of Reference", version=f"people-{next(_serial)}",
        effective_on=datetime.date(2025, 1, 1), body=body,
        content_hash=hashlib.sha256(body.encode()).hexdigest(), published_at=timezone.now())
    TermsVersion.objects.create(
        region=bench.region, title="Bench Terms of Reference", version=f"people-{next(_serial)}",
        effective_on=datetime.date(2026, 1, 1), body=body, content_hash=earlier.content_hash,
        published_at=timezone.now())
    TermsAcceptance.objects.create(region=bench.region, expert=expert, terms=earlier,
                                   user=bench.user, typed_name=expert.name,
                                   content_hash=earlier.content_hash)
    bench.subject = expert
    return in_region(bench)


def add_groups(bench: Bench, rows: int) -> None:
    """Groups the expert is in (a few, however many rows), each with past and coming
    sessions, and groups they are not in with sessions of their own."""
    expert, now = bench.subject, timezone.now()
    groups = WorkingGroup.objects.bulk_create(
        WorkingGroup(region=bench.region, name=f"Bench portal group {n}", theme="Data governance")
        for n in itertools.islice(_serial, min(rows, GROUPS_AT_MOST) * 2))
    GroupMember.objects.bulk_create(GroupMember(region=bench.region, group=group, expert=expert)
                                    for group in groups[::2])
    GroupSession.objects.bulk_create(
        GroupSession(region=bench.region, group=group, title=f"Session {k}",
                     starts_at=now + datetime.timedelta(days=30 * k - 45))
        for group in groups for k in range(4))


def a_stakeholder(bench: Bench) -> dict:
    """A Forum Partner the region has not approached yet: its page shows the clearance."""
    bench.subject = Stakeholder.objects.create(
        region=bench.region, kind=StakeholderKind.FORUM_PARTNER, name="Bench Forum Partner",
        involvement=Involvement.EXPERTISE, channel=Channel.ENGAGEMENT_OFFICER,
        contact_name="Bench Contact", owner=owners_of(bench.region)[0])
    return {**in_region(bench), "stakeholder_id": bench.subject.pk}


def add_stakeholder_history(bench: Bench, rows: int) -> None:
    """Changes to the stakeholder and clearance requests about it, refused then asked again."""
    add_history(bench, rows)
    stakeholder, owners = bench.subject, owners_of(bench.region)
    content_type = ContentType.objects.get_for_model(Stakeholder)
    requests = [approval(bench.region, STAKEHOLDER_CLEARANCE, Role.FORUM_REVIEWER, content_type,
                         stakeholder.pk, f"Approach {stakeholder.name}", owner,
                         decided_by=bench.users[Role.FORUM_REVIEWER])
                for owner in cycle(owners, min(rows, 20))]
    for request in requests:  # refused: one request pending at a time, and none approved
        request.state, request.comment = (ApprovalRequest.State.REJECTED,
                                          "Ask the Primary Engagement Manager first.")
    ApprovalRequest.objects.bulk_create(requests)


def a_working_expert(bench: Bench) -> dict:
    """An expert in the directory who shows everything."""
    expert = Expert.objects.create(region=bench.region, name="Bench Shown Expert",
                                   organization="Bench Institute", sector=Sector.ACADEMIC,
                                   stage=Stage.ACTIVE, bio="Policy and governance of data.",
                                   links=["https://example.org/profile"], languages=["en"],
                                   email="bench-shown@example.org", public_fields=PUBLIC)
    expert.principles.set(Principle.objects.all())
    bench.subject = expert
    return {**in_region(bench), "expert_id": expert.pk}


def register_pages() -> None:
    register(BenchPage("directory", Role.CITY_CONTACT, grow=add_experts),
             BenchPage("stakeholder-list", Role.REGIONAL_SECRETARIAT, grow=add_stakeholders),
             BenchPage("portal-home", Role.EXPERT, own_record, add_groups),
             BenchPage("stakeholder-detail", Role.REGIONAL_SECRETARIAT, a_stakeholder,
                       add_stakeholder_history),
             BenchPage("stakeholder-edit", Role.REGIONAL_SECRETARIAT, a_stakeholder),
             BenchPage("stakeholder-create", Role.REGIONAL_SECRETARIAT),
             BenchPage("directory-detail", Role.CITY_CONTACT, a_working_expert),
             BenchPage("portal-profile", Role.EXPERT, own_record))
