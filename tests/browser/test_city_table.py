"""The city table in a browser: column headings sort both ways, the filter bar folds away
and opens by itself when filters are set, an owner is picked from the keyboard, the bulk
panel waits for a ticked city and shows only the chosen action's field, and on a phone the
table scrolls inside its own frame with the names kept in view, never the page; nothing
breaks the Content Security Policy."""

import re

import pytest
from playwright.async_api import expect

from cities.models import Stage
from tests.factories import CityFactory

from .pages import sign_in, totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLE = "/r/aurora/cities/"
PHONE = {"width": 390, "height": 844}
CSP = "Content Security Policy"


@pytest.fixture
def secretary(cast):
    cast.secret = totp_secret(cast.home.regional_secretariat)
    return cast


async def _open(page, cast, path=TABLE, console=None):
    if console is not None:
        page.on("console", lambda message: console.append(message.text)
                if CSP in message.text else None)
    await sign_in(page, cast.home.regional_secretariat, secret=cast.secret)
    await page.goto(path)


async def _names(page) -> list[str]:
    return await page.locator("table.city-table tbody th a").all_inner_texts()


def test_a_column_heading_sorts_by_its_column_and_again_the_other_way(browse, secretary):
    for name in ("Beppu", "Aomori", "Chiba"):
        CityFactory(region=secretary.home.region, name=name)
    console = []

    async def scenario(page):
        await _open(page, secretary, console=console)
        heading = page.get_by_role("columnheader", name="Name", exact=True)
        await expect(heading).not_to_have_attribute("aria-sort", re.compile(".*"))
        await heading.get_by_role("link").click()
        await expect(page).to_have_url(re.compile(r"sort=name$"))
        await expect(heading).to_have_attribute("aria-sort", "ascending")
        ascending = await _names(page)
        await heading.get_by_role("link").click()
        await expect(heading).to_have_attribute("aria-sort", "descending")
        return ascending, await _names(page)

    assert browse(scenario) == (["Aomori", "Beppu", "Chiba"], ["Chiba", "Beppu", "Aomori"])
    assert console == []


def test_the_filter_bar_folds_away_and_stays_open_while_filters_are_set(browse, secretary):
    CityFactory(region=secretary.home.region, name="Nara", stage=Stage.SHORT_LIST)
    CityFactory(region=secretary.home.region, name="Otsu")

    async def scenario(page):
        await _open(page, secretary)
        stage = page.get_by_label("Stage", exact=True)
        await expect(stage).to_be_hidden()
        filters = page.locator("summary", has_text="Filters")
        await filters.focus()
        await page.keyboard.press("Enter")
        await expect(stage).to_be_visible()
        await stage.select_option("short_list")
        await page.get_by_role("button", name="Filter", exact=True).click()
        await expect(page).to_have_url(re.compile(r"stage=short_list"))
        await expect(page.get_by_label("Stage", exact=True)).to_be_visible()
        return await _names(page)

    assert browse(scenario) == ["Nara"]


def test_an_owner_is_picked_from_the_keyboard_to_filter_the_table(browse, secretary):
    owner = secretary.home.regional_secretariat
    owner.full_name = "Yuki Sato"
    owner.save(update_fields=["full_name"])
    CityFactory(region=secretary.home.region, name="Owned", owner=owner)
    CityFactory(region=secretary.home.region, name="Unowned")

    async def scenario(page):
        await _open(page, secretary)
        await page.locator("summary", has_text="Filters").click()
        picker = page.get_by_role("combobox", name="Owner")
        await picker.focus()
        await page.keyboard.type("sato")
        options = page.locator("#id_owner-options").get_by_role("option")
        await expect(options).to_have_count(1)  # the answer to "sato", not the first rows
        await expect(options).to_contain_text("Yuki Sato")
        await page.keyboard.press("ArrowDown")
        await page.keyboard.press("Enter")
        await expect(picker).to_have_value("Yuki Sato")
        await page.keyboard.press("Enter")  # sends the filter form
        await expect(page).to_have_url(re.compile(rf"owner={owner.pk}"))
        await expect(page.get_by_role("combobox", name="Owner")).to_have_value("Yuki Sato")
        return await _names(page)

    assert browse(scenario) == ["Owned"]


def test_the_bulk_panel_waits_for_a_tick_and_shows_only_the_chosen_actions_field(
        browse, secretary):
    CityFactory(region=secretary.home.region, name="Kobe")

    async def scenario(page):
        await _open(page, secretary)
        panel = page.get_by_role("group", name="Change the ticked cities")
        hint = page.get_by_text("Tick cities to move, assign or tag them together.")
        await expect(panel).to_be_hidden()
        await expect(hint).to_be_visible()
        await page.get_by_label("Select all cities on this page").check()
        await expect(page.get_by_label("Select Kobe")).to_be_checked()
        await expect(panel).to_be_visible()
        await expect(hint).to_be_hidden()
        stage, owner = panel.get_by_label("Move to"), panel.get_by_role("combobox", name="Owner")
        await expect(stage).to_be_visible()
        await expect(owner).to_be_hidden()
        await panel.get_by_label("Action").select_option("assign_owner")
        await expect(owner).to_be_visible()
        await expect(stage).to_be_hidden()
        await page.get_by_label("Select Kobe").uncheck()
        await expect(panel).to_be_hidden()

    browse(scenario)


def test_on_a_phone_the_table_scrolls_in_its_frame_with_the_names_in_view(browse, secretary):
    for n in range(8):
        CityFactory(region=secretary.home.region, name=f"Santa Maria de Jetibá {n}",
                    country="BR", owner=secretary.home.regional_secretariat)
    console = []

    async def scenario(page):
        await page.set_viewport_size(PHONE)
        await _open(page, secretary, console=console)
        await page.wait_for_load_state("networkidle")
        page_overflow = await page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth")
        frame = page.locator(".city-table-scroll")
        name = page.locator("table.city-table tbody th").first
        before = (await name.bounding_box())["x"]
        await frame.evaluate("(frame) => { frame.scrollLeft = 400; }")
        scrolled = await frame.evaluate("(frame) => frame.scrollLeft")
        after = (await name.bounding_box())["x"]
        return page_overflow, scrolled > 0, round(after - (await frame.bounding_box())["x"]), \
            before >= after

    overflow, scrolled, name_offset, kept = browse(scenario)
    assert overflow == 0 and scrolled and kept
    assert name_offset <= 1  # the name column sticks to the frame's left edge
    assert console == []
