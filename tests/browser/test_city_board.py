"""The board by stage in a browser: cards move by drag and drop (with a placeholder where the
card will go), by the arrow keys on a focused card, and from a card's menu; every answer is
said next to the card and in the live region, and a refused move leaves the card where it
was. Columns show their first cards and more in place. On a phone the page does not scroll
sideways, nothing breaks the Content Security Policy, and axe finds no serious violation."""

import pytest
from django_scopes import scope
from playwright.async_api import expect

from cities import queries
from cities.models import City, Stage
from tests.factories import CityFactory

from .pages import axe_violations, sign_in, totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOARD = "/r/aurora/cities/board/"
PHONE = {"width": 390, "height": 844}
# Every column in view: a drag starts and ends where the mouse is, without scrolling.
WIDE = {"width": 2400, "height": 900}
CSP = "Content Security Policy"


def _column(page, stage):
    return page.locator(f"section.board-column[data-stage={stage}]")


def _card(page, city):
    return page.locator(f"#card-{city.pk}")


def _stage_of(cast, city) -> str:
    with scope(region=cast.home.region):
        return City.objects.get(pk=city.pk).stage


async def _signed_in(page, cast, console=None):
    user = cast.home.regional_secretariat
    if console is not None:
        page.on("console", lambda message: console.append(message.text)
                if CSP in message.text else None)
    await sign_in(page, user, secret=cast.secret)
    await page.goto(BOARD)


@pytest.fixture
def secretary(cast):
    cast.secret = totp_secret(cast.home.regional_secretariat)
    return cast


async def _drag(page, city, stage):
    await _card(page, city).locator(".card-facts").first.drag_to(_column(page, stage))


def test_a_dragged_card_shows_where_it_will_go_and_moves_and_an_illegal_drop_is_refused(
        browse, secretary):
    city = CityFactory(region=secretary.home.region, name="Kanazawa")
    console = []

    async def scenario(page):
        await _signed_in(page, secretary, console)
        card, short_list = _card(page, city), _column(page, "short_list")
        # Held over the short list: a placeholder opens there, none where it cannot go.
        await card.locator(".card-facts").first.hover()
        await page.mouse.down()
        # The browser sends each drag event on the move after: the first move starts the
        # drag, the third delivers the second's dragover.
        for x in (5, 10, 15):
            await short_list.locator("h2").hover(position={"x": x, "y": 10})
        await expect(short_list.locator(".board-drop-placeholder")).to_be_visible()
        await expect(page.locator(".board-drop-placeholder")).to_have_count(1)
        await page.mouse.up()
        await expect(short_list.locator(card)).to_be_visible()
        await expect(page.locator(".board-drop-placeholder")).to_have_count(0)
        await expect(page.locator("#board-message")).to_have_text(
            "Kanazawa moved to “Short list”.")
        await expect(card.locator(".card-note")).to_have_text("Kanazawa moved to “Short list”.")
        await expect(short_list.locator(".count")).to_have_text("1 city")
        await expect(_column(page, "long_list").locator(".count")).to_have_text("0 cities")

        await _drag(page, city, "long_list")
        await expect(card.locator(".card-note")).to_contain_text(
            "A city at “Short list” cannot move to “Long list”.")
        await expect(page.locator("#board-message")).to_contain_text("cannot move")
        await expect(short_list.locator(card)).to_be_visible()
        await expect(_column(page, "long_list").locator(card)).to_have_count(0)

    browse(scenario)
    assert _stage_of(secretary, city) == Stage.SHORT_LIST
    assert console == []


def test_a_card_dropped_on_paused_asks_for_the_reason_in_the_move_dialog(browse, secretary):
    city = CityFactory(region=secretary.home.region, name="Fukui")

    async def scenario(page):
        await page.set_viewport_size(WIDE)
        await _signed_in(page, secretary)
        await _drag(page, city, "paused")
        dialog = page.get_by_role("dialog", name="Move Fukui")
        await expect(dialog).to_be_visible()
        await expect(dialog.get_by_role("radio", name="Paused")).to_be_checked()
        await expect(dialog).to_contain_text("Why does Fukui move to “Paused”?")
        await expect(page.locator("#move-note")).to_be_focused()
        await page.keyboard.type("Elections in spring")
        await dialog.get_by_role("button", name="Move").click()
        await expect(_column(page, "paused").locator(_card(page, city))).to_be_visible()

    browse(scenario)
    assert _stage_of(secretary, city) == Stage.PAUSED


def test_arrow_keys_move_a_focused_card_and_the_live_region_says_so(browse, secretary):
    city = CityFactory(region=secretary.home.region, name="Nagano")
    CityFactory(region=secretary.home.region, name="Matsumoto", stage=Stage.SHORT_LIST)

    async def scenario(page):
        await _signed_in(page, secretary)
        card, news = _card(page, city), page.locator("#board-message")
        await expect(news).to_have_attribute("aria-live", "polite")
        await card.get_by_role("link", name="Nagano").focus()
        await page.keyboard.press("ArrowRight")
        await expect(_column(page, "short_list").locator(card)).to_be_visible()
        await expect(news).to_have_text("Nagano moved to “Short list”.")
        await expect(card.locator(".card-note")).to_have_text("Nagano moved to “Short list”.")
        await expect(card.get_by_role("link", name="Nagano")).to_be_focused()
        await expect(_column(page, "short_list").locator(".count")).to_have_text("2 cities")

        # Nothing to the left takes a short-listed city: it stays, and the board says so.
        await page.keyboard.press("ArrowLeft")
        await expect(news).to_have_text("Nothing to the left takes Nagano.")
        await expect(_column(page, "short_list").locator(card)).to_be_visible()

        # Up and down walk the column; Right moves the other card on.
        await page.keyboard.press("ArrowUp")
        await expect(page.get_by_role("link", name="Matsumoto")).to_be_focused()
        await page.keyboard.press("ArrowDown")
        await expect(card.get_by_role("link", name="Nagano")).to_be_focused()
        await page.keyboard.press("ArrowRight")
        await expect(_column(page, "contacted").locator(card)).to_be_visible()

    browse(scenario)
    assert _stage_of(secretary, city) == Stage.CONTACTED


def test_an_arrow_key_into_a_column_that_needs_a_reason_asks_for_it(browse, secretary):
    city = CityFactory(region=secretary.home.region, name="Ueda", stage=Stage.MEMBER)

    async def scenario(page):
        await _signed_in(page, secretary)
        await _card(page, city).get_by_role("link", name="Ueda").focus()
        await page.keyboard.press("ArrowRight")  # member → paused, the next allowed column
        dialog = page.get_by_role("dialog", name="Move Ueda")
        await expect(dialog.get_by_role("radio", name="Paused")).to_be_checked()
        await expect(page.locator("#move-note")).to_be_focused()
        await page.keyboard.press("Escape")  # changed their mind: nothing moves
        await expect(dialog).to_be_hidden()
        await expect(_card(page, city).get_by_role("link", name="Ueda")).to_be_focused()

        await page.keyboard.press("ArrowRight")
        await page.keyboard.type("Budget freeze")
        await page.keyboard.press("Tab")  # Cancel
        await page.keyboard.press("Tab")  # Move
        await expect(dialog.get_by_role("button", name="Move")).to_be_focused()
        await page.keyboard.press("Enter")
        await expect(_column(page, "paused").locator(_card(page, city))).to_be_visible()
        await expect(page.locator("#board-message")).to_have_text("Ueda moved to “Paused”.")

    browse(scenario)
    assert _stage_of(secretary, city) == Stage.PAUSED


def test_a_cards_menu_offers_the_moves_its_stage_allows(browse, secretary):
    city = CityFactory(region=secretary.home.region, name="Kochi", stage=Stage.SHORT_LIST)

    async def scenario(page):
        await _signed_in(page, secretary)
        await _card(page, city).get_by_role("button", name="Move").click()
        dialog = page.get_by_role("dialog", name="Move Kochi")
        radios = dialog.get_by_role("radio")
        await expect(radios).to_have_count(3)
        labels = [await radios.nth(i).get_attribute("value") for i in range(3)]
        await dialog.get_by_role("radio", name="Declined").check()
        await expect(page.locator("#move-note")).to_have_attribute("required", "")
        await dialog.get_by_role("radio", name="Contacted").check()
        await expect(page.locator("#move-note")).not_to_have_attribute("required", "")
        await dialog.get_by_role("button", name="Move").click()
        await expect(_column(page, "contacted").locator(_card(page, city))).to_be_visible()
        return labels

    assert browse(scenario) == ["contacted", "paused", "declined"]
    assert _stage_of(secretary, city) == Stage.CONTACTED


def test_show_more_adds_the_next_cards_of_a_column_in_place(browse, secretary):
    region = secretary.home.region
    City.objects.bulk_create(City(region=region, name=f"Town {n:03}", country="JP")
                             for n in range(queries.BOARD_CARDS + 2))

    async def scenario(page):
        await _signed_in(page, secretary)
        column = _column(page, "long_list")
        await expect(column.locator(".board-card")).to_have_count(queries.BOARD_CARDS)
        await column.get_by_role("link", name="Show more (2 left)").click()
        await expect(column.locator(".board-card")).to_have_count(queries.BOARD_CARDS + 2)
        await expect(column.get_by_role("link", name=f"Town {queries.BOARD_CARDS:03}")
                     ).to_be_focused()
        await expect(column.locator(".board-more")).to_have_count(0)
        await expect(page).to_have_url(BOARD)

    browse(scenario)


def test_on_a_phone_the_board_stays_in_width_and_within_the_policy(browse, secretary):
    for n, stage in enumerate(Stage):
        CityFactory(region=secretary.home.region, stage=stage,
                    name=f"Santa Maria de Jetibá {n}", owner=secretary.home.regional_secretariat)
    console = []

    async def scenario(page):
        await page.set_viewport_size(PHONE)
        await _signed_in(page, secretary, console)
        await page.wait_for_load_state("networkidle")
        return await page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth")

    assert browse(scenario) == 0
    assert console == []


def test_the_table_the_board_and_its_dialog_have_no_serious_accessibility_violation(
        browse, secretary):
    user = secretary.home.regional_secretariat
    cities = [CityFactory(region=secretary.home.region, stage=stage, owner=user)
              for stage in (Stage.LONG_LIST, Stage.SHORT_LIST, Stage.PAUSED)]

    async def scenario(page):
        await sign_in(page, user, secret=secretary.secret)
        found = {}
        for name, url in (("table", "/r/aurora/cities/"), ("board", BOARD)):
            await page.goto(url)
            await expect(page.locator("h1")).to_be_visible()
            found[name] = await axe_violations(page)
        await _card(page, cities[0]).get_by_role("button", name="Move").click()
        await expect(page.get_by_role("dialog")).to_be_visible()
        found["dialog"] = await axe_violations(page)
        return found

    assert browse(scenario) == {"table": [], "board": [], "dialog": []}
