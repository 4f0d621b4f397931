"""The Senior Advisory Board (playbook, Preparation step 3, optional task 3): senior sponsors
who help outreach to cities and stakeholders, weighed against the playbook's criteria (a
viable speaker at Forum events, high influence in the region, a low stakeholder-management
burden) and the board's gender diversity. Optional: no region has set one up yet."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError
from alliance.labels import labels_of
from alliance.services import audit
from alliance.services.changes import save_changes

from ..models import AdvisorCandidate, AdvisorStatus, Gender

MANAGE = "experts.manage_board"
EDITABLE = ("name", "organization", "position", "gender", "viable_speaker", "high_influence",
            "low_burden", "status", "notes")
CRITERIA = ("viable_speaker", "high_influence", "low_burden")
# Who counts towards the candidates' balance: everyone still considered or on the board.
CONSIDERED = (AdvisorStatus.CANDIDATE, AdvisorStatus.APPROACHED, AdvisorStatus.MEMBER)


def manages(user, region) -> bool:
    return permissions.can(user, MANAGE, region=region)


def _clean(fields: dict) -> dict:
    for text in ("name", "organization", "position", "notes"):
        if text in fields:
            fields[text] = fields[text].strip()
    if "name" in fields and not fields["name"]:
        raise DomainError(_("Give the candidate's name."), field="name")
    return fields


def add_candidate(*, actor, region, **fields) -> AdvisorCandidate:
    permissions.require(actor, MANAGE, region=region)
    fields = _clean(fields)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(names)s")
                          % {"names": ", ".join(sorted(unknown))})
    with transaction.atomic():
        candidate = AdvisorCandidate.objects.create(region=region, **fields)
        audit.record(actor=actor, action="experts.advisor.added", target=candidate,
                     region=region, name=candidate.name)
    return candidate


def update_candidate(*, actor, candidate: AdvisorCandidate, **changes) -> AdvisorCandidate:
    permissions.require(actor, MANAGE, region=candidate.region)
    changes = _clean(changes)
    with transaction.atomic():
        saved = save_changes(actor=actor, obj=candidate, changes=changes, editable=EDITABLE,
                             action="experts.advisor.changed")
    return saved.row


@dataclass(frozen=True)
class Share:
    gender: str
    label: str
    count: int
    percent: int  # of the group's total, rounded


@dataclass(frozen=True)
class Balance:
    total: int
    shares: list[Share]

    @property
    def women_percent(self) -> int:
        return next((s.percent for s in self.shares if s.gender == Gender.WOMAN), 0)


def _balance(counts: dict[str, int]) -> Balance:
    total = sum(counts.values())
    labels = labels_of(Gender)
    return Balance(total, [Share(code, labels[code], counts.get(code, 0),
                                 round(100 * counts.get(code, 0) / total) if total else 0)
                           for code in Gender.values])


def gender_balance(region) -> tuple[Balance, Balance]:
    """The board's members and the candidates still considered (members included), counted
    by gender in one query."""
    members: dict[str, int] = {}
    considered: dict[str, int] = {}
    rows = (AdvisorCandidate.objects.filter(region=region, status__in=CONSIDERED)
            .values_list("status", "gender").annotate(n=Count("id")).order_by())
    for status, gender, n in rows:
        considered[gender] = considered.get(gender, 0) + n
        if status == AdvisorStatus.MEMBER:
            members[gender] = members.get(gender, 0) + n
    return _balance(members), _balance(considered)
