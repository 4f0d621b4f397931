"""The outreach journey of a regional secretariat, end to end in a browser: a long list of 20
cities is imported, scored and short-listed; an inquiry is sent within its character limit
and answered; a letter of intent is approved by the Global Secretariat (in a second browser),
sent and comes back signed, all on the letter's one page; the city becomes a member and counts
on the region's dashboard. axe-core checks the import preview, the city page, the letter and
the letter of intent."""

import csv

import pytest
from playwright.async_api import expect

from outreach.models import LetterKind
from tests.factories import LetterTemplateFactory

from .conftest import TIMEOUT_MS
from .pages import axe_violations, sign_in, totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITIES = "/r/aurora/cities/"
LIMIT = 400

# name, local name, country, population, website, tier, tags
LONG_LIST = [
    ("Sapporo", "札幌市", "JP", "1,973,000", "https://www.city.sapporo.jp", "pioneer",
     "snow; data"),
    ("Sendai", "仙台市", "JP", "1,096,000", "https://www.city.sendai.jp", "active", "resilience"),
    ("Niigata", "新潟市", "Japan", "780,000", "https://www.city.niigata.lg.jp", "", "port city"),
    ("Toyama", "富山市", "JP", "413,000", "https://www.city.toyama.toyama.jp", "active",
     "compact city; mobility"),
    ("Kanazawa", "金沢市", "JP", "463,000", "https://www4.city.kanazawa.lg.jp", "pioneer",
     "heritage"),
    ("Shizuoka", "静岡市", "JP", "690,000", "https://www.city.shizuoka.lg.jp", "", ""),
    ("Hamamatsu", "浜松市", "JP", "790,000", "https://www.city.hamamatsu.shizuoka.jp",
     "pioneer", "digital; mobility"),
    ("Nagoya", "名古屋市", "JP", "2,332,000", "https://www.city.nagoya.jp", "active", ""),
    ("Kyoto", "京都市", "JP", "1,464,000", "https://www.city.kyoto.lg.jp", "observer",
     "heritage"),
    ("Osaka", "大阪市", "JP", "2,752,000", "https://www.city.osaka.lg.jp", "active",
     "expo; port city"),
    ("Kobe", "神戸市", "JP", "1,525,000", "https://www.city.kobe.lg.jp", "pioneer",
     "port city; mobility"),
    ("Okayama", "岡山市", "JP", "724,000", "https://www.city.okayama.jp", "", ""),
    ("Hiroshima", "広島市", "JP", "1,199,000", "https://www.city.hiroshima.lg.jp", "active",
     "peace"),
    ("Takamatsu", "高松市", "JP", "417,000", "https://www.city.takamatsu.kagawa.jp", "pioneer",
     "data"),
    ("Matsuyama", "松山市", "JP", "505,000", "https://www.city.matsuyama.ehime.jp", "", ""),
    ("Kitakyushu", "北九州市", "JP", "927,000", "https://www.city.kitakyushu.lg.jp", "active",
     "green growth"),
    ("Fukuoka", "福岡市", "JP", "1,612,000", "https://www.city.fukuoka.lg.jp", "pioneer",
     "startups; data"),
    ("Kumamoto", "熊本市", "JP", "738,000", "https://www.city.kumamoto.jp", "", "resilience"),
    ("Kagoshima", "鹿児島市", "JP", "593,000", "https://www.city.kagoshima.lg.jp", "observer",
     ""),
    ("Naha", "那覇市", "JP", "317,000", "https://www.city.naha.okinawa.jp", "active",
     "island; tourism"),
]
CRITERIA = ("Support from senior leadership", "Highly enthusiastic personnel",
            "Existence of projects")
# City -> its three scores and the priority the page shows (weights are all 1).
SCORES = {"Kanazawa": ((3, 3, 2), "88.9%"), "Fukuoka": ((3, 2, 1), "66.7%"),
          "Kobe": ((2, 2, 1), "55.6%")}
INTENT = {
    "Purpose of participation": "Join the Alliance's regional network on smart city "
                                "governance.",
    "Opportunities for the city": "Peer learning, policy roadmaps, expert advice.",
    "Commitment required": "Name a focal point; adopt one policy within a year.",
    "Validity period": "Two years from signature",
    "Financials": "No fees; each party bears its own costs.",
    "Data protection and confidentiality": "Shared data is handled under the Forum's "
                                           "privacy policy.",
    "Intellectual property": "Each party keeps its own; joint outputs are openly licensed.",
    "Contact details": "Aurora regional secretariat, aurora@example.org",
}


def _long_list_csv(path):
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["Name", "Local name", "Country", "Population", "Website", "Tier",
                         "Tags", "Notes"])
        for row in LONG_LIST:
            writer.writerow([*row, "From the 2024 Smart City Expo list."])
    return path


def _minimal_pdf() -> bytes:
    """A one-page, valid PDF (with a correct cross-reference table), as a scanner makes."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _messages(page):
    return page.locator(".messages")


async def _accessibility(page) -> list[str]:
    """axe's serious problems of the page at rest. With motion reduced the theme drops its
    fades, so a toast still fading in is measured as a reader sees it, not half transparent."""
    await page.emulate_media(reduced_motion="reduce")
    return await axe_violations(page)


def _notice(page):
    """What an action done in place on a letter's page says (a toast, read out)."""
    return page.locator("#live-region")


def _stage(page):
    """The stage on a city page (the first pill under its name)."""
    return page.locator(".record-summary .state")


def _priority(page):
    return page.locator(".record-summary .pill", has_text="Priority")


def _preparation(page):
    return page.get_by_role("region", name="Preparation: cities intending to participate")


def _fact(page, name):
    return page.locator(f"dl.facts dt:text-is('{name}') + dd")


async def _open_city(page, name):
    await page.goto(CITIES)
    await page.get_by_role("link", name=name, exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(name)


async def _score(page, name):
    values, priority = SCORES[name]
    await _open_city(page, name)
    await expect(_priority(page)).to_have_text("Priority not scored")
    scores = page.get_by_role("region", name="Selection criteria")
    for criterion, value in zip(CRITERIA, values):
        await scores.get_by_label(criterion, exact=True).select_option(str(value))
    await scores.get_by_label(f"Note on {CRITERIA[0]}").fill("Mayor spoke at the forum")
    await scores.get_by_role("button", name="Save scores").click()
    await expect(_messages(page)).to_contain_text("Scores saved.")
    await expect(_priority(page)).to_have_text(f"Priority {priority}")


async def _move_on_city_page(page, stage_label):
    form = page.get_by_role("region", name="Move to another stage")
    await form.get_by_label("Move to").select_option(label=stage_label)
    await form.get_by_role("button", name="Move", exact=True).click()
    await expect(_messages(page)).to_contain_text("Stage changed.")
    await expect(_stage(page)).to_have_text(stage_label)


async def _import_long_list(page, csv_path, found):
    await page.get_by_role("navigation", name="Main", exact=True).get_by_role(
        "link", name="Cities", exact=True).click()
    await expect(page).to_have_url(CITIES)
    await page.get_by_role("link", name="Import long list").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Import cities")
    await page.get_by_label("CSV or XLSX file").set_input_files(csv_path)
    await page.get_by_role("button", name="Check the file").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    await expect(page.locator(".import-counts")).to_have_text(
        "20 rows read: 20 ready, 0 already on the list, 0 with problems.", use_inner_text=True)
    preview = page.get_by_role("table", name="Every row of the file, as typed")
    await expect(preview.locator("tbody tr")).to_have_count(20)
    await expect(preview.locator("tbody tr", has_text="Problem")).to_have_count(0)
    await expect(preview.locator("tr#row-12")).to_contain_text("神戸市")
    await expect(page.get_by_role("heading", name="Nothing can be imported yet")).to_have_count(0)
    found["import preview"] = await _accessibility(page)

    await page.get_by_role("button", name="Import 20 cities").click()
    await expect(page).to_have_url(CITIES)
    await expect(_messages(page)).to_contain_text("Imported 20 cities onto the long list.")
    await expect(page.locator(".result-count")).to_have_text("20 cities")
    await expect(page.locator("table.city-table tbody tr")).to_have_count(20)
    await expect(page.locator("table.city-table .state-long_list")).to_have_count(20)


async def _short_list(page):
    # One city through its page, two through the table's bulk action.
    await _open_city(page, "Kanazawa")
    await _move_on_city_page(page, "Short list")

    await page.goto(CITIES)
    for name in ("Fukuoka", "Kobe"):
        await page.get_by_label(f"Select {name}", exact=True).check()
    bulk = page.get_by_role("group", name="Change the ticked cities")
    await bulk.get_by_label("Action").select_option(label="Move to a stage")
    await bulk.get_by_label("Move to").select_option(label="Short list")
    await bulk.get_by_role("button", name="Apply to ticked cities").click()
    await expect(_messages(page)).to_contain_text("2 cities changed: Fukuoka, Kobe.")

    # The short list, ordered by priority (the filter bar folds away until opened).
    await page.get_by_text("Filters", exact=True).click()
    filters = page.get_by_role("form", name="Filter cities")
    await filters.get_by_label("Stage", exact=True).select_option(label="Short list")
    await filters.get_by_role("button", name="Filter", exact=True).click()
    rows = page.locator("table.city-table tbody tr")
    await expect(page.locator(".result-count")).to_have_text("3 cities")
    await expect(rows.locator("th")).to_have_text(["Kanazawa", "Fukuoka", "Kobe"])
    await expect(rows.locator("td.number").nth(1)).to_have_text("88.9")


async def _add_key_contact(page):
    await _open_city(page, "Kanazawa")
    await page.get_by_role("link", name="Add a contact").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("New contact at Kanazawa")
    form = page.get_by_role("main")  # the header has a language switcher too
    await form.get_by_label("Name:", exact=True).fill("Aiko Tanaka")
    await form.get_by_label("Position").select_option(label="Section chief")
    await form.get_by_label("Department").fill("Smart City Promotion Office")
    await form.get_by_label("Title").fill("Section chief, digital policy")
    await form.get_by_label("Email").fill("a.tanaka@city.kanazawa.example.jp")
    await form.get_by_label("Language").select_option("en")
    await form.get_by_label("Preferred channel").select_option(label="Inquiry form")
    await form.get_by_label("Key contact").check()
    await page.get_by_role("button", name="Save contact").click()
    await expect(_messages(page)).to_contain_text("Contact saved.")
    contacts = page.get_by_role("region", name="Contacts")
    await expect(contacts.locator(".contact-item", has_text="Aiko Tanaka")).to_contain_text(
        "Key contact")


async def _write_letter(page, *, template="", kind=""):
    """From the city page: Write a letter (to the key contact, chosen for us)."""
    await page.get_by_role("link", name="Write a letter", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Write a letter to Kanazawa")
    await expect(page.get_by_label("Recipient").locator("option:checked")).to_have_text(
        "Aiko Tanaka")
    if template:
        await page.get_by_label("Template").select_option(label=template)
    if kind:
        await page.get_by_label("Kind").select_option(label=kind)
    await page.get_by_role("button", name="Write the draft").click()
    await expect(_messages(page)).to_contain_text("Draft written")


async def _send_inquiry(page, found):
    await _write_letter(page, template="Inquiry form (400 characters)")
    await expect(_fact(page, "State")).to_have_text("Draft")
    body, count = page.locator("#id_body"), page.locator("#body-count")
    await expect(body).to_contain_text("Dear Aiko Tanaka")
    await expect(count).to_have_text(f"{len(await body.input_value())} of {LIMIT} characters")

    # Too long for the city's inquiry form: the counter says so as it is typed...
    await body.fill("Kanazawa " * 49 + "Kanazawa!")
    await expect(count).to_have_text(f"450 of {LIMIT} characters: 50 over the limit")
    await expect(body).to_have_attribute("aria-invalid", "true")
    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(_notice(page)).to_contain_text("Letter saved.")
    # ... and sending it is held back with the reason.
    await expect(page.get_by_role("button", name="Mark as sent")).to_be_disabled()
    await expect(page.locator("#send-reason")).to_have_text(
        f"The letter is 50 characters over its limit of {LIMIT}; shorten it before sending.")
    await expect(_fact(page, "State")).to_have_text("Draft")

    short = ("Dear Aiko Tanaka,\nthe Aurora secretariat of the Alliance would like to invite "
             "Kanazawa to its smart city governance network. May we present it to you?")
    # The page was swapped in place: the counter of the new editor follows the typing too.
    await page.locator("#id_body").fill(short)
    await expect(count).to_have_text(f"{len(short)} of {LIMIT} characters")
    await expect(body).to_have_attribute("aria-invalid", "false")
    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(page.get_by_text("Ready to send.")).to_be_visible()
    found["letter"] = await _accessibility(page)
    await page.get_by_role("button", name="Mark as sent").click()
    await expect(_notice(page)).to_contain_text(
        "Letter marked as sent. Kanazawa moved to “Contacted”.")
    await expect(_fact(page, "State")).to_have_text("Sent")

    await _fact(page, "City").get_by_role("link", name="Kanazawa").click()
    await expect(_stage(page)).to_have_text("Contacted")
    await page.go_back()


async def _record_answer(page):
    answer = page.get_by_role("region", name="Answer")
    await answer.get_by_label("The city answered").check()
    await answer.get_by_label("Note").fill("The mayor's office wants to talk in May.")
    await answer.get_by_role("button", name="Record").click()
    await expect(_notice(page)).to_contain_text(
        "Answer recorded. Kanazawa moved to “In dialogue”.")
    await expect(_fact(page, "State")).to_have_text("Answered")
    await _fact(page, "City").get_by_role("link", name="Kanazawa").click()
    await expect(_stage(page)).to_have_text("In dialogue")


async def _draft_letter_of_intent(page, found):
    """One page: the text and terms (prefilled, then written for Kanazawa), the approval."""
    await _write_letter(page, kind="Letter of intent")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Letter of intent: Kanazawa")
    letter_url = page.url
    terms = page.locator("#step-terms")
    await terms.get_by_label("Covering text").fill(
        "Dear Aiko Tanaka,\nplease find the letter of intent attached for the mayor's "
        "signature.")
    for label, text in INTENT.items():
        await terms.get_by_label(label, exact=False).fill(text)
    await terms.get_by_role("button", name="Save the terms").click()
    await expect(_notice(page)).to_contain_text("Letter of intent saved.")
    found["letter of intent"] = await _accessibility(page)

    await page.get_by_role("button", name="Request approval").click()
    await expect(_notice(page)).to_contain_text(
        "Approval requested from the Global Secretariat.")
    await expect(page.get_by_role("button", name="Mark as sent")).to_be_disabled()
    await expect(page.locator("#send-reason")).to_contain_text(
        "The Forum issues this letter of intent: the Global Secretariat must approve it")
    await expect(_fact(page, "State")).to_have_text("Draft")
    return letter_url


async def _global_secretariat_approves(browser, base_url, user, secret):
    context = await browser.new_context(base_url=base_url, locale="en-GB",
                                        viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = await context.new_page()
        await sign_in(page, user, secret=secret)
        await page.goto("/global/approvals/")
        await page.get_by_role("link", name="Letter of intent to Kanazawa").click()
        await expect(_fact(page, "State")).to_have_text("Pending")
        await page.get_by_label("Approve", exact=True).check()
        await page.get_by_label("Comment").fill("Terms as agreed with legal.")
        await page.get_by_role("button", name="Record decision").click()
        await expect(_messages(page)).to_contain_text("Decision recorded")
        await expect(_fact(page, "State")).to_have_text("Approved")
    finally:
        await context.close()


async def _send_and_sign(page, letter_url, signed_pdf):
    await page.goto(letter_url)
    await expect(page.locator("#step-approval")).to_contain_text(
        "Legal approval by the Global Secretariat: Approved")
    pdf_response = page.expect_response(lambda response: "/intent/pdf/" in response.url)
    async with page.expect_download() as download_info, pdf_response as response_info:
        await page.get_by_role("link", name="Download the PDF").click()
    response = await response_info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    download = await download_info.value
    assert (await download.path()).read_bytes().startswith(b"%PDF-")

    await expect(page.get_by_text("Ready to send.")).to_be_visible()
    await page.get_by_role("button", name="Mark as sent").click()
    await expect(_notice(page)).to_contain_text("Letter marked as sent.")
    await expect(_fact(page, "State")).to_have_text("Sent")

    signed = page.get_by_role("region", name="Signed copy")
    await signed.get_by_label("Signed copy").set_input_files(signed_pdf)
    await signed.get_by_role("button", name="Upload the signed copy").click()
    await expect(_notice(page)).to_contain_text(
        "Signed copy saved: Kanazawa intends to participate. Kanazawa moved to “Committed”.")
    await expect(page.get_by_role("link", name="Download the signed copy")).to_be_visible()


def test_a_regional_secretariat_takes_a_city_from_the_long_list_to_member(
        browse, cast, live_server, tmp_path):
    user, approver = cast.home.regional_secretariat, cast.global_secretariat
    secret, approver_secret = totp_secret(user), totp_secret(approver)
    LetterTemplateFactory(region=cast.home.region, kind=LetterKind.INQUIRY, language="en",
                          name="Inquiry form (400 characters)", char_limit=LIMIT,
                          subject="The Alliance and {{ city }}",
                          body="Dear {{ contact }},\n{{ region }}'s secretariat of the Alliance "
                               "invites {{ city }} to its network on smart city governance.\n"
                               "{{ sender }}")
    csv_path = _long_list_csv(tmp_path / "long list.csv")
    signed_pdf = tmp_path / "signed letter of intent.pdf"
    signed_pdf.write_bytes(_minimal_pdf())

    async def scenario(page):
        found = {}
        await sign_in(page, user, secret=secret)
        await expect(page).to_have_url("/r/aurora/")
        await expect(_preparation(page).locator(".stat-line")).to_have_text(
            "0 of 10 cities intend to participate")

        await _import_long_list(page, csv_path, found)
        for name in SCORES:
            await _score(page, name)
        await _short_list(page)
        await _add_key_contact(page)
        found["city"] = await _accessibility(page)
        await _send_inquiry(page, found)
        await _record_answer(page)

        await _open_city(page, "Kanazawa")
        letter_url = await _draft_letter_of_intent(page, found)
        await _global_secretariat_approves(page.context.browser, live_server.url, approver,
                                           approver_secret)
        await _send_and_sign(page, letter_url, signed_pdf)

        await _open_city(page, "Kanazawa")
        await expect(_stage(page)).to_have_text("Committed")
        await _move_on_city_page(page, "Member")
        await expect(page.get_by_role("region", name="Letters")).to_contain_text(
            "Letter of intent · Answered")

        await page.goto("/r/aurora/")
        await expect(_preparation(page).locator(".stat-line")).to_have_text(
            "1 of 10 cities intend to participate")
        await expect(page.get_by_label("Cities intending to participate, against the "
                                       "target")).to_have_attribute("value", "1")
        funnel = _preparation(page).locator("details table")
        # The funnel's table sits in a closed <details>: read it as the page has it.
        await expect(funnel.locator("tr:has(th:text-is('Member')) td")).to_have_text("1")
        return found

    found = browse(scenario)
    assert found == {"import preview": [], "city": [], "letter": [],
                     "letter of intent": []}, found
