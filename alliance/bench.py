"""The bench registry: the pages `manage.py bench` measures and the data they are measured on.

Each app lists, in `<app>/bench.py` (found by autodiscovery), its pages with `register(...)`
and its part of a bench region with `add_background(...)`. A run seeds its regions once, in two
rounds: a small one, where every page's queries are counted, then the rest up to full size,
where they are counted again (the count must not grow) and the page is timed. Seeders write
with `bulk_create` in the proportions of a real region: at full size a typical region holds
2,000 cities, 10,000 contacts, 25 owners and 60 tags; the worst case (MANY_TAGS) has a tag per
city and ten times the owners. `manage.py seed_load` seeds the same regions for the load test.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from . import panels, permissions
from .models import (
    ApiToken,
    ApprovalRequest,
    AuditEntry,
    Invitation,
    Membership,
    Notification,
    Region,
    Role,
    User,
)
from .services.invitations import REVIEWER_APPROVAL, VALID_FOR

TYPICAL, MANY_TAGS = "typical", "many_tags"
DEFAULT_CITIES = 2000
_serial = itertools.count(1)  # keeps emails, names and keys unique across rounds


@dataclass(frozen=True)
class Size:
    """What a round adds to one bench region: its cities and, in proportion, what hangs off
    them; owners (the region's team) and tags (its vocabulary) are counted apart."""

    cities: int
    owners: int
    tags: int

    def __sub__(self, other: Size) -> Size:
        return Size(self.cities - other.cities, self.owners - other.owners,
                    self.tags - other.tags)

    def per(self, cities_each: int) -> int:
        """One row for every `cities_each` cities, at least one."""
        return max(1, self.cities // cities_each)


SMALL = Size(cities=5, owners=2, tags=3)


def full_size(background: str, cities: int) -> Size:
    if background == MANY_TAGS:
        return Size(cities, owners=250, tags=cities)
    return Size(cities, owners=25, tags=60)


@dataclass
class Bench:
    """The bench regions (by background), a user per role who is a member of every one of
    them, and, while a page is prepared, the page's role, region and subject."""

    regions: dict[str, Region]
    users: dict[str, User]
    role: str = ""
    background: str = TYPICAL
    subject: object = None  # the object a detail page shows, made by the page's `prepare`

    @property
    def region(self) -> Region:
        return self.regions[self.background]

    @property
    def user(self) -> User:
        return self.users[self.role]


@dataclass
class Batch:
    """One round's rows for one bench region. Seeders run in registration order (the core,
    then cities, then outreach) and read what earlier ones added in `added`."""

    bench: Bench
    region: Region
    size: Size
    added: dict[type, list] = field(default_factory=dict)


def in_region(bench: Bench) -> dict:
    return {"region_slug": bench.region.slug}


def no_kwargs(bench: Bench) -> dict:
    return {}


@dataclass(frozen=True)
class BenchPage:
    url_name: str
    role: str
    prepare: Callable[[Bench], dict] = in_region  # makes the page's subject; its URL kwargs
    grow: Callable[[Bench, int], None] | None = None  # adds this many rows about the subject
    query: str = ""  # filters and a search, as a person types them
    background: str = TYPICAL
    max_ratio: float = 5.0  # the p50 budget, in times the trivial view's
    variant: str = ""  # tells pages of one address apart (a dashboard card: its name)

    @property
    def name(self) -> str:
        name = f"{self.url_name}:{self.variant}" if self.variant else self.url_name
        return f"{name}?{self.query}" if self.query else name

    @property
    def label(self) -> str:
        data = "" if self.background == TYPICAL else f"/{self.background}"
        return f"{self.name}@{self.role}{data}"


PAGES: list[BenchPage] = []
BACKGROUND: list[Callable[[Batch], None]] = []


def register(*pages: BenchPage) -> None:
    PAGES.extend(pages)


def add_background(*seeders: Callable[[Batch], None]) -> None:
    BACKGROUND.extend(seeders)


def registered_pages() -> list[BenchPage]:
    autodiscover_modules("bench")
    return [*PAGES, *card_pages()]


def card_pages() -> list[BenchPage]:
    """Each dashboard card that loads after the page (alliance.panels), on its own address, as
    the regional secretariat opens it."""
    return [BenchPage("dashboard-panel", Role.REGIONAL_SECRETARIAT,
                      partial(_card, name=panel.name), variant=panel.name)
            for panel in panels.PANELS if panel.name]


def _card(bench: Bench, *, name: str) -> dict:
    return {**in_region(bench), "panel_name": name}


def make_bench() -> Bench:
    """A region per background and one member of all of them per role (TOTP where required)."""
    regions = {background: Region.objects.create(name=f"Bench {background.replace('_', ' ')}",
                                                 slug=f"bench-{background.replace('_', '-')}")
               for background in (TYPICAL, MANY_TAGS)}
    users = {role: member(role, list(regions.values())) for role in Role}
    return Bench(regions=regions, users=users)


def member(role: str, regions: list[Region]) -> User:
    """A person who signs in: the role in every region given (Global Secretariat: in none)."""
    user = User.objects.create_user(f"bench-{role}-{next(_serial)}@example.org",
                                    full_name=f"Bench {Role(role).label} {next(_serial)}")
    Membership.objects.bulk_create(
        Membership(user=user, region=region, role=role)
        for region in ([None] if role == Role.GLOBAL_SECRETARIAT else regions))
    if role in permissions.MFA_REQUIRED_ROLES:
        TOTP.activate(user, generate_totp_secret())
    return user


def seed_round(bench: Bench, size_of: Callable[[str], Size]) -> None:
    """Add one round of rows to every bench region (call it outside any scope)."""
    autodiscover_modules("bench")
    for background, region in bench.regions.items():
        batch = Batch(bench, region, size_of(background))
        for seeder in BACKGROUND:
            seeder(batch)


def people(count: int) -> list[User]:
    """`count` new users to fill who-columns (invited by, requested by, recipients)."""
    return User.objects.bulk_create(
        User(email=f"bench{n}@example.org", full_name=f"Bench Person {n}", password="!")
        for n in itertools.islice(_serial, count))


def members_of(region: Region, role: str, count: int) -> list[User]:
    users = people(count)
    Membership.objects.bulk_create(Membership(user=user, region=region, role=role)
                                   for user in users)
    return users


def owners_of(region: Region) -> list[User]:
    """The region's secretariat: who owns its cities and letters and acts on its history."""
    return list(User.objects.filter(memberships__region=region,
                                    memberships__role=Role.REGIONAL_SECRETARIAT).order_by("pk"))


def ago(n: int) -> datetime:
    """A moment in the last two years, spread by `n`: rows are not all from one second."""
    return timezone.now() - timedelta(hours=n * 7 % (2 * 365 * 24))


def cycle(rows: list, count: int) -> list:
    return list(itertools.islice(itertools.cycle(rows), count))


# The core's part of a bench region.

def add_team(batch: Batch) -> None:
    """The owners (regional secretariat), experts and city contacts of the region."""
    batch.added[User] = members_of(batch.region, Role.REGIONAL_SECRETARIAT, batch.size.owners)
    members_of(batch.region, Role.EXPERT, batch.size.per(40))
    members_of(batch.region, Role.CITY_CONTACT, batch.size.per(40))


def add_invitations(batch: Batch) -> None:
    """Invitations of every role; those of Forum reviewers wait for, or had, the Global
    Secretariat's approval."""
    region, count = batch.region, batch.size.per(20)
    roles = [Role.CITY_CONTACT, Role.EXPERT, Role.REGIONAL_SECRETARIAT, Role.FORUM_REVIEWER]
    invitations = Invitation.objects.bulk_create(
        _invitation(region, role, inviter, n)
        for n, (role, inviter) in enumerate(zip(cycle(roles, count),
                                                cycle(owners_of(region), count))))
    reviewers = [i for i in invitations if i.role == Role.FORUM_REVIEWER]
    invitation_type = ContentType.objects.get_for_model(Invitation)
    ApprovalRequest.objects.bulk_create(
        approval(region, REVIEWER_APPROVAL, Role.GLOBAL_SECRETARIAT, invitation_type, i.pk,
                 f"Invite {i.email} as Forum reviewer", i.invited_by,
                 decided_by=None if i.state == Invitation.State.AWAITING_APPROVAL
                 else batch.bench.users[Role.GLOBAL_SECRETARIAT])
        for i in reviewers)


def _invitation(region, role, inviter, n) -> Invitation:
    state = Invitation.State
    sent = ago(n)
    waiting = role == Role.FORUM_REVIEWER and n % 2
    return Invitation(region=region, email=f"invitee{next(_serial)}@example.org", role=role,
                      invited_by=inviter, created_at=sent, sent_at=None if waiting else sent,
                      expires_at=sent + VALID_FOR,
                      state=state.AWAITING_APPROVAL if waiting else state.SENT)


def approval(region, kind, route_role, content_type, object_id, summary, requested_by, *,
             decided_by) -> ApprovalRequest:
    """A request as `request_approval` leaves it, decided (approved) by `decided_by` if given."""
    state = ApprovalRequest.State
    return ApprovalRequest(
        region=region, kind=kind, route_role=route_role, content_type=content_type,
        object_id=object_id, summary=summary, requested_by=requested_by,
        state=state.APPROVED if decided_by else state.PENDING, decided_by=decided_by,
        decided_at=timezone.now() if decided_by else None)


def add_notifications(batch: Batch) -> None:
    """Every bench user's notifications from this region, half of them read."""
    count, now = batch.size.per(20), timezone.now()
    Notification.objects.bulk_create(
        Notification(recipient=user, region=batch.region, key=f"bench:{next(_serial)}",
                     subject="A letter was answered", body="Someone answered.",
                     created_at=ago(n), delivered_at=now, read_at=now if n % 2 else None)
        for user in batch.bench.users.values() for n in range(count))


def add_tokens(batch: Batch) -> None:
    """A personal API token for every bench user (the profile page lists them)."""
    ApiToken.objects.bulk_create(
        ApiToken(digest=secrets.token_hex(64), token_key=secrets.token_hex(7), user=user,
                 name=f"script {next(_serial)}")
        for user in batch.bench.users.values())


def add_other_regions(batch: Batch) -> None:
    """Further regions with a secretary and an invitation, for the /global/ pages."""
    regions = Region.objects.bulk_create(
        Region(name=f"Bench Region {n}", slug=f"bench-region-{n}")
        for n in itertools.islice(_serial, batch.size.per(500)))
    for region in regions:
        [secretary] = members_of(region, Role.REGIONAL_SECRETARIAT, 1)
        Invitation.objects.bulk_create([_invitation(region, Role.EXPERT, secretary, 1)])


add_background(add_team, add_invitations, add_notifications, add_tokens, add_other_regions)


# The core's pages and their subjects.

def an_invitation(bench: Bench) -> dict:
    [bench.subject] = Invitation.objects.bulk_create(
        [_invitation(bench.region, Role.EXPERT, bench.user, 0)])
    return {**in_region(bench), "invitation_id": bench.subject.pk}


def add_history(bench: Bench, rows: int) -> None:
    """Changes to the page's subject, each recorded by one of the region's owners."""
    subject = bench.subject
    content_type = ContentType.objects.get_for_model(subject)
    AuditEntry.objects.bulk_create(
        AuditEntry(region=subject.region, actor=actor, action="alliance.bench.touched",
                   content_type=content_type, object_id=subject.pk, created_at=ago(n),
                   data={"note": "bench"})
        for n, actor in enumerate(cycle(owners_of(subject.region), rows)))


RS, FR, GS = Role.REGIONAL_SECRETARIAT, Role.FORUM_REVIEWER, Role.GLOBAL_SECRETARIAT
TRIVIAL = BenchPage("notification-bell", RS, prepare=no_kwargs)
register(
    BenchPage("region-dashboard", RS),
    BenchPage("member-list", RS),
    BenchPage("approval-list", RS),
    BenchPage("approval-list", FR),
    BenchPage("invitation-list", RS),
    BenchPage("invitation-detail", RS, an_invitation, add_history),
    BenchPage("notification-list", Role.CITY_CONTACT, no_kwargs),
    BenchPage("profile", Role.EXPERT, no_kwargs),
    BenchPage("global:dashboard", GS, no_kwargs),
    BenchPage("global:approval-list", GS, no_kwargs),
    BenchPage("global:invitation-list", GS, no_kwargs),
)


# -- jobs -------------------------------------------------------------------------------------
# Work done outside a request (a task, a report, a query over a whole region), timed once on
# data of its own after the pages: `bench job=<name> items=<n> seconds=<x>`.

@dataclass(frozen=True)
class BenchJob:
    """`prepare()` seeds what the job needs (not timed) and returns the work, which is timed
    and returns how many items it handled. The budget, in seconds, holds on every database,
    or only on `budget_vendor` ("postgresql") when the figure is that database's."""

    name: str
    prepare: Callable[[], Callable[[], int]]
    budget_seconds: float | None = None
    budget_vendor: str | None = None


JOBS: list[BenchJob] = []


def register_jobs(*jobs: BenchJob) -> None:
    JOBS.extend(jobs)


def registered_jobs() -> list[BenchJob]:
    autodiscover_modules("bench")
    return list(JOBS)
