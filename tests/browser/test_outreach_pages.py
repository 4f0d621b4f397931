"""The letter editor in a browser: the character count follows the typing, goes red past the
limit, and the outreach pages have no serious accessibility violation."""

import pytest
from playwright.async_api import expect

from outreach.models import LetterKind
from tests.browser.pages import axe_violations, sign_in, totp_secret
from tests.factories import (
    CityFactory,
    ContactFactory,
    LetterFactory,
    LetterTemplateFactory,
    MaterialFactory,
    PartnerNetworkFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASE = "/r/aurora/outreach"


def test_the_character_count_follows_the_typing_and_flags_an_over_long_text(browse, cast):
    user = cast.home.regional_secretariat
    secret = totp_secret(user)
    letter = LetterFactory(city=CityFactory(region=cast.home.region), body="Hello",
                           char_limit=20)

    async def scenario(page):
        await sign_in(page, user, secret=secret)
        await page.goto(f"{BASE}/letters/{letter.pk}/")
        count = page.locator("#body-count")
        await expect(count).to_have_text("5 of 20 characters")
        await page.locator("#id_body").fill("前橋市\nへのご案内、二十文字を超える長い本文です。")
        await expect(count).to_have_text("25 of 20 characters: 5 over the limit")
        await expect(count).to_have_class("char-count over-limit")
        await expect(page.locator("#id_body")).to_have_attribute("aria-invalid", "true")
        await page.locator("#id_char_limit").fill("")
        await expect(count).to_have_text("25 characters")
        await expect(page.locator("#body-count-status")).to_have_text("25 characters")

    browse(scenario)


def test_the_outreach_pages_have_no_serious_accessibility_violation(browse, cast):
    user = cast.home.regional_secretariat
    secret = totp_secret(user)
    region = cast.home.region
    official = ContactFactory(city=CityFactory(region=region), is_national_government=True)
    letter = LetterFactory(city=official.city, contact=official, kind=LetterKind.INVITATION,
                           char_limit=400)
    LetterTemplateFactory(region=region)
    PartnerNetworkFactory(region=region)
    MaterialFactory(region=region)
    pages = ["letters/", f"letters/{letter.pk}/", f"letters/new/?city={official.city.pk}",
             "templates/", "templates/new/", "partners/", "partners/new/", "materials/",
             "materials/upload/"]

    async def scenario(page):
        await sign_in(page, user, secret=secret)
        found = {}
        for path in pages:
            await page.goto(f"{BASE}/{path}")
            found[path] = await axe_violations(page)
        return found

    assert browse(scenario) == {path: [] for path in pages}
