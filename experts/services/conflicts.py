"""Conflicts of interest: an expert's ties to what is already in the region's pipeline (cities
whose people work where the expert does, other experts of the same organization, partner
networks of that name, and each interest the expert declares), and the reviewer's decision on
each (one ConflictCheck per tie, found again by its key)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance import permissions
from alliance.errors import DomainError
from alliance.labels import choice_label
from alliance.services import audit
from cities.models import City, Contact, PartnerNetwork

from ..models import ConflictCheck, Expert, TieDecision

# Each kind lists at most this many ties: a longer list is read on the region's own pages.
LIMIT = 10
STALE_SHOWN = 10  # decisions on former ties the pages show
# A page's ties may be this old (seconds): a city, expert or partner network added meanwhile
# shows after it; the expert's own changes show at once (their copy is kept by version).
TIES_CACHED_FOR = 60
INTEREST_LENGTH = 280  # a declared interest as its key keeps it (ConflictCheck.tie: 300)
# Addresses anyone may hold: the same domain says nothing about where two people work.
PUBLIC_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.jp", "outlook.com", "hotmail.com",
    "live.com", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.com",
    "gmx.de", "mail.com", "qq.com", "163.com", "naver.com", "docomo.ne.jp", "ezweb.ne.jp",
    "softbank.ne.jp", "uol.com.br", "bol.com.br", "terra.com.br", "rediffmail.com",
    "example.com",
})


@dataclass(frozen=True)
class Tie:
    """One tie: `key` is stable ("city:12", "expert:5", "partner:3", "interest:<text>")."""

    key: str
    kind: str  # city, expert, partner, interest
    described: str
    decision: Decision | None = None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def decided(self) -> bool:
        return self.decision is not None


KIND_LABELS = {"city": gettext_lazy("City"), "expert": gettext_lazy("Expert"),
               "partner": gettext_lazy("Partner network"),
               "interest": gettext_lazy("Declared interest")}


def domain_of(email: str) -> str:
    """The part after @ when it says where someone works, else ""."""
    domain = email.rpartition("@")[2].strip().lower() if "@" in (email or "") else ""
    return "" if domain in PUBLIC_DOMAINS else domain


def interests_of(expert: Expert) -> list[str]:
    """The declared interests, one a line, blanks and repeats dropped."""
    seen: dict[str, None] = {}
    for line in (expert.declared_interests or "").splitlines():
        text = " ".join(line.split())[:INTEREST_LENGTH]
        if text and text.lower() not in {s.lower() for s in seen}:
            seen[text] = None
    return list(seen)


def _found(expert: Expert) -> list[tuple]:
    """(id, name, organization, kind) of the cities, experts and partner networks the expert
    is tied to, in one query."""
    region = expert.region_id
    organization = expert.organization.strip()
    domain = domain_of(expert.email)
    names = [n for n in [organization, *interests_of(expert)] if n]
    parts = []
    city_match = Q()
    for name in names:
        city_match |= Q(name__iexact=name) | Q(local_name__iexact=name)
    # Contacts apart: a join would pair every city with each of its contacts.
    contact_match = Q()
    if organization:
        contact_match |= Q(department__iexact=organization)
    if domain:
        contact_match |= Q(email__iendswith=f"@{domain}")
    if contact_match:
        city_match |= Q(pk__in=Contact.objects.filter(contact_match, region_id=region)
                        .values("city_id"))
    if city_match:
        parts.append(City.objects.filter(city_match, region_id=region)
                     .values_list("pk", "name", Value(""), Value("city")))
    expert_match = Q()
    if organization:
        expert_match |= Q(organization__iexact=organization)
    if domain:
        expert_match |= Q(email__iendswith=f"@{domain}")
    if expert_match:
        parts.append(Expert.objects.filter(expert_match, region_id=region)
                     .exclude(pk=expert.pk)
                     .values_list("pk", "name", "organization", Value("expert")))
    partner_match = Q()
    for name in names:
        partner_match |= Q(name__iexact=name)
    if domain:
        partner_match |= Q(contact_email__iendswith=f"@{domain}")
    if partner_match:
        parts.append(PartnerNetwork.objects.filter(partner_match, region_id=region)
                     .values_list("pk", "name", Value(""), Value("partner")))
    found = []
    if parts:
        # One query whatever the kinds: UNION drops a city found twice (two contacts).
        rows = parts[0].order_by().union(*(p.order_by() for p in parts[1:]))
        found = sorted(rows[:LIMIT * len(parts)], key=lambda row: (KINDS.index(row[3]),
                                                                   row[1].lower(), row[0]))
    return found


def ties_of(expert: Expert, *, fresh: bool = True) -> list[Tie]:
    """The expert's ties to the region's pipeline (cities, other experts, partner networks,
    declared interests), in at most one query whatever their number; the decisions recorded
    on them are not read here (`ties_with_decisions`). `fresh=False` may answer from a copy
    up to TIES_CACHED_FOR old (a page; never a decision, which checks the tie exists)."""
    found = _found(expert) if fresh else cache.get_or_set(
        f"experts:ties:{expert.pk}:{expert.updated_at.timestamp()}",
        lambda: _found(expert), TIES_CACHED_FOR)
    ties = [Tie(f"{kind}:{pk}", kind, _described(kind, name, organization_of))
            for pk, name, organization_of, kind in found]
    ties += [Tie(f"interest:{text}", "interest", text) for text in interests_of(expert)]
    return ties


KINDS = ["city", "expert", "partner", "interest"]


def _described(kind: str, name: str, organization: str) -> str:
    if kind == "city":
        return _("%(city)s (city in the pipeline)") % {"city": name}
    if kind == "expert":
        return _("%(name)s, %(organization)s (another expert)") % {
            "name": name, "organization": organization or "—"}
    return _("%(name)s (partner network)") % {"name": name}


@dataclass(frozen=True)
class Decision:
    """A recorded decision on a tie, as the pages show it (read as values)."""

    tie: str
    described: str
    decision: str
    note: str
    decided_at: object
    decided_by_id: int | None
    decided_by: str  # the person's name (or email)

    def get_decision_display(self) -> str:
        return choice_label(TieDecision, self.decision)


DECISION_COLUMNS = ("tie", "described", "decision", "note", "decided_at", "decided_by_id",
                    "decided_by__full_name", "decided_by__email")


def ties_with_decisions(expert: Expert, *, fresh: bool = True
                        ) -> tuple[list[Tie], list[Decision]]:
    """The current ties, each with its decision if one was recorded, and the latest
    decisions (at most STALE_SHOWN) on ties that no longer hold (a changed organization, an
    interest since removed). Two queries, however many decisions the expert gathered."""
    ties = ties_of(expert, fresh=fresh)
    keys = [tie.key for tie in ties]
    rows = ConflictCheck.objects.filter(expert=expert).order_by("-decided_at", "-pk")
    if keys:  # the current ties' decisions first (a constant would be a column number)
        rows = (rows.annotate(current=Case(When(tie__in=keys, then=Value(1)), default=Value(0),
                                           output_field=IntegerField()))
                .order_by("-current", "-decided_at", "-pk"))
    rows = rows.values_list(*DECISION_COLUMNS)[:len(keys) + STALE_SHOWN]
    checks = {row[0]: Decision(*row[:6], row[6] or row[7] or "") for row in rows}
    ties = [Tie(t.key, t.kind, t.described, checks.pop(t.key, None)) for t in ties]
    return ties, list(checks.values())


def undecided(ties: list[Tie]) -> list[Tie]:
    return [tie for tie in ties if not tie.decided]


def decide(*, actor, expert: Expert, tie: str, decision: str, note: str = "") -> ConflictCheck:
    """Record (or change) the decision on one of the expert's current ties; a decision other
    than "no conflict" says why."""
    permissions.require(actor, "experts.decide_conflicts", region=expert.region)
    if decision not in TieDecision.values:
        raise DomainError(_("Choose a decision."), field="decision")
    note = note.strip()
    if decision != TieDecision.NO_CONFLICT and not note:
        raise DomainError(_("Say how the conflict is handled, or why it rules the expert "
                            "out."), field="note")
    current = {t.key: t for t in ties_of(expert)}
    if tie not in current:
        raise DomainError(_("This tie is no longer among the expert's: reload the page."),
                          field="tie")
    described = current[tie].described[:300]
    with transaction.atomic():
        check = (ConflictCheck.objects.select_for_update()
                 .filter(expert=expert, tie=tie).first())
        old = check.decision if check else ""
        if check is None:
            try:
                with transaction.atomic():
                    check = ConflictCheck.objects.create(
                        region=expert.region, expert=expert, tie=tie, described=described,
                        decision=decision, note=note, decided_by=actor)
            except IntegrityError:
                raise DomainError(_("Someone decided on this tie at the same moment: reload "
                                    "the page."), field="tie") from None
        elif (check.decision, check.note) == (decision, note):
            return check
        else:
            check.decision, check.note, check.described = decision, note, described
            check.decided_by, check.decided_at = actor, timezone.now()
            check.save(update_fields=["decision", "note", "described", "decided_by",
                                      "decided_at"])
        audit.record(actor=actor, action="experts.conflict.decided", target=expert,
                     region=expert.region, tie=described, old=old, new=decision, note=note)
    return check
