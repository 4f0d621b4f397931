"""Every page of the experts area on a phone (390x844): none scrolls sideways (tables scroll in
their own frame), none breaks the Content Security Policy (console and
securitypolicyviolation events), and axe-core finds no serious or critical violation. The
region's pipeline, stakeholders, working groups, advisory board and Terms of Reference as its
secretariat sees them (and what a Forum reviewer reads), the directory as a city contact does,
an expert's own pages, and the global Terms of Reference as the Global Secretariat."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from assessments.models import PrincipleKey
from cities.models import Channel
from experts.models import (
    AdvisorStatus,
    Gender,
    Sector,
    Stage,
    StakeholderKind,
    StakeholderStatus,
    TieDecision,
)
from experts.services import conflicts, groups, vetting
from experts.services import stakeholders as stakeholder_service
from tests.assessments.factories import ModelPolicyFactory, all_principles, principle
from tests.experts.factories import (
    AdvisorCandidateFactory,
    ExpertFactory,
    GroupMemberFactory,
    GroupSessionFactory,
    InterviewFactory,
    StakeholderFactory,
    TermsAcceptanceFactory,
    TermsVersionFactory,
)
from tests.factories import CityFactory, ContactFactory

from .pages import (
    SOUND,
    phone_check,
    sign_in,
    switch_language,
    totp_secret,
    watch_for_phone_checks,
)
from .test_layout import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_LINK = ("https://www.kanto-mobility-data.example.jp/research/publications/"
             "open-mobility-data-governance-for-municipalities-2025-final-report.pdf")
LONG_ORGANIZATION = "Institute for Interoperable Municipal Data Infrastructures of Kanto"
CLEAN = {**SOUND, "missing": []}
# What a page shows when its rows are there (the text of one of them, or of several).
SHOWN = {
    "expert list": "Dr. Aiko Takahashi-Yamamoto 0",
    "expert page": "Signals of low commitment",
    "interview page": "Could give two hours a month at most.",
    "stakeholder list": "Ministry of Internal Affairs and Communications",
    "working group list": "Mobility data sharing working group",
    "working group page": "Data sharing agreements: first reading",
    "advisory board": "Prof. Emiko Watanabe-Fujimoto 0",
    "Terms list": "Aurora Regional Alliance Terms of Reference",
    "Terms page": "Terms of membership",
    "directory": "Dr. Aiko Takahashi-Yamamoto",
    "directory (filtered)": "Dr. Aiko Takahashi-Yamamoto",
    "directory entry": LONG_ORGANIZATION,
    "home": "Mobility data sharing working group",
    "Terms to accept": "Terms of membership",
    "global Terms list": "Working Group Terms of Reference",
    "global Terms page": "Terms of membership",
    "approval list": "Vet Haruka Mori",
    "dashboard": "vetting or clearance requests wait for a Forum reviewer",
    "expert's dashboard": "Next session: Data sharing agreements",
    "vetting approval": ("Spoke mostly of her firm's products.",
                         "She steps out of any discussion of Takasaki's procurement."),
    "clearance approval": "Haruka Mori",
    "stakeholder clearance approval": "Forum Partner",
}


def _experts_region(cast) -> dict[str, dict[str, str]]:
    """Experts in every stage (one interviewed with a red flag; a private-sector Forum Partner
    with a flagged interview, a decided conflict of interest and vetting and clearance
    requests; the cast's expert, confirmed), stakeholders of each kind (a Forum Partner's
    clearance requested), a working group led by the cast's expert with members and sessions,
    advisory board candidates, regional and global Terms of Reference (published and draft)
    with acceptances. Each page's path by who opens it."""
    region = cast.home.region
    secretariat, expert_user = cast.home.regional_secretariat, cast.home.expert
    principles = all_principles()
    policy = ModelPolicyFactory(title="Open data by default")
    global_terms = TermsVersionFactory(title="Working Group Terms of Reference", version="3.1")
    draft = TermsVersionFactory(title="Working Group Terms of Reference", version="3.2",
                                published_at=None)
    regional_terms = TermsVersionFactory(region=region, version="1.0",
                                         title="Aurora Regional Alliance Terms of Reference")
    regional_draft = TermsVersionFactory(region=region, version="1.1", published_at=None,
                                         title="Aurora Regional Alliance Terms of Reference")
    everything = ["organization", "bio", "links", "languages", "topics", "email"]
    with scope(region=region):
        experts = {}
        for number, stage in enumerate(Stage.values):
            experts[stage] = ExpertFactory(
                region=region, stage=stage, owner=secretariat,
                name=f"Dr. Aiko Takahashi-Yamamoto {number}", organization=LONG_ORGANIZATION,
                sector=Sector.values[number % len(Sector.values)],
                is_forum_partner=number % 3 == 0, email=f"a.takahashi{number}@example.jp",
                languages=["en", "ja"], links=[LONG_LINK], public_fields=everything,
                bio="Twenty years of municipal data governance across the Kanto prefectures.",
                declared_interests="Board member of the Kanto Open Data Association.",
                channel=Channel.values[0])
            experts[stage].principles.set(principles[:3])
            experts[stage].model_policies.set([policy])
        own = ExpertFactory(region=region, stage=Stage.CONFIRMED, user=expert_user,
                            name=expert_user.full_name or "Kenta Ishikawa",
                            email=expert_user.email, organization=LONG_ORGANIZATION,
                            sector=Sector.ACADEMIC, languages=["en"], links=[LONG_LINK],
                            public_fields=everything)
        own.principles.set([principle(PrincipleKey.PRIVACY)])
        interviewed = experts[Stage.INTERVIEWED]
        interview = InterviewFactory(
            expert=interviewed, interviewer=secretariat, suitability="suitable",
            decision_note="Strong on procurement rules; commitment to confirm.",
            red_flags={"commitment": {"raised": True,
                                      "note": "Could give two hours a month at most."},
                       "sales": {"raised": False, "note": ""}})
        to_vet = ExpertFactory(region=region, stage=Stage.INTERVIEWED, sector=Sector.PRIVATE,
                               is_forum_partner=True, name="Haruka Mori",
                               organization=LONG_ORGANIZATION,
                               declared_interests="Adviser to Takasaki city's mobility office.")
        InterviewFactory(expert=to_vet, interviewer=secretariat, suitability="suitable",
                         red_flags={"sales": {"raised": True,
                                              "note": "Spoke mostly of her firm's products."}})
        conflicts.decide(actor=secretariat, expert=to_vet,
                         tie="interest:Adviser to Takasaki city's mobility office.",
                         decision=TieDecision.MANAGEABLE,
                         note="She steps out of any discussion of Takasaki's procurement.")
        vetting_request = vetting.request_vetting(actor=secretariat, expert=to_vet)
        clearance_request = vetting.request_clearance(actor=secretariat, expert=to_vet)
        for expert in (own, experts[Stage.CONFIRMED], experts[Stage.ACTIVE]):
            TermsAcceptanceFactory(expert=expert, terms=global_terms)
        TermsAcceptanceFactory(expert=own, terms=regional_terms)

        stakeholders = [StakeholderFactory(
            region=region, kind=kind, status=StakeholderStatus.values[number % 3],
            name=f"Ministry of Internal Affairs and Communications, {kind} division",
            organization=LONG_ORGANIZATION, contact_name="Yuki Nakamura",
            contact_email=f"y.nakamura{number}@soumu.example.go.jp", owner=secretariat,
            involvement_note="Advises the working group on national data rules.")
            for number, kind in enumerate(StakeholderKind.values)]
        partner = next(s for s in stakeholders if s.kind == StakeholderKind.FORUM_PARTNER)
        stakeholder_request = stakeholder_service.request_clearance(actor=secretariat,
                                                                    stakeholder=partner)

        city = CityFactory(region=region, name="Maebashi")
        contact = ContactFactory(city=city, user=cast.home.city_contact,
                                 email=cast.home.city_contact.email, name="Kenji Sato")
        group = groups.create_group(
            actor=secretariat, region=region, name="Mobility data sharing working group",
            theme="Interoperable mobility data across municipalities", model_policy=policy,
            purpose="Draft the region's version of the open data model policy.",
            lead=expert_user, lead_scope="Members and sessions of the group",
            lead_review_on=timezone.localdate() + datetime.timedelta(days=90))
        GroupMemberFactory(group=group, expert=own)
        GroupMemberFactory(group=group, expert=experts[Stage.ACTIVE])
        GroupMemberFactory(group=group, expert=None, contact=contact)
        sessions = [GroupSessionFactory(
            group=group, title="Data sharing agreements: first reading",
            location="https://meet.example.org/aurora-mobility-data",
            starts_at=timezone.now() + datetime.timedelta(days=days)) for days in (14, 60)]
        candidates = [AdvisorCandidateFactory(
            region=region, gender=gender, organization=LONG_ORGANIZATION,
            name=f"Prof. Emiko Watanabe-Fujimoto {number}",
            position="Former Vice-Minister for Digital Transformation",
            viable_speaker=True, high_influence=number % 2 == 0,
            status=AdvisorStatus.values[number % len(AdvisorStatus.values)])
            for number, gender in enumerate(Gender.values)]
    slug = {"region_slug": region.slug}
    expert_page = {**slug, "expert_id": interviewed.pk}
    shown = experts[Stage.CONFIRMED]
    in_group = {**slug, "working_group_id": group.pk}
    approvals = {
        "vetting approval": reverse("approval-detail",
                                    kwargs={**slug, "approval_id": vetting_request.pk}),
        "clearance approval": reverse("approval-detail",
                                      kwargs={**slug, "approval_id": clearance_request.pk}),
        "stakeholder clearance approval": reverse(
            "approval-detail", kwargs={**slug, "approval_id": stakeholder_request.pk}),
    }
    return {
        "regional secretariat": {
            "dashboard": reverse("region-dashboard", kwargs=slug),
            "expert list": reverse("expert-list", kwargs=slug),
            "expert page": reverse("expert-detail", kwargs=expert_page),
            "expert page (vetted)": reverse(
                "expert-detail", kwargs={**slug, "expert_id": experts[Stage.VETTED].pk}),
            "expert form": reverse("expert-create", kwargs=slug),
            "expert form (edit)": reverse("expert-edit", kwargs=expert_page),
            "interview form": reverse("interview-create", kwargs=expert_page),
            "interview page": reverse("interview-detail",
                                      kwargs={**slug, "interview_id": interview.pk}),
            "interview form (edit)": reverse("interview-edit",
                                             kwargs={**slug, "interview_id": interview.pk}),
            "stakeholder list": reverse("stakeholder-list", kwargs=slug),
            "stakeholder page": reverse(
                "stakeholder-detail", kwargs={**slug, "stakeholder_id": stakeholders[0].pk}),
            "stakeholder form": reverse("stakeholder-create", kwargs=slug),
            "stakeholder form (edit)": reverse(
                "stakeholder-edit", kwargs={**slug, "stakeholder_id": stakeholders[1].pk}),
            "working group list": reverse("group-list", kwargs=slug),
            "working group page": reverse(
                "group-detail", kwargs={**slug, "working_group_id": group.pk}),
            "working group form": reverse("group-create", kwargs=slug),
            "working group form (edit)": reverse(
                "group-edit", kwargs={**slug, "working_group_id": group.pk}),
            "advisory board": reverse("board-list", kwargs=slug),
            "working group member form": reverse("group-member-add", kwargs=in_group),
            "session form": reverse("group-session-create", kwargs=in_group),
            "session form (edit)": reverse("group-session-edit",
                                           kwargs={**in_group, "session_id": sessions[0].pk}),
            "advisory board form": reverse("board-create", kwargs=slug),
            "advisory board form (edit)": reverse(
                "board-edit", kwargs={**slug, "candidate_id": candidates[0].pk}),
            "Terms list": reverse("terms-list", kwargs=slug),
            "Terms page": reverse("terms-detail",
                                  kwargs={**slug, "terms_id": regional_terms.pk}),
            "Terms form": reverse("terms-create", kwargs=slug),
            "Terms form (draft)": reverse("terms-edit",
                                          kwargs={**slug, "terms_id": regional_draft.pk}),
            "directory": reverse("directory", kwargs=slug),
            "directory entry": reverse("directory-detail",
                                       kwargs={**slug, "expert_id": shown.pk}),
            **approvals,
        },
        "forum reviewer": {
            "expert list": reverse("expert-list", kwargs=slug),
            "expert page": reverse("expert-detail", kwargs=expert_page),
            "interview page": reverse("interview-detail",
                                      kwargs={**slug, "interview_id": interview.pk}),
            "stakeholder list": reverse("stakeholder-list", kwargs=slug),
            "stakeholder page": reverse(
                "stakeholder-detail", kwargs={**slug, "stakeholder_id": stakeholders[0].pk}),
            "working group list": reverse("group-list", kwargs=slug),
            "working group page": reverse(
                "group-detail", kwargs={**slug, "working_group_id": group.pk}),
            "advisory board": reverse("board-list", kwargs=slug),
            "approval list": reverse("approval-list", kwargs=slug),
            **approvals,
        },
        "city contact": {
            "directory": reverse("directory", kwargs=slug),
            "directory (filtered)": reverse("directory", kwargs=slug) + "?language=ja",
            "directory entry": reverse("directory-detail",
                                       kwargs={**slug, "expert_id": shown.pk}),
        },
        "expert": {
            "expert's dashboard": reverse("region-dashboard", kwargs=slug),
            "home": reverse("portal-home", kwargs=slug),
            "profile": reverse("portal-profile", kwargs=slug),
            "Terms to accept": reverse("terms-accept", kwargs=slug),
            "directory": reverse("directory", kwargs=slug),
            "directory entry": reverse("directory-detail",
                                       kwargs={**slug, "expert_id": own.pk}),
            "working group page": reverse("group-detail", kwargs=in_group),
            # The expert leads the group: they add members and plan its sessions.
            "working group member form": reverse("group-member-add", kwargs=in_group),
            "session form": reverse("group-session-create", kwargs=in_group),
        },
        "global secretariat": {
            "global Terms list": reverse("global:terms-list"),
            "global Terms page": reverse("global:terms-detail",
                                         kwargs={"terms_id": global_terms.pk}),
            "global Terms page (draft)": reverse("global:terms-detail",
                                                 kwargs={"terms_id": draft.pk}),
            "global Terms form": reverse("global:terms-create"),
            "global Terms form (draft)": reverse("global:terms-edit",
                                                 kwargs={"terms_id": draft.pk}),
        },
    }


async def _check(page, name: str, path: str, console: list[str]) -> dict:
    """The phone check, and whether the page shows its rows (SHOWN)."""
    found = await phone_check(page, path, console)
    text = await page.locator("main").inner_text()
    shown = SHOWN.get(name, ())
    missing = [t for t in ((shown,) if isinstance(shown, str) else shown) if t not in text]
    return found | {"missing": missing}


@pytest.mark.parametrize("who", ["regional secretariat", "forum reviewer", "city contact",
                                 "expert", "global secretariat"])
def test_every_experts_page_holds_on_a_phone_with_no_csp_or_serious_axe_violation(
        browse, cast, who):
    user = {"regional secretariat": cast.home.regional_secretariat,
            "forum reviewer": cast.home.forum_reviewer,
            "city contact": cast.home.city_contact,
            "expert": cast.home.expert,
            "global secretariat": cast.global_secretariat}[who]
    secret = None if who in ("city contact", "expert") else totp_secret(user)
    paths = _experts_region(cast)[who]

    async def scenario(page):
        console = await watch_for_phone_checks(page)
        await page.set_viewport_size(PHONE)
        await sign_in(page, user, secret=secret)
        return {name: await _check(page, name, path, console)
                for name, path in paths.items()}

    found = browse(scenario)
    assert found == dict.fromkeys(paths, CLEAN), {
        f"{name} at {paths[name]}": problems for name, problems in found.items()
        if problems != CLEAN}


@pytest.mark.parametrize("language", ["ja", "es"])
def test_an_experts_own_pages_hold_on_a_phone_in_their_language(browse, cast, language):
    user = cast.home.expert
    paths = _experts_region(cast)["expert"]

    async def scenario(page):
        console = await watch_for_phone_checks(page)
        await sign_in(page, user)
        await switch_language(page, language)
        await page.set_viewport_size(PHONE)
        found = {}
        for name, path in paths.items():
            found[name] = await _check(page, name, path, console)
            found[name]["lang"] = await page.get_attribute("html", "lang")
            found[name].pop("missing")
        return found

    found = browse(scenario)
    clean = {key: value for key, value in CLEAN.items() if key != "missing"} | {
        "lang": language}
    assert found == dict.fromkeys(paths, clean), {
        f"{name} at {paths[name]}": problems for name, problems in found.items()
        if problems != clean}
