"""Working groups and the Senior Advisory Board in `make bench` (registered from
experts/bench.py): the region's group list as its groups grow, a group's page (read by the
secretariat, and by its lead) as its members, sessions and update notes grow, and the board's
list as its candidates grow."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from alliance import permissions
from alliance.bench import Bench, BenchPage, in_region, owners_of, register
from alliance.models import Delegation, DelegationNote, Role
from cities.models import Contact

from .models import (
    AdvisorCandidate,
    AdvisorStatus,
    Cadence,
    Expert,
    Gender,
    GroupMember,
    GroupSession,
    Sector,
    Stage,
    WorkingGroup,
)
from .services.groups import GRANT, default_scope, lead_role

_serial = itertools.count(1)  # keeps names unique across rounds
CADENCES = [c for c, _label in Cadence.choices]
GENDERS = [g for g, _label in Gender.choices]
STATUSES = [s for s, _label in AdvisorStatus.choices]


def _experts(bench: Bench, count: int) -> list[Expert]:
    return Expert.objects.bulk_create(
        Expert(region=bench.region, name=f"Bench Member {n}", organization=f"Lab {n}",
               sector=Sector.ACADEMIC, stage=Stage.ACTIVE)
        for n in itertools.islice(_serial, count))


def _contacts(bench: Bench, count: int) -> list[Contact]:
    return list(Contact.objects.filter(region=bench.region).order_by("pk")[:count])


def _members(bench: Bench, group: WorkingGroup, rows: int) -> list[GroupMember]:
    """Members of `group`: two experts for each city contact."""
    experts = _experts(bench, rows - rows // 3)
    contacts = _contacts(bench, rows // 3)
    return GroupMember.objects.bulk_create(
        [GroupMember(region=bench.region, group=group, expert=expert) for expert in experts]
        + [GroupMember(region=bench.region, group=group, contact=contact)
           for contact in contacts])


def _sessions(bench: Bench, group: WorkingGroup, rows: int) -> None:
    """Sessions spread from two years back to two years ahead."""
    now = timezone.now()
    GroupSession.objects.bulk_create(
        GroupSession(region=bench.region, group=group, title=f"Session {n}",
                     starts_at=now + datetime.timedelta(days=(n * 37) % 1460 - 730),
                     location="https://meet.example.org/wg", notes="Agenda in the folder.")
        for n in itertools.islice(_serial, rows))


# -- the list -------------------------------------------------------------------------------

def add_groups(bench: Bench, rows: int) -> None:
    """`rows` groups led by the secretariat, with a few members and sessions each."""
    owners = owners_of(bench.region)
    groups = WorkingGroup.objects.bulk_create(
        WorkingGroup(region=bench.region, name=f"Bench Group {n}", theme="Data governance",
                     cadence=CADENCES[n % len(CADENCES)],
                     lead=owners[n % len(owners)] if owners and n % 3 else None)
        for n in itertools.islice(_serial, rows))
    experts = _experts(bench, 3)
    GroupMember.objects.bulk_create(
        GroupMember(region=bench.region, group=group, expert=expert)
        for group in groups for expert in experts)
    now = timezone.now()
    GroupSession.objects.bulk_create(
        GroupSession(region=bench.region, group=group, title="Plenary",
                     starts_at=now + datetime.timedelta(days=30 * (k * 2 - 1)))
        for group in groups for k in range(2))


# -- a group's page -------------------------------------------------------------------------

def _led_group(bench: Bench) -> dict:
    """A group led by the page's reader when they are an expert (their delegation and its
    grant), else by the region's secretariat; its delegation's review is overdue."""
    lead = bench.user if bench.role == Role.EXPERT else owners_of(bench.region)[0]
    group = WorkingGroup.objects.create(
        region=bench.region, name=f"Bench Led Group {next(_serial)}", theme="Mobility data",
        purpose="Share how cities publish mobility data.", lead=lead)
    today = timezone.localdate()
    Delegation.objects.create(
        region=bench.region, target=group, delegate=lead, permission=GRANT, role=lead_role(),
        scope=default_scope(group), starts_on=today - datetime.timedelta(days=400),
        review_on=today - datetime.timedelta(days=35), created_by=owners_of(bench.region)[0])
    permissions.grant(lead, GRANT, group)
    bench.subject = group
    return {**in_region(bench), "working_group_id": group.pk}


def add_group_rows(bench: Bench, rows: int) -> None:
    """Members, sessions and update notes of the group the page shows."""
    group = bench.subject
    _members(bench, group, rows)
    _sessions(bench, group, rows)
    delegation = Delegation.objects.filter(region=bench.region, object_id=group.pk).first()
    DelegationNote.objects.bulk_create(
        DelegationNote(region=bench.region, delegation=delegation, author=delegation.delegate,
                       body="Two members joined; the next session's agenda is drafted.")
        for _n in range(rows))


# -- the advisory board ---------------------------------------------------------------------

def add_candidates(bench: Bench, rows: int) -> None:
    """`rows` candidates of every gender and status, meeting some of the criteria."""
    AdvisorCandidate.objects.bulk_create(
        AdvisorCandidate(region=bench.region, name=f"Bench Advisor {n}",
                         organization=f"Agency {n}", position="Director",
                         gender=GENDERS[n % len(GENDERS)], status=STATUSES[n % len(STATUSES)],
                         viable_speaker=n % 2 == 0, high_influence=n % 3 == 0,
                         low_burden=n % 5 != 0)
        for n in itertools.islice(_serial, rows))


def register_pages() -> None:
    register(
        BenchPage("group-list", Role.REGIONAL_SECRETARIAT, grow=add_groups),
        BenchPage("group-detail", Role.REGIONAL_SECRETARIAT, _led_group, add_group_rows),
        BenchPage("group-detail", Role.EXPERT, _led_group, add_group_rows),
        BenchPage("board-list", Role.REGIONAL_SECRETARIAT, grow=add_candidates),
    )
