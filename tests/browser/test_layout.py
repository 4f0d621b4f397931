"""The layout holds on a phone and on a laptop: at 390x844 no page scrolls sideways (tables
scroll inside their own frame) and the menu folds behind a button that opens from the
keyboard; at 1366 px the header is one row; and no page breaks the Content Security Policy
(an inline style or script the browser refuses shows up in the console and as a
securitypolicyviolation event)."""

import pytest
from django.urls import reverse
from playwright.async_api import expect

from alliance.models import Role
from cities.models import Stage
from outreach.services.letters import LEGAL_DOCUMENT_KIND
from tests.factories import ApprovalRequestFactory, CityFactory, ContactFactory, LetterFactory

from .pages import CSP, WATCH_CSP, sign_in, totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
PAGES = ["dashboard", "city table", "board", "city page", "letter page", "approval page"]


def _region_with_work(cast) -> dict[str, str]:
    """A region with cities in several stages, contacts, a letter and its legal approval; the
    path of each page the phone check opens."""
    region = cast.home.region
    for stage in (Stage.LONG_LIST, Stage.SHORT_LIST, Stage.CONTACTED, Stage.IN_DIALOGUE):
        CityFactory(region=region, stage=stage, name=f"Santa Maria de {stage.label}",
                    country="BR")
    city = CityFactory(region=region, name="Bogotá, Distrito Capital", country="CO",
                       stage=Stage.SHORT_LIST)
    ContactFactory(city=city, name="Ana Ruiz", email="ana.ruiz.secretaria@bogota.example.org")
    letter = LetterFactory(city=city, subject="Joining the Aurora alliance",
                           owner=cast.home.regional_secretariat)
    approval = ApprovalRequestFactory(region=region, kind=LEGAL_DOCUMENT_KIND.code,
                                      route_role=Role.GLOBAL_SECRETARIAT, target=letter,
                                      summary="Inquiry to Bogotá: Joining the Aurora alliance")
    slug = {"region_slug": region.slug}
    return {
        "dashboard": reverse("region-dashboard", kwargs=slug),
        "city table": reverse("city-list", kwargs=slug),
        "board": reverse("city-board", kwargs=slug),
        "city page": reverse("city-detail", kwargs={**slug, "city_id": city.pk}),
        "letter page": reverse("letter-detail", kwargs={**slug, "letter_id": letter.pk}),
        "approval page": reverse("approval-detail", kwargs={**slug, "approval_id": approval.pk}),
    }


async def _open_watched(page, path: str, console: list[str]) -> dict:
    """Open `path`; what scrolls sideways and what the policy refused there."""
    console.clear()
    await page.goto(path)
    await page.wait_for_load_state("networkidle")
    return await page.evaluate("""() => ({
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        csp: window.cspViolations,
    })""") | {"console": list(console)}


@pytest.mark.parametrize("name", PAGES)
def test_no_page_scrolls_sideways_on_a_phone_or_breaks_the_content_security_policy(
        browse, cast, name):
    user = cast.home.regional_secretariat
    secret = totp_secret(user)
    path = _region_with_work(cast)[name]

    async def scenario(page):
        console = []
        page.on("console", lambda message: console.append(message.text)
                if CSP in message.text else None)
        await page.add_init_script(WATCH_CSP)
        await page.set_viewport_size(PHONE)
        await sign_in(page, user, secret=secret)
        return await _open_watched(page, path, console)

    found = browse(scenario)
    assert found == {"overflow": 0, "csp": [], "console": []}, f"{name} at {path}"


def test_on_a_phone_the_menu_folds_behind_a_button_that_opens_from_the_keyboard(browse, cast):
    user = cast.home.regional_secretariat
    secret = totp_secret(user)

    async def scenario(page):
        await page.set_viewport_size(PHONE)
        await sign_in(page, user, secret=secret)
        menu = page.get_by_role("navigation", name="Main")
        toggle = page.locator(".site-header .navbar-toggler")
        await expect(menu).to_be_hidden()
        await expect(toggle).to_have_attribute("aria-expanded", "false")

        await page.keyboard.press("Tab")  # the skip link
        await page.keyboard.press("Tab")  # the portal's name
        await page.keyboard.press("Tab")
        await expect(toggle).to_be_focused()
        await expect(toggle).to_have_accessible_name("Menu")
        await page.keyboard.press("Enter")
        await expect(menu).to_be_visible()
        await expect(toggle).to_have_attribute("aria-expanded", "true")

        await page.keyboard.press("Tab")  # into the menu, in reading order
        await expect(menu.get_by_role("link", name="Dashboard")).to_be_focused()
        await expect(menu.get_by_role("link", name="Team")).to_be_in_viewport()
        await expect(page.locator("select#region-switch")).to_be_visible()

    browse(scenario)


def test_on_a_laptop_the_header_is_one_row_and_the_user_menu_opens_from_the_keyboard(
        browse, cast):
    user = cast.home.regional_secretariat
    secret = totp_secret(user)

    async def scenario(page):
        await page.set_viewport_size(LAPTOP)
        await sign_in(page, user, secret=secret)
        menu = page.get_by_role("navigation", name="Main")
        await expect(menu.get_by_role("link", name="Team")).to_be_visible()
        links = await menu.get_by_role("link").evaluate_all(
            "links => links.map(link => Math.round(link.getBoundingClientRect().top))")
        header = await page.locator(".site-header").bounding_box()

        account = page.locator(".user-menu").get_by_role("button", name=user.get_short_name())
        await account.focus()
        await page.keyboard.press("Enter")
        await expect(page.get_by_role("link", name="Profile", exact=True)).to_be_visible()
        await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        await page.keyboard.press("Escape")
        await expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
        return links, header

    links, header = browse(scenario)
    assert len(links) >= 7 and len(set(links)) == 1, f"the menu wraps: rows at {set(links)}"
    assert header["height"] < 80, f"the header is {header['height']} px tall"
