"""The bench registry: the pages `manage.py bench` loads with few rows and with many.

Each app lists its pages in `<app>/bench.py` (found by autodiscovery) with `register(...)`.
A page names its URL, the role that views it and a seeder that adds rows of what the page
lists; the bench counts the page's queries at two sizes (the count must not grow) and times
it at the large one. Seeders write with `bulk_create` and give every row its own people, as
real data has, so a foreign key read per row shows as a query per row.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from . import permissions
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
from .services.invitations import VALID_FOR

_serial = itertools.count(1)  # keeps emails and keys unique across seedings


@dataclass
class Bench:
    """What seeders work with: the bench regions, a signed-in user per role, the page's subject."""

    regions: list[Region]
    users: dict[str, User]
    role: str = ""
    subject: object = None  # the object a detail page shows, made by the page's `prepare`

    @property
    def region(self) -> Region:
        """The region that region pages are measured in; the others fill the global pages."""
        return self.regions[0]

    @property
    def user(self) -> User:
        return self.users[self.role]


def in_region(bench: Bench) -> dict:
    return {"region_slug": bench.region.slug}


def no_kwargs(bench: Bench) -> dict:
    return {}


@dataclass(frozen=True)
class BenchPage:
    url_name: str
    role: str
    seed: Callable[[Bench, int], None]  # adds this many more rows of what the page lists
    prepare: Callable[[Bench], dict] = in_region  # makes the page's subject; its URL kwargs

    @property
    def label(self) -> str:
        return f"{self.url_name}@{self.role}"


PAGES: list[BenchPage] = []


def register(*pages: BenchPage) -> None:
    PAGES.extend(pages)


def registered_pages() -> list[BenchPage]:
    autodiscover_modules("bench")
    return list(PAGES)


def make_bench() -> Bench:
    """Two regions and one member per role (with TOTP where the role requires it)."""
    regions = [Region.objects.create(name=f"Bench {name}", slug=f"bench-{name.lower()}")
               for name in ("North", "South")]
    users = {role: _member(role, None if role == Role.GLOBAL_SECRETARIAT else regions[0])
             for role in Role}
    return Bench(regions=regions, users=users)


def _member(role: str, region: Region | None) -> User:
    user = User.objects.create_user(f"bench-{role}@example.org", full_name=f"Bench {role}")
    Membership.objects.create(user=user, region=region, role=role)
    if role in permissions.MFA_REQUIRED_ROLES:
        TOTP.activate(user, generate_totp_secret())
    return user


def people(count: int) -> list[User]:
    """`count` new users to fill who-columns (requested by, invited by, actor)."""
    return User.objects.bulk_create(
        User(email=f"bench{n}@example.org", full_name=f"Bench Person {n}", password="!")
        for n in itertools.islice(_serial, count))


# The alliance app's seeders and pages.

def add_approvals(bench: Bench, rows: int, *,
                  regions: list[Region] | None = None) -> list[ApprovalRequest]:
    """Approvals routed to forum reviewers, every other one already decided by one. Each is
    about its own requester: one pending request per object and kind is all there can be."""
    regions = regions or [bench.region]
    user_type = ContentType.objects.get_for_model(User)
    reviewer = bench.users[Role.FORUM_REVIEWER]
    return ApprovalRequest.objects.bulk_create(
        _approval(regions[i % len(regions)], requester, user_type,
                  decided_by=reviewer if i % 2 else None)
        for i, requester in enumerate(people(rows)))


def _approval(region, requester, content_type, *, decided_by) -> ApprovalRequest:
    state = ApprovalRequest.State
    return ApprovalRequest(
        region=region, kind="bench_check", route_role=Role.FORUM_REVIEWER,
        content_type=content_type, object_id=requester.pk,
        summary=f"Bench approval {next(_serial)}", requested_by=requester,
        state=state.APPROVED if decided_by else state.PENDING,
        decided_by=decided_by, decided_at=timezone.now() if decided_by else None)


def add_invitations(bench: Bench, rows: int, *,
                    regions: list[Region] | None = None) -> list[Invitation]:
    regions = regions or [bench.region]
    now = timezone.now()
    return Invitation.objects.bulk_create(
        Invitation(region=regions[i % len(regions)], email=f"invitee{next(_serial)}@example.org",
                   role=Role.EXPERT, invited_by=inviter, sent_at=now, expires_at=now + VALID_FOR)
        for i, inviter in enumerate(people(rows)))


def add_approvals_and_invitations(bench: Bench, rows: int, *,
                                  regions: list[Region] | None = None) -> None:
    add_approvals(bench, rows, regions=regions)
    add_invitations(bench, rows, regions=regions)


def add_regions(bench: Bench, rows: int) -> None:
    """Regions, each with a member, an approval and an invitation to count."""
    regions = Region.objects.bulk_create(
        Region(name=f"Bench Region {n}", slug=f"bench-region-{n}")
        for n in itertools.islice(_serial, rows))
    Membership.objects.bulk_create(Membership(user=user, region=region, role=Role.EXPERT)
                                   for user, region in zip(people(rows), regions))
    add_approvals_and_invitations(bench, rows, regions=regions)


def add_members(bench: Bench, rows: int) -> None:
    Membership.objects.bulk_create(Membership(user=user, region=bench.region, role=Role.EXPERT)
                                   for user in people(rows))


def add_everywhere(seeder: Callable) -> Callable[[Bench, int], None]:
    """The same seeder spreading its rows over every bench region (for /global/ pages)."""
    return lambda bench, rows: seeder(bench, rows, regions=bench.regions)


def add_history(bench: Bench, rows: int) -> None:
    """Audit entries about the page's subject, each by a different person."""
    subject = bench.subject
    content_type = ContentType.objects.get_for_model(subject)
    AuditEntry.objects.bulk_create(
        AuditEntry(region=subject.region, actor=actor, action="alliance.bench.touched",
                   content_type=content_type, object_id=subject.pk, data={"note": "bench"})
        for actor in people(rows))


def add_notifications(bench: Bench, rows: int) -> None:
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(recipient=bench.user, region=bench.regions[i % len(bench.regions)],
                     key=f"bench:{next(_serial)}", subject="Bench notification",
                     body="Something happened.", read_at=now if i % 2 else None)
        for i in range(rows))


def add_tokens(bench: Bench, rows: int) -> None:
    ApiToken.objects.bulk_create(
        ApiToken(digest=secrets.token_hex(64), token_key=secrets.token_hex(7), user=bench.user,
                 name=f"script {next(_serial)}")
        for _ in range(rows))


def an_approval(bench: Bench) -> dict:
    [bench.subject] = add_approvals(bench, 1)
    return {**in_region(bench), "approval_id": bench.subject.pk}


def an_invitation(bench: Bench) -> dict:
    [bench.subject] = add_invitations(bench, 1)
    return {**in_region(bench), "invitation_id": bench.subject.pk}


RS, FR, GS = Role.REGIONAL_SECRETARIAT, Role.FORUM_REVIEWER, Role.GLOBAL_SECRETARIAT
register(
    BenchPage("region-dashboard", RS, add_approvals_and_invitations),
    BenchPage("member-list", RS, add_members),
    BenchPage("approval-list", RS, add_approvals),
    BenchPage("approval-list", FR, add_approvals),
    BenchPage("approval-detail", FR, add_history, prepare=an_approval),
    BenchPage("invitation-list", RS, add_invitations),
    BenchPage("invitation-detail", RS, add_history, prepare=an_invitation),
    BenchPage("notification-list", Role.CITY_CONTACT, add_notifications, prepare=no_kwargs),
    BenchPage("profile", Role.EXPERT, add_tokens, prepare=no_kwargs),
    BenchPage("global:dashboard", GS, add_regions, prepare=no_kwargs),
    BenchPage("global:approval-list", GS, add_everywhere(add_approvals), prepare=no_kwargs),
    BenchPage("global:invitation-list", GS, add_everywhere(add_invitations), prepare=no_kwargs),
)
