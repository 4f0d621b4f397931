"""The Terms of Reference experts accept online: versions kept by the Global Secretariat (global)
or a regional secretariat (the region's own), published once and never changed; an expert's
acceptance (ticked, their name typed, the text's hash, time and address kept), which confirms
an invited expert; and the requests to accept again when a new version is published, with a
weekly reminder until they do."""

from __future__ import annotations

import datetime
import hashlib
import re

import nh3
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.models import Notification, Region
from alliance.services import audit
from alliance.services.changes import locked, save_locked
from alliance.services.notifications import in_language_of, notify, notify_many
from alliance.tenancy import unscoped

from .. import stages
from ..models import Expert, Stage, TermsAcceptance, TermsVersion
from ..queries import current_terms
from . import pipeline

EDITABLE = ("title", "version", "effective_on", "body")
# What the text keeps: headings, paragraphs, lists, emphasis and links; nothing else (no
# scripts, styles, images, tables or attributes but a link's address and title).
ALLOWED_TAGS = {"h2", "h3", "h4", "h5", "h6", "p", "br", "ul", "ol", "li", "strong", "em", "b",
                "i", "u", "a", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
# The experts a version's page lists: the working ones (asked to accept every new version)
# and the invited (whose acceptance confirms them).
LISTED = stages.WORKING | {Stage.INVITED}
REMINDER_EVERY = datetime.timedelta(days=7)
# What an editor leaves behind an empty line.
EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")


def sanitize(html: str) -> str:
    """The text as the portal keeps and shows it: only the allowed tags and attributes; links
    open nothing in the portal's name (rel noopener noreferrer nofollow)."""
    clean = nh3.clean(html or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes=URL_SCHEMES, link_rel="noopener noreferrer nofollow")
    return EMPTY_PARAGRAPH.sub("", clean).strip()


def hash_of(body: str) -> str:
    """sha256 of the published text, as every acceptance of it records."""
    return hashlib.sha256(body.encode()).hexdigest()


def _normalized(name: str) -> str:
    return re.sub(r"\s+", " ", name or "").strip().casefold()


# -- versions -------------------------------------------------------------------------------------

def _check_version_free(*, region, version: str, exclude_pk=None) -> None:
    taken = TermsVersion.objects.filter(region=region, version=version)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise DomainError(_("Version “%(version)s” exists already: give this one another "
                            "number.") % {"version": version}, field="version")


def _checked_fields(*, title: str, version: str, body: str) -> tuple[str, str, str]:
    title, version, body = (title or "").strip(), (version or "").strip(), sanitize(body)
    if not title:
        raise DomainError(_("Give the Terms of Reference a title."), field="title")
    if not version:
        raise DomainError(_("Give the version a number, such as 3.1."), field="version")
    return title, version, body


def create_terms(*, actor, region: Region | None, title: str, version: str,
                 effective_on: datetime.date, body: str) -> TermsVersion:
    """A draft version: global (region None, the Global Secretariat's) or the region's own."""
    permissions.require(actor, "experts.manage_terms", region=region)
    title, version, body = _checked_fields(title=title, version=version, body=body)
    with transaction.atomic():
        _check_version_free(region=region, version=version)
        terms = TermsVersion.objects.create(region=region, title=title, version=version,
                                            effective_on=effective_on, body=body,
                                            created_by=actor)
        audit.record(actor=actor, action="experts.terms.created", target=terms, region=region,
                     version=version)
    return terms


def update_terms(*, actor, terms: TermsVersion, title: str, version: str,
                 effective_on: datetime.date, body: str) -> TermsVersion:
    """Change a draft; a published version never changes (make a new version from it)."""
    permissions.require(actor, "experts.manage_terms", region=terms.region)
    title, version, body = _checked_fields(title=title, version=version, body=body)
    with transaction.atomic():
        row = locked(terms)
        _refuse_published(row)
        _check_version_free(region=row.region, version=version, exclude_pk=row.pk)
        row, _changed = save_locked(
            actor=actor, row=row, action="experts.terms.changed", region=row.region,
            changes={"title": title, "version": version, "effective_on": effective_on,
                     "body": body}, editable=EDITABLE)
    return row


def _refuse_published(terms: TermsVersion) -> None:
    if terms.is_published:
        raise InvalidTransition(_("A published version never changes: make a new version "
                                  "from it."))


def publish_terms(*, actor, terms: TermsVersion) -> TermsVersion:
    """Publish a draft: its text is fixed (and hashed), and every expert it now applies to is
    asked to accept it."""
    permissions.require(actor, "experts.manage_terms", region=terms.region)
    with transaction.atomic():
        row = locked(terms)
        _refuse_published(row)
        if not sanitize(row.body):
            raise DomainError(_("Write the text before publishing."), field="body")
        row.content_hash = hash_of(row.body)
        row.published_at = timezone.now()
        row.save(update_fields=["content_hash", "published_at"])
        audit.record(actor=actor, action="experts.terms.published", target=row,
                     region=row.region, version=row.version, content_hash=row.content_hash)
        ask_to_accept(terms=row)
    return row


def suggested_next_version(version: str) -> str:
    """"3.1" -> "3.2"; a number that does not end in digits gets ".1"."""
    match = re.match(r"^(.*?)(\d+)$", version)
    if match is None:
        return f"{version}.1"
    return f"{match.group(1)}{int(match.group(2)) + 1}"


# -- who is asked ---------------------------------------------------------------------------------

def regions_applying(terms: TermsVersion) -> list[Region]:
    """The regions whose experts accept `terms` now: its own region, or for a global version
    every region without a current version of its own."""
    if terms.region_id is not None:
        return [terms.region] if current_terms(terms.region) == terms else []
    with unscoped(reason="a global version applies to every region without its own"):
        regions = list(Region.objects.order_by("pk"))
        return [region for region in regions if current_terms(region) == terms]


def experts_to_ask(region: Region, terms: TermsVersion):
    """Experts of `region` with an account, at a working stage, who have not accepted
    `terms`: the people a request or a reminder goes to."""
    accepted = TermsAcceptance.objects.filter(expert=OuterRef("pk"), terms=terms)
    return (Expert.objects.filter(region=region, stage__in=stages.WORKING, user__isnull=False)
            .exclude(Exists(accepted)).select_related("user").order_by("pk"))


def _accept_url(region: Region) -> str:
    return reverse("terms-accept", kwargs={"region_slug": region.slug})


def _request(expert: Expert, terms: TermsVersion, *, key: str, reminder: bool) -> Notification:
    region = expert.region
    with in_language_of(expert.user, region):
        if reminder:
            subject = _("Reminder: please accept the Terms of Reference %(version)s") % {
                "version": terms.version}
        else:
            subject = _("New Terms of Reference %(version)s: please read and accept them") % {
                "version": terms.version}
        body = _("%(title)s, version %(version)s, applies to the experts of %(region)s from "
                 "%(date)s. Read it and accept it online: tick that you accept it and type "
                 "your full name.") % {"title": terms.title, "version": terms.version,
                                       "region": region.localized_name,
                                       "date": terms.effective_on.isoformat()}
    return Notification(recipient=expert.user, region=region, key=key, subject=subject,
                        body=body, url=_accept_url(region))


def ask_to_accept(*, terms: TermsVersion) -> int:
    """Ask every working expert the version applies to (and who has not accepted it) to
    accept it: one request per expert and version, whoever publishes twice."""
    sent = 0
    with unscoped(reason="a global version's requests go to the experts of each region"):
        for region in regions_applying(terms):
            rows = [_request(expert, terms, key=f"experts.terms:{terms.pk}:ask:{expert.pk}",
                             reminder=False)
                    for expert in experts_to_ask(region, terms).select_related("region")]
            sent += len(notify_many(rows))
    return sent


def send_reminders(*, region: Region, now: datetime.datetime | None = None) -> int:
    """Remind, once a week from the version's publication, every working expert of the
    region who has not accepted the current version. The key names the week: a second run
    in the same week sends nothing, and an expert who accepted is no longer asked."""
    terms = current_terms(region)
    if terms is None:
        return 0
    week = ((now or timezone.now()) - terms.published_at) // REMINDER_EVERY
    if week < 1:  # the request itself went out this week
        return 0
    rows = [_request(expert, terms, key=f"experts.terms:{terms.pk}:remind:{expert.pk}:{week}",
                     reminder=True)
            for expert in experts_to_ask(region, terms).select_related("region")]
    return len(notify_many(rows))


def acceptance_roster(region: Region, terms: TermsVersion, *, missing_only: bool = False):
    """The region's listed experts with whether they accepted `terms`: those missing first,
    then by name; values, not rows (`with_latest_acceptance` adds a page's latest ones)."""
    rows = (Expert.objects.filter(region=region, stage__in=LISTED)
            .annotate(accepted_this=Exists(TermsAcceptance.objects.filter(
                expert=OuterRef("pk"), terms=terms))))
    if missing_only:
        rows = rows.filter(accepted_this=False)
    return rows.order_by("accepted_this", "name", "pk").values("pk", "name", "user_id",
                                                               "accepted_this")


def with_latest_acceptance(rows: list[dict]) -> list[dict]:
    """`rows` of `acceptance_roster` with each expert's latest acceptance (latest_version,
    latest_at, latest_id, or None): one query for the page's experts, a few rows each (one
    per version they accepted)."""
    latest: dict[int, dict] = {}
    for acceptance in (TermsAcceptance.objects.filter(expert_id__in=[r["pk"] for r in rows])
                       .order_by("expert_id", "-accepted_at", "-id")
                       .values("expert_id", "pk", "terms__version", "accepted_at")):
        latest.setdefault(acceptance["expert_id"], acceptance)
    for row in rows:
        found = latest.get(row["pk"])
        row.update(latest_id=found and found["pk"],
                   latest_version=found and found["terms__version"],
                   latest_at=found and found["accepted_at"])
    return rows


def acceptance_counts(region: Region, terms: TermsVersion) -> dict:
    """How many listed experts of the region accepted `terms`, and how many have not."""
    accepted = Exists(TermsAcceptance.objects.filter(expert=OuterRef("pk"), terms=terms))
    counts = (Expert.objects.filter(region=region, stage__in=LISTED)
              .aggregate(total=Count("pk"), accepted=Count("pk", filter=accepted)))
    return {**counts, "missing": counts["total"] - counts["accepted"]}


# -- acceptance -----------------------------------------------------------------------------------

def expert_of(user, region: Region) -> Expert | None:
    """The expert record of this person in the region (Expert.user), if any."""
    if not user.is_authenticated:
        return None
    return (Expert.objects.filter(region=region, user=user).select_related("region")
            .order_by("pk").first())


def acceptance_of(expert: Expert, terms: TermsVersion | None) -> TermsAcceptance | None:
    if terms is None:
        return None
    return TermsAcceptance.objects.filter(expert=expert, terms=terms).first()


def accept_terms(*, actor, expert: Expert, terms: TermsVersion, typed_name: str,
                 accepted: bool, ip_address: str | None = None) -> TermsAcceptance:
    """The expert accepts the current version: they ticked that they have read and accept it
    and typed their name as the portal knows it. Records the version, the hash of its text,
    the time, the account and the address; an invited expert is confirmed."""
    region = expert.region
    permissions.require(actor, "experts.own_record", region=region)
    if expert.user_id != actor.pk:
        raise DomainError(_("Only the expert can accept their Terms of Reference."))
    if not accepted:
        raise DomainError(_("Tick that you have read and accept the Terms of Reference."),
                          field="accept")
    names = {_normalized(expert.name), _normalized(actor.full_name)} - {""}
    if _normalized(typed_name) not in names:
        raise DomainError(_("Type your full name as the portal knows it: %(name)s.")
                          % {"name": expert.name}, field="typed_name")
    with transaction.atomic():
        if current_terms(region) != terms or not terms.is_published:
            raise InvalidTransition(_("A newer version of the Terms of Reference applies now: "
                                      "read it, then accept it."))
        earlier = acceptance_of(expert, terms)
        if earlier is not None:
            raise _already_accepted(terms, earlier.accepted_at)
        try:
            # The unique (expert, version) row settles two submissions at once; the stage
            # move below takes the expert's lock (pipeline.confirm).
            with transaction.atomic():
                acceptance = TermsAcceptance.objects.create(
                    region=region, expert=expert, terms=terms, user=actor,
                    typed_name=" ".join(typed_name.split()), content_hash=terms.content_hash,
                    ip_address=ip_address or None)
        except IntegrityError:
            raise _already_accepted(terms, timezone.now()) from None
        audit.record(actor=actor, action="experts.terms.accepted", target=expert,
                     region=region, version=terms.version, content_hash=terms.content_hash,
                     ip=ip_address or "")
        if expert.stage == Stage.INVITED:
            pipeline.confirm(actor=actor, expert=expert)
        if expert.owner_id and expert.owner_id != actor.pk:
            _tell_owner(expert, terms)
    return acceptance


def _already_accepted(terms: TermsVersion, at) -> InvalidTransition:
    return InvalidTransition(_("You accepted version %(version)s on %(date)s already.")
                             % {"version": terms.version,
                                "date": timezone.localtime(at).date().isoformat()})


def _tell_owner(expert: Expert, terms: TermsVersion) -> None:
    with in_language_of(expert.owner, expert.region):
        notify(recipient=expert.owner, region=expert.region,
               key=f"experts.terms:{terms.pk}:accepted:{expert.pk}",
               subject=_("%(name)s accepted the Terms of Reference %(version)s")
               % {"name": expert.name, "version": terms.version},
               url=reverse("terms-detail", kwargs={"region_slug": expert.region.slug,
                                                   "terms_id": terms.pk}))


# -- the invitation -------------------------------------------------------------------------------

def expert_invited_by(invitation) -> Expert | None:
    """The expert an invitation was sent to through experts.services.pipeline.invite."""
    if invitation is None or invitation.region_id is None:
        return None
    with unscoped(reason="the invitation names its region; read its expert there"):
        return (Expert.objects.filter(region_id=invitation.region_id, invitation=invitation)
                .select_related("region").first())


def link_invited_expert(*, invitation, user) -> Expert | None:
    """On an accepted invitation: the expert it was sent to gets this account (if the
    pipeline has not linked it already)."""
    expert = expert_invited_by(invitation)
    if expert is not None and expert.user_id is None:
        pipeline.link_account(expert=expert, user=user)
        expert.user = user
    return expert
