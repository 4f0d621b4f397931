"""`manage.py seed_load`: the load test's database and plan (bin/loadtest runs it).

It creates a fresh database beside the configured one (var/loadtest/portal.sqlite3, or
loadtest_<name> on PostgreSQL), seeds the bench regions at full size (alliance/bench.py), and
signs in people of each role the load test plays. Their sessions are made here, as a sign-in
would leave them, instead of driving the password and TOTP forms from Locust: the load test
measures the pages, not the sign-in. The plan (JSON) names the database, the sessions, API
tokens and the URLs each role visits.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.urls import reverse

from alliance.bench import DEFAULT_CITIES, full_size, make_bench, member, seed_round
from alliance.models import ApprovalRequest, Role
from alliance.services.tokens import create_token
from alliance.tenancy import unscoped
from assessments.models import Assessment, Campaign
from cities.models import City, Contact, Tag
from events.models import Event, Workplan
from experts.models import Expert, GroupMember, Sector, Stage, WorkingGroup
from outreach.models import Letter
from outreach.services.letters import ENGAGEMENT_CLEARANCE, LEGAL_DOCUMENT

from .bench import analyze, create_database

# The roles the load test plays.
ROLES = [Role.REGIONAL_SECRETARIAT, Role.FORUM_REVIEWER, Role.GLOBAL_SECRETARIAT,
         Role.CITY_CONTACT, Role.EXPERT]
SAMPLE = 200  # detail pages per kind the load test picks from


def seed(*, cities: int, users_per_role: int) -> dict:
    """Seed the bench regions and sign people in; the plan for the load test."""
    with unscoped(reason="the load test seeds regions of its own"):
        bench = make_bench()
        seed_round(bench, lambda background: full_size(background, cities))
        region = bench.region
        people = {role: [member(role, [region]) for _ in range(users_per_role)]
                  for role in ROLES}
        link_expert_records(region, people[Role.EXPERT])
        plan = {
            "sessions": {role: [session_of(user) for user in users]
                         for role, users in people.items()},
            # Each city contact's own assessment, in the order of their sessions.
            "own assessments": own_assessments(region, people[Role.CITY_CONTACT]),
            "api_tokens": [create_token(actor=user, name="load test")
                           for user in people[Role.REGIONAL_SECRETARIAT]],
            "pages": pages_of(region),
            **detail_pages(region),
        }
    analyze()
    return plan


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def pages_of(region) -> dict[str, str]:
    """The list pages of the mix, by the name the load test reports them under."""
    kwargs = {"region_slug": region.slug}
    campaign = Campaign.objects.filter(region=region, state=Campaign.State.OPEN).get()
    return {
        "dashboard": reverse("region-dashboard", kwargs=kwargs),
        "city table": reverse("city-list", kwargs=kwargs),
        "board": reverse("city-board", kwargs=kwargs),
        "letters": reverse("letter-list", kwargs=kwargs),
        "approvals": reverse("approval-list", kwargs=kwargs),
        "materials": reverse("material-list", kwargs=kwargs),
        "notifications": reverse("notification-list"),
        "global dashboard": reverse("global:dashboard"),
        "global approvals": reverse("global:approval-list"),
        "api cities": reverse("api:city-list", kwargs=kwargs),
        "api letters": reverse("api:letter-list", kwargs=kwargs),
        "campaign progress": reverse("campaign-detail", kwargs={**kwargs,
                                                                "campaign_id": campaign.pk}),
        "benchmark": reverse("campaign-benchmark", kwargs={**kwargs,
                                                           "campaign_id": campaign.pk}),
        "roadmap": reverse("roadmap", kwargs=kwargs),
        "global benchmark": reverse("global:benchmark"),
        "questionnaire builder": reverse("global:version-detail",
                                         kwargs={"version_id": campaign.version_id}),
        "experts": reverse("expert-list", kwargs=kwargs),
        "stakeholders": reverse("stakeholder-list", kwargs=kwargs),
        "working groups": reverse("group-list", kwargs=kwargs),
        "directory": reverse("directory", kwargs=kwargs),
        "expert home": reverse("portal-home", kwargs=kwargs),
        "events": reverse("event-list", kwargs=kwargs),
        "meeting series": reverse("series-list", kwargs=kwargs),
        "my events": reverse("my-events", kwargs=kwargs),
        "dialogue coverage": reverse("dialogue-coverage", kwargs=kwargs),
        "dialogues": reverse("dialogue-list", kwargs=kwargs),
        "workplans": reverse("workplan-list", kwargs=kwargs),
        "own workplans": reverse("own-workplans", kwargs=kwargs),
        "support activities": reverse("support-activity-list", kwargs=kwargs),
    }


def detail_pages(region) -> dict[str, list[str]]:
    """Records to open, spread over the region, and the table's filters and searches."""
    kwargs = {"region_slug": region.slug}
    table = reverse("city-list", kwargs=kwargs)
    tag = Tag.objects.filter(region=region).first()
    owner = City.objects.filter(region=region).exclude(owner=None).first().owner_id
    return {
        "city pages": [reverse("city-detail", kwargs={**kwargs, "city_id": pk})
                       for pk in _spread(City.objects.filter(region=region))],
        "letter pages": [reverse("letter-detail", kwargs={**kwargs, "letter_id": pk})
                         for pk in _spread(Letter.objects.filter(region=region))],
        "expert pages": [reverse("expert-detail", kwargs={**kwargs, "expert_id": pk})
                         for pk in _spread(Expert.objects.filter(region=region))],
        "event pages": [reverse("event-detail", kwargs={**kwargs, "event_id": pk})
                        for pk in _spread(Event.objects.filter(region=region))],
        "workplan pages": [reverse("workplan-detail", kwargs={**kwargs, "workplan_id": pk})
                           for pk in _spread(Workplan.objects.filter(region=region))],
        "review pages": [reverse("assessment-review",
                                 kwargs={**kwargs, "assessment_id": pk})
                         for pk in _spread(Assessment.objects.filter(
                             region=region, state=Assessment.State.SUBMITTED))],
        "clearance pages": _approval_pages(region, ENGAGEMENT_CLEARANCE),
        "legal pages": _approval_pages(region, LEGAL_DOCUMENT),
        "table searches": [f"{table}?{query}" for query in (
            "q=Puerto&stage=short_list", "q=San", "stage=contacted&sort=name",
            f"tag={quote(tag.name)}", f"owner={owner}", "q=Valle&sort=-population",
            "min_priority=50")],
    }


def own_assessments(region, contacts) -> list[str]:
    """Each city contact speaks for a city whose assessment is in progress (one of its
    contacts is their account; cities are shared out again when there are fewer than
    people); the URL of that assessment, person by person."""
    open_ones = list(Assessment.objects.filter(
        region=region, state=Assessment.State.IN_PROGRESS, campaign__state=Campaign.State.OPEN
    ).order_by("pk")[:len(contacts)])
    urls = []
    for index, user in enumerate(contacts):
        assessment = open_ones[index % len(open_ones)]
        contact = (Contact.objects.filter(city_id=assessment.city_id, user=None)
                   .order_by("-is_key", "pk").first())
        contact.user = user
        contact.save(update_fields=["user"])
        urls.append(reverse("assessment-detail", kwargs={"region_slug": region.slug,
                                                         "assessment_id": assessment.pk}))
    return urls


def link_expert_records(region, experts) -> None:
    """Each expert of the load test is an active expert of the region with a working group:
    their own record, its group and sessions on their home."""
    group = WorkingGroup.objects.filter(region=region).order_by("pk").first()
    for user in experts:
        record = Expert.objects.create(region=region, name=user.full_name or user.email,
                                       email=user.email, sector=Sector.ACADEMIC,
                                       stage=Stage.ACTIVE, user=user)
        if group is not None:
            GroupMember.objects.create(region=region, group=group, expert=record)


def _spread(rows) -> list[int]:
    ids = list(rows.order_by("pk").values_list("pk", flat=True))
    return ids[::max(1, len(ids) // SAMPLE)][:SAMPLE]


def _approval_pages(region, kind) -> list[str]:
    pending = ApprovalRequest.objects.filter(region=region, kind=kind,
                                             state=ApprovalRequest.State.PENDING)
    return [reverse("approval-detail", kwargs={"region_slug": region.slug, "approval_id": pk})
            for pk in _spread(pending)]


def database_url() -> str:
    """The URL of the database the connection now uses, for the load test's web server."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}"
                                                if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


class Command(BaseCommand):
    help = "Create and seed the load test's database; write the plan bin/loadtest follows."

    def add_arguments(self, parser):
        parser.add_argument("--cities", type=int,
                            default=int(os.environ.get("BENCH_CITIES") or DEFAULT_CITIES),
                            help="cities per region, as for `manage.py bench`")
        parser.add_argument("--users-per-role", type=int, default=30,
                            help="signed-in people of each role (sessions to share out)")
        parser.add_argument("--plan", type=Path,
                            default=settings.VAR_DIR / "loadtest" / "plan.json")

    def handle(self, *args, cities, users_per_role, plan, **options):
        create_database("loadtest")
        content = {"database_url": database_url(),
                   **seed(cities=cities, users_per_role=users_per_role)}
        plan.parent.mkdir(parents=True, exist_ok=True)
        plan.write_text(json.dumps(content, indent=1))
        self.stdout.write(f"Load test database {connection.settings_dict['NAME']} seeded "
                          f"with {cities} cities per region; plan in {plan}")
