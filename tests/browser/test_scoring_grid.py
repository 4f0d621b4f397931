"""The scoring grid in a browser: fifteen cities on three criteria scored from the keyboard on
one page in under sixty presses, each cell saved as it is typed, the priority following in
place, and a reload showing what was saved."""

import pytest
from django_scopes import scope
from playwright.async_api import expect

from cities.models import CriterionScore
from tests.factories import CityFactory

from .pages import axe_violations, sign_in, totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GRID = "/r/aurora/cities/scoring/?sort=name"
NAMES = ["Akita", "Beppu", "Chiba", "Daito", "Ebina", "Fukui", "Gifu", "Hakodate", "Iwaki",
         "Joetsu", "Kofu", "Kure", "Mito", "Nara", "Otaru"]
# Row by row, a score per criterion: the first city 3-3-3, the second 0-0-0, then a mix.
SCORES = ["333", "000"] + [f"{n % 4}{(n + 1) % 4}{(n + 2) % 4}" for n in range(13)]


class Keyboard:
    """The page's keyboard and mouse, counting every press and click."""

    def __init__(self, page):
        self.page, self.count = page, 0

    async def press(self, key: str):
        self.count += 1
        await self.page.keyboard.press(key)

    async def click(self, locator):
        self.count += 1
        await locator.click()


def _cell(page, row: int, column: int):
    return page.locator("tbody tr").nth(row).locator("[data-score-cell]").nth(column)


def _priority(page, row: int):
    return page.locator("tbody tr").nth(row).locator("[data-priority]")


def test_fifteen_cities_on_three_criteria_are_scored_by_keyboard_in_under_60_presses(
        browse, cast):
    user = cast.home.regional_secretariat
    secret = totp_secret(user)
    cities = [CityFactory(region=cast.home.region, name=name) for name in NAMES]

    async def scenario(page):
        await sign_in(page, user, secret=secret)
        await page.goto(GRID)
        await expect(page.locator("[data-score-cell]")).to_have_count(45)
        await expect(page.get_by_role("button", name="Save scores")).to_be_hidden()
        keys = Keyboard(page)
        await keys.click(_cell(page, 0, 0))
        for digits in SCORES:
            for digit in digits:
                await keys.press(digit)
        # Each cell saves itself in the background: on a loaded machine the last saves may
        # land after the default five seconds.
        await expect(page.locator(".score-cell[data-state=saved]")).to_have_count(
            45, timeout=20_000)
        await expect(_priority(page, 0)).to_have_text("100.0%")
        await expect(_priority(page, 1)).to_have_text("0.0%")
        await expect(page.locator("[data-grid-status]")).to_contain_text("Saved: Otaru")
        presses = keys.count

        await page.reload()
        values = await page.locator("[data-score-cell]").evaluate_all(
            "cells => cells.map(cell => cell.value)")
        return presses, values, await _priority(page, 0).text_content()

    presses, values, first_priority = browse(scenario)
    assert presses < 60, f"{presses} presses and clicks"
    assert "".join(values) == "".join(SCORES)
    assert first_priority.strip() == "100.0%"
    with scope(region=cast.home.region):
        assert CriterionScore.objects.filter(city__in=cities).count() == 45


def test_arrows_move_delete_clears_and_a_wrong_digit_shows_on_its_cell(browse, cast):
    user = cast.home.regional_secretariat
    secret = totp_secret(user)
    for name in NAMES[:3]:
        CityFactory(region=cast.home.region, name=name)

    async def scenario(page):
        await sign_in(page, user, secret=secret)
        await page.goto(GRID)
        await _cell(page, 0, 0).click()
        await page.keyboard.press("2")
        await expect(_cell(page, 0, 1)).to_be_focused()
        await page.keyboard.press("ArrowDown")
        await expect(_cell(page, 1, 1)).to_be_focused()
        await page.keyboard.press("ArrowLeft")
        await expect(_cell(page, 1, 0)).to_be_focused()
        await page.keyboard.press("ArrowUp")
        await expect(_cell(page, 0, 0)).to_be_focused()
        await expect(_cell(page, 0, 0).locator("xpath=..")).to_have_attribute(
            "data-state", "saved")
        await expect(_priority(page, 0)).to_have_text("66.7%")
        await page.keyboard.press("Delete")
        await expect(_priority(page, 0)).to_have_text("not scored")

        await page.keyboard.press("7")
        await expect(_cell(page, 0, 0)).to_have_attribute("aria-invalid", "true")
        await expect(_cell(page, 0, 0).locator("xpath=..")).to_contain_text(
            "Scores run from 0 to 3.")
        await expect(_cell(page, 0, 0)).to_be_focused()
        await page.keyboard.press("1")
        await expect(_cell(page, 0, 0)).not_to_have_attribute("aria-invalid", "true")
        await expect(_priority(page, 0)).to_have_text("33.3%")
        return await axe_violations(page)

    assert browse(scenario) == []
