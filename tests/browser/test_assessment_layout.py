"""Every page of the policy assessment on a phone (390x844): none scrolls sideways (tables
scroll in their own frame), none breaks the Content Security Policy (console and
securitypolicyviolation events), and axe-core finds no serious or critical violation. The
region's pages as its secretariat sees them, the answering page and results as the city
contact does, the network's roadmap, questionnaires and benchmark as the Global Secretariat."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from assessments.models import Campaign, ModelPolicy, Report
from assessments.services import answering, reports
from tests.assessments.answering_world import build
from tests.assessments.factories import (
    AssessmentFactory,
    CampaignFactory,
    ModelPolicyFactory,
    QuestionFactory,
    SectionFactory,
    VersionFactory,
    all_principles,
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

CITIES = ["Maebashi", "Takasaki", "Kiryu", "Isesaki", "Ota", "Numata"]


LONG_URL = ("https://www.city.maebashi.example.jp/kurashi/jouhou/opendata/"
            "data-protection-and-open-data-policy-2024-final-version-adopted.pdf")


def _answer_and_submit(world, assessment, contact, policy: str, maturity: str, incidents: str):
    for question, value in ((world.has_policy, {"choice": policy}),
                            (world.maturity, {"choice": maturity}),
                            (world.incidents, {"number": incidents})):
        answering.save_answer(actor=contact, assessment=assessment, question=question,
                              revision=0, **value)
    if policy == "yes":
        answering.save_answer(actor=contact, assessment=assessment, question=world.policy_link,
                              revision=0, evidence_url=LONG_URL)
    answering.submit(actor=contact, assessment=assessment)


def _assessment_region(cast) -> dict[str, dict[str, str]]:
    """Six cities of one campaign, submitted (above the benchmark's privacy floor), the first
    also reported on; a model policy and a region's proposal. Each page's path by who
    opens it."""
    all_principles()
    contact, secretariat = cast.home.city_contact, cast.home.regional_secretariat
    world = build(cast, city_name=CITIES[0])
    region, campaign = world.region, world.assessment.campaign
    adopted = ModelPolicyFactory(title="Open data by default")
    adopted.principles.set(all_principles()[:2])
    ModelPolicyFactory(title="Procurement for interoperability",
                       status=ModelPolicy.Status.PROPOSED, proposed_by_region=region)
    with scope(region=region):
        Campaign.objects.filter(pk=campaign.pk).update(
            opens_on=timezone.localdate() - timezone.timedelta(days=10),
            closes_on=timezone.localdate() + timezone.timedelta(days=30))
        campaign.refresh_from_db()
        _answer_and_submit(world, world.assessment, contact, "yes", "3", "2")
        for number, name in enumerate(CITIES[1:], start=1):
            city = CityFactory(region=region, name=name)
            ContactFactory(city=city, user=contact, email=contact.email)
            assessment = AssessmentFactory(campaign=campaign, city=city)
            _answer_and_submit(world, assessment, contact, ("yes", "partial", "no")[number % 3],
                               str(number % 5), str(number))
        asked = "Does a policy adopted by the prefecture count, or only the city's own?"
        replied = "Only the city's own: link the prefecture's in the note."
        for actor, body in ((contact, asked), (secretariat, replied)):
            answering.clarify(actor=actor, assessment=world.assessment,
                              question=world.has_policy, body=body)
        still_open = AssessmentFactory(campaign=campaign, city=CityFactory(
            region=region, name="Shibukawa-Ikaho Onsen Tourism District"))
        ContactFactory(city=still_open.city, user=contact, email=contact.email)
        answering.save_answer(actor=contact, assessment=still_open, question=world.has_policy,
                              revision=0, choice="yes")
        answering.save_answer(actor=contact, assessment=still_open,
                              question=world.policy_link, revision=0, evidence_url=LONG_URL)
        report = reports.request_report(actor=secretariat, campaign=campaign,
                                        assessment=world.assessment, language="en")
        being_made = Report.objects.create(
            region=region, kind=Report.Kind.REGION, campaign=campaign, language="ja",
            fingerprint="layout", state=Report.State.RENDERING, progress=40,
            requested_by=secretariat)
        launching = CampaignFactory(region=region, year=campaign.year + 1,
                                    version=campaign.version, state=Campaign.State.LAUNCHING,
                                    launch_total=5000, launch_done=1250)
    slug = {"region_slug": region.slug}
    assessment = {**slug, "assessment_id": world.assessment.pk}
    version = campaign.version
    draft = VersionFactory(questionnaire=version.questionnaire, state="draft")
    for position in (1, 2):
        section = SectionFactory(version=draft, position=position,
                                 title=f"Data governance and open standards {position}")
        QuestionFactory(section=section, position=1, text="Does the city publish its "
                        "procurement data in an open, machine-readable format every quarter?")
    return {
        "regional secretariat": {
            "roadmap": reverse("roadmap", kwargs=slug),
            "model policy": reverse("model-policy-detail",
                                    kwargs={**slug, "policy_id": adopted.pk}),
            "propose form": reverse("model-policy-propose", kwargs=slug),
            "campaign list": reverse("campaign-list", kwargs=slug),
            "campaign form": reverse("campaign-create", kwargs=slug),
            "progress page": reverse("campaign-detail",
                                     kwargs={**slug, "campaign_id": campaign.pk}),
            "settings": reverse("assessment-settings", kwargs=slug),
            "benchmark": reverse("region-benchmark", kwargs=slug),
            "results": reverse("assessment-results", kwargs=assessment),
            "report page": reverse("report-detail", kwargs={**slug, "report_id": report.pk}),
            "report page (being made)": reverse(
                "report-detail", kwargs={**slug, "report_id": being_made.pk}),
            "launch in progress": reverse("campaign-detail",
                                          kwargs={**slug, "campaign_id": launching.pk}),
            "review page": reverse("assessment-review", kwargs=assessment),
        },
        "city contact": {
            "answering page": reverse("assessment-detail", kwargs=assessment),
            "answering page (open)": reverse(
                "assessment-detail", kwargs={**slug, "assessment_id": still_open.pk}),
            "assign form": reverse("assessment-assign",
                                   kwargs={**slug, "assessment_id": still_open.pk}),
            "results": reverse("assessment-results", kwargs=assessment),
        },
        "global secretariat": {
            "global roadmap": reverse("global:roadmap"),
            "questionnaire list": reverse("global:questionnaire-list"),
            "builder": reverse("global:version-detail", kwargs={"version_id": version.pk}),
            "builder (draft)": reverse("global:version-detail",
                                       kwargs={"version_id": draft.pk}),
            "translations": reverse("global:version-translations",
                                    kwargs={"version_id": version.pk}),
            "import page": reverse("global:version-import",
                                   kwargs={"questionnaire_id": version.questionnaire_id}),
            "global benchmark": reverse("global:benchmark"),
        },
    }


async def _benchmark_shown(page, path: str) -> int:
    """How many charts the page draws (none under the privacy floor)."""
    await page.goto(path)
    return await page.locator("main svg[role=img]").count()


@pytest.mark.parametrize("who", ["regional secretariat", "city contact", "global secretariat"])
def test_every_assessment_page_holds_on_a_phone_with_no_csp_or_serious_axe_violation(
        browse, cast, who):
    user = {"regional secretariat": cast.home.regional_secretariat,
            "city contact": cast.home.city_contact,
            "global secretariat": cast.global_secretariat}[who]
    secret = None if who == "city contact" else totp_secret(user)
    paths = _assessment_region(cast)[who]

    async def scenario(page):
        console = await watch_for_phone_checks(page)
        await page.set_viewport_size(PHONE)
        await sign_in(page, user, secret=secret)
        found = {name: await phone_check(page, path, console) for name, path in paths.items()}
        return found, await _benchmark_shown(page, paths["results"]) if "results" in paths else 2

    found, charts = browse(scenario)
    # Above the privacy floor: the scores and the region's spread are drawn, as wide as they go.
    assert charts >= 2, "the results page draws no benchmark"
    assert found == dict.fromkeys(paths, SOUND), {
        f"{name} at {paths[name]}": problems for name, problems in found.items()
        if problems != SOUND}


@pytest.mark.parametrize("language", ["ja", "es"])
def test_the_city_contacts_pages_hold_on_a_phone_in_their_language(browse, cast, language):
    user = cast.home.city_contact
    paths = _assessment_region(cast)["city contact"]

    async def scenario(page):
        console = await watch_for_phone_checks(page)
        await sign_in(page, user)
        await switch_language(page, language)
        await page.set_viewport_size(PHONE)
        found = {}
        for name, path in paths.items():
            found[name] = await phone_check(page, path, console)
            found[name]["lang"] = await page.get_attribute("html", "lang")
        return found

    found = browse(scenario)
    clean = SOUND | {"lang": language}
    assert found == dict.fromkeys(paths, clean), {
        f"{name} at {paths[name]}": problems for name, problems in found.items()
        if problems != clean}
