"""Browser fixtures: Debian's chromium driven by Playwright, one browser per test process.

Playwright's *sync* API keeps an asyncio loop marked "running" on the main thread for as long
as it is started, and Django then refuses every ORM call (SynchronousOnlyOperation) in this
test and in every later test of the same xdist worker. So the browser is driven with the
async API on a private loop that runs only while a browser scenario runs: a test prepares
its data with the ORM as usual, then hands an async scenario to `browse`.

    @pytest.mark.browser
    @pytest.mark.django_db(transaction=True)
    def test_something(browse, cast):
        user = cast.home.expert                      # ORM: outside the loop

        async def scenario(page):
            await page.goto("/")                     # Playwright: inside the loop

        browse(scenario)

Without /usr/bin/chromium every browser test is skipped with the reason; none fails.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def _browser_loop():
    """(loop, browser): one headless chromium per test process, closed at the end."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} "
                    "(apt-get install chromium)")
    loop = asyncio.new_event_loop()
    playwright = loop.run_until_complete(async_playwright().start())
    try:
        browser = loop.run_until_complete(playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS))
    except BaseException:
        loop.run_until_complete(playwright.stop())
        loop.close()
        raise
    yield loop, browser
    loop.run_until_complete(browser.close())
    loop.run_until_complete(playwright.stop())
    loop.close()


@pytest.fixture
def browse(_browser_loop, live_server, settings):
    """`browse(scenario)` runs `await scenario(page)` in a fresh browser context: no cookies,
    English, relative URLs resolved against the live server. Returns what the scenario does."""
    loop, browser = _browser_loop
    # Every browser of the suite signs in from 127.0.0.1, so allauth's per-IP limit on
    # sign-ins (30 a minute, counted in the cache that xdist workers share on Redis) would
    # refuse a long run. The per-account limits stay as configured.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1000/m/ip"}

    async def in_new_context(scenario):
        context = await browser.new_context(base_url=live_server.url, locale="en-GB",
                                            viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        try:
            return await scenario(await context.new_page())
        finally:
            await context.close()

    def run(scenario):
        return loop.run_until_complete(in_new_context(scenario))

    return run
