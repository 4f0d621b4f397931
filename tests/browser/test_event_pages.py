"""Every page of the events area on a phone (390x844): none scrolls sideways (tables scroll in
their own frame), none breaks the Content Security Policy (console and
securitypolicyviolation events), axe-core finds no serious or critical violation, and each
shows its rows. The region's events, agendas, invitations, attendance, minutes, meeting
series, calendar feeds and settings as its secretariat runs them (and what a Forum reviewer
reads), a meeting series' events as the member it was handed to runs them, and My events and
the calendar feeds of a city contact and an expert, also in Japanese and Spanish.

`events_region` builds the data every walk of the new areas reads (events, dialogues with
cities in test_dialogue_pages.py, workplans and support activities in test_support_pages.py)."""

import datetime
from pprint import pformat

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from alliance.models import Role
from alliance.tenancy import region_scope
from cities.models import Dialogue, Stage, Tier
from cities.services import dialogues
from events.models import (
    EventFormat,
    EventKind,
    MilestoneStatus,
    Response,
    SupportKind,
    WorkplanStatus,
)
from events.services import agendas, events, invitations, minutes, support, workplans
from events.services import series as series_service
from experts.models import Stage as ExpertStage
from tests.assessments.factories import ModelPolicyFactory
from tests.experts.factories import ExpertFactory
from tests.factories import CityFactory, ContactFactory, MembershipFactory, UserFactory

from .pages import (
    SOUND,
    phone_check,
    sign_in,
    switch_language,
    totp_secret,
    watch_for_phone_checks,
)
from .test_layout import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_AGO = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
LONG_LINK = ("https://meet.example.org/aurora-alliance/regular-meetings/"
             "open-data-and-mobility-progress-sharing-session-with-member-cities")
LONG_TITLE = "Aurora Regional Alliance regular meeting: open data progress sharing"
SERIES = "Aurora Regional Alliance monthly regular meeting"
PAST_TITLE = "Aurora Regional Alliance regular meeting: the model policies' first readings"
ITEM = "Maebashi's open data catalogue: progress and the licence question"
SPEAKER = "Kenji Sato-Yamaguchi"
ACTION = "Send the catalogue's licence draft to the secretariat"
MINUTES = "Maebashi presented its catalogue; the licence question goes to the working group."
POLICY = "Open data by default for municipal datasets"
TEMPLATE = "Open data model policy: the twelve-month workplan"
MILESTONE = "Name the department responsible for the open data catalogue"
COMMENT = "Start with the data inventory: the licence follows from it."
PROGRESS = "The digital office drafted the first section of the catalogue's rules."
OTHER_KIND = "Data literacy course for the city's digital office"
ACTIVITY = "Workshop on the open data model policy for the digital office"
DIALOGUE = "Talked through the catalogue's licence and the workshop the city wants in spring."
FOLLOW_UP = "Share the licence examples of two member cities"
EXPERT = "Dr. Aiko Takahashi-Yamamoto"
DELEGATE = "Haruto Kimura"
CLEAN = {**SOUND, "missing": []}
# What a page shows when its rows are there (the text of one of them, or of several).
SHOWN = {
    "event list": LONG_TITLE,
    "event list (past)": PAST_TITLE,
    "event page": (ITEM, SPEAKER, "Maebashi"),
    "event page (held)": (MINUTES[:40], ACTION),
    "event form (edit)": LONG_TITLE,
    "next meeting form": PAST_TITLE,
    "printable agenda": (ITEM, SPEAKER),
    "agenda item form (edit)": ITEM,
    "invitations": ("Maebashi", EXPERT),
    "invitations (held)": ("Maebashi", "Attending"),
    "attendance": ("Maebashi", EXPERT),
    "minutes": ACTION,
    "action form (edit)": PAST_TITLE,
    "series list": SERIES,
    "series page": (SERIES, LONG_TITLE, PAST_TITLE),
    "event settings": "Observer",
    "agenda approval": (ITEM, SPEAKER),
    "my events": LONG_TITLE,
    "calendar feeds": "Feed address",
    "dialogue coverage": "Maebashi",
    "dialogue list": "Maebashi",
    "dialogue page": (DIALOGUE, FOLLOW_UP),
    "dialogue form (edit)": "Dialogue with Maebashi",
    "city page (dialogues)": (DIALOGUE[:60], FOLLOW_UP),
    "workplan list": ("Maebashi", POLICY),
    "workplan page": (MILESTONE, COMMENT, PROGRESS),
    "workplan form (edit)": "Maebashi",
    "milestone form (edit)": MILESTONE,
    "template list": TEMPLATE,
    "template form (edit)": TEMPLATE,
    "own workplans": ("Maebashi", POLICY),
    "support activity list": "Maebashi",
    "support activity page": ACTIVITY,
    "support activity page (other kind)": (OTHER_KIND, "Awaiting Global Secretariat approval"),
    "support approval": OTHER_KIND,
}


def events_region(cast) -> dict[str, dict[str, str]]:
    """A member city (Maebashi, pioneer) whose contact is the cast's city contact, an
    observer city, the cast's expert confirmed; a meeting series handed to a member (its
    delegate), its meeting held last week (invitations answered, attendance, minutes and
    action items) and its next one with an agenda (a city speaker) submitted to the Forum,
    the city and the expert invited and told; a dialogue with Maebashi with a follow-up and
    the monthly reminder about the other member city; a workplan template, Maebashi's
    workplan from it (milestones, the expert advising, a comment, this month's follow-up)
    and a support activity. Each page's path by who opens it."""
    region = cast.home.region
    secretariat, contact_user = cast.home.regional_secretariat, cast.home.city_contact
    expert_user = cast.home.expert
    delegate = UserFactory(full_name=DELEGATE)
    MembershipFactory(user=delegate, region=region, role=Role.CITY_CONTACT)
    policy = ModelPolicyFactory(title=POLICY)
    with region_scope(region):
        city = CityFactory(region=region, name="Maebashi", stage=Stage.MEMBER,
                           tier=Tier.PIONEER, owner=secretariat, stage_changed_at=LONG_AGO)
        CityFactory(region=region, name="Takasaki", stage=Stage.MEMBER, tier=Tier.ACTIVE,
                    owner=secretariat, stage_changed_at=LONG_AGO)
        CityFactory(region=region, name="Kiryu", stage=Stage.IN_DIALOGUE, tier=Tier.OBSERVER)
        contact = ContactFactory(city=city, user=contact_user, name=SPEAKER,
                                 email=contact_user.email)
        delegates_city = CityFactory(region=region, name="Ota", stage=Stage.MEMBER,
                                     tier=Tier.ACTIVE, stage_changed_at=LONG_AGO)
        ContactFactory(city=delegates_city, user=delegate, email=delegate.email, name=DELEGATE)
        expert = ExpertFactory(region=region, stage=ExpertStage.CONFIRMED, user=expert_user,
                               name=EXPERT, email=expert_user.email,
                               organization="Institute for Interoperable Municipal Data")

        series = series_service.create_series(actor=secretariat, region=region, title=SERIES,
                                              description="Progress sharing every month.")
        series_service.hand_over(actor=secretariat, series=series, delegate=delegate,
                                 role="Host of the regular meeting")
        zone = events.zone_of(region)
        today = timezone.localdate()

        def at(days: int) -> datetime.datetime:
            return datetime.datetime.combine(today + datetime.timedelta(days=days),
                                             datetime.time(10), tzinfo=zone)

        upcoming = events.create_event(
            actor=secretariat, region=region, kind=EventKind.REGULAR_MEETING, title=LONG_TITLE,
            starts_at=at(56), ends_at=at(56) + datetime.timedelta(hours=2),
            format=EventFormat.HYBRID, venue="Maebashi City Hall, 2-12-1 Ote-machi",
            online_link=LONG_LINK, organizer=secretariat, series=series, model_policy=policy)
        agenda_item = agendas.add_item(actor=secretariat, event=upcoming, title=ITEM,
                                       duration_minutes=25, speaker_contact=contact).item
        agendas.add_item(actor=secretariat, event=upcoming, title="Questions and next steps",
                         duration_minutes=15, speaker_expert=expert)
        approval = agendas.submit_agenda(actor=secretariat, event=upcoming)
        for invited in (invitations.invite_city(actor=secretariat, event=upcoming, city=city),
                        invitations.invite_city(actor=secretariat, event=upcoming,
                                                city=delegates_city),
                        invitations.invite_experts(actor=secretariat, event=upcoming,
                                                   experts=[expert])):
            assert invited
        # Invitees see an event once it is announced (after the Forum's approval); the
        # walk reads My events with the event on it, so it is marked announced here.
        upcoming.announced_at = timezone.now()
        upcoming.save(update_fields=["announced_at"])

        past = events.create_event(
            actor=secretariat, region=region, kind=EventKind.REGULAR_MEETING, title=PAST_TITLE,
            starts_at=at(-7), ends_at=at(-7) + datetime.timedelta(hours=2),
            online_link=LONG_LINK, organizer=secretariat, series=series)
        invitations.invite_city(actor=secretariat, event=past, city=city)
        invitations.invite_experts(actor=secretariat, event=past, experts=[expert])
        rows = list(invitations.invitations_of(past))
        for row in rows:
            row.response = Response.ACCEPTED
            row.save(update_fields=["response"])
        invitations.record_attendance(actor=secretariat, event=past, rows={
            row.pk: (True, f"{SPEAKER} and the digital office") for row in rows})
        minutes.save_minutes(actor=secretariat, event=past, minutes=MINUTES)
        action = minutes.add_action_item(actor=secretariat, event=past, title=ACTION,
                                         owner=contact_user,
                                         due_on=today + datetime.timedelta(days=14))
        minutes.add_action_item(actor=secretariat, event=past, owner=expert_user,
                                title="Comment on the licence draft",
                                due_on=today - datetime.timedelta(days=1))

        dialogue = dialogues.create_dialogue(
            actor=secretariat, region=region, city=city, held_on=today, summary=DIALOGUE,
            with_whom_note="Mayor's digital office",
            follow_ups=[{"title": FOLLOW_UP, "owner": secretariat,
                         "due_on": today + datetime.timedelta(days=10)}])
        dialogues.send_reminders(region=region, today=max(
            today, dialogues.first_working_day(today)))

        template = workplans.create_template(
            actor=secretariat, region=region, title=TEMPLATE,
            goals="Adopt the open data model policy and publish the catalogue.",
            milestones=[{"title": MILESTONE, "after_days": 30},
                        {"title": "Publish the first ten datasets", "after_days": 120},
                        {"title": "Adopt the policy in the city council", "after_days": 300}])
        workplan = workplans.create_workplan(actor=secretariat, region=region, city=city,
                                             model_policy=policy, template=template,
                                             responsible=SPEAKER)
        workplans.set_advisors(actor=secretariat, workplan=workplan, advisors=[expert])
        milestone = workplan.milestones.order_by("position", "pk").first()
        workplans.update_milestone(actor=contact_user, milestone=milestone,
                                   status=MilestoneStatus.DONE)
        workplans.add_comment(actor=expert_user, workplan=workplan, body=COMMENT)
        workplans.record_progress(actor=contact_user, workplan=workplan, summary=PROGRESS,
                                  next_steps="Inventory of the mobility datasets.")
        assert workplan.status == WorkplanStatus.ACTIVE
        activity = support.create_activity(
            actor=secretariat, region=region, city=city, kind=SupportKind.WORKSHOP,
            workplan=workplan, description=ACTIVITY,
            planned_on=today + datetime.timedelta(days=20))
        other = support.create_activity(
            actor=secretariat, region=region, city=city, kind=SupportKind.OTHER,
            other_kind=OTHER_KIND, description="Data literacy course for the city's staff.")
        other_request = support.latest_request(other)
        assert other_request is not None
        assert Dialogue.objects.filter(city=city).count() == 1

    slug = {"region_slug": region.slug}
    coming = {**slug, "event_id": upcoming.pk}
    held = {**slug, "event_id": past.pk}
    in_series = {**slug, "series_id": series.pk}
    in_workplan = {**slug, "workplan_id": workplan.pk}
    event_pages = {
        "event page": reverse("event-detail", kwargs=coming),
        "event page (held)": reverse("event-detail", kwargs=held),
        "event form (edit)": reverse("event-edit", kwargs=coming),
        "next meeting form": reverse("event-schedule-next", kwargs=held),
        "printable agenda": reverse("event-agenda-print", kwargs=coming),
        "agenda item form": reverse("agenda-item-create", kwargs=coming),
        "agenda item form (edit)": reverse(
            "agenda-item-edit", kwargs={**coming, "agenda_item_id": agenda_item.pk}),
        "invitations": reverse("invitee-list", kwargs=coming),
        "invitations (held)": reverse("invitee-list", kwargs=held),
        "attendance": reverse("event-attendance", kwargs=held),
        "minutes": reverse("event-minutes", kwargs=held),
        "action form": reverse("action-item-create", kwargs=held),
        "action form (edit)": reverse("action-item-edit",
                                      kwargs={**held, "action_item_id": action.pk}),
        "series page": reverse("series-detail", kwargs=in_series),
    }
    own = {
        "my events": reverse("my-events", kwargs=slug),
        "calendar feeds": reverse("calendar-feeds", kwargs=slug),
        "own workplans": reverse("own-workplans", kwargs=slug),
        "workplan page": reverse("workplan-detail", kwargs=in_workplan),
    }
    agenda_approval = reverse("approval-detail", kwargs={**slug, "approval_id": approval.pk})
    return {
        "regional secretariat": {
            "dashboard": reverse("region-dashboard", kwargs=slug),
            "event list": reverse("event-list", kwargs=slug),
            "event list (past)": reverse("event-list", kwargs=slug) + "?when=past",
            "event form": reverse("event-create", kwargs=slug),
            **event_pages,
            "series list": reverse("series-list", kwargs=slug),
            "series form": reverse("series-create", kwargs=slug),
            "series form (edit)": reverse("series-edit", kwargs=in_series),
            "series hand-over form": reverse("series-hand-over", kwargs=in_series),
            "calendar feeds": reverse("calendar-feeds", kwargs=slug),
            "event settings": reverse("event-settings", kwargs=slug),
            "agenda approval": agenda_approval,
            "dialogue coverage": reverse("dialogue-coverage", kwargs=slug),
            "dialogue list": reverse("dialogue-list", kwargs=slug),
            "dialogue page": reverse("dialogue-detail",
                                     kwargs={**slug, "dialogue_id": dialogue.pk}),
            "dialogue form": reverse("dialogue-create", kwargs=slug) + f"?city={city.pk}",
            "dialogue form (edit)": reverse("dialogue-edit",
                                            kwargs={**slug, "dialogue_id": dialogue.pk}),
            "city page (dialogues)": reverse("city-detail",
                                             kwargs={**slug, "city_id": city.pk}),
            "workplan list": reverse("workplan-list", kwargs=slug),
            "workplan page": reverse("workplan-detail", kwargs=in_workplan),
            "workplan form": reverse("workplan-create", kwargs=slug),
            "workplan form (edit)": reverse("workplan-edit", kwargs=in_workplan),
            "milestone form": reverse("milestone-create", kwargs=in_workplan),
            "milestone form (edit)": reverse(
                "milestone-edit", kwargs={**in_workplan, "milestone_id": milestone.pk}),
            "template list": reverse("workplan-template-list", kwargs=slug),
            "template form": reverse("workplan-template-create", kwargs=slug),
            "template form (edit)": reverse(
                "workplan-template-edit", kwargs={**slug, "workplan_template_id": template.pk}),
            "support activity list": reverse("support-activity-list", kwargs=slug),
            "support activity page": reverse("support-activity-detail",
                                             kwargs={**slug, "activity_id": activity.pk}),
            "support activity form": reverse("support-activity-create", kwargs=slug),
            "support activity page (other kind)": reverse(
                "support-activity-detail", kwargs={**slug, "activity_id": other.pk}),
        },
        "forum reviewer": {
            "event list": reverse("event-list", kwargs=slug),
            "event page": reverse("event-detail", kwargs=coming),
            "event page (held)": reverse("event-detail", kwargs=held),
            "printable agenda": reverse("event-agenda-print", kwargs=coming),
            "invitations": reverse("invitee-list", kwargs=coming),
            "minutes": reverse("event-minutes", kwargs=held),
            "series list": reverse("series-list", kwargs=slug),
            "series page": reverse("series-detail", kwargs=in_series),
            "calendar feeds": reverse("calendar-feeds", kwargs=slug),
            "agenda approval": agenda_approval,
            "workplan list": reverse("workplan-list", kwargs=slug),
            "workplan page": reverse("workplan-detail", kwargs=in_workplan),
        },
        "city contact": {
            "dashboard": reverse("region-dashboard", kwargs=slug),
            **own,
            "workplan form (edit)": reverse("workplan-edit", kwargs=in_workplan),
            "milestone form": reverse("milestone-create", kwargs=in_workplan),
            "milestone form (edit)": reverse(
                "milestone-edit", kwargs={**in_workplan, "milestone_id": milestone.pk}),
        },
        "expert": {
            "dashboard": reverse("region-dashboard", kwargs=slug),
            **own,
        },
        # The Global Secretariat decides on support of another kind ("check with WEF").
        "global secretariat": {
            "support approval": reverse("global:approval-detail",
                                        kwargs={"approval_id": other_request.pk}),
        },
        # The member the series was handed to runs its events (not the region's others).
        "series delegate": {
            **event_pages,
            "event form": reverse("event-create", kwargs=slug) + f"?series={series.pk}",
            "my events": reverse("my-events", kwargs=slug),
        },
    }


# The pages of each area (the walk of an area opens those of its names a role may open).
DIALOGUE_PAGES = ("dialogue coverage", "dialogue list", "dialogue page", "dialogue form",
                  "dialogue form (edit)", "city page (dialogues)")
SUPPORT_PAGES = ("workplan list", "workplan page", "workplan form", "workplan form (edit)",
                 "milestone form", "milestone form (edit)", "template list", "template form",
                 "template form (edit)", "support activity list", "support activity page",
                 "support activity form", "support activity page (other kind)",
                 "support approval", "own workplans")
ROLES = ("regional secretariat", "forum reviewer", "city contact", "expert", "series delegate")


def user_of(cast, who: str):
    if who == "series delegate":
        return get_user_model().objects.get(full_name=DELEGATE)
    return {"regional secretariat": cast.home.regional_secretariat,
            "forum reviewer": cast.home.forum_reviewer,
            "city contact": cast.home.city_contact,
            "expert": cast.home.expert,
            "global secretariat": cast.global_secretariat}[who]


async def check(page, name: str, path: str, console: list[str]) -> dict:
    """The phone check, and whether the page shows its rows (SHOWN)."""
    found = await phone_check(page, path, console)
    text = await page.locator("main").inner_text()
    shown = SHOWN.get(name, ())
    missing = [t for t in ((shown,) if isinstance(shown, str) else shown) if t not in text]
    return found | {"missing": missing}


def walk(browse, cast, who: str, names) -> None:
    """Open each of `names` that `who` may open at 390 px, as `who`; all must be CLEAN."""
    paths = {name: path for name, path in events_region(cast)[who].items() if name in names}
    assert paths, who
    user = user_of(cast, who)
    secret = None if who in ("city contact", "expert", "series delegate") else totp_secret(user)

    async def scenario(page):
        console = await watch_for_phone_checks(page)
        await page.set_viewport_size(PHONE)
        await sign_in(page, user, secret=secret)
        return {name: await check(page, name, path, console)
                for name, path in paths.items()}

    found = browse(scenario)
    assert found == dict.fromkeys(paths, CLEAN), pformat({
        f"{name} at {paths[name]}": {key: value for key, value in problems.items()
                                     if value != CLEAN[key]}
        for name, problems in found.items() if problems != CLEAN}, width=100)


@pytest.mark.parametrize("who", ROLES)
def test_every_events_page_holds_on_a_phone_with_no_csp_or_serious_axe_violation(
        browse, cast, who):
    names = SHOWN.keys() | {"dashboard", "event form", "agenda item form", "action form",
                            "series form", "series form (edit)", "series hand-over form"}
    walk(browse, cast, who, names - {*DIALOGUE_PAGES, *SUPPORT_PAGES})


@pytest.mark.parametrize("language", ["ja", "es"])
@pytest.mark.parametrize("who", ["city contact", "expert"])
def test_an_invitees_own_pages_hold_on_a_phone_in_their_language(browse, cast, who, language):
    user = user_of(cast, who)
    paths = {name: path for name, path in events_region(cast)[who].items()
             if name in ("my events", "calendar feeds", "own workplans", "workplan page")}

    async def scenario(page):
        console = await watch_for_phone_checks(page)
        await sign_in(page, user)
        await switch_language(page, language)
        await page.set_viewport_size(PHONE)
        found = {}
        for name, path in paths.items():
            found[name] = await check(page, name, path, console)
            found[name]["lang"] = await page.get_attribute("html", "lang")
            found[name].pop("missing")
        return found

    found = browse(scenario)
    clean = {key: value for key, value in CLEAN.items() if key != "missing"} | {
        "lang": language}
    assert found == dict.fromkeys(paths, clean), {
        f"{name} at {paths[name]}": problems for name, problems in found.items()
        if problems != clean}
