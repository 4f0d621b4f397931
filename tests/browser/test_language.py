"""The header's language switcher turns the page into Japanese or Spanish and the choice
sticks; a region's pages speak its default language until the person picks one.

Expected texts come from the same gettext catalogues the server uses, so a string that is
translated must appear translated; allauth ships Japanese and Spanish for the sign-in page,
so that page must differ from English whatever state the portal's own catalogues are in."""

import pytest
from django.utils import translation
from playwright.async_api import expect

from .pages import axe_violations, main_nav_labels, sign_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def translated(language, text):
    with translation.override(language):
        return translation.gettext(text)


def test_the_language_switcher_translates_the_sign_in_page(browse):
    expected = {lang: {"heading": translated(lang, "Sign In"),
                       "skip": translated(lang, "Skip to main content")}
                for lang in ("en", "ja", "es")}
    assert expected["ja"]["heading"] != "Sign In" != expected["es"]["heading"]

    async def scenario(page):
        await page.goto("/accounts/login/")
        await expect(page.locator("html")).to_have_attribute("lang", "en")
        await expect(page.locator("h1")).to_have_text("Sign In")
        for lang in ("ja", "es"):
            await switch_language(page, lang)
            await expect(page).to_have_url("/accounts/login/")  # same page, new language
            await expect(page.locator("h1")).to_have_text(expected[lang]["heading"])
            await expect(page.locator("a.skip-link")).to_have_text(expected[lang]["skip"])
            await expect(page.locator("select#language-switch")).to_have_value(lang)
        await switch_language(page, "en")
        await expect(page.locator("h1")).to_have_text("Sign In")

    browse(scenario)


def test_a_signed_in_person_switches_language_and_it_sticks(browse, cast):
    user = cast.home.city_contact
    dashboard = {lang: translated(lang, "Dashboard") for lang in ("ja", "es")}
    main = {lang: translated(lang, "Main") for lang in ("ja", "es")}
    skip = {lang: translated(lang, "Skip to main content") for lang in ("ja", "es")}

    async def scenario(page):
        await sign_in(page, user)
        await expect(page).to_have_url("/r/aurora/")
        await expect(page.locator("html")).to_have_attribute("lang", "en")

        await switch_language(page, "ja")
        await expect(page).to_have_url("/r/aurora/")
        assert (await main_nav_labels(page, main["ja"]))[:1] == [dashboard["ja"]]
        await expect(page.locator("a.skip-link")).to_have_text(skip["ja"])
        violations = await axe_violations(page)  # lang and layout hold up in Japanese

        await page.goto("/profile/")  # the choice follows the person from page to page
        await expect(page.locator("html")).to_have_attribute("lang", "ja")

        await switch_language(page, "es")
        await expect(page).to_have_url("/profile/")
        await page.goto("/r/aurora/")
        await expect(page.locator("html")).to_have_attribute("lang", "es")
        assert (await main_nav_labels(page, main["es"]))[:1] == [dashboard["es"]]
        await expect(page.locator("a.skip-link")).to_have_text(skip["es"])
        return violations

    assert browse(scenario) == []


def test_a_region_speaks_its_own_language_until_the_person_picks_one(browse, cast):
    cast.home.region.default_language = "ja"
    cast.home.region.save()
    user = cast.home.expert

    async def scenario(page):
        await sign_in(page, user)  # the browser asks for English (Accept-Language)
        await expect(page).to_have_url("/r/aurora/")
        await expect(page.locator("html")).to_have_attribute("lang", "ja")

        await switch_language(page, "en")
        await page.reload()
        await expect(page.locator("html")).to_have_attribute("lang", "en")
        assert (await main_nav_labels(page))[:1] == ["Dashboard"]

    browse(scenario)
