"""A city's page in a browser: on a phone it does not scroll sideways and nothing breaks the
Content Security Policy; a duplicate is merged from the keyboard with the picker, after a
confirmation that says which city stays; "Next city" follows the list the person came from."""

import pytest
from django_scopes import scope
from playwright.async_api import expect

from cities.models import City, Stage
from tests.factories import CityFactory, ContactFactory, LetterFactory

from .pages import axe_violations, sign_in, totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
CSP = "Content Security Policy"
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def _busy_city(cast) -> City:
    city = CityFactory(region=cast.home.region, name="Bogotá, Distrito Capital", country="CO",
                       stage=Stage.SHORT_LIST, website="https://bogota.gov.co/una/direccion/larga",
                       notes="Met the mayor's office at the regional forum.")
    for n in range(12):
        ContactFactory(city=city, name=f"Ana María Ruiz Fernández {n}", is_key=n == 0,
                       email=f"ana.maria.ruiz.fernandez.{n}@secretariageneral.bogota.example.org",
                       phone="+57 601 381 3000")
    LetterFactory(city=city, subject="Joining the Aurora alliance",
                  owner=cast.home.regional_secretariat)
    return city


def _watch(page, console: list[str]):
    page.on("console", lambda message: console.append(message.text)
            if CSP in message.text else None)


def test_on_a_phone_the_city_page_stays_in_width_and_within_the_policy(browse, cast):
    user = cast.home.regional_secretariat
    secret = totp_secret(user)
    city = _busy_city(cast)
    paths = [f"/r/aurora/cities/{city.pk}/", f"/r/aurora/cities/{city.pk}/?contacts=2",
             "/r/aurora/cities/scoring/"]

    async def scenario(page):
        console = []
        _watch(page, console)
        await page.add_init_script(WATCH_CSP)
        await page.set_viewport_size(PHONE)
        await sign_in(page, user, secret=secret)
        found = {}
        for path in paths:
            await page.goto(path)
            await page.wait_for_load_state("networkidle")
            found[path] = await page.evaluate("""() => ({
                overflow: document.documentElement.scrollWidth - window.innerWidth,
                csp: window.cspViolations})""")
        found["axe"] = await axe_violations(page)
        await page.goto(paths[0])
        found["axe city page"] = await axe_violations(page)
        found["console"] = console
        return found

    found = browse(scenario)
    for path in paths:
        assert found[path] == {"overflow": 0, "csp": []}, path
    assert found["console"] == []
    assert found["axe"] == [] and found["axe city page"] == []


def test_a_duplicate_is_merged_by_keyboard_after_a_confirmation(browse, cast):
    user = cast.home.regional_secretariat
    secret = totp_secret(user)
    keep = CityFactory(region=cast.home.region, name="Bogotá", country="CO")
    duplicate = CityFactory(region=cast.home.region, name="Bogota", country="CO")
    ContactFactory(city=duplicate, name="Carlos Gómez")
    console = []

    async def scenario(page):
        _watch(page, console)
        await sign_in(page, user, secret=secret)
        await page.goto(f"/r/aurora/cities/{keep.pk}/")
        picker = page.get_by_role("combobox", name="Duplicate to merge into this city")
        await picker.focus()
        await page.keyboard.type("bogo")
        option = page.get_by_role("option", name="Bogota")
        await expect(option).to_be_visible()
        await expect(page.get_by_role("option", name="Bogotá")).to_have_count(0)
        await page.keyboard.press("ArrowDown")
        await page.keyboard.press("Enter")
        await expect(picker).to_have_value("Bogota")
        await page.keyboard.press("Tab")
        review = page.get_by_role("button", name="Review the merge")
        await expect(review).to_be_focused()
        await page.keyboard.press("Enter")

        await expect(page.get_by_role("heading", level=1)).to_have_text(
            "Merge Bogota into Bogotá?")
        await expect(page.locator("main")).to_contain_text(
            "Bogotá stays. Bogota's contacts, letters and history move to it")
        merge = page.get_by_role("button", name="Merge Bogota into Bogotá")
        await merge.focus()
        await page.keyboard.press("Enter")
        await expect(page).to_have_url(f"/r/aurora/cities/{keep.pk}/")
        await expect(page.locator(".messages")).to_contain_text(
            "Bogota was merged into Bogotá")
        await expect(page.locator("#contacts-heading")).to_contain_text("1")
        await expect(page.locator("main")).to_contain_text("Carlos Gómez")

    browse(scenario)
    assert console == []
    with scope(region=cast.home.region):
        assert list(City.objects.filter(region=cast.home.region).values_list(
            "name", flat=True)) == ["Bogotá"]


def test_next_city_follows_the_list_the_person_came_from(browse, cast):
    user = cast.home.regional_secretariat
    secret = totp_secret(user)
    for name in ["Akita", "Beppu", "Chiba"]:
        CityFactory(region=cast.home.region, name=name, stage=Stage.SHORT_LIST)
    CityFactory(region=cast.home.region, name="Ageo", stage=Stage.LONG_LIST)

    async def scenario(page):
        await sign_in(page, user, secret=secret)
        await page.goto("/r/aurora/cities/scoring/?stage=short_list&sort=name")
        await page.get_by_role("link", name="Akita").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Akita")
        await page.get_by_role("link", name="Next city").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Beppu")
        await page.get_by_role("link", name="Next city").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Chiba")
        await page.get_by_role("link", name="Previous city").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Beppu")
        await page.get_by_role("navigation", name="Breadcrumb").get_by_role(
            "link", name="Cities").click()
        await expect(page).to_have_url("/r/aurora/cities/?stage=short_list&sort=name")

    browse(scenario)
