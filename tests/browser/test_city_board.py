"""The board by stage in a browser: cards move by drag and drop and by the keyboard alone,
a refused move leaves the card where it was and says why, and the table and the board have no
serious accessibility violation."""

import pytest
from playwright.async_api import expect

from cities.models import Stage
from tests.factories import CityFactory

from .pages import axe_violations, sign_in, totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOARD = "/r/aurora/cities/board/"


def _column(page, stage):
    return page.locator(f"section.board-column[data-stage={stage}]")


def _card(page, city):
    return page.locator(f"#card-{city.pk}")


async def _drag(page, city, stage):
    # From the card's facts: text inside the card, not one of its form controls.
    await _card(page, city).locator(".card-facts").first.drag_to(_column(page, stage))


def test_a_card_dragged_from_long_list_to_short_list_moves_and_an_illegal_drop_is_refused(
        browse, cast):
    user = cast.home.regional_secretariat
    secret = totp_secret(user)
    city = CityFactory(region=cast.home.region, name="Kanazawa")

    async def scenario(page):
        await sign_in(page, user, secret=secret)
        await page.goto(BOARD)
        await expect(_column(page, "long_list").locator(_card(page, city))).to_be_visible()

        await _drag(page, city, "short_list")
        await expect(_column(page, "short_list").locator(_card(page, city))).to_be_visible()
        await expect(page.locator("#board-message")).to_contain_text(
            "Kanazawa moved to “Short list”.")

        await _drag(page, city, "long_list")
        await expect(page.locator("#board-message")).to_contain_text(
            "A city at “Short list” cannot move to “Long list”.")
        await expect(_column(page, "short_list").locator(_card(page, city))).to_be_visible()
        await expect(_column(page, "long_list").locator(_card(page, city))).to_have_count(0)

    browse(scenario)
    city.refresh_from_db()
    assert city.stage == Stage.SHORT_LIST


def test_a_card_dropped_on_paused_asks_for_the_reason_in_a_dialog(browse, cast):
    user = cast.home.regional_secretariat
    secret = totp_secret(user)
    city = CityFactory(region=cast.home.region, name="Fukui")

    async def scenario(page):
        await sign_in(page, user, secret=secret)
        await page.goto(BOARD)
        await _drag(page, city, "paused")
        dialog = page.get_by_role("dialog", name="Reason for the move")
        await expect(dialog).to_be_visible()
        await expect(dialog).to_contain_text("Why does Fukui move to “Paused”?")
        await expect(page.locator("#reason-note")).to_be_focused()
        await page.keyboard.type("Elections in spring")
        await dialog.get_by_role("button", name="Move").click()
        await expect(_column(page, "paused").locator(_card(page, city))).to_be_visible()

    browse(scenario)
    city.refresh_from_db()
    assert city.stage == Stage.PAUSED


def test_a_card_moves_with_the_keyboard_alone(browse, cast):
    user = cast.home.regional_secretariat
    secret = totp_secret(user)
    city = CityFactory(region=cast.home.region, name="Nagano")

    async def scenario(page):
        await sign_in(page, user, secret=secret)
        await page.goto(BOARD)
        card = _card(page, city)
        await card.get_by_role("link", name="Nagano").focus()
        await page.keyboard.press("Tab")
        stage = card.get_by_label("Nagano: Move to")
        await expect(stage).to_be_focused()
        await page.keyboard.press("ArrowDown")
        await expect(stage).to_have_value("short_list")
        await page.keyboard.press("Tab")  # the reason, not needed for the short list
        await page.keyboard.press("Tab")
        await expect(card.get_by_role("button", name="Move Nagano")).to_be_focused()
        await page.keyboard.press("Enter")
        await expect(_column(page, "short_list").locator(card)).to_be_visible()
        await expect(card).to_be_focused()  # the keyboard user stays with the card

    browse(scenario)
    city.refresh_from_db()
    assert city.stage == Stage.SHORT_LIST


def test_the_table_and_the_board_have_no_serious_accessibility_violation(browse, cast):
    user = cast.home.regional_secretariat
    secret = totp_secret(user)
    for stage in (Stage.LONG_LIST, Stage.SHORT_LIST, Stage.PAUSED):
        CityFactory(region=cast.home.region, stage=stage, owner=user)

    async def scenario(page):
        await sign_in(page, user, secret=secret)
        found = {}
        for name, url in (("table", "/r/aurora/cities/"), ("board", BOARD)):
            await page.goto(url)
            await expect(page.locator("h1")).to_be_visible()
            found[name] = await axe_violations(page)
        return found

    assert browse(scenario) == {"table": [], "board": []}
