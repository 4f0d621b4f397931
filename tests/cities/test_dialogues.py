"""Logging dialogues with cities, their follow-ups, the list and the coverage view."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.models import AuditEntry
from cities.models import Dialogue, DialogueFollowUp, Stage
from tests.dashboards import dashboard_of
from tests.events.factories import DialogueFactory, DialogueFollowUpFactory
from tests.factories import CityFactory
from tests.querycount import assert_flat_queries as flat_queries

pytestmark = pytest.mark.django_db
LONG_AGO = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


def url(region, rest=""):
    return f"/r/{region.slug}/cities/dialogues/{rest}"


def member_city(team, **kwargs):
    kwargs.setdefault("stage_changed_at", LONG_AGO)
    return CityFactory(region=team.region, stage=Stage.MEMBER, **kwargs)


def today_in(region):
    from zoneinfo import ZoneInfo

    return timezone.localtime(timezone.now(), ZoneInfo(region.time_zone)).date()


def form_data(city, **changes):
    data = {"city": city.pk, "held_on": today_in(city.region).isoformat(),
            "with_whom": "smart_city_lead", "with_whom_note": "Ms Sato, digital office",
            "channel": "online", "summary": "Their open data portal needs a data steward.",
            "follow_ups-TOTAL_FORMS": "2", "follow_ups-INITIAL_FORMS": "0",
            "follow_ups-0-title": "", "follow_ups-1-title": ""}
    data.update(changes)
    return data


def assert_flat_queries(fetch, grow, **kwargs):
    fetch()  # the session's first save is not the page's
    return flat_queries(fetch, grow, **kwargs)


def test_the_secretariat_logs_a_dialogue_with_its_follow_ups(cast, client_for):
    home = cast.home
    city = member_city(home)
    client = client_for(home.regional_secretariat)
    page = client.get(url(home.region, f"new/?city={city.pk}"))
    assert page.status_code == 200
    assert city.name in page.content.decode()  # the picker shows the city chosen
    response = client.post(url(home.region, "new/"), form_data(
        city, **{"follow_ups-0-title": "Send the implementation guide",
                 "follow_ups-0-owner": home.regional_secretariat.pk,
                 "follow_ups-0-due_on": "2030-01-31"}))
    assert response.status_code == 302
    with scopes_disabled():
        dialogue = Dialogue.objects.get(city=city)
        assert dialogue.author == home.regional_secretariat
        [follow_up] = dialogue.follow_ups.all()
        assert follow_up.owner == home.regional_secretariat
        assert AuditEntry.objects.filter(action="cities.dialogue.logged",
                                         object_id=dialogue.pk).exists()
    detail = client.get(response.url)
    assert "Send the implementation guide" in detail.content.decode()
    assert "Ms Sato" in detail.content.decode()


def test_a_dialogue_in_the_future_is_refused_and_nothing_is_saved(cast, client_for):
    city = member_city(cast.home)
    client = client_for(cast.home.regional_secretariat)
    tomorrow = today_in(city.region) + datetime.timedelta(days=1)
    response = client.post(url(cast.home.region, "new/"),
                           form_data(city, held_on=tomorrow.isoformat()))
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    with scopes_disabled():
        assert not Dialogue.objects.exists()


def test_other_with_whom_needs_a_name_and_a_follow_up_needs_a_title(cast, client_for):
    city = member_city(cast.home)
    client = client_for(cast.home.regional_secretariat)
    response = client.post(url(cast.home.region, "new/"), form_data(
        city, with_whom="other", with_whom_note="",
        **{"follow_ups-0-due_on": "2030-01-31"}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Say who was spoken to" in body
    assert "Give the follow-up a title." in body
    with scopes_disabled():
        assert not Dialogue.objects.exists()


def test_a_city_of_another_region_cannot_be_chosen(cast, client_for):
    foreign_city = member_city(cast.foreign)
    client = client_for(cast.home.regional_secretariat)
    response = client.post(url(cast.home.region, "new/"), form_data(foreign_city))
    assert response.status_code == 200
    with scopes_disabled():
        assert not Dialogue.objects.exists()


def test_readers_who_are_not_the_secretariat_are_refused(cast, client_for):
    dialogue = DialogueFactory(city=member_city(cast.home))
    for person in (cast.home.forum_reviewer, cast.home.city_contact, cast.home.expert):
        client = client_for(person)
        assert client.get(url(cast.home.region)).status_code == 403
        assert client.get(url(cast.home.region, f"{dialogue.pk}/")).status_code == 403
        assert client.post(url(cast.home.region, "new/"), {}).status_code == 403


def test_editing_changes_follow_ups_and_removes_one(cast, client_for):
    home = cast.home
    dialogue = DialogueFactory(city=member_city(home), with_whom="mayor")
    keep = DialogueFollowUpFactory(dialogue=dialogue, title="Keep me")
    drop = DialogueFollowUpFactory(dialogue=dialogue, title="Drop me")
    client = client_for(home.regional_secretariat)
    assert client.get(url(home.region, f"{dialogue.pk}/edit/")).status_code == 200
    data = form_data(dialogue.city, with_whom="mayor", held_on=dialogue.held_on.isoformat(),
                     **{"follow_ups-TOTAL_FORMS": "3", "follow_ups-INITIAL_FORMS": "2",
                        "follow_ups-0-id": keep.pk, "follow_ups-0-title": "Kept, renamed",
                        "follow_ups-1-id": drop.pk, "follow_ups-1-title": "Drop me",
                        "follow_ups-1-remove": "on",
                        "follow_ups-2-title": "A new one"})
    response = client.post(url(home.region, f"{dialogue.pk}/edit/"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    with scopes_disabled():
        titles = set(DialogueFollowUp.objects.filter(dialogue=dialogue)
                     .values_list("title", flat=True))
        assert titles == {"Kept, renamed", "A new one"}
        dialogue.refresh_from_db()
        assert dialogue.summary == "Their open data portal needs a data steward."


def test_a_follow_up_of_another_dialogue_cannot_be_edited_through_this_one(cast, client_for):
    home = cast.home
    dialogue = DialogueFactory(city=member_city(home))
    other = DialogueFollowUpFactory(dialogue=DialogueFactory(city=member_city(home)))
    client = client_for(home.regional_secretariat)
    data = form_data(dialogue.city, held_on=dialogue.held_on.isoformat(), **{
        "follow_ups-TOTAL_FORMS": "1", "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-0-id": other.pk, "follow_ups-0-title": "Hijacked"})
    response = client.post(url(home.region, f"{dialogue.pk}/edit/"), data)
    assert response.status_code == 200
    with scopes_disabled():
        other.refresh_from_db()
        assert other.title != "Hijacked"


def test_a_follow_up_is_ticked_done_and_opened_again(cast, client_for):
    follow_up = DialogueFollowUpFactory(dialogue=DialogueFactory(city=member_city(cast.home)))
    client = client_for(cast.home.regional_secretariat)
    done_url = url(cast.home.region,
                   f"{follow_up.dialogue.pk}/follow-ups/{follow_up.pk}/done/")
    assert client.post(done_url, {"done": "1"}).status_code == 302
    with scopes_disabled():
        follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    client.post(done_url, {"done": "0"})
    with scopes_disabled():
        follow_up.refresh_from_db()
    assert follow_up.done_at is None


def test_the_list_filters_by_city_month_and_channel(cast, client_for):
    home = cast.home
    maebashi = member_city(home, name="Maebashi")
    kaga = member_city(home, name="Kaga")
    DialogueFactory(city=maebashi, held_on=datetime.date(2025, 10, 5), channel="visit",
                    summary="Visit in October")
    DialogueFactory(city=kaga, held_on=datetime.date(2025, 9, 5), channel="email",
                    summary="Email in September")
    client = client_for(home.regional_secretariat)
    body = client.get(url(home.region, "all/?q=maebashi")).content.decode()
    assert "Visit in October" in body and "Email in September" not in body
    body = client.get(url(home.region, "all/?month=2025-09")).content.decode()
    assert "Email in September" in body and "Visit in October" not in body
    body = client.get(url(home.region, "all/?channel=visit")).content.decode()
    assert "Visit in October" in body and "Email in September" not in body
    body = client.get(url(home.region, f"all/?city={kaga.pk}")).content.decode()
    assert "Email in September" in body and "Visit in October" not in body
    assert client.get(url(home.region, "all/?month=nonsense")).status_code == 200


def test_the_coverage_highlights_gaps_and_totals_each_month(cast, client_for):
    home = cast.home
    today = today_in(home.region)
    spoken = member_city(home, name="Spoken City", owner=home.regional_secretariat)
    member_city(home, name="Silent City")
    member_city(home, name="New City", stage_changed_at=timezone.now())
    CityFactory(region=home.region, name="Prospect City", stage=Stage.SHORT_LIST)
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    DialogueFactory(city=spoken, held_on=last_month, with_whom="mayor")
    DialogueFactory(city=spoken, held_on=today)
    client = client_for(home.regional_secretariat)
    body = client.get(url(home.region)).content.decode()
    assert "Prospect City" not in body
    assert "Spoken City" in body and "Silent City" in body
    assert "coverage-gap" in body and "coverage-due" in body and "coverage-before" in body
    assert "1 of 3" in body  # this month: one of three member cities
    gaps = client.get(url(home.region, "?gaps=on")).content.decode()
    assert "Silent City" in gaps and "New City" not in gaps
    mine = client.get(url(home.region, "?mine=on")).content.decode()
    assert "Spoken City" in mine and "Silent City" not in mine
    assert client.get(url(home.region, "?months=12")).status_code == 200
    assert client.get(url(home.region, "?months=999&page=x")).status_code == 200


def test_coverage_and_list_cost_the_same_with_more_cities(cast, client_for):
    home = cast.home
    client = client_for(home.regional_secretariat)
    month_ago = today_in(home.region) - datetime.timedelta(days=31)

    def grow():
        for n in range(6):
            city = member_city(home, owner=home.regional_secretariat if n % 2 else None)
            dialogue = DialogueFactory(city=city, held_on=month_ago,
                                       author=home.regional_secretariat)
            DialogueFollowUpFactory(dialogue=dialogue)

    grow()
    assert_flat_queries(lambda: client.get(url(home.region)), grow)
    assert_flat_queries(lambda: client.get(url(home.region, "all/")), grow)
    card = reverse("dashboard-panel", kwargs={"region_slug": home.region.slug,
                                              "panel_name": "dialogues"})
    assert_flat_queries(lambda: client.get(card, HTTP_HX_REQUEST="true"), grow)


def test_a_dialogue_page_costs_the_same_with_more_follow_ups(cast, client_for):
    home = cast.home
    dialogue = DialogueFactory(city=member_city(home))
    client = client_for(home.regional_secretariat)

    def grow():
        for _n in range(4):
            DialogueFollowUpFactory(dialogue=dialogue, owner=home.regional_secretariat)

    grow()
    assert_flat_queries(lambda: client.get(url(home.region, f"{dialogue.pk}/")), grow)
    assert_flat_queries(lambda: client.get(url(home.region, f"{dialogue.pk}/edit/")), grow)


def test_the_city_page_shows_its_latest_dialogues_and_open_follow_ups(cast, client_for):
    city = member_city(cast.home)
    dialogue = DialogueFactory(city=city, summary="Talked about the smart bins.")
    DialogueFollowUpFactory(dialogue=dialogue, title="Share the bins report")
    client = client_for(cast.home.regional_secretariat)
    body = client.get(f"/r/{cast.home.region.slug}/cities/{city.pk}/").content.decode()
    assert "Talked about the smart bins." in body
    assert "Share the bins report" in body
    assert f"dialogues/new/?city={city.pk}" in body


def test_the_dashboard_counts_this_month_and_names_my_follow_ups(cast, client_for):
    home = cast.home
    spoken = member_city(home)
    member_city(home, name="Still Due City")
    dialogue = DialogueFactory(city=spoken, held_on=today_in(home.region))
    DialogueFollowUpFactory(dialogue=dialogue, owner=home.regional_secretariat,
                            title="Mine and overdue", due_on=datetime.date(2020, 1, 1))
    body = dashboard_of(client_for(home.regional_secretariat), home.region)
    assert "1 of 2 member cities spoken to this month" in body
    assert "Still Due City" in body
    assert re.search(r"Mine and overdue</a>[^<]*<span[^>]*>[^<]*</span> "
                     r"<span class=\"state state-failed\">Overdue</span></li>", body)
