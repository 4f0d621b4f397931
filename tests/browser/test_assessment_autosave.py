"""Autosave on the answering page as a city official on a weak connection meets it: an answer
typed while the server cannot be reached says it is not saved and retries until it is; what
was typed and never saved comes back after a reload (kept in the browser); and when a
colleague saved the same answer in between, the page shows their value and "Keep mine" saves
the official's own."""

import asyncio
import re

import pytest
from django_scopes import scope
from playwright.async_api import expect

from alliance.models import Role
from assessments.models import Answer
from assessments.services import assignments
from tests.assessments.answering_world import build
from tests.conftest import member

from .conftest import TIMEOUT_MS
from .pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"^Saved ")
OFFLINE = "Not saved: offline, retrying"


def _note(page):
    return page.locator(".question", has_text="Anything to add?")


def _stored(world, question):
    with scope(region=world.region):
        return Answer.objects.select_related("answered_by").get(
            assessment=world.assessment, question=question)


def _save_route(world, question) -> str:
    return f"**{world.answer_url(question)}"


async def _abort(route):
    await route.abort("internetdisconnected")


async def _unavailable(route):
    await route.fulfill(status=503, content_type="text/html",
                        body="<h1>Service unavailable</h1>")


FAILURES = {"dropped connection": (_abort, OFFLINE),
            "server unavailable": (_unavailable, "Not saved: retrying")}


@pytest.mark.parametrize("failure", FAILURES)
def test_an_answer_typed_while_the_server_is_unreachable_says_so_and_is_saved_later(
        browse, cast, failure):
    world = build(cast)
    contact = cast.home.city_contact
    text = "Adopted by the council in March; published in the city gazette."
    handler, said = FAILURES[failure]

    async def scenario(page):
        await sign_in(page, contact)
        await page.goto(world.url)
        note = _note(page)
        status = note.locator("[data-status]")
        await page.route(_save_route(world, world.note), handler)
        await note.get_by_label("Your answer").fill(text)
        await expect(status).to_have_text(said)
        await page.unroute(_save_route(world, world.note), handler)
        # The retry comes by itself, without typing again.
        await expect(status).to_have_text(SAVED, timeout=TIMEOUT_MS)
        return await page.evaluate("Object.keys(localStorage)")

    kept = browse(scenario)
    assert _stored(world, world.note).text == text
    assert kept == [], "the saved answer is still kept in the browser"


def test_text_left_unsaved_survives_a_reload_and_is_saved_then(browse, cast):
    world = build(cast)
    contact = cast.home.city_contact
    text = "Written on the train, with no signal."

    async def scenario(page):
        page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
        await sign_in(page, contact)
        await page.goto(world.url)
        await page.route(_save_route(world, world.note), _abort)
        await _note(page).get_by_label("Your answer").fill(text)
        await expect(_note(page).locator("[data-status]")).to_have_text(OFFLINE)

        await page.reload()
        note = _note(page)
        await expect(note.get_by_label("Your answer")).to_have_value(text)
        await expect(note.locator("[data-status]")).to_contain_text("Not saved")
        await page.unroute(_save_route(world, world.note), _abort)
        await expect(note.locator("[data-status]")).to_have_text(SAVED, timeout=TIMEOUT_MS)

        await page.reload()
        await expect(_note(page).get_by_label("Your answer")).to_have_value(text)
        return await page.evaluate("Object.keys(localStorage)")

    kept = browse(scenario)
    assert _stored(world, world.note).text == text
    assert kept == []


def test_a_colleagues_change_in_between_is_shown_and_keep_mine_saves(browse, cast,
                                                                      live_server):
    world = build(cast)
    contact = cast.home.city_contact
    colleague = member(Role.CITY_CONTACT, world.region, full_name="Kenji Sato")
    with scope(region=world.region):
        assignments.assign(actor=contact, assessment=world.assessment,
                           section=world.governance, email=colleague.email)
    mine, theirs = "Reviewed yearly by the CIO.", "Reviewed every two years."

    async def scenario(page):
        await sign_in(page, contact)
        await page.goto(world.url)
        note = _note(page)
        await expect(note.get_by_label("Your answer")).to_be_editable()

        context = await page.context.browser.new_context(base_url=live_server.url,
                                                         locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        try:
            other = await context.new_page()
            await sign_in(other, colleague)
            await other.goto(world.url)
            await _note(other).get_by_label("Your answer").fill(theirs)
            await expect(_note(other).locator("[data-status]")).to_have_text(SAVED)
        finally:
            await context.close()

        # The contact's page still holds the revision from before the colleague's save.
        await note.get_by_label("Your answer").fill(mine)
        conflict = note.locator("[data-conflict]")
        await expect(conflict).to_be_visible()
        await expect(conflict).to_have_attribute("role", "alert")
        await expect(conflict).to_contain_text("Kenji Sato changed this answer at")
        await expect(conflict.locator(".theirs")).to_have_text(theirs)
        keep = conflict.get_by_role("button", name="Keep mine")
        await expect(keep).to_be_focused()
        await keep.click()
        await expect(conflict).to_be_hidden()
        await expect(note.locator("[data-status]")).to_have_text(SAVED)
        await expect(note.get_by_label("Your answer")).to_have_value(mine)

    browse(scenario)
    answer = _stored(world, world.note)
    assert (answer.text, answer.answered_by) == (mine, contact)
    assert answer.revision == 2
