"""What a person does in the browser, as small async steps shared by the browser tests."""

from __future__ import annotations

import asyncio
import re
import time
from contextlib import asynccontextmanager
from pathlib import Path

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from playwright.async_api import expect

from tests.factories import PASSWORD

SIGN_IN_STEPS = re.compile(r"/accounts/(login|2fa/authenticate)/")
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"


def totp_secret(user) -> str:
    """The base32 secret of the user's authenticator app (ORM: call it outside `browse`)."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


async def current_totp_code(secret: str) -> str:
    """What the authenticator app shows now; waits for the next period when this one ends
    too soon for the code to arrive in time."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 3:
        await asyncio.sleep(left + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


async def submit_password(page, email: str, password: str = PASSWORD) -> None:
    """Fill in and send the sign-in form at /accounts/login/."""
    await page.goto("/accounts/login/")
    await page.locator("input[name=login]").fill(email)
    await page.locator("input[name=password]").fill(password)
    await page.locator("main form button[type=submit]").click()


async def submit_totp(page, secret: str, *, wrong: bool = False) -> None:
    """Type what the authenticator app shows (or, with `wrong`, a code it does not show)."""
    await expect(page).to_have_url("/accounts/2fa/authenticate/")
    code = await current_totp_code(secret)
    if wrong:
        code = format_hotp_value((int(code) + 1) % 10 ** len(code))
    await page.locator("input[name=code]").fill(code)
    await page.locator("main form button[type=submit]").first.click()


async def sign_in(page, user, *, secret: str | None = None) -> None:
    """Sign in through the real forms; with `secret`, through the two-factor step as well."""
    await submit_password(page, user.email)
    if secret is not None:
        await submit_totp(page, secret)
    await expect(page).not_to_have_url(SIGN_IN_STEPS)


async def main_nav_labels(page, name: str = "Main") -> list[str]:
    """The links of the main navigation landmark (`name`: its label in the page's language)."""
    links = page.get_by_role("navigation", name=name, exact=True).get_by_role("link")
    return [label.strip() for label in await links.all_inner_texts()]


async def switch_language(page, code: str) -> None:
    """The language switcher (in the header; once signed in, in the user menu): pick a
    language, press the button next to it."""
    switcher = page.locator("form.language-switcher")
    if not await switcher.is_visible():
        await page.locator(".user-menu .dropdown-toggle").click()
    await switcher.locator("select#language-switch").select_option(code)
    await switcher.locator("button[type=submit]").click()
    await expect(page.locator("html")).to_have_attribute("lang", code)


async def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """axe-core's violations of the given impacts on the current page, one line each.

    axe is evaluated through the DevTools protocol: the portal's Content-Security-Policy
    (script-src 'self') rightly refuses an inline <script> tag, so add_script_tag would not
    run, and the test must not switch the policy off to check the page."""
    await page.wait_for_load_state("load")
    # A toast or dialog fading in or out is half transparent: its contrast is what it settles
    # at. With reduced motion Bootstrap fades nothing (a toast hiding itself while axe reads
    # the page would be caught mid-fade), and axe reads the page once every running
    # transition has finished (a spinner's endless animation is not waited for).
    await page.emulate_media(reduced_motion="reduce")
    await page.evaluate("Promise.all(document.getAnimations()"
                        ".filter(a => a.effect?.getComputedTiming().endTime !== Infinity)"
                        ".map(a => a.finished.catch(() => null)))")
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(AXE.read_text(encoding="utf-8"))
    result = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in result["violations"]
        if v["impact"] in impacts
    ]


# -- a page checked as a phone opens it ----------------------------------------------------------

# What a sound page gives `phone_check`: it answers, does not scroll sideways, breaks no Content
# Security Policy (in the page or the console) and has no serious axe violation.
SOUND = {"status": 200, "overflow": 0, "csp": [], "console": [], "axe": []}
CSP = "Content Security Policy"
# Records violations from the first byte of every page, before any of its scripts run.
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
});
"""


def watch_csp(page, found: list[str]) -> None:
    """Collect the console's Content Security Policy messages of `page` into `found`."""
    page.on("console", lambda message: found.append(message.text)
            if CSP in message.text else None)


@asynccontextmanager
async def browser_of(page, base_url: str, csp: list[str]):
    """Another person's browser on the same portal (its CSP messages into `csp`)."""
    from .conftest import TIMEOUT_MS

    context = await page.context.browser.new_context(
        base_url=base_url, locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        other = await context.new_page()
        watch_csp(other, csp)
        yield other
    finally:
        await context.close()


async def watch_for_phone_checks(page) -> list[str]:
    """The console's CSP messages from now on (the list `phone_check` reads), the page's own
    violations recorded, and motion reduced (axe reads settled colours)."""
    console: list[str] = []
    watch_csp(page, console)
    await page.add_init_script(WATCH_CSP)
    await page.emulate_media(reduced_motion="reduce")
    return console


async def phone_check(page, path: str, console: list[str]) -> dict:
    """What `path` gives, in SOUND's terms (compare with SOUND)."""
    console.clear()
    response = await page.goto(path)
    await page.wait_for_load_state("networkidle")
    found = {"status": response.status} | await page.evaluate("""() => ({
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        csp: window.cspViolations,
    })""")
    return found | {"console": list(console), "axe": await axe_violations(page)}
