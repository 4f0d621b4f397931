"""An expert from candidate to confirmed in a browser, each person in their own browser: the
regional secretariat adds a private-sector candidate with the New expert page, records the
interview with a red flag (refused until the flag has its note) and asks a Forum reviewer to
vet them; the reviewer opens the request from their approvals and approves it; the
secretariat invites the expert, who follows the emailed link, creates their account, lands on
the Terms of Reference, ticks and types their name and accepts; a city contact of the region
then finds the expert in the directory. axe-core checks the expert form and page, the
interview form, the approval page, the Terms and the directory; the Terms and the directory
hold at 390 px; no page breaks the Content Security Policy."""

import re

import pytest
from django.core import mail
from django_scopes import scope
from playwright.async_api import expect

from experts.models import Expert, Sector, Stage
from tests.experts.factories import TermsVersionFactory

from .pages import axe_violations, browser_of, sign_in, totp_secret, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Haruka Mori"
ORGANIZATION = "Kanto Mobility Data Ltd."
EMAIL = "h.mori@kanto-mobility.example.jp"
PASSWORD = "Tsukuba-peak-2026!"
FLAG = "Signals of low commitment"
FLAG_NOTE = "Could give two hours a month at most."
TERMS_TITLE = "Working Group Terms of Reference"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}


def _label(text: str):
    """A form field's label, with or without the colon a Django label ends with."""
    return re.compile(rf"^{re.escape(text)}:?$")


def _messages(page):
    return page.locator(".messages")


def _section(page, heading_id: str):
    return page.locator(f"section[aria-labelledby={heading_id}]")


async def _accessibility(page) -> list[str]:
    await page.emulate_media(reduced_motion="reduce")
    return await axe_violations(page)


async def _sideways_at_phone_width(page) -> int:
    """How far the current page scrolls sideways at 390 px."""
    await page.set_viewport_size(PHONE)
    await page.reload()
    await page.wait_for_load_state("load")
    overflow = await page.evaluate("document.documentElement.scrollWidth"
                                   " - document.documentElement.clientWidth")
    await page.set_viewport_size(LAPTOP)
    return overflow


# -- the secretariat ----------------------------------------------------------------------------

async def _new_expert(page, found):
    await page.goto("/r/aurora/experts/")
    await page.get_by_role("link", name="New expert").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("New expert")
    found["expert form"] = await _accessibility(page)
    form = page.get_by_role("main").locator("form.form-stack")
    await form.get_by_role("textbox", name=_label("Name")).fill(NAME)
    await form.get_by_role("textbox", name=_label("Organization")).fill(ORGANIZATION)
    await form.get_by_role("combobox", name=_label("Sector")).select_option(label="Private sector")
    await form.get_by_role("textbox", name=_label("Email")).fill(EMAIL)
    await form.get_by_role("button", name="Save").click()
    await expect(_messages(page)).to_contain_text(f"{NAME} added as a candidate.")


async def _interview_with_a_red_flag(page, found):
    await page.goto("/r/aurora/experts/")
    await page.get_by_role("link", name=NAME).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    await expect(page.locator(".record-summary")).to_contain_text("Candidate")
    await expect(page.locator(".record-summary")).to_contain_text("Private sector")
    await expect(_section(page, "invite-heading")).to_contain_text(
        "Only a vetted expert can be invited.")
    found["expert page"] = await _accessibility(page)
    expert_url = page.url

    await page.get_by_role("link", name="Record an interview").first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Interview of {NAME}")
    await expect(page.locator(".page-lead")).to_contain_text(
        "Recording the interview moves the candidate to interviewed.")
    found["interview form"] = await _accessibility(page)
    form = page.get_by_role("main").locator("form.form-stack")
    await form.get_by_label("Strengths").fill("Ran the open mobility data pilot in Utsunomiya.")
    await form.get_by_role("checkbox", name=FLAG).check()
    await form.get_by_label("Suitable", exact=True).check()
    await form.get_by_label("Why").fill("Knows the mobility data rules of three prefectures.")
    await form.get_by_role("button", name="Save").click()
    # A raised flag needs its note: the form comes back with the reason, nothing recorded.
    await expect(page.get_by_text(f"Say what you saw for “{FLAG}”.")).to_be_visible()
    await expect(form.get_by_role("checkbox", name=FLAG)).to_be_checked()
    found["interview form (refused)"] = await _accessibility(page)
    await form.get_by_label(f"Note on “{FLAG}”").fill(FLAG_NOTE)
    await form.get_by_role("button", name="Save").click()
    await expect(_messages(page)).to_contain_text("Interview recorded.")
    await expect(page.get_by_role("main")).to_contain_text(FLAG_NOTE)

    await page.goto(expert_url)
    await expect(page.locator(".record-summary")).to_contain_text("Interviewed")
    await page.get_by_role("button", name="Ask a Forum reviewer to vet").click()
    await expect(_messages(page)).to_contain_text(f"A Forum reviewer is asked to vet {NAME}.")
    await expect(_section(page, "vetting-heading")).to_contain_text("Pending")
    # Not vetted yet: the stage control does not offer "Vetted", and there is no invitation.
    await expect(page.locator("#move-to option", has_text="Vetted")).to_have_count(0)
    await expect(page.get_by_role("button", name="Invite")).to_have_count(0)
    return expert_url


async def _invite(page, expert_url, found):
    await page.goto(expert_url)
    await expect(page.locator(".record-summary")).to_contain_text("Vetted")
    await expect(_section(page, "vetting-heading")).to_contain_text("Approved")
    invite = page.get_by_role("button", name="Invite")
    await expect(invite).to_be_enabled()
    found["expert page (vetted)"] = await _accessibility(page)
    await invite.click()
    await expect(_messages(page)).to_contain_text(f"Invitation sent to {EMAIL}.")
    await expect(page.locator(".record-summary")).to_contain_text("Invited")
    await expect(_section(page, "invite-heading")).to_contain_text(
        "Invited: the expert is confirmed once they accept the Terms of Reference.")


async def _confirmed_on_the_expert_page(page, expert_url):
    await page.goto(expert_url)
    await expect(page.locator(".record-summary")).to_contain_text("Confirmed")
    await expect(_section(page, "terms-heading")).to_contain_text(TERMS_TITLE)


# -- the Forum reviewer -------------------------------------------------------------------------

async def _reviewer_approves(other, found):
    await other.get_by_role("navigation", name="Main", exact=True).get_by_role(
        "link", name="Approvals").click()
    await expect(other).to_have_url(re.compile(r"/r/aurora/approvals/$"))
    await other.get_by_role("link", name=f"Vet {NAME} ({ORGANIZATION})").click()
    main = other.get_by_role("main")
    await expect(main).to_contain_text(NAME)
    await expect(main).to_contain_text("Private sector")
    # The reviewer reads the interview's red flag and its note before deciding.
    await expect(main).to_contain_text(FLAG)
    await expect(main).to_contain_text(FLAG_NOTE)
    found["approval page"] = await _accessibility(other)
    await other.get_by_label("Approve", exact=True).check()
    await other.get_by_label("Comment").fill("Commitment discussed: two hours a month is enough.")
    await other.get_by_role("button", name="Record decision").click()
    await expect(_messages(other)).to_contain_text("Decision recorded")


# -- the expert ---------------------------------------------------------------------------------

async def _invitation_link(page) -> str:
    for _ in range(50):
        sent = [m for m in mail.outbox if EMAIL in m.to]
        if sent:
            break
        await page.wait_for_timeout(100)
    assert sent, "no invitation email to the expert"
    links = re.findall(r"https?://\S+", sent[0].body)
    paths = [re.sub(r"^https?://[^/]+", "", link) for link in links]
    return next(p for p in paths if "/invitations/accept/" in p)


async def _expert_accepts(other, invitation, found):
    await other.goto(invitation)
    await expect(other.get_by_role("heading", level=1)).to_have_text("Accept your invitation")
    await other.get_by_label("Full name").fill(NAME)
    await other.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    await other.get_by_label("Password (again)").fill(PASSWORD)
    await other.get_by_role("button", name="Create my account").click()
    await expect(_messages(other)).to_contain_text("Welcome to the Alliance Portal.")

    # The invitation lands on the Terms of Reference to accept.
    await expect(other).to_have_url(re.compile(r"/r/aurora/experts/terms/accept/$"))
    await expect(other.get_by_role("heading", level=1)).to_have_text("Your Terms of Reference")
    await expect(other.locator(".terms-text")).to_contain_text("Terms of membership")
    found["Terms page"] = await _accessibility(other)
    found["Terms page, sideways at 390 px"] = await _sideways_at_phone_width(other)

    await other.get_by_label(re.compile(r"^I have read and accept these Terms")).check()
    await other.get_by_label("Your full name").fill(NAME)
    await other.get_by_role("button", name="Accept", exact=True).click()
    await expect(_messages(other)).to_contain_text(
        "Thank you: you accepted the Terms of Reference")
    await expect(other.get_by_role("status").filter(has_text="You accepted version")) \
        .to_be_visible()
    await expect(other.get_by_role("link", name="Download as PDF")).to_be_visible()
    found["Terms page (accepted)"] = await _accessibility(other)


# -- a city contact -----------------------------------------------------------------------------

async def _contact_reads_the_directory(other, found):
    await other.goto("/r/aurora/experts/directory/")
    await expect(other.get_by_role("heading", level=1)).to_have_text("Expert directory")
    card = other.locator(".card-grid .card", has_text=NAME)
    await expect(card).to_contain_text("Private sector")
    found["directory"] = await _accessibility(other)
    found["directory, sideways at 390 px"] = await _sideways_at_phone_width(other)
    await card.get_by_role("link", name=NAME).click()
    await expect(other.get_by_role("heading", level=1)).to_have_text(NAME)
    found["directory entry"] = await _accessibility(other)


def test_a_private_sector_expert_goes_from_candidate_to_confirmed(browse, cast, live_server):
    secretariat, reviewer = cast.home.regional_secretariat, cast.home.forum_reviewer
    contact = cast.home.city_contact
    secret, reviewer_secret = totp_secret(secretariat), totp_secret(reviewer)
    terms = TermsVersionFactory(title=TERMS_TITLE, version="3.1")

    async def scenario(page):
        csp, found = [], {}
        watch_csp(page, csp)
        await sign_in(page, secretariat, secret=secret)
        await _new_expert(page, found)
        expert_url = await _interview_with_a_red_flag(page, found)

        async with browser_of(page, live_server.url, csp) as reviewer_page:
            await sign_in(reviewer_page, reviewer, secret=reviewer_secret)
            await _reviewer_approves(reviewer_page, found)

        await _invite(page, expert_url, found)
        invitation = await _invitation_link(page)
        async with browser_of(page, live_server.url, csp) as expert_page:
            await _expert_accepts(expert_page, invitation, found)

        await _confirmed_on_the_expert_page(page, expert_url)
        async with browser_of(page, live_server.url, csp) as contact_page:
            await sign_in(contact_page, contact)
            await _contact_reads_the_directory(contact_page, found)
        return found, csp

    found, csp = browse(scenario)
    assert found == {"expert form": [], "expert page": [], "interview form": [],
                     "interview form (refused)": [],
                     "approval page": [], "expert page (vetted)": [], "Terms page": [],
                     "Terms page, sideways at 390 px": 0, "Terms page (accepted)": [],
                     "directory": [], "directory, sideways at 390 px": 0,
                     "directory entry": []}, found
    assert csp == []
    with scope(region=cast.home.region):
        expert = Expert.objects.select_related("user").get(name=NAME)
        accepted = [(a.terms_id, a.typed_name) for a in expert.acceptances.all()]
    assert (expert.stage, expert.sector, expert.owner) == (
        Stage.CONFIRMED, Sector.PRIVATE, secretariat)
    assert expert.user is not None and expert.user.email == EMAIL
    assert accepted == [(terms.pk, NAME)]
