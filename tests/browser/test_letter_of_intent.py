"""A letter of intent on its one page, in a browser: written from the city page for the key
contact, its terms prefilled from the playbook, saved in place; sending held back with the
reason while the approval is not asked and while it is pending; approved by the Global
Secretariat (in a second browser); the draft PDF previewed; sent and signed, each saying where
the city moved. At 390x844 the page does not scroll sideways, and nothing breaks the Content
Security Policy."""

import pytest
from playwright.async_api import expect

from cities.models import Stage
from tests.factories import CityFactory, ContactFactory
from tests.outreach.helpers import pdf_bytes

from .conftest import TIMEOUT_MS
from .pages import axe_violations, sign_in, totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSP = "Content Security Policy"


def _watch_csp(page, found: list[str]) -> None:
    page.on("console", lambda message: found.append(message.text)
            if CSP in message.text else None)


def _toast(page):
    return page.locator("#live-region")


def _step(page, key):
    return page.locator(f"#step-{key}")


async def _current_step(page, label):
    await expect(page.locator("nav[aria-label='Steps of the letter of intent'] "
                              "li[aria-current=step]")).to_contain_text(label)


async def _write_from_the_city_page(page, city, key):
    await page.goto(f"/r/aurora/cities/{city.pk}/")
    await page.get_by_role("link", name="Write a letter of intent").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Write a letter to Bogotá")
    await expect(page.get_by_label("Recipient")).to_have_value(str(key.pk))
    await page.get_by_role("button", name="Write the draft").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Letter of intent: Bogotá")


async def _save_prefilled_terms(page):
    await _current_step(page, "Terms")
    terms = _step(page, "terms")
    await expect(terms.get_by_label("Purpose of participation")).to_have_value(
        "Bogotá joins the Aurora Regional Alliance of the G20 Global Smart Cities Alliance to "
        "develop and adopt policies for the responsible and ethical use of smart city "
        "technologies, based on the Alliance's Policy Roadmap and its model policies.")
    await expect(terms.get_by_label("Validity period")).to_have_value(
        "Two years from signature, renewable by mutual agreement")
    await expect(terms.get_by_label("Covering text")).to_contain_text("Dear Ana Ruiz,")
    # Sending waits for the approval, which waits for the terms.
    send = page.get_by_role("button", name="Mark as sent")
    await expect(send).to_be_disabled()
    await expect(page.locator("#send-reason")).to_contain_text("Request their approval first.")
    await expect(_step(page, "approval").get_by_role("button", name="Request approval")
                 ).to_be_disabled()

    await terms.get_by_label("Financials").fill("No fees; each party bears its own costs.")
    await terms.get_by_role("button", name="Save the terms").click()
    await expect(_toast(page)).to_contain_text("Letter of intent saved.")
    await _current_step(page, "Approval")
    await expect(terms).to_contain_text("No fees; each party bears its own costs.")


async def _request_approval(page):
    await _step(page, "approval").get_by_role("button", name="Request approval").click()
    await expect(_toast(page)).to_contain_text("Approval requested from the Global Secretariat.")
    await expect(_step(page, "approval")).to_contain_text("Pending")
    await expect(page.get_by_role("button", name="Mark as sent")).to_be_disabled()
    await expect(page.locator("#send-reason")).to_contain_text("Their approval is pending.")


async def _approve_in_another_browser(browser, base_url, user, secret, csp):
    context = await browser.new_context(base_url=base_url, locale="en-GB",
                                        viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = await context.new_page()
        _watch_csp(page, csp)
        await sign_in(page, user, secret=secret)
        await page.goto("/global/approvals/")
        await page.get_by_role("link", name="Letter of intent to Bogotá").click()
        await page.get_by_label("Approve", exact=True).check()
        await page.get_by_label("Comment").fill("Terms as agreed with legal.")
        await page.get_by_role("button", name="Record decision").click()
        await expect(page.locator(".messages")).to_contain_text("Decision recorded")
    finally:
        await context.close()


async def _preview_the_pdf(page):
    preview = _step(page, "send").locator("details")
    await expect(preview.locator("summary")).to_have_text("Preview the PDF")
    async with page.expect_response(lambda r: "/intent/pdf/?inline=1" in r.url) as pdf:
        await preview.locator("summary").click()
    response = await pdf.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"


async def _send_and_sign(page, signed_pdf):
    await page.get_by_role("button", name="Mark as sent").click()
    await expect(_toast(page)).to_contain_text(
        "Letter marked as sent. Bogotá moved to “Contacted”.")
    await _current_step(page, "Signed copy")
    await expect(page.locator(".city-moved")).to_contain_text(
        "Bogotá moved to “Contacted” with this letter on")
    # Sent: the recipient is fixed.
    await expect(page.get_by_role("button", name="Change recipient")).to_have_count(0)

    signed = _step(page, "signed")
    await signed.get_by_label("Signed copy").set_input_files(signed_pdf)
    await signed.get_by_role("button", name="Upload the signed copy").click()
    await expect(_toast(page)).to_contain_text(
        "Signed copy saved: Bogotá intends to participate. Bogotá moved to “Committed”.")
    await expect(page.locator(".city-moved")).to_contain_text("Bogotá moved to “Committed”")
    await expect(signed.get_by_role("link", name="Download the signed copy")).to_be_visible()
    await expect(page.locator("li[aria-current=step]")).to_have_count(0)


async def _sideways_overflow(page) -> int:
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.reload()
    return await page.evaluate("document.documentElement.scrollWidth"
                               " - document.documentElement.clientWidth")


def test_a_letter_of_intent_goes_from_draft_to_signed_on_one_page(browse, cast, live_server,
                                                                  tmp_path):
    user, approver = cast.home.regional_secretariat, cast.global_secretariat
    secret, approver_secret = totp_secret(user), totp_secret(approver)
    city = CityFactory(region=cast.home.region, name="Bogotá", country="CO",
                       stage=Stage.SHORT_LIST)
    key = ContactFactory(city=city, name="Ana Ruiz", is_key=True)
    ContactFactory(city=city, name="Bea Gómez")
    signed_pdf = tmp_path / "signed letter of intent.pdf"
    signed_pdf.write_bytes(pdf_bytes())

    async def scenario(page):
        csp, found = [], {}
        _watch_csp(page, csp)
        await sign_in(page, user, secret=secret)
        await _write_from_the_city_page(page, city, key)
        letter_url = page.url
        await _save_prefilled_terms(page)
        await _request_approval(page)
        found["pending"] = await axe_violations(page)

        await _approve_in_another_browser(page.context.browser, live_server.url, approver,
                                          approver_secret, csp)
        await page.goto(letter_url)
        await _current_step(page, "Preview and send")
        await expect(_step(page, "approval")).to_contain_text("Approved")
        await expect(page.get_by_role("button", name="Mark as sent")).to_be_enabled()
        await _preview_the_pdf(page)
        await _send_and_sign(page, signed_pdf)
        found["signed"] = await axe_violations(page)
        return found, csp, await _sideways_overflow(page)

    found, csp, overflow = browse(scenario)
    assert found == {"pending": [], "signed": []}, found
    assert csp == []
    assert overflow == 0, f"the letter page scrolls {overflow}px sideways at 390 px"
