"""Every role signs in through the real forms (the two-factor step included where the role
requires it), lands on its dashboard (a forum reviewer: on what waits for their decision),
sees the navigation its role allows, and axe-core finds no serious or critical violation
there."""

import pytest
from allauth.mfa.models import Authenticator
from playwright.async_api import expect

from alliance.models import Role
from tests.factories import PASSWORD, MembershipFactory, UserFactory

from .landings import LANDING_IDS, LANDINGS, person
from .pages import (
    axe_violations,
    current_totp_code,
    main_nav_labels,
    submit_password,
    submit_totp,
    totp_secret,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("landing", LANDINGS, ids=LANDING_IDS)
def test_each_role_signs_in_and_lands_where_its_work_is_which_passes_axe(browse, cast, landing):
    user = person(cast, landing.role)
    secret = totp_secret(user) if landing.two_factor else None

    async def scenario(page):
        await submit_password(page, user.email)
        if landing.two_factor:
            await expect(page.locator("h1")).to_have_text("Two-Factor Authentication")
            await submit_totp(page, secret)

        await expect(page).to_have_url(landing.path)
        await expect(page.locator("h1")).to_have_text(landing.heading)
        nav = await main_nav_labels(page)
        assert set(landing.shows) <= set(nav) and not set(landing.hides) & set(nav), nav
        assert nav == landing.nav()
        current = page.locator("nav[aria-label=Main] a[aria-current=page]")
        await expect(current).to_have_count(1)
        await expect(current).to_have_text(landing.current)
        offered = await page.locator("select#region-switch option").all_inner_texts()
        assert [name.strip() for name in offered] == landing.regions
        await expect(page.locator(".header-tools")).to_contain_text(user.get_short_name())
        await expect(page.locator(".demo-banner")).to_have_count(0)
        return await axe_violations(page)

    violations = browse(scenario)
    assert violations == [], "axe-core: serious or critical violations on the landing page"


def test_a_wrong_authenticator_code_keeps_the_person_at_the_two_factor_step(browse, cast):
    user = cast.home.regional_secretariat
    secret = totp_secret(user)

    async def scenario(page):
        await submit_password(page, user.email)
        await submit_totp(page, secret, wrong=True)
        await expect(page).to_have_url("/accounts/2fa/authenticate/")
        await expect(page.locator("main")).to_contain_text("Incorrect code")
        await expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

        await submit_totp(page, secret)
        await expect(page).to_have_url("/r/aurora/")
        await page.locator(".user-menu").get_by_role("button", name=user.get_short_name()).click()
        await expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    browse(scenario)


def test_a_secretariat_without_two_factor_must_set_it_up_before_reaching_any_page(browse, cast):
    user = UserFactory()
    MembershipFactory(user=user, region=cast.home.region, role=Role.REGIONAL_SECRETARIAT)

    async def scenario(page):
        await submit_password(page, user.email)
        await expect(page.locator(".messages")).to_contain_text(
            "Your role requires two-factor authentication")
        if "/accounts/reauthenticate/" in page.url:
            # allauth asks for the password again before a security change (setting
            # ACCOUNT_REAUTHENTICATION_REQUIRED), even right after signing in.
            await page.locator("input[name=password]").fill(PASSWORD)
            await page.locator("main form button[type=submit]").click()
        await expect(page).to_have_url("/accounts/2fa/totp/activate/")
        await page.goto("/r/aurora/")  # no way around it
        await expect(page).to_have_url("/accounts/2fa/totp/activate/")

        # What the authenticator app would do with the secret the page shows.
        secret = await page.locator("#authenticator_secret").input_value()
        await page.locator("input[name=code]").fill(await current_totp_code(secret))
        await page.locator("main form button[type=submit]").click()
        await expect(page).not_to_have_url("/accounts/2fa/totp/activate/")

        await page.goto("/")
        await expect(page).to_have_url("/r/aurora/")
        await expect(page.locator("h1")).to_have_text("Aurora dashboard")

    browse(scenario)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_demo_mode_waives_two_factor_and_says_so_in_a_banner(browse, cast, settings):
    settings.DEMO = True
    user = UserFactory()
    MembershipFactory(user=user, region=cast.home.region, role=Role.REGIONAL_SECRETARIAT)

    async def scenario(page):
        await page.goto("/accounts/login/")
        await expect(page.locator(".demo-banner")).to_contain_text(
            "two-factor authentication is waived")
        await submit_password(page, user.email)
        await expect(page).to_have_url("/r/aurora/")
        await expect(page.locator(".demo-banner")).to_contain_text("Never use real data here")
        return await axe_violations(page)  # the banner shows only here: check its contrast

    assert browse(scenario) == []
