"""The annual policy assessment end to end in a browser, each person in their own browser: the
regional secretariat drafts and launches the campaign; the city contact answers part of it
(autosaved as typed), hands the Security section to a colleague who accepts the emailed
invitation and answers that section only; the first submit lists the missing answer, the
second goes through; the secretariat returns one answer with a comment, the contact sees it
beside the question, fixes it and submits again; the secretariat accepts, asks for the city
report and downloads the PDF. axe-core checks the progress, answering and review pages; the
answering page holds at 390 px, answers from the keyboard and announces "Saved"; no page
breaks the Content Security Policy."""

import datetime
import re
from io import BytesIO

import pytest
from django.core import mail
from django.utils import timezone
from playwright.async_api import expect
from pypdf import PdfReader

from assessments.models import PrincipleKey, QuestionKind
from cities.models import Stage
from tests.assessments.factories import (
    QuestionFactory,
    SectionFactory,
    VersionFactory,
    principle,
)
from tests.factories import CityFactory, ContactFactory

from .conftest import TIMEOUT_MS
from .pages import axe_violations, browser_of, sign_in, totp_secret, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITY = "Maebashi"
COLLEAGUE = "k.sato@city.maebashi.example.jp"
PASSWORD = "Akagi-volcano-2026!"
HAS_POLICY = "Does the city have a data policy?"
POLICY_LINK = "Where is it published?"
NOTE = "Anything to add?"
MATURITY = "How mature is security?"
INCIDENTS = "Incidents last year?"
SAVED = re.compile(r"^Saved ")


def _questionnaire():
    """Governance (the contact's): a yes/partly/no, its evidence shown on "yes", an optional
    note. Security (the colleague's): a maturity level and a number."""
    version = VersionFactory(published_at=timezone.now(),
                             questionnaire__name="Aurora policy assessment")
    governance = SectionFactory(version=version, position=1, title="Governance",
                                principle=principle(PrincipleKey.PRIVACY))
    security = SectionFactory(version=version, position=2, title="Security",
                              principle=principle(PrincipleKey.SECURITY))
    has_policy = QuestionFactory(section=governance, position=1, name="has_policy",
                                 text=HAS_POLICY, weight=2)
    QuestionFactory(section=governance, position=2, name="policy_link",
                    kind=QuestionKind.EVIDENCE, text=POLICY_LINK, shown_if=has_policy,
                    operator="equals", value="yes")
    QuestionFactory(section=governance, position=3, name="note", kind=QuestionKind.TEXT,
                    text=NOTE, required=False)
    QuestionFactory(section=security, position=1, name="maturity",
                    kind=QuestionKind.MATURITY, text=MATURITY, weight=4)
    QuestionFactory(section=security, position=2, name="incidents",
                    kind=QuestionKind.NUMBER, text=INCIDENTS)
    return version


def _question(page, text):
    return page.locator(".question", has_text=text)


def _status(page, text):
    return _question(page, text).locator("[data-status]")


def _messages(page):
    return page.locator(".messages")


async def _accessibility(page) -> list[str]:
    await page.emulate_media(reduced_motion="reduce")
    return await axe_violations(page)


async def _sideways(page) -> int:
    return await page.evaluate("document.documentElement.scrollWidth"
                               " - document.documentElement.clientWidth")


# -- the secretariat ----------------------------------------------------------------------------

async def _draft_and_launch(page, version, found):
    await page.goto("/r/aurora/assessments/campaigns/")
    await page.get_by_role("link", name="New campaign").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("New campaign")
    form = page.get_by_role("main")
    today = datetime.date.today()
    await form.get_by_label("Year").fill(str(today.year))
    await form.get_by_label("Questionnaire").select_option(str(version.pk))
    await form.get_by_label("Opens on").fill(today.isoformat())
    await form.get_by_label("Deadline").fill((today + datetime.timedelta(days=45)).isoformat())
    await form.get_by_label("Days between reminders").fill("7")
    await form.get_by_role("button", name="Save").click()
    await expect(_messages(page)).to_contain_text(f"Campaign {today.year} drafted")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Policy assessment {today.year}")
    await expect(page.locator("#launch-note")).to_contain_text("Launching asks 1 city")

    await page.get_by_role("button", name="Launch").click()
    await expect(_messages(page)).to_contain_text("Launch started")
    # The launch runs as a job; its progress polls until the page shows every city's state.
    states = page.get_by_role("navigation", name="Assessments by state")
    await expect(states).to_contain_text("Not started 1", timeout=TIMEOUT_MS * 2)
    row = page.locator("table tbody tr", has_text=CITY)
    await expect(row).to_contain_text("Not started")
    found["progress page"] = await _accessibility(page)
    return page.url


async def _review_and_return(page, campaign_url, found):
    await page.goto(campaign_url)
    row = page.locator("table tbody tr", has_text=CITY)
    await expect(row).to_contain_text("Submitted")
    await row.get_by_role("link", name=CITY).click()
    await page.get_by_role("link", name="Review").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(f"Review: {CITY}")
    incidents = page.locator(".review-question", has_text=INCIDENTS)
    await expect(incidents).to_contain_text("Answered by Kenji Sato")
    await expect(incidents.locator(".review-answer")).to_contain_text("2")
    found["review page"] = await _accessibility(page)
    await incidents.get_by_label("Comment for the city").fill(
        "Count the phishing incidents reported to the CSIRT too.")
    await page.get_by_role("button", name="Return to the city with the comments").click()
    await expect(_messages(page)).to_contain_text("Returned to the city with 1 comment.")


async def _accept_and_download(page, campaign_url):
    await page.goto(campaign_url)
    row = page.locator("table tbody tr", has_text=CITY)
    await expect(row).to_contain_text("Submitted")
    await row.get_by_role("link", name=CITY).click()
    await page.get_by_role("link", name="Review").click()
    incidents = page.locator(".review-question", has_text=INCIDENTS)
    await expect(incidents.locator(".review-answer")).to_contain_text("5")
    await expect(incidents).to_contain_text("Count the phishing incidents")
    await page.get_by_role("button", name="Accept").click()
    await expect(_messages(page)).to_contain_text("Assessment accepted.")
    await expect(page.locator(".page-lead .state")).to_have_text("Accepted")

    await page.get_by_role("link", name="Results and benchmark").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{CITY}: results {datetime.date.today().year}")
    await page.get_by_role("button", name="City report").click()
    download_link = page.get_by_role("link", name="Download the PDF")
    # The report is made by a task: the page polls until its link shows.
    await expect(download_link).to_be_visible(timeout=TIMEOUT_MS * 3)
    async with page.expect_download() as download_info:
        await download_link.click()
    download = await download_info.value
    return (await download.path()).read_bytes()


# -- the city -----------------------------------------------------------------------------------

async def _answer_part(page, found):
    """The contact opens the assessment from the dashboard and answers the first question by
    keyboard; the status is announced in a live region."""
    await page.goto("/r/aurora/")
    await page.get_by_role("link", name="Continue answering").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"{CITY}: policy assessment")
    await expect(page.locator("[data-progress]")).to_contain_text(
        "0 of 3 required questions answered")
    await expect(_question(page, POLICY_LINK)).to_be_hidden()

    yes = _question(page, HAS_POLICY).get_by_label("Yes", exact=True)
    await page.keyboard.press("Tab")  # the skip link
    await page.keyboard.press("Enter")
    for _ in range(60):
        if await yes.evaluate("el => el === document.activeElement"):
            break
        await page.keyboard.press("Tab")
    await expect(yes).to_be_focused()
    await page.keyboard.press("Space")
    await expect(yes).to_be_checked()
    status = _status(page, HAS_POLICY)
    await expect(status).to_have_attribute("aria-live", "polite")
    await expect(status).to_have_text(SAVED)
    await expect(page.locator("[data-progress]")).to_contain_text(
        "1 of 4 required questions answered")
    # The rule shows the evidence question once the answer is "yes".
    await expect(_question(page, POLICY_LINK)).to_be_visible()

    await _question(page, NOTE).get_by_label("Your answer").fill(
        "The policy was adopted by the city council in 2024.")
    await expect(_status(page, NOTE)).to_have_text(SAVED)
    found["answering page"] = await _accessibility(page)
    return page.url.split("#")[0]


async def _assign_security(page):
    await page.get_by_role("link", name="Assign a section to a colleague").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Assign a section to a colleague")
    form = page.get_by_role("main")
    await form.get_by_label("Section").select_option(label="Security")
    await form.get_by_label("Colleague's email").fill(COLLEAGUE)
    await form.get_by_label("Colleague's name").fill("Kenji Sato")
    await form.get_by_label("Department").fill("Information Security Office")
    await form.get_by_role("button", name="Assign and invite").click()
    await expect(_messages(page)).to_contain_text(
        f"Section assigned: {COLLEAGUE} is invited to answer it.")
    await expect(page.locator("#assignments")).to_contain_text("Security → Kenji Sato")


async def _invitation_link(page) -> tuple[str, str]:
    """The two addresses of the email the colleague received: the invitation, the page."""
    for _ in range(50):
        sent = [m for m in mail.outbox if COLLEAGUE in m.to]
        if sent:
            break
        await page.wait_for_timeout(100)
    assert sent, "no invitation email to the colleague"
    links = re.findall(r"https?://\S+", sent[0].body)
    paths = [re.sub(r"^https?://[^/]+", "", link) for link in links]
    invitation = next(p for p in paths if "/invitations/accept/" in p)
    answering = next(p for p in paths if "/assessments/" in p)
    return invitation, answering


async def _colleague_answers(other, invitation, found):
    await other.goto(invitation)
    await expect(other.get_by_role("heading", level=1)).to_have_text("Accept your invitation")
    await other.get_by_label("Full name").fill("Kenji Sato")
    await other.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    await other.get_by_label("Password (again)").fill(PASSWORD)
    await other.get_by_role("button", name="Create my account").click()
    await expect(_messages(other)).to_contain_text("Welcome to the Alliance Portal.")

    await other.get_by_role("link", name="Security", exact=True).click()
    await expect(other.get_by_role("heading", level=1)).to_contain_text(CITY)
    await expect(other.locator(".page-lead")).to_contain_text(
        "You answer the sections assigned to you.")
    # Their section only: nothing of Governance.
    await expect(other.locator("[data-section]")).to_have_count(1)
    await expect(_question(other, HAS_POLICY)).to_have_count(0)
    await expect(other.get_by_role("button", name="Submit the assessment")).to_have_count(0)

    await _question(other, MATURITY).get_by_label("3 · In place").check()
    await expect(_status(other, MATURITY)).to_have_text(SAVED)
    await _question(other, INCIDENTS).get_by_label("Number").fill("2")
    await expect(_status(other, INCIDENTS)).to_have_text(SAVED)
    found["answering page (colleague)"] = await _accessibility(other)


async def _submit_with_one_missing(page, url, found):
    await page.goto(url)
    # A section at a time: the page opens on the first with an answer to give.
    await expect(_question(page, POLICY_LINK)).to_be_visible()
    await expect(_question(page, INCIDENTS)).to_have_count(0)
    sections = page.get_by_role("navigation", name="Sections", exact=True)
    await sections.get_by_role("link", name="Security").click()
    await expect(_question(page, INCIDENTS).get_by_label("Number")).to_have_value("2")
    await expect(sections.get_by_role("link", name="Security")).to_have_attribute(
        "aria-current", "page")
    await page.get_by_role("button", name="Submit the assessment").click()
    missing = page.locator("#missing")
    await expect(missing).to_contain_text(
        "The assessment is not submitted: 1 required question is not answered.")
    await expect(missing.get_by_role("link")).to_have_text([POLICY_LINK])
    found["missing answers"] = await _accessibility(page)
    await missing.get_by_role("link", name=POLICY_LINK).click()
    link = _question(page, POLICY_LINK).get_by_label("Link to the evidence")
    await link.fill("https://www.city.maebashi.example.jp/data-policy")
    await expect(_status(page, POLICY_LINK)).to_have_text(SAVED)
    await page.get_by_role("button", name="Submit the assessment").click()
    await expect(_messages(page)).to_contain_text(
        "Assessment submitted. The secretariat has been told.")
    await expect(page.locator(".page-lead .state")).to_have_text("Submitted")


async def _fix_and_resubmit(page, url, found):
    await page.goto(url)
    await expect(page.get_by_role("main")).to_contain_text(
        "The secretariat returned this assessment with comments on some questions.")
    # The page opens on the section with the comment to address.
    incidents = _question(page, INCIDENTS)
    comment = incidents.locator(".review-comment")
    await expect(comment).to_contain_text("To fix (round 1)")
    await expect(comment).to_contain_text(
        "Count the phishing incidents reported to the CSIRT too.")
    found["answering page (returned)"] = await _accessibility(page)
    found["returned, sideways at 390 px"] = await _phone_check(page, url)
    await incidents.get_by_label("Number").fill("5")
    await expect(_status(page, INCIDENTS)).to_have_text(SAVED)
    await page.get_by_role("button", name="Submit again").click()
    await expect(_messages(page)).to_contain_text(
        "Assessment submitted. The secretariat has been told.")


async def _phone_check(page, url) -> int:
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(url)
    await expect(page.locator("[data-section]")).to_be_visible()
    overflow = await _sideways(page)
    await page.set_viewport_size({"width": 1280, "height": 900})
    return overflow


def test_a_campaign_goes_from_launch_to_the_city_report(browse, cast, live_server):
    secretariat, contact = cast.home.regional_secretariat, cast.home.city_contact
    secret = totp_secret(secretariat)
    version = _questionnaire()
    city = CityFactory(region=cast.home.region, name=CITY, country="JP", stage=Stage.MEMBER)
    ContactFactory(city=city, user=contact, email=contact.email, name=contact.full_name,
                   is_key=True)

    async def scenario(page):
        csp, found = [], {}
        watch_csp(page, csp)
        await sign_in(page, secretariat, secret=secret)
        campaign_url = await _draft_and_launch(page, version, found)

        async with browser_of(page, live_server.url, csp) as city_page:
            await sign_in(city_page, contact)
            url = await _answer_part(city_page, found)
            phone_overflow = await _phone_check(city_page, url)
            await _assign_security(city_page)
            invitation, answering = await _invitation_link(city_page)
            assert answering == url.removeprefix(live_server.url)

            async with browser_of(page, live_server.url, csp) as colleague:
                await _colleague_answers(colleague, invitation, found)

            await _submit_with_one_missing(city_page, url, found)
            await _review_and_return(page, campaign_url, found)
            await _fix_and_resubmit(city_page, url, found)

        pdf = await _accept_and_download(page, campaign_url)
        return found, csp, phone_overflow, pdf

    found, csp, overflow, pdf = browse(scenario)
    assert found == {"progress page": [], "answering page": [],
                     "answering page (colleague)": [], "missing answers": [],
                     "review page": [], "answering page (returned)": [],
                     "returned, sideways at 390 px": 0}, found
    assert csp == []
    assert overflow == 0, f"the answering page scrolls {overflow}px sideways at 390 px"
    assert pdf.startswith(b"%PDF-")
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert CITY in text
    assert INCIDENTS in text
