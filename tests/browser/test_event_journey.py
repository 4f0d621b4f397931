"""A regular meeting from plan to minutes in a browser, each person in their own browser: the
regional secretariat plans the meeting with the event form, builds the agenda with a city
contact as speaker (the searchable picker), invites the member cities by tier and submits the
agenda to the Forum; a Forum reviewer approves it from their approvals, which announces the
meeting; the city contact answers "Attending" on My events; after the meeting the
secretariat records attendance, writes the minutes and adds an action item for the city
contact; and, reminded by the monthly job that nobody spoke with the city last month, logs a
dialogue with it, which clears the reminder. axe-core finds no serious violation on any page
of the journey, no page breaks the Content Security Policy, and My events holds at 390 px."""

import asyncio
import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.async_api import expect

from alliance.models import Notification
from alliance.tenancy import region_scope
from cities.models import Dialogue, Stage, Tier
from cities.services import dialogues
from events.models import (
    ActionItem,
    AgendaState,
    Event,
    EventInvitation,
    EventState,
    Response,
)
from tests.factories import CityFactory, ContactFactory

from .pages import axe_violations, browser_of, sign_in, totp_secret, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Aurora regular meeting: open data progress"
LINK = "https://meet.example.org/aurora-regular"
ITEM = "Maebashi's open data catalogue: progress"
CITY = "Maebashi"
SPEAKER = "Kenji Sato"
ACTION = "Send the catalogue's licence draft to the secretariat"
MINUTES = "Maebashi presented its catalogue; the licence question goes to the working group."
SUMMARY = "Talked through the catalogue's licence and the workshop the city wants in spring."
FOLLOW_UP = "Share the licence examples of two member cities"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
LONG_AGO = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


def _label(text: str):
    """A form field's label, with or without the colon a Django label ends with."""
    return re.compile(rf"^{re.escape(text)}:?$")


def _messages(page):
    return page.locator(".messages")


def _section(page, heading_id: str):
    return page.locator(f"section[aria-labelledby={heading_id}]")


async def _accessibility(page) -> list[str]:
    await page.emulate_media(reduced_motion="reduce")
    return await axe_violations(page)


async def _sideways_at_phone_width(page) -> int:
    """How far the current page scrolls sideways at 390 px."""
    await page.set_viewport_size(PHONE)
    await page.reload()
    await page.wait_for_load_state("load")
    overflow = await page.evaluate("document.documentElement.scrollWidth"
                                   " - document.documentElement.clientWidth")
    await page.set_viewport_size(LAPTOP)
    return overflow


async def _pick(page, name: str, typed: str, option: str) -> None:
    """A searchable picker: type into it, take the only option from the keyboard."""
    picker = page.get_by_role("combobox", name=_label(name))
    await picker.focus()
    await page.keyboard.type(typed)
    options = page.locator(f"#{await picker.get_attribute('aria-controls')}").get_by_role(
        "option")
    # The answer to what was typed, not the first rows the picker shows on focus.
    await expect(options).to_have_count(1)
    await expect(options).to_contain_text(option)
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Enter")
    await expect(picker).to_have_value(option)


def _after_the_meeting(event_id: int) -> None:
    """The meeting took place: its start moves two hours back. The form plans only what is
    ahead and the agenda goes to the Forum only before the start, while attendance is
    recorded only once it started, so the test moves the clock of the data instead of
    waiting weeks. Runs in a thread of its own (the browser's loop refuses the ORM)."""
    try:
        with scopes_disabled():
            now = timezone.now().replace(microsecond=0)
            Event.objects.filter(pk=event_id).update(
                starts_at=now - datetime.timedelta(hours=2),
                ends_at=now - datetime.timedelta(hours=1))
    finally:
        connection.close()


# -- the secretariat ----------------------------------------------------------------------------

async def _reminded(page, found) -> None:
    await page.goto("/notifications/")
    reminder = page.locator(".notification-list li.is-unread",
                            has_text=f"No dialogue with {CITY} in")
    await expect(reminder).to_have_count(1)
    await expect(page.locator("#notification-bell .badge")).to_be_visible()
    found["notifications"] = await _accessibility(page)


async def _plan(page, starts: datetime.datetime, found) -> str:
    await page.goto("/r/aurora/")
    await page.get_by_role("navigation", name="Main", exact=True).get_by_role(
        "link", name="Events").click()
    await expect(page).to_have_url(re.compile(r"/r/aurora/events/$"))
    await page.get_by_role("link", name="Plan an event").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Plan an event")
    found["event form"] = await _accessibility(page)
    form = page.get_by_role("main").locator("form").last
    await form.get_by_role("combobox", name=_label("Kind")).select_option(
        label="Regular meeting")
    await form.get_by_role("textbox", name=_label("Title")).fill(TITLE)
    await form.get_by_role("combobox", name=_label("Format")).select_option(label="Online")
    await form.get_by_label(_label("Starts at")).fill(starts.strftime("%Y-%m-%dT%H:%M"))
    await form.get_by_label(_label("Ends at")).fill(
        (starts + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    await form.get_by_role("textbox", name=_label("Online link")).fill(LINK)
    await form.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    await expect(page.locator(".page-lead")).to_contain_text("Regular meeting")
    await expect(page.locator(".page-lead")).to_contain_text("Planned")
    await expect(_section(page, "agenda-heading")).to_contain_text("No agenda item yet.")
    found["event page"] = await _accessibility(page)
    return page.url


async def _agenda_with_a_city_speaker(page, event_url, found) -> None:
    await page.goto(event_url)
    await _section(page, "agenda-heading").get_by_role("link", name="Add an item").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Add an agenda item")
    found["agenda item form"] = await _accessibility(page)
    await page.get_by_role("textbox", name=_label("Title")).fill(ITEM)
    await page.get_by_label(_label("Duration (minutes)")).fill("20")
    await _pick(page, "Speaker: a city contact", "sato", SPEAKER)
    await page.get_by_role("main").get_by_role("button", name="Save").click()
    await expect(page).to_have_url(re.compile(re.escape(event_url) + "(#.*)?$"))
    agenda = _section(page, "agenda-heading")
    await expect(agenda.locator("tbody")).to_contain_text(ITEM)
    await expect(agenda.locator("tbody")).to_contain_text(SPEAKER)


async def _invite_and_submit(page, event_url, found) -> None:
    await page.goto(event_url)
    invitations = _section(page, "invitations-heading")
    await invitations.get_by_label("Pioneer", exact=True).check()
    await invitations.get_by_role("button", name="Invite these tiers").click()
    await expect(_messages(page)).to_contain_text("1 invited.")
    await expect(_section(page, "invitations-heading")).to_contain_text(CITY)
    await expect(_section(page, "invitations-heading")).to_contain_text(
        "Not announced yet: invitees are told once the Forum approves")
    await page.get_by_role("button", name="Submit agenda to the Forum").click()
    await expect(_messages(page)).to_be_visible()
    await expect(_section(page, "agenda-heading").locator("h2")).to_contain_text(
        "Submitted to the Forum")
    await expect(_section(page, "approval-heading")).to_contain_text("The approval request")
    found["event page (submitted)"] = await _accessibility(page)


async def _announced(page, event_url, found) -> None:
    await page.goto(event_url)
    await expect(page.locator(".page-lead")).to_contain_text("Announced")
    await expect(_section(page, "approval-heading")).to_contain_text(
        "The Forum approved the agenda and speakers")
    await expect(_section(page, "invitations-heading")).to_contain_text("Announced")
    found["event page (announced)"] = await _accessibility(page)


async def _attendance(page, event_url, found) -> None:
    await page.goto(event_url)
    invitations = _section(page, "invitations-heading")
    await expect(invitations).to_contain_text("Attending")
    await invitations.get_by_role("link", name="Record attendance").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Attendance")
    row = page.locator("tbody tr", has_text=CITY)
    await expect(row).to_contain_text("Attending")
    found["attendance"] = await _accessibility(page)
    await row.get_by_label("Yes", exact=True).check()
    await row.get_by_label("Who attended").fill(f"{SPEAKER} and the digital office")
    await page.get_by_role("button", name="Save attendance").click()
    await expect(_messages(page)).to_contain_text("Attendance saved (1 changed).")
    await expect(page.locator(".page-lead")).to_contain_text("1 attended, 0 did not, of 1")


async def _minutes_with_an_action(page, event_url, found) -> None:
    await page.goto(event_url)
    await _section(page, "minutes-heading").get_by_role(
        "link", name="Write the minutes").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Minutes and actions")
    found["minutes"] = await _accessibility(page)
    await _section(page, "minutes-text-heading").get_by_label(_label("Minutes")).fill(MINUTES)
    await page.get_by_role("button", name="Save the minutes").click()
    await expect(_messages(page)).to_contain_text("Minutes saved.")
    await page.locator(".page-actions").get_by_role("link", name="Add an action").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
    found["action form"] = await _accessibility(page)
    await page.get_by_role("textbox", name=_label("Action")).fill(ACTION)
    await _pick(page, "Owner", "sato", SPEAKER)
    due = timezone.localdate() + datetime.timedelta(days=14)
    await page.get_by_label(_label("Due on")).fill(due.isoformat())
    await page.get_by_role("main").get_by_role("button", name="Add the action").click()
    await expect(_messages(page)).to_contain_text("Action added.")
    actions = _section(page, "actions-heading")
    await expect(actions).to_contain_text(ACTION)
    await expect(actions).to_contain_text(SPEAKER)
    await expect(_section(page, "minutes-text-heading")).to_contain_text(
        "Maebashi presented its catalogue")
    found["minutes (recorded)"] = await _accessibility(page)


async def _dialogue_clears_the_reminder(page, found) -> None:
    await page.goto("/r/aurora/cities/dialogues/")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dialogues with member cities")
    row = page.locator("tbody tr", has_text=CITY)
    await expect(row.locator("td.coverage-gap")).not_to_have_count(0)
    await expect(row.locator("td.coverage-due")).to_have_count(1)
    found["coverage"] = await _accessibility(page)

    # The reminder leads to the dialogue form with the city chosen.
    await page.goto("/notifications/")
    await page.locator(".notification-list li", has_text=f"No dialogue with {CITY}") \
        .get_by_role("button").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Log a dialogue")
    await expect(page.get_by_role("combobox", name=_label("City"))).to_have_value(CITY)
    found["dialogue form"] = await _accessibility(page)
    await page.get_by_role("combobox", name=_label("With whom")).select_option(index=0)
    await page.get_by_role("textbox", name=_label("Names or roles")).fill(
        f"{SPEAKER}, digital office")
    await page.get_by_role("textbox", name=_label("Summary")).fill(SUMMARY)
    await page.get_by_role("group", name="Follow-up 1").get_by_role(
        "textbox", name=_label("Follow-up")).fill(FOLLOW_UP)
    await page.get_by_role("button", name="Log the dialogue").click()
    await expect(_messages(page)).to_contain_text(f"Dialogue with {CITY} logged.")
    await expect(page.get_by_role("main")).to_contain_text(SUMMARY)
    await expect(page.get_by_role("main")).to_contain_text(FOLLOW_UP)
    found["dialogue page"] = await _accessibility(page)

    await page.goto("/notifications/")
    await expect(page.locator(".notification-list li", has_text=f"No dialogue with {CITY}")) \
        .to_have_count(1)
    await expect(page.locator(".notification-list li.is-unread",
                              has_text=f"No dialogue with {CITY}")).to_have_count(0)
    await page.goto("/r/aurora/cities/dialogues/")
    row = page.locator("tbody tr", has_text=CITY)
    await expect(row.locator("td.coverage-due")).to_have_count(0)
    await expect(row.locator("td.coverage-spoken")).to_have_count(1)


# -- the Forum reviewer -------------------------------------------------------------------------

async def _reviewer_approves(other, found) -> None:
    await other.get_by_role("navigation", name="Main", exact=True).get_by_role(
        "link", name="Approvals").click()
    await expect(other).to_have_url(re.compile(r"/r/aurora/approvals/$"))
    await other.get_by_role("link", name=re.compile(rf"^Agenda of “{re.escape(TITLE)}”")) \
        .click()
    main = other.get_by_role("main")
    await expect(main).to_contain_text(TITLE)
    await expect(main).to_contain_text(ITEM)
    await expect(main).to_contain_text(SPEAKER)
    found["approval page"] = await _accessibility(other)
    await other.get_by_label("Approve", exact=True).check()
    await other.get_by_label("Comment").fill("A city speaker on its own progress: approved.")
    await other.get_by_role("button", name="Record decision").click()
    await expect(_messages(other)).to_contain_text("Decision recorded")


# -- the city contact ---------------------------------------------------------------------------

async def _contact_attends(other, found) -> None:
    await other.get_by_role("navigation", name="Main", exact=True).get_by_role(
        "link", name="My events").click()
    await expect(other.get_by_role("heading", level=1)).to_have_text("My events")
    card = other.locator("article.card", has_text=TITLE)
    await expect(card).to_contain_text(f"Invited: {CITY}")
    await expect(card).to_contain_text("No answer yet")
    found["my events"] = await _accessibility(other)
    found["my events, sideways at 390 px"] = await _sideways_at_phone_width(other)
    card = other.locator("article.card", has_text=TITLE)
    await card.get_by_role("textbox", name="Note").fill("Two of us, with the digital office.")
    await card.get_by_role("button", name="Attending", exact=True).click()
    await expect(_messages(other)).to_contain_text("Your answer is saved: Attending.")
    await expect(other.locator("article.card", has_text=TITLE)).to_contain_text(
        "Your answer: Attending")
    found["my events (answered)"] = await _accessibility(other)


def test_a_regular_meeting_goes_from_plan_to_minutes_and_a_dialogue_clears_the_reminder(
        browse, cast, live_server):
    region = cast.home.region
    secretariat, reviewer = cast.home.regional_secretariat, cast.home.forum_reviewer
    contact_user = cast.home.city_contact
    contact_user.full_name = SPEAKER
    contact_user.save(update_fields=["full_name"])
    secret, reviewer_secret = totp_secret(secretariat), totp_secret(reviewer)
    city = CityFactory(region=region, name=CITY, stage=Stage.MEMBER, tier=Tier.PIONEER,
                       owner=secretariat, stage_changed_at=LONG_AGO)
    ContactFactory(city=city, user=contact_user, name=SPEAKER, email=contact_user.email)
    # The monthly job, as beat runs it from the month's first working day: nobody spoke with
    # the city last month, so its owner is reminded (once).
    with region_scope(region):
        today = timezone.localdate()
        sent = dialogues.send_reminders(region=region,
                                        today=max(today, dialogues.first_working_day(today)))
    assert sent == 1
    # Eight weeks ahead at 10:00 in the region's time zone: past both agenda milestones' dates.
    with region_scope(region):
        starts = datetime.datetime.combine(timezone.localdate() + datetime.timedelta(weeks=8),
                                           datetime.time(10, 0))

    async def scenario(page):
        csp, found = [], {}
        watch_csp(page, csp)
        await sign_in(page, secretariat, secret=secret)
        await _reminded(page, found)
        event_url = await _plan(page, starts, found)
        event_id = int(re.search(r"/events/(\d+)/", event_url).group(1))
        await _agenda_with_a_city_speaker(page, event_url, found)
        await _invite_and_submit(page, event_url, found)

        async with browser_of(page, live_server.url, csp) as reviewer_page:
            await sign_in(reviewer_page, reviewer, secret=reviewer_secret)
            await _reviewer_approves(reviewer_page, found)

        await _announced(page, event_url, found)
        async with browser_of(page, live_server.url, csp) as contact_page:
            await sign_in(contact_page, contact_user)
            await _contact_attends(contact_page, found)

        await asyncio.to_thread(_after_the_meeting, event_id)
        await _attendance(page, event_url, found)
        await _minutes_with_an_action(page, event_url, found)
        await _dialogue_clears_the_reminder(page, found)
        return found, csp, event_id

    found, csp, event_id = browse(scenario)
    assert found == {
        "notifications": [], "event form": [], "event page": [], "agenda item form": [],
        "event page (submitted)": [], "approval page": [], "event page (announced)": [],
        "my events": [], "my events, sideways at 390 px": 0, "my events (answered)": [],
        "attendance": [], "minutes": [], "action form": [], "minutes (recorded)": [],
        "coverage": [], "dialogue form": [], "dialogue page": []}, found
    assert csp == []
    with scope(region=region):
        event = Event.objects.get(pk=event_id)
        invitation = EventInvitation.objects.get(event=event)
        action = ActionItem.objects.get(event=event)
        dialogue = Dialogue.objects.get(city=city)
    assert (event.state, event.agenda_state, event.minutes) == (
        EventState.ANNOUNCED, AgendaState.APPROVED, MINUTES)
    assert (invitation.city_id, invitation.response, invitation.attended) == (
        city.pk, Response.ACCEPTED, True)
    assert (action.title, action.owner) == (ACTION, contact_user)
    assert dialogue.summary == SUMMARY
    assert not Notification.objects.filter(
        key__startswith=dialogues.reminder_prefix(city.pk), read_at=None).exists()
