"""WCAG 2.2 AA in the browser: axe-core finds no serious or critical violation on the sign-in
pages and on every page of the main menu (each role's landing page is checked where it signs
in, test_sign_in.py), and the skip link works from the keyboard."""

import pytest
from playwright.async_api import expect

from .pages import axe_violations, sign_in, submit_password, submit_totp, totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_sign_in_pages_have_no_serious_accessibility_violation(browse, cast):
    user = cast.home.regional_secretariat
    secret = totp_secret(user)

    async def scenario(page):
        found = {}
        await page.goto("/accounts/login/")
        found["sign-in form"] = await axe_violations(page)
        await submit_password(page, user.email, password="not the password")
        await expect(page.locator("main")).to_contain_text("not correct")
        found["wrong password"] = await axe_violations(page)
        await submit_password(page, user.email)
        found["two-factor step"] = await axe_violations(page)
        await submit_totp(page, secret, wrong=True)
        await expect(page.locator("main")).to_contain_text("Incorrect code")
        found["wrong code"] = await axe_violations(page)
        return found

    assert browse(scenario) == {"sign-in form": [], "wrong password": [],
                                "two-factor step": [], "wrong code": []}


@pytest.mark.parametrize("role", ["regional_secretariat", "global_secretariat"])
def test_every_page_of_the_main_menu_opens_and_has_no_serious_violation(browse, cast, role):
    user = cast.global_secretariat if role == "global_secretariat" else cast.home.by_role(role)
    secret = totp_secret(user)

    async def scenario(page):
        await sign_in(page, user, secret=secret)
        nav = page.locator("nav[aria-label=Main]")
        labels = [label.strip() for label in await nav.locator("a").all_inner_texts()]
        assert len(labels) >= 3, labels
        found = {}
        for label in labels:
            await nav.get_by_role("link", name=label, exact=True).click()
            await expect(nav.locator("a[aria-current=page]")).to_have_text(label)
            await expect(page.locator("h1")).to_be_visible()
            found[label] = await axe_violations(page)
        return found

    found = browse(scenario)
    assert found == {label: [] for label in found}


@pytest.mark.parametrize("where", ["sign-in page", "dashboard"])
def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(
        browse, cast, where):
    user = cast.home.city_contact

    async def scenario(page):
        if where == "dashboard":
            await sign_in(page, user)
            await expect(page).to_have_url("/r/aurora/")
        else:
            await page.goto("/accounts/login/")
        skip = page.locator("a.skip-link")
        await expect(skip).not_to_be_in_viewport()  # hidden until focused

        await page.keyboard.press("Tab")
        await expect(skip).to_be_focused()
        await expect(skip).to_have_text("Skip to main content")
        await expect(skip).to_be_in_viewport()  # a sighted keyboard user sees where focus is
        outline = await skip.evaluate("el => getComputedStyle(el).outlineStyle")
        assert outline not in ("", "none")

        await page.keyboard.press("Enter")
        await expect(page.locator("main#main")).to_be_focused()
        # The next Tab continues inside the main content, past the header.
        await page.keyboard.press("Tab")
        in_main = await page.evaluate("document.querySelector('main').contains("
                                      "document.activeElement)")
        assert in_main

    browse(scenario)
